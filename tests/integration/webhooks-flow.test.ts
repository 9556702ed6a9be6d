// Webhook robustness: routing to unknown and disconnected accounts, fast 4xx on garbage (never a
// 5xx), recovery of deliveries a crash left unprocessed, replay, the per-connection Standard
// Webhooks endpoint, and what members and outsiders may read. On providers picked by trait
// (tests/support/providers.ts); how deliveries that ask for a sync become runs (a burst of 500, a
// sync in progress) is tested beside the provider whose deliveries do (HubSpot).
import crypto from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { disconnectConnection } from '@/lib/connections/connections';
import { asService } from '@/lib/db/rls';
import { syncRuns, webhookEvents, webhookSigningSecrets } from '@/lib/db/schema';
import { HttpError } from '@/lib/http/errors';
import { getWebhookEvent, listWebhookEvents, replayWebhookEvent } from '@/lib/webhooks/history';
import { processAllDue } from '@/lib/webhooks/process';
import { rotateSigningSecret } from '@/lib/webhooks/signing-secrets';
import { sweepWebhooks } from '@/lib/webhooks/sweeper';
import { addMemberAndAccept as addMember } from '../support/members';
import { signedDelivery } from '../sandbox/server';
import { signStandardWebhooks } from '../sandbox/webhook-signing';
import { createUser, testEngine } from '../support/database';
import { exampleProvider, exampleProviders, webhookChangeOf, type ExampleProvider } from '../support/providers';
import { afterDeliveriesPause, connectedAndSynced, deliverFromSandbox, webhookEventsOf, webhookSuite } from '../support/webhooks';

const suite = webhookSuite();
const deliver = (request: Record<string, unknown>) => deliverFromSandbox(suite, request);
/** A fresh connection whose first resource has `records` records (its others none), fully synced. */
const connected = (provider: ExampleProvider, records: number) => connectedAndSynced(suite, provider.id, provider.datasets({ [provider.resources[0]]: records }));
const eventsOf = (connectionId: string) => webhookEventsOf(suite, connectionId);
const afterPause = (connectionId: string) => afterDeliveriesPause(suite, connectionId);

const post = (path: string, init: RequestInit & { headers?: Record<string, string> }) => fetch(`${suite.server.url}${path}`, { method: 'POST', ...init });

// Providers whose deliveries are signed with an app-level secret (two where two are registered),
// what their deliveries ask of the app, and the providers with push channels or no webhooks at all.
const [appSigned, otherAppSigned = appSigned] = exampleProviders({ webhooks: 'app-signed', sync: true });
const asksForSync = (provider: ExampleProvider) => webhookChangeOf(provider.definition) === 'sync';
const channelProviders = exampleProviders({ webhooks: 'channel' });
const withoutWebhooks = exampleProviders({ webhooks: false });
const withWebhooks = exampleProviders({ webhooks: true });

