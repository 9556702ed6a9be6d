// Embedded mode (jobs run in this server): at start-up, resume what a stopped server left —
// interrupted sync runs, mapping re-apply jobs, unprocessed webhook deliveries — then check the
// sync schedule every minute, keep the webhook sweeper and channel renewal running, and prune
// rows past their retention period daily (lib/retention).
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

const SCHEDULE_EVERY_MS = 60_000;

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
  await inProcessRunner(db).resumeInterrupted();
  await inProcessPushRunner(db).resumeInterrupted();
  await resumeReapplyJobs(db);
  await startEmbeddedWebhookJobs(db);
  startEmbeddedRetention(db);
  startEmbeddedHealthChecks(db);
  startEmbeddedNotificationMail(db);
  startEmbeddedOutbound(db);
  const tick = () => {
    void enqueueDueSyncs(db).catch((error) => console.error('scheduled sync check failed:', error));
    void requestDuePushes(db).catch((error) => console.error('scheduled push check failed:', error));
  };
  const scheduler = setInterval(tick, SCHEDULE_EVERY_MS);
  scheduler.unref();
  holder[startedKey] = { scheduler };
}
