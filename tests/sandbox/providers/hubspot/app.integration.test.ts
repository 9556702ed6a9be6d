// HubSpot through the app, beyond the shared suites: what its webhook deliveries do (each asks for
// an incremental sync, or carries a deletion), its v3 timestamp and its own signed garbage, how a
// burst of them or a sync in progress becomes runs, and its default contact mapping on synced
// records. (Moved from tests/integration/webhooks.test.ts, webhooks-flow.test.ts and mapping.test.ts;
// HubSpot is the provider whose app-signed deliveries ask for syncs.)
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { asService } from '@/lib/db/rls';
import { syncedRecords, syncRuns, webhookEvents } from '@/lib/db/schema';
import { getMappingEditor } from '@/lib/mapping/editor';
import { inProcessRunner } from '@/lib/sync/jobs';
import { SyncRunner } from '@/lib/sync/runner';
import { requestSync } from '@/lib/sync/runs';
import { processAllDue, processWebhookEvents } from '@/lib/webhooks/process';
import { webhookWorker } from '@/lib/webhooks/worker';
import { createWorkspace } from '@/lib/workspaces/workspaces';
import { connectViaSandbox } from '@/tests/support/connect';
import { testEngine } from '@/tests/support/database';
import { newRun, runRow } from '@/tests/support/sync';
import { afterDeliveriesPause, connectedAndSynced, deliverFromSandbox, webhookEventsOf, webhookSuite } from '@/tests/support/webhooks';
import { signHubspotV3 } from './webhooks';

const suite = webhookSuite();
const deliver = (request: Record<string, unknown>) => deliverFromSandbox(suite, request);
const connected = (provider: 'hubspot', dataset: Record<string, number>) => connectedAndSynced(suite, provider, dataset);
const eventsOf = (connectionId: string) => webhookEventsOf(suite, connectionId);
const afterPause = (connectionId: string) => afterDeliveriesPause(suite, connectionId);
const post = (path: string, init: RequestInit & { headers?: Record<string, string> }) => fetch(`${suite.server.url}${path}`, { method: 'POST', ...init });

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

  it("answers 401 to a delivery signed more than five minutes ago, and the hour's rejection row says so", async () => {
    const { workspaceId, connectionId } = await connected('hubspot', { 'hubspot.contacts': 10, 'hubspot.deals': 0 });
    const url = `${suite.server.url}/api/webhooks/hubspot`;
    const { deliveries } = await deliver({ provider: 'hubspot', url, events: [{ subscriptionType: 'contact.creation', objectId: 1000000001 }], timestampOffsetMs: -6 * 60_000 });
    expect(deliveries[0].status).toBe(401);
    expect(deliveries[0].body.error).toMatch(/could not be verified/);
    const [event] = await eventsOf(connectionId);
    expect(event).toMatchObject({ workspaceId, verification: 'failed', status: 'rejected', payload: null, syncRunId: null });
    expect(event.verificationReason).toMatch(/X-HubSpot-Request-Timestamp is \d+ s old/);
    expect(await afterPause(connectionId).then(() => processAllDue(suite.database.db, { connectionId }))).toMatchObject({ claimed: 0 });
    expect(await webhookRuns(connectionId)).toHaveLength(0);
  });

  it('applies HubSpot deletions from the event alone', async () => {
    const hub = await connected('hubspot', { 'hubspot.contacts': 15, 'hubspot.deals': 0 });
    const { mutation } = await deliver({ provider: 'hubspot', url: `${suite.server.url}/api/webhooks/hubspot`, mutate: { delete: 1 } });
    const report = await afterPause(hub.connectionId).then(() => processAllDue(suite.database.db, { connectionId: hub.connectionId }));
    expect(report).toMatchObject({ processed: 1, runsCreated: [] });
    const [gone] = await asService(suite.database.db, (tx) =>
      tx.select().from(syncedRecords).where(and(eq(syncedRecords.connectionId, hub.connectionId), eq(syncedRecords.externalId, mutation!.deleted[0]))),
    );
    expect(gone.deletedAt).not.toBeNull();
  });
});

