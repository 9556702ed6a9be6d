// Thin Inngest functions around the domain functions in lib/sync and lib/connections: one
// step per fetched page, one run at a time per connection, throttled per provider.
import { RetryAfterError } from 'inngest';
import type { Db } from '../db/engine';
import { RetryableSyncError, syncNextPage, type StepOutcome } from '../sync/engine';
import { requestDueSyncs } from '../sync/jobs';
import { failRun } from '../sync/runs';
import { reapStaleRuns } from '../sync/reaper';
import { refreshExpiringTokens } from '../connections/refresh-expiring';
import { failReapplyJob, reapplyNextBatch } from '../mapping/reapply';
import { EVENTS, inngest, type MappingReapplyData, type SyncRequestedData } from './client';
import { createHealthFunctions } from './health-functions';
import { createNotificationFunctions } from './notification-functions';
import { createRetentionFunctions } from './retention-functions';

/** A run may fetch this many pages; beyond that something is looping. */
const MAX_PAGES = 100_000;

export function createFunctions(getDb: () => Promise<Db>) {
  const syncConnection = inngest.createFunction(
    {
      id: 'sync-connection',
      triggers: [{ event: EVENTS.syncRequested }],
      concurrency: { key: 'event.data.connectionId', limit: 1 },
      throttle: { key: 'event.data.provider', limit: 20, period: '1s', burst: 5 },
      retries: 5,
      cancelOn: [{ event: EVENTS.connectionDisconnected, match: 'data.connectionId' }],
      onFailure: async ({ event, error }) => {
        const data = event.data.event.data as SyncRequestedData;
        await failRun(await getDb(), data.runId, error.message);
      },
    },
    async ({ event, step }) => {
      const { runId } = event.data as SyncRequestedData;
      let outcome: StepOutcome = 'more';
      for (let page = 0; outcome === 'more' && page < MAX_PAGES; page++) {
        outcome = await step.run(`page-${page}`, async () => {
          try {
            return await syncNextPage(await getDb(), runId);
          } catch (error) {
            if (error instanceof RetryableSyncError && error.retryAfterSeconds !== undefined) {
              throw new RetryAfterError(error.message, error.retryAfterSeconds * 1000);
            }
            throw error;
          }
        });
      }
      return { runId, outcome };
    },
  );

  const scheduleDueSyncs = inngest.createFunction(
    { id: 'schedule-due-syncs', triggers: [{ cron: '*/5 * * * *' }] },
    async ({ step }) => {
      const runs = await step.run('claim-due-connections', async () => requestDueSyncs(await getDb()));
      if (runs.length > 0) await step.sendEvent('enqueue-syncs', runs.map((data) => ({ name: EVENTS.syncRequested, data })));
      return { enqueued: runs.length };
    },
  );

  const refreshTokens = inngest.createFunction(
    { id: 'refresh-expiring-tokens', triggers: [{ cron: '*/10 * * * *' }] },
    async ({ step }) => step.run('refresh', async () => refreshExpiringTokens(await getDb())),
  );

  const reapRuns = inngest.createFunction(
    { id: 'reap-stale-runs', triggers: [{ cron: '*/15 * * * *' }] },
    async ({ step }) => step.run('reap', async () => reapStaleRuns(await getDb())),
  );

  const reapplyMapping = inngest.createFunction(
    {
      id: 'reapply-mapping',
      triggers: [{ event: EVENTS.mappingReapplyRequested }],
      concurrency: { key: 'event.data.connectionId', limit: 1 },
      retries: 3,
      onFailure: async ({ event, error }) => {
        const data = event.data.event.data as MappingReapplyData;
        await failReapplyJob(await getDb(), data.jobId, error.message);
      },
    },
    async ({ event, step }) => {
      const { jobId } = event.data as MappingReapplyData;
      let outcome: 'more' | 'done' = 'more';
      for (let batch = 0; outcome === 'more' && batch < MAX_PAGES; batch++) {
        outcome = await step.run(`batch-${batch}`, async () => reapplyNextBatch(await getDb(), jobId));
      }
      return { jobId, outcome };
    },
  );

  // The daily retention job (lib/retention), the notification digests and the health checks are served with these.
  return {
    syncConnection,
    scheduleDueSyncs,
    refreshTokens,
    reapRuns,
    reapplyMapping,
    ...createRetentionFunctions(getDb),
    ...createNotificationFunctions(getDb),
    ...createHealthFunctions(getDb),
  };
}
