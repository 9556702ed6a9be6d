// Thin Inngest functions around lib/push: one step per batch, one push run at a time per
// destination connection, retries that honour Retry-After, the failure recorded when they run out,
// and the schedule's cron.
import { RetryAfterError } from 'inngest';
import type { Db } from '../db/engine';
import { requestDuePushes } from '../jobs/pushes';
import { RetryablePushError } from '../push/decide';
import { failPushRun, pushNextBatch, type PushStepOutcome } from '../push/engine';
import { inngest } from './client';
import { PUSH_EVENTS, type PushRequestedData } from './push-events';

/** Batches one run may take; beyond that something is looping. */
const MAX_BATCHES = 100_000;

export function createPushFunctions(getDb: () => Promise<Db>) {
  const pushRun = inngest.createFunction(
    {
      id: 'push-run',
      triggers: [{ event: PUSH_EVENTS.requested }],
      concurrency: { key: 'event.data.connectionId', limit: 1 },
      retries: 5,
      onFailure: async ({ event, error }) => {
        const data = event.data.event.data as PushRequestedData;
        await failPushRun(await getDb(), data.runId, error.message);
      },
    },
    async ({ event, step }) => {
      const { runId } = event.data as PushRequestedData;
      let outcome: PushStepOutcome = 'more';
      for (let batch = 0; outcome === 'more' && batch < MAX_BATCHES; batch++) {
        outcome = await step.run(`batch-${batch}`, async () => {
          try {
            return await pushNextBatch(await getDb(), runId);
          } catch (error) {
            if (error instanceof RetryablePushError && error.retryAfterSeconds !== undefined) {
              throw new RetryAfterError(error.message, error.retryAfterSeconds * 1000);
            }
            throw error;
          }
        });
      }
      return { runId, outcome };
    },
  );

  const scheduleDuePushes = inngest.createFunction({ id: 'schedule-due-pushes', triggers: [{ cron: '*/5 * * * *' }] }, async ({ step }) => {
    const runs = await step.run('request-due-pushes', async () => requestDuePushes(await getDb()));
    return { requested: runs.filter((r) => r.created).length };
  });

  return { pushRun, scheduleDuePushes };
}
