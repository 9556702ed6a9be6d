// Sync jobs: a queued run becomes an Inngest event, or is enqueued on the in-process runner (one
// run at a time per connection, checkpointed every batch of pages).
import type { Db } from '../db/engine';
import { EVENTS, inngest, type SyncRequestedData } from '../inngest/client';
import { SyncRunner } from '../sync/runner';
import type { Job } from './dispatch';

const runnerKey = Symbol.for('integration-hub.sync-runner');
type Holder = { [runnerKey]?: { runner: SyncRunner } };

/** The in-process runner: one per process (it survives Next's hot reloads). */
export function inProcessRunner(db: Db): SyncRunner {
  const holder = globalThis as Holder;
  holder[runnerKey] ??= { runner: new SyncRunner(db) };
  return holder[runnerKey].runner;
}

/**
 * Runs a queued sync. With `delayMs` it starts that much later (Inngest's `ts`, or a timer here;
 * if the process stops before the timer fires, the run is still queued and resumes on the next start).
 */
export function syncRequested(data: SyncRequestedData, options: { delayMs?: number } = {}): Job {
  const { delayMs } = options;
  return {
    name: `sync run ${data.runId}`,
    async toInngest() {
      await inngest.send({ name: EVENTS.syncRequested, data, ...(delayMs === undefined ? {} : { ts: Date.now() + delayMs }) });
    },
    inProcess(db) {
      const enqueue = () => void inProcessRunner(db).enqueue(data.runId, data.connectionId);
      if (delayMs === undefined) enqueue();
      else setTimeout(enqueue, delayMs).unref();
    },
  };
}
