// Retention: deleting rows past their period (lib/retention). Inngest runs it from a daily cron
// (lib/inngest/retention-functions.ts) or when this job's event asks; in process, the embedded
// start-up schedules it (startEmbeddedRetention) and dispatch runs it here, one pass at a time.
import type { Db } from '../db/engine';
import { inngest, RETENTION_EVENTS } from '../inngest/client';
import { runRetention, type RetentionReport } from '../retention/rules';
import { dispatch, type Job } from './dispatch';

/** How often the in-process scheduler prunes, and how long after start-up it first does. */
export const RETENTION_EVERY_MS = 24 * 60 * 60 * 1000;
const FIRST_RUN_AFTER_MS = 60_000;

const runningKey = Symbol.for('integration-hub.retention');
type Holder = { [runningKey]?: { running: Promise<RetentionReport | null> | null; timers?: NodeJS.Timeout[] } };

function state() {
  const holder = globalThis as Holder;
  return (holder[runningKey] ??= { running: null });
}

/** Runs the retention rules in this process; a pass already running is joined, not repeated. */
export function pruneInProcess(db: Db): Promise<RetentionReport | null> {
  const s = state();
  s.running ??= runRetention(db)
    .catch((error: unknown) => {
      console.error('retention failed:', (error as Error).message);
      return null;
    })
    .finally(() => {
      s.running = null;
    });
  return s.running;
}

export function retentionRequested(): Job {
  return {
    name: 'retention',
    async toInngest() {
      await inngest.send({ name: RETENTION_EVENTS.requested, data: {} });
    },
    inProcess: (db) => void pruneInProcess(db),
  };
}

/** In process: prune a minute after start-up (a server restarted daily still prunes), then daily. */
export function startEmbeddedRetention(db: Db): void {
  const s = state();
  if (s.timers) return;
  const tick = () => void dispatch(db, retentionRequested()).catch((error: unknown) => console.error('retention not started:', (error as Error).message));
  s.timers = [setTimeout(tick, FIRST_RUN_AFTER_MS), setInterval(tick, RETENTION_EVERY_MS)];
  for (const timer of s.timers) timer.unref();
}
