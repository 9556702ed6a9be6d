// The job seam: with Inngest configured, a sync request becomes an Inngest event; without it (the
// embedded default) the in-process runner takes it. Either way the same domain functions run.
import { EVENTS, inngest, jobRunner } from '../inngest/client';
import type { Db } from '../db/engine';
import { asService } from '../db/rls';
import { claimDueConnections } from './schedule';
import { requestSync, type SyncRequest } from './runs';
import { SyncRunner } from './runner';
import { startEmbeddedWebhookJobs } from '../webhooks/worker';
import { resumeReapplyJobs } from '../mapping/jobs';

const runnerKey = Symbol.for('integration-hub.sync-runner');
type Holder = { [runnerKey]?: { runner: SyncRunner; scheduler?: NodeJS.Timeout } };

export function inProcessRunner(db: Db): SyncRunner {
  const holder = globalThis as Holder;
  holder[runnerKey] ??= { runner: new SyncRunner(db) };
  return holder[runnerKey].runner;
}

export async function startSync(db: Db, request: SyncRequest & { provider: string }): Promise<{ runId: string; created: boolean }> {
  const result = await requestSync(db, request);
  if (!result.created) return result;
  const runner = jobRunner();
  if (runner === 'inngest') {
    await inngest.send({ name: EVENTS.syncRequested, data: { runId: result.runId, connectionId: request.connectionId, provider: request.provider } });
  } else if (runner === 'in-process') {
    void inProcessRunner(db).enqueue(result.runId, request.connectionId);
  }
  return result;
}

/** Creates runs for every due scheduled connection; the cron function and the embedded scheduler share it. */
export async function requestDueSyncs(db: Db): Promise<{ runId: string; connectionId: string; provider: string }[]> {
  const due = await asService(db, (tx) => claimDueConnections(tx));
  const created = [];
  for (const connection of due) {
    const result = await requestSync(db, {
      workspaceId: connection.workspaceId,
      connectionId: connection.id,
      trigger: 'schedule',
      mode: 'incremental',
    });
    if (result.created) created.push({ runId: result.runId, connectionId: connection.id, provider: connection.provider });
  }
  return created;
}

async function enqueueDueSyncs(db: Db): Promise<void> {
  const runner = inProcessRunner(db);
  for (const run of await requestDueSyncs(db)) void runner.enqueue(run.runId, run.connectionId);
}

/** Embedded mode: resume interrupted runs and check the schedule every minute. */
export async function startEmbeddedJobs(db: Db): Promise<void> {
  if (jobRunner() !== 'in-process') return;
  const holder = globalThis as Holder;
  const runner = inProcessRunner(db);
  if (holder[runnerKey]?.scheduler) return;
  await runner.resumeInterrupted();
  await resumeReapplyJobs(db);
  await startEmbeddedWebhookJobs(db);
  const tick = () => void enqueueDueSyncs(db).catch((error) => console.error('scheduled sync check failed:', error));
  holder[runnerKey]!.scheduler = setInterval(tick, 60_000);
  holder[runnerKey]!.scheduler.unref();
}