describe(`webhook routing and robustness (${testEngine})`, () => {
  it('stores deliveries for an unknown account as unrouted, and for a disconnected connection as unrouted in its workspace', async () => {
    const url = `${suite.server.url}${appSigned.webhookPath}`;
    // The sandbox's second account is connected nowhere yet.
    const other = appSigned.accounts[1].id;
    const unknown = await deliver({ provider: appSigned.id, account: other, url, mutate: { update: 1 } });
    expect(unknown.deliveries[0]).toEqual({ status: 200, body: { ok: true, received: 1, duplicates: 0 } });
    const [orphan] = await asService(suite.database.db, (tx) =>
      tx.select().from(webhookEvents).where(and(eq(webhookEvents.accountId, other), sql`${webhookEvents.workspaceId} is null`)),
    );
    expect(orphan).toMatchObject({ status: 'unrouted', verification: 'verified', connectionId: null, outcome: `No connection for account ${other}.` });

    const { workspaceId, connectionId } = await connected(appSigned, 5);
    await disconnectConnection(suite.database.db, suite.admin, workspaceId, connectionId);
    const late = await deliver({ provider: appSigned.id, url, mutate: { update: 1 } });
    expect(late.deliveries[0].status).toBe(200);
    const [event] = await eventsOf(connectionId);
    expect(event).toMatchObject({ workspaceId, status: 'unrouted', outcome: 'The connection is disconnected.' });
    expect(await afterPause(connectionId).then(() => processAllDue(suite.database.db, { connectionId }))).toMatchObject({ claimed: 0 });
  });

  it('answers garbage with a fast 4xx, never a 5xx, and stores nothing verified from it', async () => {
    const { connectionId } = await connected(appSigned, 5);
    // What a provider signs, its own signed garbage included, is checked beside it (HubSpot's: a 400).
    const expectations: [string, Promise<Response>, number][] = [
      ['text/plain', post(appSigned.webhookPath, { headers: { 'content-type': 'text/plain' }, body: '[]' }), 415],
      ['no content type', post(otherAppSigned.webhookPath, { body: '{}' }), 415],
      ['unsigned', post(appSigned.webhookPath, { headers: { 'content-type': 'application/json' }, body: '[]' }), 401],
      ['too large (declared)', post(appSigned.webhookPath, { headers: { 'content-type': 'application/json' }, body: 'x'.repeat(1024 * 1024 + 1) }), 413],
      ['unknown provider', post('/api/webhooks/nope', { headers: { 'content-type': 'application/json' }, body: '{}' }), 404],
      ...withoutWebhooks.map((p): [string, Promise<Response>, number] => [
        `no webhooks (${p.name})`,
        post(p.webhookPath, { headers: { 'content-type': 'application/json' }, body: '{}' }),
        404,
      ]),
      ...channelProviders.flatMap((p): [string, Promise<Response>, number][] => {
        // A notification on a channel the app never opened (the sandbox makes one up: none is open here).
        const made = signedDelivery(suite.sandbox, { provider: p.id, url: `${suite.server.url}${p.webhookPath}` })!;
        return [
          [`${p.name} without channel`, post(p.webhookPath, { body: '' }), 400],
          // Where the sandbox posts it: a provider may name the channel in the query string.
          [`${p.name}, unknown channel`, post(`${p.webhookPath}${new URL(made.url).search}`, { headers: made.headers, body: made.body }), 401],
        ];
      }),
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
    const streamed = await fetch(`${suite.server.url}${otherAppSigned.webhookPath}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: endless, duplex: 'half' } as RequestInit);
    expect(streamed.status).toBe(413);

    // Random bytes under random media types at every endpoint: always a 4xx.
    const endpoints = [...withWebhooks.map((p) => p.webhookPath), `/api/webhooks/connections/${connectionId}`];
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

  it('recovers deliveries a crash left behind: stored but never processed, or claimed by a worker that died', async () => {
    const { connectionId } = await connected(appSigned, 10);
    const url = `${suite.server.url}${appSigned.webhookPath}`;
    // Acknowledged and committed; the process "dies" before any worker sees them (no job runner here).
    await deliver({ provider: appSigned.id, url, mutate: { update: 2 } });
    await deliver({ provider: appSigned.id, url, mutate: { update: 1 } });
    // A third one was claimed by a worker that then died mid-way.
    await deliver({ provider: appSigned.id, url, mutate: { update: 1 } });
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
    // Deliveries that ask for a sync queued one; deliveries carrying their records none.
    const runs = await asService(suite.database.db, (tx) =>
      tx.select().from(syncRuns).where(and(eq(syncRuns.connectionId, connectionId), eq(syncRuns.trigger, 'webhook'))),
    );
    expect(runs).toHaveLength(asksForSync(appSigned) ? 1 : 0);
    for (const run of runs) expect(await suite.runner.runToEnd(run.id)).toBe('succeeded');
  });

  it('replays a stored delivery for admins only, and shows members their workspace’s deliveries with secrets redacted', async () => {
    const replayed = otherAppSigned;
    const { workspaceId, connectionId } = await connected(replayed, 10);
    await deliver({ provider: replayed.id, url: `${suite.server.url}${replayed.webhookPath}`, mutate: { update: 1 } });
    await afterPause(connectionId).then(() => processAllDue(suite.database.db, { connectionId }));
    const member = await createUser(suite.database, 'member');
    const outsider = await createUser(suite.database, 'outsider');
    await addMember(suite.database.db, suite.admin, workspaceId, { email: member.email, role: 'member' });

    const list = await listWebhookEvents(suite.database.db, member, workspaceId, { pageSize: 25 });
    expect(list.total).toBe(1);
    expect(list.events[0]).toMatchObject({ connectionId, eventType: expect.any(String), status: 'processed', verification: 'verified' });
    expect(list.statusCounts).toEqual({ processed: 1 });
    expect('payload' in list.events[0]).toBe(false);
    const detail = await getWebhookEvent(suite.database.db, member, workspaceId, list.events[0].id);
    expect(detail.headers[replayed.signatureHeader]).toBe('[redacted]');
    expect(detail.payload).toEqual(expect.anything());
    await expect(listWebhookEvents(suite.database.db, outsider, workspaceId, { pageSize: 25 })).rejects.toThrow(HttpError);

    await expect(replayWebhookEvent(suite.database.db, member, workspaceId, list.events[0].id)).rejects.toMatchObject({ status: 403 });
    const again = await replayWebhookEvent(suite.database.db, suite.admin, workspaceId, list.events[0].id);
    expect(again).toMatchObject({ status: 'received', replayCount: 1 });
    await expect(replayWebhookEvent(suite.database.db, suite.admin, workspaceId, list.events[0].id)).rejects.toMatchObject({ status: 409 });
    expect(await afterPause(connectionId).then(() => processAllDue(suite.database.db, { connectionId }))).toMatchObject({ processed: 1 });
    expect(await getWebhookEvent(suite.database.db, member, workspaceId, list.events[0].id)).toMatchObject({
      status: 'processed',
      replayCount: 1,
      // A replayed sync request joins the run the first processing queued (no runner here).
      outcome: asksForSync(replayed) ? expect.stringMatching(/^(Queued an incremental sync|Joined the sync already queued)\.$/) : 'Stored the record it carries.',
    });
  });

  it('verifies the per-connection Standard Webhooks endpoint with the connection’s own secret, through a rotation', async () => {
    // Any provider with two resources that sync: event types name them.
    const syncing = exampleProvider({ sync: true, syncResources: 2 });
    const [resourceA, resourceB] = syncing.resources;
    const { workspaceId, connectionId } = await connected(syncing, 10);
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

    expect((await send(first.secret, 'msg_1', { type: `${resourceA}.updated`, data: { id: 7 } })).status).toBe(200);
    expect((await send(first.secret, 'msg_1', { type: `${resourceA}.updated`, data: { id: 7 } })).status).toBe(200);
    expect((await send('whsec_' + crypto.randomBytes(32).toString('base64'), 'msg_2', {})).status).toBe(401);

    const second = await rotateSigningSecret(suite.database.db, suite.admin, workspaceId, connectionId);
    expect(second.previousValidUntil).not.toBeNull();
    // The old secret verifies during the grace period; the new one from now on.
    expect((await send(first.secret, 'msg_3', { type: 'ping' })).status).toBe(200);
    expect((await send(second.secret, 'msg_4', { type: `${resourceB}.created` })).status).toBe(200);

    // A stray U+0000 (which PostgreSQL text cannot hold) is stored as U+FFFD, not a 5xx.
    expect((await send(second.secret, 'msg_5', { type: 'ping', note: 'a\u0000b' })).status).toBe(200);
    const [nul] = (await eventsOf(connectionId)).filter((e) => e.eventId === 'msg_5');
    expect(nul.payload).toEqual({ type: 'ping', note: 'a\uFFFDb' });
    await asService(suite.database.db, (tx) => tx.delete(webhookEvents).where(eq(webhookEvents.id, nul.id)));

    const events = (await eventsOf(connectionId)).filter((e) => e.verification === 'verified');
    expect(events.map((e) => [e.eventId, e.scheme, e.resource, e.duplicateCount]).sort()).toEqual([
      ['msg_1', 'standard-webhooks', resourceA, 1],
      ['msg_3', 'standard-webhooks', null, 0],
      ['msg_4', 'standard-webhooks', resourceB, 0],
    ]);
    const report = await afterPause(connectionId).then(() => processAllDue(suite.database.db, { connectionId }));
    expect(report).toMatchObject({ processed: 3, runsCreated: [expect.any(String)] });
    const [run] = await asService(suite.database.db, (tx) => tx.select().from(syncRuns).where(eq(syncRuns.id, report.runsCreated[0])));
    // Events about two resources and one about everything: one run over every resource.
    expect(run).toMatchObject({ trigger: 'webhook', mode: 'incremental', resource: null });
  });
});
