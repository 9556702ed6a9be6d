// Slack through the app, beyond the contract suite: the Events API endpoint (the url_verification
// challenge is echoed only when signed, the timestamp window, retries deduplicated by event_id,
// message events stored as records without a sync), the two actions through runAction (post with
// write-through, look up by email), and Slack's HTTP-200 refusals read as what they mean.
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { asService } from '@/lib/db/rls';
import { connections, syncedRecords, syncRuns, webhookEvents } from '@/lib/db/schema';
import { loadCredentials } from '@/lib/connections/credential-store';
import { requestSync } from '@/lib/sync/runs';
import { processAllDue } from '@/lib/webhooks/process';
import { actionRunner, connectForActions } from '@/tests/support/actions';
import { providerClientFor } from '@/lib/connections/provider-access';
import { connectAccount, connectViaSandbox } from '@/tests/support/connect';
import { tokenStatus } from '../../server';
import { testEngine } from '@/tests/support/database';
import { runRow } from '@/tests/support/sync';
import { afterDeliveriesPause, connectedAndSynced, deliverFromSandbox, webhookEventsOf, webhookSuite } from '@/tests/support/webhooks';
import { channelId } from './accounts';
import { sign, SIGNING_SECRET } from './webhooks';

const suite = webhookSuite();
const { ok, problem, run } = actionRunner(suite);
const TEAM = 'T0SBXACME01';
const DATASET = { 'slack.users': 12, 'slack.messages': 20 };
const endpoint = () => `${suite.server.url}/api/webhooks/slack`;
const deliver = (request: Record<string, unknown>) => deliverFromSandbox(suite, { provider: 'slack', url: endpoint(), ...request });

const recordsOf = (connectionId: string, resource: string) =>
  asService(suite.database.db, (tx) => tx.select().from(syncedRecords).where(and(eq(syncedRecords.connectionId, connectionId), eq(syncedRecords.resource, resource))));

