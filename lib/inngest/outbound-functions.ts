// Thin Inngest functions around lib/outbound: send due deliveries when nudged (debounced, so an
// event emitted inside a transaction is looked for after its commit; one run at a time), and a
// sweeper every minute for retries that came due and nudges that were lost.
import type { Db } from '../db/engine';
import { deliverDue, nextDueAt } from '../outbound/deliveries';
import { inngest } from './client';

export const OUTBOUND_EVENTS = {
  due: 'hub/outbound.due',
} as const;

/** Batches one function run may send before handing over to a fresh run. */
const MAX_BATCHES = 200;

export function createOutboundFunctions(getDb: () => Promise<Db>) {
  const deliverOutbound = inngest.createFunction(
    {
      id: 'deliver-outbound-webhooks',
      triggers: [{ event: OUTBOUND_EVENTS.due }],
      debounce: { period: '1s', timeout: '5s' },
      concurrency: { limit: 1 },
      retries: 3,
    },
    async ({ step }) => {
      let sent = 0;
      for (let batch = 0; batch < MAX_BATCHES; batch++) {
        const report = await step.run(`batch-${batch}`, async () => deliverDue(await getDb()));
        sent += report.claimed;
        if (report.claimed === 0) break;
      }
      return { sent };
    },
  );

  const sweepOutbound = inngest.createFunction({ id: 'sweep-outbound-webhooks', triggers: [{ cron: '* * * * *' }] }, async ({ step }) => {
    const due = await step.run('find-due', async () => {
      const at = await nextDueAt(await getDb());
      return at !== null && at.getTime() <= Date.now();
    });
    if (due) await step.sendEvent('deliver-due', { name: OUTBOUND_EVENTS.due, data: {} });
    return { due };
  });

  return { deliverOutbound, sweepOutbound };
}