describe(`webhook routing and robustness (${testEngine})`, () => {
  it('answers HubSpot-signed garbage with a fast 400, and stores nothing verified from it', async () => {
    const { connectionId } = await connected('hubspot', { 'hubspot.contacts': 5, 'hubspot.deals': 0 });
    const signed = (body: string) => {
      const uri = `${suite.server.url}/api/webhooks/hubspot`;
      return { 'content-type': 'application/json', ...signHubspotV3({ method: 'POST', uri, body, secret: 'sandbox-secret-hubspot', timestampMs: Date.now() }) };
    };
    const expectations: [string, Promise<Response>, number][] = [
      ['signed, not JSON', post('/api/webhooks/hubspot', { headers: signed('{"oops'), body: '{"oops' }), 400],
      ['signed, empty', post('/api/webhooks/hubspot', { headers: signed(''), body: '' }), 400],
      ['signed, not HubSpot', post('/api/webhooks/hubspot', { headers: signed('{"a":1}'), body: '{"a":1}' }), 400],
    ];
    for (const [label, response, status] of expectations) expect((await response).status, label).toBe(status);
    const verified = await asService(suite.database.db, (tx) =>
      tx.select().from(webhookEvents).where(and(eq(webhookEvents.connectionId, connectionId), eq(webhookEvents.verification, 'verified'))),
    );
    expect(verified).toHaveLength(0);
  });

  it('turns a burst of 500 deliveries into at most 2 sync runs, with every delivery processed and every change synced', async () => {
    const { connectionId } = await connected('hubspot', { 'hubspot.contacts': 600, 'hubspot.deals': 0 });
    const url = `${suite.server.url}/api/webhooks/hubspot`;
    // Jobs as the embedded app runs them: the worker processes as deliveries arrive, the runner syncs.
    process.env.JOB_RUNNER = 'in-process';
    try {
      const ids = Array.from({ length: 500 }, (_, i) => String(1_000_000_001 + i));
      let next = 0;
      const senders = Array.from({ length: 20 }, async () => {
        while (next < ids.length) {
          const id = ids[next++];
          const { deliveries } = await deliver({ provider: 'hubspot', url, mutate: { update: [id] } });
          expect(deliveries[0].status).toBe(200);
        }
      });
      await Promise.all(senders);
      // Wait for the worker and runner to settle: nothing left to process, no run queued or running.
      for (let i = 0; i < 300; i++) {
        const events = await eventsOf(connectionId);
        const runs = await asService(suite.database.db, (tx) => tx.select().from(syncRuns).where(eq(syncRuns.connectionId, connectionId)));
        if (events.every((e) => e.status === 'processed') && runs.every((r) => !['queued', 'running'].includes(r.status))) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      process.env.JOB_RUNNER = 'none';
      // Later tests drive processing themselves: the live worker must not take their deliveries.
      await webhookWorker(suite.database.db).stop();
      await inProcessRunner(suite.database.db).idle();
    }
    const events = await eventsOf(connectionId);
    expect(events).toHaveLength(500);
    expect(events.filter((e) => e.status !== 'processed')).toEqual([]);
    const runs = await asService(suite.database.db, (tx) =>
      tx.select().from(syncRuns).where(and(eq(syncRuns.connectionId, connectionId), eq(syncRuns.trigger, 'webhook'))),
    );
    expect(runs.length).toBeGreaterThanOrEqual(1);
    expect(runs.length).toBeLessThanOrEqual(2);
    expect(runs.every((r) => r.status === 'succeeded')).toBe(true);
    expect(runs.reduce((n, r) => n + r.recordsUpdated, 0)).toBe(500);
    expect(new Set(events.map((e) => e.syncRunId))).toEqual(new Set(runs.map((r) => r.id)));
  });

  it('waits for a running sync before queueing the next one, rather than joining it', async () => {
    const { workspaceId, connectionId } = await connected('hubspot', { 'hubspot.contacts': 300, 'hubspot.deals': 0 });
    const url = `${suite.server.url}/api/webhooks/hubspot`;
    const { runId: running } = await requestSync(suite.database.db, { workspaceId, connectionId, trigger: 'manual', mode: 'full' });
    const { syncNextPage } = await import('@/lib/sync/engine');
    expect(await syncNextPage(suite.database.db, running)).toBe('more');
    await deliver({ provider: 'hubspot', url, mutate: { update: 1 } });
    expect(await afterPause(connectionId).then(() => processWebhookEvents(suite.database.db, { connectionId }))).toMatchObject({ claimed: 1, waiting: 1, processed: 0 });
    const [waiting] = await eventsOf(connectionId);
    expect(waiting).toMatchObject({ status: 'received', attempts: 0, outcome: 'Waiting for the sync in progress to finish.' });
    expect(await suite.runner.runToEnd(running)).toBe('succeeded');
    await asService(suite.database.db, (tx) => tx.update(webhookEvents).set({ nextAttemptAt: null }).where(eq(webhookEvents.connectionId, connectionId)));
    const report = await afterPause(connectionId).then(() => processWebhookEvents(suite.database.db, { connectionId }));
    expect(report).toMatchObject({ processed: 1, runsCreated: [expect.any(String)] });
    expect(report.runsCreated[0]).not.toBe(running);
  });
});

async function syncedHubspot(contacts: number) {
  suite.sandbox.setKnobs({ dataset: { 'hubspot.contacts': contacts, 'hubspot.deals': 0 } });
  const workspaceId = (await createWorkspace(suite.database.db, suite.admin, `Mapping ${contacts}`)).id;
  const { connectionId } = await connectViaSandbox(suite.database.db, suite.admin, workspaceId, 'hubspot');
  const runId = await newRun(suite.database.db, { workspaceId, connectionId }, 'full');
  expect(await new SyncRunner(suite.database.db).runToEnd(runId)).toMatch(/succeeded|partial/);
  return { workspaceId, connectionId, resource: 'contacts' };
}

const records = (connectionId: string) =>
  asService(suite.database.db, (tx) =>
    tx.select().from(syncedRecords).where(and(eq(syncedRecords.connectionId, connectionId), eq(syncedRecords.resource, 'contacts'))),
  );

describe(`field mappings (${testEngine})`, () => {
  it('maps synced HubSpot contacts with the default template installed on connect', async () => {
    const target = await syncedHubspot(40);
    const editor = await getMappingEditor(suite.database.db, suite.admin, target);
    expect(editor.active?.version).toBe(1);
    expect(editor.model).toBe('Contact');
    expect(editor.sourceFields.map((f) => f.path)).toEqual(expect.arrayContaining(['properties.firstname', 'properties.email']));
    for (const record of await records(target.connectionId)) {
      const raw = record.raw as { id: string; properties: Record<string, string> };
      expect(record.mappingVersion).toBe(1);
      expect(record.mapped).toMatchObject({
        externalId: raw.id,
        firstName: raw.properties.firstname,
        lastName: raw.properties.lastname,
        email: raw.properties.email.toLowerCase(),
        fullName: `${raw.properties.firstname} ${raw.properties.lastname}`,
      });
    }
  });

});
