// Webhooks end to end over HTTP: the sandbox signs a delivery exactly as the provider would and
// posts it to the app's webhook handler (served by lib/webhooks/node-server.ts, the function the
// Next route calls); we check what was stored and answered, then process it and run the sync.
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { asService } from '@/lib/db/rls';
import { connections, syncedRecords, syncRuns, webhookEvents } from '@/lib/db/schema';
import { requestSync } from '@/lib/sync/runs';
import { processAllDue } from '@/lib/webhooks/process';
import { createWorkspace } from '@/lib/workspaces/workspaces';
import { SANDBOX_SQUARE_SIGNATURE_KEY, signSquare, squareEvent } from '../sandbox/providers/square/webhooks';
import { testEngine } from '../support/database';
import { afterDeliveriesPause, connectedAndSynced, deliverFromSandbox, webhookEventsOf, webhookSuite } from '../support/webhooks';
import { runRow } from '../support/sync';

const suite = webhookSuite();
const deliver = (request: Record<string, unknown>) => deliverFromSandbox(suite, request);
const connected = (provider: 'hubspot' | 'square', dataset: Record<string, number>) => connectedAndSynced(suite, provider, dataset);
const eventsOf = (connectionId: string) => webhookEventsOf(suite, connectionId);
const afterPause = (connectionId: string) => afterDeliveriesPause(suite, connectionId);

const webhookRuns = (connectionId: string) =>
  asService(suite.database.db, (tx) =>
    tx.select().from(syncRuns).where(and(eq(syncRuns.connectionId, connectionId), eq(syncRuns.trigger, 'webhook'))),
  );

