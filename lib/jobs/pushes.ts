// Push jobs: a queued push run becomes an Inngest event, or is enqueued on the in-process push
// runner (one run at a time per destination connection, checkpointed every batch). The triggers
// — by hand, on the schedule, shortly after a source sync changed records — all come through here.
import type { Db } from '../db/engine';
import { inngest } from '../inngest/client';
import { PUSH_EVENTS, type PushRequestedData } from '../inngest/push-events';
import { PushRunner } from '../push/runner';
import { claimDuePushes, pushesFollowing, requestPush, type PushRequest, type RequestedPush } from '../push/runs';
import { dispatch, type Job } from './dispatch';

const runnerKey = Symbol.for('integration-hub.push-runner');
type Holder = { [runnerKey]?: { db: Db; runner: PushRunner } };

/** The in-process push runner: one per process and database (it survives Next's hot reloads). */
export function inProcessPushRunner(db: Db): PushRunner {
  const holder = globalThis as Holder;
  if (holder[runnerKey]?.db !== db) holder[runnerKey] = { db, runner: new PushRunner(db) };
  return holder[runnerKey].runner;
}

/** Runs a queued push run, `delayMs` from now when given (a source change settles first). */
export function pushRequested(data: PushRequestedData, options: { delayMs?: number } = {}): Job {
  const { delayMs } = options;
  return {
    name: `push run ${data.runId}`,
    async toInngest() {
      await inngest.send({ name: PUSH_EVENTS.requested, data, ...(delayMs === undefined ? {} : { ts: Date.now() + delayMs }) });
    },
    inProcess(db) {
      const enqueue = () => void inProcessPushRunner(db).enqueue(data.runId, data.connectionId);
      if (delayMs === undefined) enqueue();
      else setTimeout(enqueue, delayMs).unref();
    },
  };
}

/** Requests a run of the push and hands it to whoever runs jobs; joins a run already queued. */
export async function startPush(db: Db, request: PushRequest, options: { delayMs?: number } = {}): Promise<RequestedPush> {
  const requested = await requestPush(db, request);
  if (requested.created) await dispatch(db, pushRequested({ runId: requested.runId, connectionId: requested.connectionId, provider: requested.provider }, options));
  return requested;
}

/**
 * How long after a source sync changed records its pushes start: a burst of syncs (webhooks) joins
 * the run while it is still queued, so it costs one push.
 */
export const SOURCE_CHANGE_DELAY_MS = 10_000;

/**
 * The post-sync hook (lib/sync/engine.ts calls it when a pull run finishes): pushes that follow the
 * source connection get a run when the sync changed anything. Never throws: a push that cannot be
 * requested never fails the sync that asked for it.
 */
export async function requestPushesAfterSync(
  db: Db,
  run: { workspaceId: string; connectionId: string; recordsCreated: number; recordsUpdated: number; recordsDeleted: number },
): Promise<void> {
  if (run.recordsCreated + run.recordsUpdated + run.recordsDeleted === 0) return;
  try {
    for (const push of await pushesFollowing(db, run.workspaceId, run.connectionId)) {
      await startPush(db, { workspaceId: run.workspaceId, pushId: push.id, trigger: 'source_change' }, { delayMs: SOURCE_CHANGE_DELAY_MS });
    }
  } catch (error) {
    console.error(`pushes after the sync of ${run.connectionId} not requested:`, (error as Error).message);
  }
}

/** Requests runs of every push whose schedule has come (the cron function and the embedded scheduler). */
export async function requestDuePushes(db: Db): Promise<RequestedPush[]> {
  const started: RequestedPush[] = [];
  for (const push of await claimDuePushes(db)) {
    started.push(await startPush(db, { workspaceId: push.workspaceId, pushId: push.id, trigger: 'schedule' }));
  }
  return started;
}