async function post(body: string, headers: Record<string, string>) {
  return fetch(endpoint(), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
}

describe(`Slack Events API (${testEngine})`, () => {
  it('echoes the url_verification challenge only when the request is signed, and stores nothing for it', async () => {
    const body = JSON.stringify({ token: 'Jhj5dZrVaK7ZwHHjRyZWjbDl', challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P', type: 'url_verification' });
    const signed = await post(body, sign(body, SIGNING_SECRET, Date.now()));
    expect(signed.status).toBe(200);
    expect(await signed.json()).toEqual({ challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' });

    const unsigned = await post(body, {});
    expect(unsigned.status).toBe(401);
    expect(await unsigned.text()).not.toContain('3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P');
    const forged = await post(body, sign(body, 'not-the-signing-secret', Date.now()));
    expect(forged.status).toBe(401);
    const stored = await asService(suite.database.db, (tx) => tx.select().from(webhookEvents).where(eq(webhookEvents.eventType, 'url_verification')));
    expect(stored).toEqual([]);
  });

  it('refuses a delivery signed outside the five-minute window, either way', async () => {
    await connectedAndSynced(suite, 'slack', DATASET);
    const [stale] = (await deliver({ timestampOffsetMs: -5 * 60_000 - 5_000 })).deliveries;
    const [future] = (await deliver({ timestampOffsetMs: 5 * 60_000 + 5_000 })).deliveries;
    const [inside] = (await deliver({ timestampOffsetMs: -4 * 60_000 })).deliveries;
    expect([stale.status, future.status, inside.status]).toEqual([401, 401, 200]);
  });

  it('stores a retried event once (same event_id, X-Slack-Retry-Num), routed by team_id, and applies the message it carries without a sync', async () => {
    const { workspaceId, connectionId } = await connectedAndSynced(suite, 'slack', DATASET);
    const { deliveries, mutation } = await deliver({ mutate: { create: 1 }, repeat: 3 });
    expect(deliveries.map((d) => [d.status, d.body.received, d.body.duplicates])).toEqual([
      [200, 1, 0],
      [200, 0, 1],
      [200, 0, 1],
    ]);
    expect(mutation!.created).toHaveLength(1);
    const events = (await webhookEventsOf(suite, connectionId)).filter((e) => e.verification === 'verified');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ eventType: 'message', accountId: TEAM, scheme: 'slack-v0', resource: 'messages', change: 'upsert' });

    await afterDeliveriesPause(suite, connectionId);
    await processAllDue(suite.database.db, { connectionId });
    const runs = await asService(suite.database.db, (tx) => tx.select().from(syncRuns).where(and(eq(syncRuns.connectionId, connectionId), eq(syncRuns.trigger, 'webhook'))));
    expect(runs).toHaveLength(0);
    const stored = await recordsOf(connectionId, 'messages');
    expect(stored).toHaveLength(DATASET['slack.messages'] + 1);
    // The record the event carried is the one the next sync lists: nothing changes.
    const { runId } = await requestSync(suite.database.db, { workspaceId, connectionId, trigger: 'manual', mode: 'full', resource: 'messages' });
    expect(await suite.runner.runToEnd(runId)).toBe('succeeded');
    expect(await runRow(suite.database.db, runId)).toMatchObject({ recordsCreated: 0, recordsUpdated: 0, recordsDeleted: 0 });
  });

  it('applies an edit and a deletion of a message as they happen', async () => {
    const { connectionId } = await connectedAndSynced(suite, 'slack', DATASET);
    const changed = await deliver({ event: 'message_changed', mutate: { update: 1 } });
    expect(changed.deliveries.map((d) => d.status)).toEqual([200]);
    const removed = (await deliver({ event: 'message_deleted', mutate: { delete: 1 } })) as unknown as { deliveries: { status: number }[]; body: { event: { channel: string; deleted_ts: string } } };
    expect(removed.deliveries.map((d) => d.status)).toEqual([200]);
    await afterDeliveriesPause(suite, connectionId);
    await processAllDue(suite.database.db, { connectionId });
    const deleted = `${removed.body.event.channel}:${removed.body.event.deleted_ts}`;
    const row = (await recordsOf(connectionId, 'messages')).find((r) => r.externalId === deleted);
    expect(row?.deletedAt).not.toBeNull();
    const events = await webhookEventsOf(suite, connectionId);
    expect(events.map((e) => e.eventType).sort()).toEqual(['message.message_changed', 'message.message_deleted']);
  });
});

describe(`Slack actions (${testEngine})`, () => {
  const connect = () => connectForActions(suite, 'Slack actions', (workspaceId) => connectViaSandbox(suite.database.db, suite.admin, workspaceId, 'slack'));

  it('messages.send posts to the channel (in a thread with threadId), escaping Slack’s control characters, and writes the message through', async () => {
    suite.sandbox.setKnobs({ dataset: DATASET });
    const connection = await connect();
    const channel = channelId(TEAM, 0);
    const sent = await ok(connection, 'messages.send', { to: [channel], text: 'Deploy <!channel> & <@U123> done > 1 <script>' }, 'slack-send-1');
    expect(sent.resource).toBe('messages');
    expect(sent.message).toMatchObject({ channel: 'chat', conversationExternalId: channel, fromAddress: 'U0SBXBOTA01' });
    // Slack gets &, <, > as entities: no mention or markup can be smuggled in.
    expect(sent.message.text).toBe('Deploy &lt;!channel&gt; &amp; &lt;@U123&gt; done &gt; 1 &lt;script&gt;');
    const stored = await recordsOf(connection.connectionId, 'messages');
    expect(stored.map((r) => r.externalId)).toContain(`${channel}:${sent.message.externalId}`);

    const reply = await ok(connection, 'messages.send', { to: [channel], text: 'In the thread', threadId: sent.message.externalId }, 'slack-send-2');
    expect(reply.message.threadExternalId).toBe(sent.message.externalId);
    // History lists no thread replies, so the reply is not written through (a full sync would drop it).
    expect((await recordsOf(connection.connectionId, 'messages')).map((r) => r.externalId)).not.toContain(`${channel}:${reply.message.externalId}`);

    await problem(connection, 'messages.send', { to: [channelId(TEAM, 4)], text: 'Not a member' }, 'slack-send-3', 'conflict');
    await problem(connection, 'messages.send', { to: ['C0NOPE'], text: 'Nowhere' }, 'slack-send-4', 'not_found');
    await problem(connection, 'messages.send', { to: [channel, channelId(TEAM, 1)], text: 'Two' }, 'slack-send-5', 'validation_failed');
  });

  it('contacts.lookup finds a user by email, and answers none for an unknown address', async () => {
    suite.sandbox.setKnobs({ dataset: DATASET });
    const connection = await connect();
    const token = (await asService(suite.database.db, (tx) => loadCredentials(tx, connection.connectionId)))!.tokens.accessToken;
    const users = (await (await fetch(`${suite.sandbox.url}/slack.com/api/users.list?limit=5`, { headers: { authorization: `Bearer ${token}` } })).json()) as { members: { id: string; profile: { email: string } }[] };
    const wanted = users.members[2];
    const found = await ok(connection, 'contacts.lookup', { email: wanted.profile.email.toUpperCase() });
    expect(found.contacts).toHaveLength(1);
    expect(found.contacts[0]).toMatchObject({ resource: 'users', contact: { externalId: wanted.id, email: wanted.profile.email } });
    expect((await ok(connection, 'contacts.lookup', { email: 'nobody@example.com' })).contacts).toEqual([]);
    await problem(connection, 'contacts.lookup', { phone: '+447700900123' }, undefined, 'validation_failed');
  });

  it('refreshes a rotating token (12 h) for a new pair, and keeps a non-rotating one as it is', async () => {
    suite.sandbox.setKnobs({ dataset: DATASET });
    const rotating = await connect();
    const before = (await asService(suite.database.db, (tx) => loadCredentials(tx, rotating.connectionId)))!;
    expect(before.tokens.refreshToken).toEqual(expect.any(String));
    expect(Date.parse(before.tokens.expiresAt!) - Date.now()).toBeGreaterThan(11 * 3600_000);
    // Past its expiry the next call refreshes first; the old refresh token is spent.
    const client = await providerClientFor(suite.database.db, rotating.connectionId, { now: new Date(Date.parse(before.tokens.expiresAt!) + 1000) });
    const after = (await asService(suite.database.db, (tx) => loadCredentials(tx, rotating.connectionId)))!;
    expect(client.tokens.accessToken).toBe(after.tokens.accessToken);
    expect(after.tokens.accessToken).not.toBe(before.tokens.accessToken);
    expect(after.tokens.refreshToken).not.toBe(before.tokens.refreshToken);
    expect(tokenStatus(suite.sandbox, before.tokens.refreshToken!)).toBe('revoked');
    expect(after.tokens.extra).toMatchObject({ team_id: TEAM });

    // The second workspace has rotation off: a bot token with no expiry and no refresh token.
    const plain = await connectForActions(suite, 'Slack without rotation', (workspaceId) => connectAccount(suite.database.db, suite.admin, workspaceId, 'slack', 'T0SBXGLOBX2'));
    const stored = (await asService(suite.database.db, (tx) => loadCredentials(tx, plain.connectionId)))!;
    expect(stored.tokens.refreshToken).toBeUndefined();
    expect(stored.tokens.expiresAt).toBeUndefined();
  });

  it('reads Slack’s HTTP-200 refusals: a revoked token means the connection needs reauthorizing', async () => {
    suite.sandbox.setKnobs({ dataset: DATASET });
    const connection = await connect();
    const token = (await asService(suite.database.db, (tx) => loadCredentials(tx, connection.connectionId)))!.tokens.accessToken;
    const revoked = await fetch(`${suite.sandbox.url}/slack.com/api/auth.revoke`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(await revoked.json()).toEqual({ ok: true, revoked: true });
    const answer = await run(connection, 'contacts.lookup', { email: 'someone@example.com' });
    expect(answer.ok).toBe(false);
    const [row] = await asService(suite.database.db, (tx) => tx.select().from(connections).where(eq(connections.id, connection.connectionId)));
    expect(row.status).toBe('needs_reauth');
  });
});
