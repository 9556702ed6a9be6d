// Health checks as a job: requested after a sync run ends, after a connection's status changes and
// after a burst of rejected webhook signatures, plus a periodic sweep of every connection. Inngest
// debounces requests per connection (lib/inngest/health-functions.ts); in process, requests for a
// connection whose check is already running fold into one more pass after it.
import type { Db } from '../db/engine';
import { checkConnectionHealth, connectionsToSweep } from '../health/check';
import { HEALTH_EVENTS, inngest } from '../inngest/client';
import { dispatch, type Job } from './dispatch';
import { jobRunner } from './runner';

/** How often the in-process sweep runs: a stale connection or an expiring channel shows within minutes. */
export const HEALTH_SWEEP_EVERY_MS = 5 * 60 * 1000;
const FIRST_SWEEP_AFTER_MS = 30_000;

const stateKey = Symbol.for('integration-hub.health-checks');
interface State {
  /** Connection id → whether another pass was requested while this one runs. */
  running: Map<string, { again: boolean; done: Promise<void> }>;
  timers?: NodeJS.Timeout[];
}
type Holder = { [stateKey]?: State };

function state(): State {
  const holder = globalThis as Holder;
  return (holder[stateKey] ??= { running: new Map() });
}

/** Checks the connection in this process; a request during a running check adds one more pass, never more. */
export function checkInProcess(db: Db, connectionId: string): Promise<void> {
  const s = state();
  const current = s.running.get(connectionId);
  if (current) {
    current.again = true;
    return current.done;
  }
  const entry = { again: false, done: Promise.resolve() };
  entry.done = (async () => {
    try {
      do {
        entry.again = false;
        await checkConnectionHealth(db, connectionId).catch((error: unknown) =>
          console.error(`health check of ${connectionId} failed:`, (error as Error).message),
        );
      } while (entry.again);
    } finally {
      s.running.delete(connectionId);
    }
  })();
  s.running.set(connectionId, entry);
  return entry.done;
}

export function healthCheckRequested(connectionId: string): Job {
  return {
    name: `health check of ${connectionId}`,
    async toInngest() {
      await inngest.send({ name: HEALTH_EVENTS.checkRequested, data: { connectionId } });
    },
    inProcess: (db) => void checkInProcess(db, connectionId),
  };
}

/**
 * The hook other modules call (sync end, status change, rejection burst): never throws, so a
 * health check that cannot be requested never fails the work that asked for it.
 */
export async function requestHealthCheck(db: Db, connectionId: string | null | undefined): Promise<void> {
  if (!connectionId) return;
  await dispatch(db, healthCheckRequested(connectionId)).catch((error: unknown) =>
    console.error(`health check of ${connectionId} not requested:`, (error as Error).message),
  );
}

/** Checks every connection worth checking, one after another (the sweep). */
export async function sweepHealth(db: Db): Promise<number> {
  const ids = await connectionsToSweep(db);
  for (const id of ids) await checkInProcess(db, id);
  return ids.length;
}

/** In process: sweep shortly after start-up, then every few minutes. */
export function startEmbeddedHealthChecks(db: Db): void {
  if (jobRunner() !== 'in-process') return;
  const s = state();
  if (s.timers) return;
  const tick = () => void sweepHealth(db).catch((error: unknown) => console.error('health sweep failed:', (error as Error).message));
  s.timers = [setTimeout(tick, FIRST_SWEEP_AFTER_MS), setInterval(tick, HEALTH_SWEEP_EVERY_MS)];
  for (const timer of s.timers) timer.unref();
}
