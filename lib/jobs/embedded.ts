// Embedded mode (jobs run in this server): at start-up, resume what a stopped server left —
// interrupted sync runs, mapping re-apply jobs, unprocessed webhook deliveries — then check the
// sync schedule every minute (and, since several instances may share one database, take over
// sync runs, push runs and mapping jobs whose instance stopped moving them), keep the webhook sweeper and channel renewal
// running, and prune rows past their retention period daily (lib/retention).
// instrumentation.ts calls it once the database is open; with Inngest (or none) it does nothing.
import type { Db } from '../db/engine';
import { requestDueSyncs } from '../sync/jobs';
import { startEmbeddedWebhookJobs } from '../webhooks/worker';
import { startEmbeddedHealthChecks } from './health';
import { resumeReapplyJobs } from './mapping';
import { startEmbeddedNotificationMail } from './notifications';
import { installOutboundJobs, startEmbeddedOutbound } from './outbound';
import { startEmbeddedRetention } from './retention';
import { jobRunner } from './runner';
import { inProcessRunner } from './syncs';
import { inProcessPushRunner, requestDuePushes } from './pushes';
import { takeOverAfterMs } from '../sync/runs';

/** Every minute unless JOB_SCHEDULE_INTERVAL_SECONDS says otherwise (the multi-instance test uses one). */
export function scheduleEveryMs(env: Record<string, string | undefined> = process.env): number {
  const seconds = Number(env.JOB_SCHEDULE_INTERVAL_SECONDS);
  return (Number.isFinite(seconds) && seconds > 0 ? seconds : 60) * 1000;
}

const startedKey = Symbol.for('integration-hub.embedded-jobs');
type Holder = { [startedKey]?: { scheduler: NodeJS.Timeout } };

async function enqueueDueSyncs(db: Db): Promise<void> {
  const runner = inProcessRunner(db);
  for (const run of await requestDueSyncs(db)) void runner.enqueue(run.runId, run.connectionId);
}

export async function startEmbeddedJobs(db: Db): Promise<void> {
  // Emitted events nudge the outbound senders whoever runs them (Inngest included).
  installOutboundJobs(db);
  if (jobRunner() !== 'in-process') return;
  const holder = globalThis as Holder;
  if (holder[startedKey]) return;
  // Not 0: another instance may be working on a run or job right now (it keeps it moving; a dead one does not).
  await inProcessRunner(db).resumeInterrupted(takeOverAfterMs());
  await inProcessPushRunner(db).resumeInterrupted(takeOverAfterMs());
  await resumeReapplyJobs(db, takeOverAfterMs());
  await startEmbeddedWebhookJobs(db);
  startEmbeddedRetention(db);
  startEmbeddedHealthChecks(db);
  startEmbeddedNotificationMail(db);
  startEmbeddedOutbound(db);
  const tick = () => {
    void enqueueDueSyncs(db).catch((error) => console.error('scheduled sync check failed:', error));
    void requestDuePushes(db).catch((error) => console.error('scheduled push check failed:', error));
    // Another instance's runs once it has stopped heartbeating (killed, crashed): resumed here from their checkpoint.
    void inProcessRunner(db)
      .resumeInterrupted(takeOverAfterMs())
      .catch((error) => console.error('interrupted sync check failed:', error));
    void inProcessPushRunner(db)
      .resumeInterrupted(takeOverAfterMs())
      .catch((error) => console.error('interrupted push check failed:', error));
    void resumeReapplyJobs(db, takeOverAfterMs()).catch((error) => console.error('interrupted mapping job check failed:', error));
  };
  const scheduler = setInterval(tick, scheduleEveryMs());
  scheduler.unref();
  holder[startedKey] = { scheduler };
}
