// Webhooks end to end over HTTP: the sandbox signs a delivery exactly as the provider would and
// posts it to the app's webhook handler (served by lib/webhooks/node-server.ts, the function the
// Next route calls); we check what was stored and answered, then process it. On a provider whose
// webhooks are app-signed, picked by trait (tests/support/providers.ts); what one provider's
// deliveries do (HubSpot's sync requests, Square's records) is tested beside that provider.
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { asService } from '@/lib/db/rls';
import { connections, syncRuns, webhookEvents } from '@/lib/db/schema';
import { processAllDue } from '@/lib/webhooks/process';
import { createWorkspace } from '@/lib/workspaces/workspaces';
import { testEngine } from '../support/database';
import { exampleProvider, webhookChangeOf } from '../support/providers';
import { afterDeliveriesPause, connectedAndSynced, deliverFromSandbox, webhookEventsOf, webhookSuite } from '../support/webhooks';

const suite = webhookSuite();
const deliver = (request: Record<string, unknown>) => deliverFromSandbox(suite, request);
const eventsOf = (connectionId: string) => webhookEventsOf(suite, connectionId);
const afterPause = (connectionId: string) => afterDeliveriesPause(suite, connectionId);

// A provider whose deliveries are signed with an app-level secret, and what they ask of the app:
// a sync (then processing queues one run) or the record itself (then none).
const provider = exampleProvider({ webhooks: 'app-signed', sync: true });
const asksForSync = webhookChangeOf(provider.definition) === 'sync';
const url = () => `${suite.server.url}${provider.webhookPath}`;
/** A fresh connection whose first resource has `records` records (the others none), fully synced. */
const connected = (records: number) => connectedAndSynced(suite, provider.id, provider.datasets({ [provider.resources[0]]: records }));

const webhookRuns = (connectionId: string) =>
  asService(suite.database.db, (tx) =>
    tx.select().from(syncRuns).where(and(eq(syncRuns.connectionId, connectionId), eq(syncRuns.trigger, 'webhook'))),
  );

describe(`webhooks (${testEngine})`, () => {
  it('counts a duplicate delivery and does not process it twice', async () => {
    const { connectionId } = await connected(20);
    const { deliveries } = await deliver({ provider: provider.id, url: url(), mutate: { update: 1 }, repeat: 3 });
    expect(deliveries.map((d) => d.body)).toEqual([
      { ok: true, received: 1, duplicates: 0 },
      { ok: true, received: 0, duplicates: 1 },
      { ok: true, received: 0, duplicates: 1 },
    ]);
    expect(await afterPause(connectionId).then(() => processAllDue(suite.database.db, { connectionId }))).toMatchObject({ processed: 1 });
    // The provider retries after a while: the same event once more, after processing.
    const events = await eventsOf(connectionId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ duplicateCount: 2, status: 'processed' });
    expect(await webhookRuns(connectionId)).toHaveLength(asksForSync ? 1 : 0);
    expect(await afterPause(connectionId).then(() => processAllDue(suite.database.db, { connectionId }))).toMatchObject({ claimed: 0 });
  });

  it('answers 401 to a bad signature, counts it without the body on the hour\'s rejection row, and processes nothing', async () => {
    const { workspaceId, connectionId } = await connected(10);
    const cases = [{ tamper: 'body' }, { tamper: 'signature' }, { secret: 'not-the-app-secret' }];
    for (const variant of cases) {
      const { deliveries } = await deliver({ provider: provider.id, url: url(), mutate: { update: 1 }, ...variant });
      expect(deliveries[0].status, JSON.stringify(variant)).toBe(401);
      expect(deliveries[0].body.error).toMatch(/could not be verified/);
    }
    // One row per connection and hour counts them all (two if the hour ended meanwhile).
    const events = await eventsOf(connectionId);
    expect(events.length).toBeLessThanOrEqual(2);
    expect(events.reduce((sum, e) => sum + e.duplicateCount + 1, 0)).toBe(cases.length);
    for (const event of events) {
      expect(event).toMatchObject({ workspaceId, verification: 'failed', status: 'rejected', payload: null, syncRunId: null });
      expect(event.verificationReason).toBeTruthy();
    }
    expect(await afterPause(connectionId).then(() => processAllDue(suite.database.db, { connectionId }))).toMatchObject({ claimed: 0 });
    expect(await webhookRuns(connectionId)).toHaveLength(0);
  });

  it('never routes a delivery vouched for by the public sandbox secret to a live connection', async () => {
    const workspaceId = (await createWorkspace(suite.database.db, suite.admin, 'Live')).id;
    const account = provider.accounts[1].id;
    const [live] = await asService(suite.database.db, (tx) =>
      tx
        .insert(connections)
        .values({ workspaceId, provider: provider.id, displayName: provider.name, authKind: 'oauth2', status: 'active', accountId: account, settings: { environment: 'live' } })
        .returning(),
    );
    const { deliveries } = await deliver({ provider: provider.id, account, url: url(), mutate: { update: 1 } });
    expect(deliveries[0].status).toBe(200);
    expect(await eventsOf(live.id)).toEqual([]);
    const orphans = await asService(suite.database.db, (tx) =>
      tx.select().from(webhookEvents).where(and(eq(webhookEvents.accountId, account), eq(webhookEvents.environment, 'sandbox'))),
    );
    expect(orphans.length).toBeGreaterThan(0);
    expect(orphans.every((e) => e.connectionId === null && e.status === 'unrouted')).toBe(true);
  });
});
