// Thin Inngest functions around lib/webhooks: process a connection's stored deliveries (debounced,
// one at a time per connection), sweep for deliveries nobody picked up, renew push channels.
import type { Db } from '../db/engine';
import { renewExpiringChannels } from '../webhooks/channels';
import { processWebhookEvents } from '../webhooks/process';
import { connectionsWithDueEvents, reclaimStaleEvents } from '../webhooks/sweeper';
import { inngest, WEBHOOK_EVENTS, type WebhookReceivedData } from './client';

/** Batches a connection may take in one function run before handing over to a fresh run. */
const MAX_BATCHES = 200;
/** Waits for a running sync before giving the rest to the sweeper. */
const MAX_WAITS = 30;

export function createWebhookFunctions(getDb: () => Promise<Db>) {
  const processWebhooks = inngest.createFunction(
    {
      id: 'process-webhooks',
      triggers: [{ event: WEBHOOK_EVENTS.received }],
      // A burst becomes one run: it starts once the deliveries pause for a second (10 s at most).
      debounce: { key: 'event.data.connectionId', period: '1s', timeout: '10s' },
      concurrency: { key: 'event.data.connectionId', limit: 1 },
      retries: 3,
    },
    async ({ event, step }) => {
      const { connectionId } = event.data as WebhookReceivedData;
      let processed = 0;
      let waits = 0;
      for (let batch = 0; batch < MAX_BATCHES; batch++) {
        const report = await step.run(`batch-${batch}`, async () => processWebhookEvents(await getDb(), { connectionId }));
        processed += report.processed;
        if (report.claimed > 0) continue;
        if (report.waiting === 0 || waits >= MAX_WAITS) break;
        waits += 1;
        await step.sleep(`wait-${waits}`, '2s');
      }
      return { connectionId, processed };
    },
  );

  const sweepWebhooks = inngest.createFunction({ id: 'sweep-webhooks', triggers: [{ cron: '* * * * *' }] }, async ({ step }) => {
    const reclaimed = await step.run('reclaim', async () => reclaimStaleEvents(await getDb()));
    const due = await step.run('find-due', async () => connectionsWithDueEvents(await getDb()));
    if (due.length > 0) {
      await step.sendEvent(
        'process-due',
        due.map((connectionId) => ({ name: WEBHOOK_EVENTS.received, data: { connectionId } satisfies WebhookReceivedData })),
      );
    }
    return { reclaimed, connections: due.length };
  });

  const renewChannels = inngest.createFunction({ id: 'renew-webhook-channels', triggers: [{ cron: '17 * * * *' }] }, async ({ step }) =>
    step.run('renew', async () => renewExpiringChannels(await getDb())),
  );

  return { processWebhooks, sweepWebhooks, renewChannels };
}
