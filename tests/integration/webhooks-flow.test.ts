// Webhook robustness: routing to unknown and disconnected accounts, fast 4xx on garbage (never a
// 5xx), a burst of 500 deliveries with the in-process worker and runner live, recovery of
// deliveries a crash left unprocessed, replay, the per-connection Standard Webhooks endpoint,
// and what members and outsiders may read.
import crypto from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { disconnectConnection } from '@/lib/connections/connections';
import { asService } from '@/lib/db/rls';
import { syncRuns, webhookEvents, webhookSigningSecrets } from '@/lib/db/schema';
import { HttpError } from '@/lib/http/errors';
import { inProcessRunner } from '@/lib/sync/jobs';
import { requestSync } from '@/lib/sync/runs';
import { getWebhookEvent, listWebhookEvents, replayWebhookEvent } from '@/lib/webhooks/history';
import { processAllDue, processWebhookEvents } from '@/lib/webhooks/process';
import { rotateSigningSecret } from '@/lib/webhooks/signing-secrets';
import { sweepWebhooks } from '@/lib/webhooks/sweeper';
import { webhookWorker } from '@/lib/webhooks/worker';
import { addMemberAndAccept as addMember } from '../support/members';
import { signHubspotV3 } from '../sandbox/providers/hubspot/webhooks';
import { signStandardWebhooks } from '../sandbox/webhook-signing';
import { createUser, testEngine } from '../support/database';
import { afterDeliveriesPause, connectedAndSynced, deliverFromSandbox, webhookEventsOf, webhookSuite } from '../support/webhooks';

const suite = webhookSuite();
const deliver = (request: Record<string, unknown>) => deliverFromSandbox(suite, request);
const connected = (provider: 'hubspot' | 'square', dataset: Record<string, number>) => connectedAndSynced(suite, provider, dataset);
const eventsOf = (connectionId: string) => webhookEventsOf(suite, connectionId);
const afterPause = (connectionId: string) => afterDeliveriesPause(suite, connectionId);

const post = (path: string, init: RequestInit & { headers?: Record<string, string> }) => fetch(`${suite.server.url}${path}`, { method: 'POST', ...init });