describe(`webhooks (${testEngine})`, () => {
  it('stores a signed HubSpot delivery before answering, routes it, and triggers exactly one incremental sync that picks up the change', async () => {
    const { workspaceId, connectionId } = await connected('hubspot', { 'hubspot.contacts': 40, 'hubspot.deals': 0 });
    const { deliveries, mutation } = await deliver({ provider: 'hubspot', url: `${suite.server.url}/api/webhooks/hubspot`, mutate: { update: 1 } });
    expect(deliveries).toEqual([{ status: 200, body: { ok: true, received: 1, duplicates: 0 } }]);

    const [stored] = await eventsOf(connectionId);
    expect(stored).toMatchObject({
      workspaceId,
      provider: 'hubspot',
      scheme: 'hubspot-v3',
      verification: 'verified',
      status: 'received',
      eventType: 'contact.propertyChange',
      accountId: '4242001',
      resource: 'contacts',
      change: 'sync',
      environment: 'sandbox',
      duplicateCount: 0,
    });
    expect(stored.payload).toMatchObject({ objectId: Number(mutation!.updated[0]), portalId: 4242001 });
    expect(stored.headers['x-hubspot-signature-v3']).toBe('[redacted]');
    expect(stored.headers['x-hubspot-request-timestamp']).toMatch(/^\d+$/);

    const report = await afterPause(connectionId).then(() => processAllDue(suite.database.db, { connectionId }));
    expect(report).toMatchObject({ claimed: 1, processed: 1, runsCreated: [expect.any(String)] });
    const [processed] = await eventsOf(connectionId);
    expect(processed).toMatchObject({ status: 'processed', syncRunId: report.runsCreated[0], outcome: 'Queued an incremental sync.' });
    expect(processed.processedAt!.getTime()).toBeGreaterThanOrEqual(processed.receivedAt.getTime());

    const runs = await webhookRuns(connectionId);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ mode: 'incremental', resource: 'contacts', status: 'queued' });
    expect(await suite.runner.runToEnd(runs[0].id)).toBe('succeeded');
    expect(await runRow(suite.database.db, runs[0].id)).toMatchObject({ recordsUpdated: 1, recordsCreated: 0, recordsDeleted: 0 });
  });

  it('counts a duplicate delivery and does not process it twice', async () => {
    const { connectionId } = await connected('hubspot', { 'hubspot.contacts': 20, 'hubspot.deals': 0 });
    const { deliveries } = await deliver({ provider: 'hubspot', url: `${suite.server.url}/api/webhooks/hubspot`, mutate: { update: 1 }, repeat: 3 });
    expect(deliveries.map((d) => d.body)).toEqual([
      { ok: true, received: 1, duplicates: 0 },
      { ok: true, received: 0, duplicates: 1 },
      { ok: true, received: 0, duplicates: 1 },
    ]);
    expect(await afterPause(connectionId).then(() => processAllDue(suite.database.db, { connectionId }))).toMatchObject({ processed: 1 });
    // HubSpot retries after a while: the same event once more, after processing.
    const events = await eventsOf(connectionId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ duplicateCount: 2, status: 'processed' });
    expect(await webhookRuns(connectionId)).toHaveLength(1);
    expect(await afterPause(connectionId).then(() => processAllDue(suite.database.db, { connectionId }))).toMatchObject({ claimed: 0 });
  });

  it('answers 401 to a bad signature, counts it without the body on the hour\'s rejection row, and processes nothing', async () => {
    const { workspaceId, connectionId } = await connected('hubspot', { 'hubspot.contacts': 10, 'hubspot.deals': 0 });
    const url = `${suite.server.url}/api/webhooks/hubspot`;
    const cases = [
      { tamper: 'body' },
      { tamper: 'signature' },
      { secret: 'not-the-client-secret' },
      { timestampOffsetMs: -6 * 60_000 },
    ];
    for (const variant of cases) {
      const { deliveries } = await deliver({ provider: 'hubspot', url, events: [{ subscriptionType: 'contact.creation', objectId: 1000000001 }], ...variant });
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
    // The row shows the latest rejection: the stale timestamp, tried last.
    const latest = events.sort((a, b) => b.receivedAt.getTime() - a.receivedAt.getTime())[0];
    expect(latest.verificationReason).toMatch(/X-HubSpot-Request-Timestamp is \d+ s old/);
    expect(await afterPause(connectionId).then(() => processAllDue(suite.database.db, { connectionId }))).toMatchObject({ claimed: 0 });
    expect(await webhookRuns(connectionId)).toHaveLength(0);
  });

  it('applies a Square record carried by the payload without a sync, and a deletion as a tombstone', async () => {
    const { connectionId } = await connected('square', { 'square.customers': 30, 'square.bookings': 0 });
    const url = `${suite.server.url}/api/webhooks/square`;
    const { deliveries, mutation } = await deliver({ provider: 'square', url, mutate: { update: 2, delete: 1 } });
    expect(deliveries.map((d) => d.status)).toEqual([200, 200, 200]);
    const report = await afterPause(connectionId).then(() => processAllDue(suite.database.db, { connectionId }));
    expect(report).toMatchObject({ processed: 3, runsCreated: [] });
    const events = await eventsOf(connectionId);
    expect(events.map((e) => [e.eventType, e.status, e.outcome]).sort()).toEqual([
      ['customer.deleted', 'processed', 'Marked the record deleted.'],
      ['customer.updated', 'processed', 'Stored the record it carries.'],
      ['customer.updated', 'processed', 'Stored the record it carries.'],
    ]);
    const records = await asService(suite.database.db, (tx) =>
      tx.select().from(syncedRecords).where(and(eq(syncedRecords.connectionId, connectionId), eq(syncedRecords.resource, 'customers'))),
    );
    const byId = new Map(records.map((r) => [r.externalId, r]));
    for (const id of mutation!.updated) expect((byId.get(id)!.raw as { note?: string }).note).toMatch(/Preferences updated/);
    expect(byId.get(mutation!.deleted[0])!.deletedAt).not.toBeNull();
    expect(await webhookRuns(connectionId)).toHaveLength(0);

    // The next sync finds the records the payloads carried already up to date.
    const { runId } = await requestSync(suite.database.db, { workspaceId: records[0].workspaceId, connectionId, trigger: 'manual', mode: 'incremental', resource: 'customers' });
    expect(await suite.runner.runToEnd(runId)).toBe('succeeded');
    expect(await runRow(suite.database.db, runId)).toMatchObject({ recordsUpdated: 0, recordsCreated: 0 });
  });
  it('applies HubSpot deletions from the event alone, and never lets an older Square record overwrite a newer one', async () => {
    const hub = await connected('hubspot', { 'hubspot.contacts': 15, 'hubspot.deals': 0 });
    const { mutation } = await deliver({ provider: 'hubspot', url: `${suite.server.url}/api/webhooks/hubspot`, mutate: { delete: 1 } });
    const report = await afterPause(hub.connectionId).then(() => processAllDue(suite.database.db, { connectionId: hub.connectionId }));
    expect(report).toMatchObject({ processed: 1, runsCreated: [] });
    const [gone] = await asService(suite.database.db, (tx) =>
      tx.select().from(syncedRecords).where(and(eq(syncedRecords.connectionId, hub.connectionId), eq(syncedRecords.externalId, mutation!.deleted[0]))),
    );
    expect(gone.deletedAt).not.toBeNull();

    const sq = await connected('square', { 'square.customers': 10, 'square.bookings': 0 });
    const url = `${suite.server.url}/api/webhooks/square`;
    const { mutation: first } = await deliver({ provider: 'square', url, mutate: { update: 1 } });
    await afterPause(sq.connectionId).then(() => processAllDue(suite.database.db, { connectionId: sq.connectionId }));
    const id = first!.updated[0];
    const stored = async () =>
      (await asService(suite.database.db, (tx) =>
        tx.select().from(syncedRecords).where(and(eq(syncedRecords.connectionId, sq.connectionId), eq(syncedRecords.externalId, id))),
      ))[0].raw as { id: string; version: number; given_name: string };
    const current = await stored();
    // A late retry of an older event about the same customer arrives after the newer one.
    const older = squareEvent({ merchantId: 'MLSBX0000000001', type: 'customer.updated', object: { ...current, version: current.version - 1, given_name: 'Stale' } });
    const body = JSON.stringify(older);
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...signSquare({ notificationUrl: url, body, signatureKey: SANDBOX_SQUARE_SIGNATURE_KEY }) }, body });
    expect(response.status).toBe(200);
    await afterPause(sq.connectionId).then(() => processAllDue(suite.database.db, { connectionId: sq.connectionId }));
    const [late] = (await eventsOf(sq.connectionId)).filter((e) => e.eventId === older.event_id);
    expect(late).toMatchObject({ status: 'processed', outcome: 'Not applied: the stored record is newer.' });
    expect(await stored()).toEqual(current);
  });

  it('never routes a delivery vouched for by the public sandbox secret to a live connection', async () => {
    const workspaceId = (await createWorkspace(suite.database.db, suite.admin, 'Live')).id;
    const [live] = await asService(suite.database.db, (tx) =>
      tx
        .insert(connections)
        .values({ workspaceId, provider: 'hubspot', displayName: 'HubSpot', authKind: 'oauth2', status: 'active', accountId: '4242002', settings: { environment: 'live' } })
        .returning(),
    );
    const { deliveries } = await deliver({ provider: 'hubspot', account: '4242002', url: `${suite.server.url}/api/webhooks/hubspot`, events: [{ subscriptionType: 'contact.creation', objectId: 1000000009 }] });
    expect(deliveries[0].status).toBe(200);
    expect(await eventsOf(live.id)).toEqual([]);
    const orphans = await asService(suite.database.db, (tx) =>
      tx.select().from(webhookEvents).where(and(eq(webhookEvents.accountId, '4242002'), eq(webhookEvents.environment, 'sandbox'))),
    );
    expect(orphans.length).toBeGreaterThan(0);
    expect(orphans.every((e) => e.connectionId === null && e.status === 'unrouted')).toBe(true);
  });
});
