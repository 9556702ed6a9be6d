// Square through the app, beyond the shared suites: its webhook deliveries carry the record, which
// is stored without a sync (a deletion as a tombstone), and never overwrites a newer one.
// (Moved from tests/integration/webhooks.test.ts; Square is the provider whose deliveries carry records.)
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { asService } from '@/lib/db/rls';
import { syncedRecords, syncRuns } from '@/lib/db/schema';
import { requestSync } from '@/lib/sync/runs';
import { processAllDue } from '@/lib/webhooks/process';
import { testEngine } from '@/tests/support/database';
import { runRow } from '@/tests/support/sync';
import { afterDeliveriesPause, connectedAndSynced, deliverFromSandbox, webhookEventsOf, webhookSuite } from '@/tests/support/webhooks';
import { SANDBOX_SQUARE_SIGNATURE_KEY, signSquare, squareEvent } from './webhooks';

const suite = webhookSuite();
const deliver = (request: Record<string, unknown>) => deliverFromSandbox(suite, request);
const connected = (provider: 'square', dataset: Record<string, number>) => connectedAndSynced(suite, provider, dataset);
const eventsOf = (connectionId: string) => webhookEventsOf(suite, connectionId);
const afterPause = (connectionId: string) => afterDeliveriesPause(suite, connectionId);

const webhookRuns = (connectionId: string) =>
  asService(suite.database.db, (tx) =>
    tx.select().from(syncRuns).where(and(eq(syncRuns.connectionId, connectionId), eq(syncRuns.trigger, 'webhook'))),
  );

describe(`webhooks (${testEngine})`, () => {
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

  it('never lets an older Square record overwrite a newer one', async () => {
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
});
