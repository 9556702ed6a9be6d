// The webhook Inngest functions, run by @inngest/test against the real database and sandbox:
// processing a connection's deliveries (debounced per connection), the sweeper that re-sends what
// nobody processed, and the cron that renews push channels.
import { InngestTestEngine } from '@inngest/test';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { asService } from '@/lib/db/rls';
import { webhookEvents } from '@/lib/db/schema';
import { inngest } from '@/lib/inngest/client';
import { createWebhookFunctions } from '@/lib/inngest/webhook-functions';
import { requestSync } from '@/lib/sync/runs';
import { SyncRunner } from '@/lib/sync/runner';
import { WEBHOOK_EVENTS } from '@/lib/webhooks/jobs';
import { serveWebhooks, type WebhookServer } from '@/lib/webhooks/node-server';
import { createWorkspace } from '@/lib/workspaces/workspaces';
import { connectViaSandbox } from '../support/connect';
import { testEngine } from '../support/database';
import { exampleProvider } from '../support/providers';
import { sandboxSuite } from '../support/sandbox-suite';

const suite = sandboxSuite();
// A provider whose webhooks are app-signed (tests/support/providers.ts).
const provider = exampleProvider({ webhooks: 'app-signed', sync: true });
let server: WebhookServer;
let functions: ReturnType<typeof createWebhookFunctions>;

beforeAll(async () => {
  server = await serveWebhooks(suite.database.db);
  functions = createWebhookFunctions(async () => suite.database.db);
});
afterAll(() => server?.close());

async function connectedWithDeliveries(updates: number) {
  suite.sandbox.setKnobs({ dataset: provider.datasets({ [provider.resources[0]]: 20 }) });
  const workspaceId = (await createWorkspace(suite.database.db, suite.admin, 'Inngest webhooks')).id;
  const { connectionId } = await connectViaSandbox(suite.database.db, suite.admin, workspaceId, provider.id);
  const { runId } = await requestSync(suite.database.db, { workspaceId, connectionId, trigger: 'initial', mode: 'full' });
  await new SyncRunner(suite.database.db).runToEnd(runId);
  for (let i = 0; i < updates; i++) {
    await fetch(`${suite.sandbox.url}/_sandbox/webhooks/deliver`, {
      method: 'POST',
      body: JSON.stringify({ provider: provider.id, url: `${server.url}${provider.webhookPath}`, mutate: { update: 1 } }),
    });
  }
  // As if the deliveries had paused a while ago (the debounce before a sync is over).
  await asService(suite.database.db, (tx) =>
    tx.execute(sql`update public.webhook_events set received_at = received_at - interval '5 seconds', next_attempt_at = null
                   where connection_id = ${connectionId}::uuid`),
  );
  return { workspaceId, connectionId };
}

const statuses = async (connectionId: string) =>
  (await asService(suite.database.db, (tx) => tx.select().from(webhookEvents).where(eq(webhookEvents.connectionId, connectionId)))).map((e) => e.status);

describe(`webhook Inngest functions (${testEngine})`, () => {
  it('processes a connection’s deliveries in steps, debounced and one run at a time per connection', async () => {
    const { connectionId } = await connectedWithDeliveries(3);
    expect(functions.processWebhooks.opts).toMatchObject({
      debounce: { key: 'event.data.connectionId' },
      concurrency: { key: 'event.data.connectionId', limit: 1 },
    });
    const engine = new InngestTestEngine({ function: functions.processWebhooks, events: [{ name: WEBHOOK_EVENTS.received, data: { connectionId } }] });
    const { result } = await engine.execute();
    expect(result).toEqual({ connectionId, processed: 3 });
    expect(await statuses(connectionId)).toEqual(['processed', 'processed', 'processed']);
  });

  it('sweeps: reclaims deliveries a dead worker held and re-sends an event for every connection with work due', async () => {
    const { connectionId } = await connectedWithDeliveries(2);
    await asService(suite.database.db, (tx) =>
      tx.execute(sql`update public.webhook_events set status = 'processing', claimed_at = now() - interval '10 minutes'
                     where id = (select id from public.webhook_events where connection_id = ${connectionId}::uuid limit 1)`),
    );
    // Sending is Inngest's job: the step is mocked and what it would send is asserted.
    const engine = new InngestTestEngine({ function: functions.sweepWebhooks, steps: [{ id: 'process-due', handler: () => ({ ids: [] }) }] });
    const { result, ctx } = await engine.execute();
    expect(result).toMatchObject({ reclaimed: 1 });
    const sent = (ctx.step.sendEvent as unknown as { mock: { calls: [string, { name: string; data: { connectionId: string } }[]][] } }).mock.calls;
    expect(sent).toHaveLength(1);
    expect(sent[0][1]).toContainEqual({ name: WEBHOOK_EVENTS.received, data: { connectionId } });
    expect(await statuses(connectionId)).toEqual(['received', 'received']);
  });

  it('renews push channels from a cron', async () => {
    const engine = new InngestTestEngine({ function: functions.renewChannels });
    const { result } = await engine.execute();
    expect(result).toEqual({ renewed: 0, failed: 0 });
  });
  it('with Inngest configured, stored deliveries become one event per connection, and a failed send still acknowledges', async () => {
    const { connectionId } = await connectedWithDeliveries(0);
    const url = `${server.url}${provider.webhookPath}`;
    const send = vi.spyOn(inngest, 'send').mockResolvedValue({ ids: [] } as never);
    process.env.JOB_RUNNER = 'inngest';
    try {
      const deliver = () =>
        fetch(`${suite.sandbox.url}/_sandbox/webhooks/deliver`, { method: 'POST', body: JSON.stringify({ provider: provider.id, url, mutate: { update: 1 } }) });
      await Promise.all(Array.from({ length: 5 }, deliver));
      const sent = send.mock.calls.flatMap(([events]) => (Array.isArray(events) ? events : [events]));
      expect(send.mock.calls.length).toBeLessThanOrEqual(5);
      expect(sent.length).toBeGreaterThan(0);
      expect(sent.every((e) => e.name === WEBHOOK_EVENTS.received)).toBe(true);
      // Earlier tests connected the same sandbox account in other workspaces: each copy has its event.
      const ids = sent.map((e) => (e.data as { connectionId: string }).connectionId);
      expect(ids).toContain(connectionId);
      expect(ids.filter((id) => id === connectionId).length).toBeLessThanOrEqual(send.mock.calls.length);

      send.mockRejectedValue(new Error('Inngest is unreachable'));
      const answer = await (await deliver()).json() as { deliveries: { status: number }[] };
      expect(answer.deliveries[0].status).toBe(200);
      expect(await statuses(connectionId)).toEqual(Array(6).fill('received'));
    } finally {
      process.env.JOB_RUNNER = 'none';
      send.mockRestore();
    }
  });
});