describe(`webhook routing and robustness (${testEngine})`, () => {
  it('stores deliveries for an unknown account as unrouted, and for a disconnected connection as unrouted in its workspace', async () => {
    const url = `${suite.server.url}/api/webhooks/hubspot`;
    // Portal 4242002 (the sandbox's second account) is connected nowhere yet.
    const unknown = await deliver({ provider: 'hubspot', account: '4242002', url, events: [{ subscriptionType: 'contact.creation', objectId: 1000000003 }] });
    expect(unknown.deliveries[0]).toEqual({ status: 200, body: { ok: true, received: 1, duplicates: 0 } });
    const [orphan] = await asService(suite.database.db, (tx) =>
      tx.select().from(webhookEvents).where(and(eq(webhookEvents.accountId, '4242002'), sql`${webhookEvents.workspaceId} is null`)),
    );
    expect(orphan).toMatchObject({ status: 'unrouted', verification: 'verified', connectionId: null, outcome: 'No connection for account 4242002.' });

    const { workspaceId, connectionId } = await connected('hubspot', { 'hubspot.contacts': 5, 'hubspot.deals': 0 });
    await disconnectConnection(suite.database.db, suite.admin, workspaceId, connectionId);
    const late = await deliver({ provider: 'hubspot', url, events: [{ subscriptionType: 'contact.creation', objectId: 1000000004 }] });
    expect(late.deliveries[0].status).toBe(200);
    const [event] = await eventsOf(connectionId);
    expect(event).toMatchObject({ workspaceId, status: 'unrouted', outcome: 'The connection is disconnected.' });
    expect(await afterPause(connectionId).then(() => processAllDue(suite.database.db, { connectionId }))).toMatchObject({ claimed: 0 });
  });

  it('answers garbage with a fast 4xx, never a 5xx, and stores nothing verified from it', async () => {
    const { connectionId } = await connected('hubspot', { 'hubspot.contacts': 5, 'hubspot.deals': 0 });
    const signed = (body: string) => {
      const uri = `${suite.server.url}/api/webhooks/hubspot`;
      return { 'content-type': 'application/json', ...signHubspotV3({ method: 'POST', uri, body, secret: 'sandbox-secret-hubspot', timestampMs: Date.now() }) };
    };
    const expectations: [string, Promise<Response>, number][] = [
      ['text/plain', post('/api/webhooks/hubspot', { headers: { 'content-type': 'text/plain' }, body: '[]' }), 415],
      ['no content type', post('/api/webhooks/square', { body: '{}' }), 415],
      ['unsigned', post('/api/webhooks/hubspot', { headers: { 'content-type': 'application/json' }, body: '[]' }), 401],
      ['signed, not JSON', post('/api/webhooks/hubspot', { headers: signed('{"oops'), body: '{"oops' }), 400],
      ['signed, empty', post('/api/webhooks/hubspot', { headers: signed(''), body: '' }), 400],
      ['signed, not HubSpot', post('/api/webhooks/hubspot', { headers: signed('{"a":1}'), body: '{"a":1}' }), 400],
      ['too large (declared)', post('/api/webhooks/hubspot', { headers: { 'content-type': 'application/json' }, body: 'x'.repeat(1024 * 1024 + 1) }), 413],
      ['unknown provider', post('/api/webhooks/nope', { headers: { 'content-type': 'application/json' }, body: '{}' }), 404],
      ['no webhooks (Salesforce)', post('/api/webhooks/salesforce', { headers: { 'content-type': 'application/json' }, body: '{}' }), 404],
      ['Google without channel', post('/api/webhooks/google-calendar', { body: '' }), 400],
      ['Google, unknown channel', post('/api/webhooks/google-calendar', { headers: { 'x-goog-channel-id': crypto.randomUUID(), 'x-goog-channel-token': 't', 'x-goog-resource-state': 'exists', 'x-goog-message-number': '2' } }), 401],
      ['generic, unknown connection', post(`/api/webhooks/connections/${crypto.randomUUID()}`, { headers: { 'content-type': 'application/json' }, body: '{}' }), 404],
      ['generic, malformed id', post('/api/webhooks/connections/x%00y', { headers: { 'content-type': 'application/json' }, body: '{}' }), 404],
      ['generic, no secret', post(`/api/webhooks/connections/${connectionId}`, { headers: { 'content-type': 'application/json' }, body: '{}' }), 401],
    ];
    for (const [label, response, status] of expectations) expect((await response).status, label).toBe(status);

    // A body that streams past the limit without declaring its length is cut off too.
    const chunk = new Uint8Array(64 * 1024).fill(32);
    let sent = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += chunk.length;
        if (sent > 4 * 1024 * 1024) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const streamed = await fetch(`${suite.server.url}/api/webhooks/square`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: endless, duplex: 'half' } as RequestInit);
    expect(streamed.status).toBe(413);

    // Random bytes under random media types at every endpoint: always a 4xx.
    const endpoints = ['/api/webhooks/hubspot', '/api/webhooks/square', '/api/webhooks/google-calendar', `/api/webhooks/connections/${connectionId}`];
    for (let i = 0; i < 60; i++) {
      const body = crypto.randomBytes(i * 7);
      const type = ['application/json', 'text/plain', 'application/x-www-form-urlencoded', ''][i % 4];
      const response = await post(endpoints[i % endpoints.length], { headers: type ? { 'content-type': type } : {}, body });
      expect(response.status, `fuzz ${i}`).toBeGreaterThanOrEqual(400);
      expect(response.status, `fuzz ${i}`).toBeLessThan(500);
    }
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

  it('recovers deliveries a crash left behind: stored but never processed, or claimed by a worker that died', async () => {
    const { connectionId } = await connected('hubspot', { 'hubspot.contacts': 10, 'hubspot.deals': 0 });
    const url = `${suite.server.url}/api/webhooks/hubspot`;
    // Acknowledged and committed; the process "dies" before any worker sees them (no job runner here).
    await deliver({ provider: 'hubspot', url, mutate: { update: 2 } });
    await deliver({ provider: 'hubspot', url, mutate: { update: 1 } });
    // A third one was claimed by a worker that then died mid-way.
    await deliver({ provider: 'hubspot', url, mutate: { update: 1 } });
    await asService(suite.database.db, (tx) =>
      tx.execute(sql`
        update public.webhook_events set status = 'processing', claimed_at = now() - interval '5 minutes', attempts = 1
        where id = (select id from public.webhook_events where connection_id = ${connectionId}::uuid order by received_at desc limit 1)`),
    );
    expect((await eventsOf(connectionId)).map((e) => e.status).sort()).toEqual(['processing', 'received', 'received', 'received']);

    await afterPause(connectionId);
    const swept = await sweepWebhooks(suite.database.db);
    expect(swept.reclaimed).toBeGreaterThanOrEqual(1);
    const events = await eventsOf(connectionId);
    expect(events.map((e) => e.status)).toEqual(['processed', 'processed', 'processed', 'processed']);
    const [run] = await asService(suite.database.db, (tx) =>
      tx.select().from(syncRuns).where(and(eq(syncRuns.connectionId, connectionId), eq(syncRuns.trigger, 'webhook'))),
    );
    expect(await suite.runner.runToEnd(run.id)).toBe('succeeded');
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

  it('replays a stored delivery for admins only, and shows members their workspace’s deliveries with secrets redacted', async () => {
    const { workspaceId, connectionId } = await connected('square', { 'square.customers': 10, 'square.bookings': 0 });
    await deliver({ provider: 'square', url: `${suite.server.url}/api/webhooks/square`, mutate: { update: 1 } });
    await afterPause(connectionId).then(() => processAllDue(suite.database.db, { connectionId }));
    const member = await createUser(suite.database, 'member');
    const outsider = await createUser(suite.database, 'outsider');
    await addMember(suite.database.db, suite.admin, workspaceId, { email: member.email, role: 'member' });

    const list = await listWebhookEvents(suite.database.db, member, workspaceId, { page: 1, pageSize: 25 });
    expect(list.total).toBe(1);
    expect(list.events[0]).toMatchObject({ connectionId, eventType: 'customer.updated', status: 'processed', verification: 'verified' });
    expect(list.statusCounts).toEqual({ processed: 1 });
    expect('payload' in list.events[0]).toBe(false);
    const detail = await getWebhookEvent(suite.database.db, member, workspaceId, list.events[0].id);
    expect(detail.headers['x-square-hmacsha256-signature']).toBe('[redacted]');
    expect(detail.payload).toMatchObject({ type: 'customer.updated', data: { object: { customer: { id: expect.any(String) } } } });
    await expect(listWebhookEvents(suite.database.db, outsider, workspaceId, { page: 1, pageSize: 25 })).rejects.toThrow(HttpError);

    await expect(replayWebhookEvent(suite.database.db, member, workspaceId, list.events[0].id)).rejects.toMatchObject({ status: 403 });
    const replayed = await replayWebhookEvent(suite.database.db, suite.admin, workspaceId, list.events[0].id);
    expect(replayed).toMatchObject({ status: 'received', replayCount: 1 });
    await expect(replayWebhookEvent(suite.database.db, suite.admin, workspaceId, list.events[0].id)).rejects.toMatchObject({ status: 409 });
    expect(await afterPause(connectionId).then(() => processAllDue(suite.database.db, { connectionId }))).toMatchObject({ processed: 1 });
    expect(await getWebhookEvent(suite.database.db, member, workspaceId, list.events[0].id)).toMatchObject({
      status: 'processed',
      replayCount: 1,
      outcome: 'Stored the record it carries.',
    });
  });

  it('verifies the per-connection Standard Webhooks endpoint with the connection’s own secret, through a rotation', async () => {
    const { workspaceId, connectionId } = await connected('hubspot', { 'hubspot.contacts': 10, 'hubspot.deals': 0 });
    const path = `/api/webhooks/connections/${connectionId}`;
    const send = (secret: string, id: string, payload: unknown) => {
      const body = JSON.stringify(payload);
      const headers = signStandardWebhooks({ id, timestampSeconds: Math.floor(Date.now() / 1000), body, secret });
      return post(path, { headers: { 'content-type': 'application/json', ...headers }, body });
    };
    const first = await rotateSigningSecret(suite.database.db, suite.admin, workspaceId, connectionId);
    expect(first.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(first.previousValidUntil).toBeNull();
    const [row] = await asService(suite.database.db, (tx) => tx.select().from(webhookSigningSecrets).where(eq(webhookSigningSecrets.connectionId, connectionId)));
    expect(row.envelope).not.toContain(first.secret.slice(6, 20));

    expect((await send(first.secret, 'msg_1', { type: 'contacts.updated', data: { id: 7 } })).status).toBe(200);
    expect((await send(first.secret, 'msg_1', { type: 'contacts.updated', data: { id: 7 } })).status).toBe(200);
    expect((await send('whsec_' + crypto.randomBytes(32).toString('base64'), 'msg_2', {})).status).toBe(401);

    const second = await rotateSigningSecret(suite.database.db, suite.admin, workspaceId, connectionId);
    expect(second.previousValidUntil).not.toBeNull();
    // The old secret verifies during the grace period; the new one from now on.
    expect((await send(first.secret, 'msg_3', { type: 'ping' })).status).toBe(200);
    expect((await send(second.secret, 'msg_4', { type: 'deals.created' })).status).toBe(200);

    // A stray U+0000 (which PostgreSQL text cannot hold) is stored as U+FFFD, not a 5xx.
    expect((await send(second.secret, 'msg_5', { type: 'ping', note: 'a\u0000b' })).status).toBe(200);
    const [nul] = (await eventsOf(connectionId)).filter((e) => e.eventId === 'msg_5');
    expect(nul.payload).toEqual({ type: 'ping', note: 'a\uFFFDb' });
    await asService(suite.database.db, (tx) => tx.delete(webhookEvents).where(eq(webhookEvents.id, nul.id)));

    const events = (await eventsOf(connectionId)).filter((e) => e.verification === 'verified');
    expect(events.map((e) => [e.eventId, e.scheme, e.resource, e.duplicateCount]).sort()).toEqual([
      ['msg_1', 'standard-webhooks', 'contacts', 1],
      ['msg_3', 'standard-webhooks', null, 0],
      ['msg_4', 'standard-webhooks', 'deals', 0],
    ]);
    const report = await afterPause(connectionId).then(() => processAllDue(suite.database.db, { connectionId }));
    expect(report).toMatchObject({ processed: 3, runsCreated: [expect.any(String)] });
    const [run] = await asService(suite.database.db, (tx) => tx.select().from(syncRuns).where(eq(syncRuns.id, report.runsCreated[0])));
    // Events about two resources and one about everything: one run over every resource.
    expect(run).toMatchObject({ trigger: 'webhook', mode: 'incremental', resource: null });
  });
});
