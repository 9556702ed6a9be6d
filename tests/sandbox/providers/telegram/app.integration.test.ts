// Telegram through the app: connecting with a bot token sets the bot's webhook (our address naming
// the channel, a random secret token stored only encrypted), updates carrying that token are stored
// and become message and chat records mapped onto Message, a wrong or missing token is refused,
// disconnecting deletes the webhook; and messages.send through runAction sends HTML-escaped text
// (hostile text arrives exactly as written), replies with threadId, and answers Telegram's
// one-message-a-second limit with its retry_after.
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { disconnectConnection } from '@/lib/connections/connections';
import { asService } from '@/lib/db/rls';
import { syncedRecords } from '@/lib/db/schema';
import { channelWithToken } from '@/lib/webhooks/channels';
import { processAllDue } from '@/lib/webhooks/process';
import { actionRunner, connectForActions } from '@/tests/support/actions';
import { connectAccount } from '@/tests/support/connect';
import { testEngine } from '@/tests/support/database';
import { afterDeliveriesPause, channelSuite, deliverFromSandbox, webhookChannelsOf, webhookEventsOf } from '@/tests/support/webhooks';
import { chatsOf, PROFILE } from './accounts';

const suite = channelSuite();
const { ok, problem, run } = actionRunner(suite);
const BOT = PROFILE.accounts[0];
const [PRIVATE, GROUP] = chatsOf(BOT);

const hooks = async (): Promise<{ bot: string; url: string; hasSecretToken: boolean; allowedUpdates: string[] }[]> =>
  (await fetch(`${suite.sandbox.url}/_sandbox/webhooks/telegram-webhooks`)).json();
const deliver = async (request: Record<string, unknown>) => (await deliverFromSandbox(suite, { provider: 'telegram', ...request })).deliveries;
const recordsOf = (connectionId: string, resource: string) =>
  asService(suite.database.db, (tx) => tx.select().from(syncedRecords).where(and(eq(syncedRecords.connectionId, connectionId), eq(syncedRecords.resource, resource))));
const connect = (name: string) => connectForActions(suite, name, (workspaceId) => connectAccount(suite.database.db, suite.admin, workspaceId, 'telegram'));

describe(`Telegram webhook (${testEngine})`, () => {
  it('is set on connect with a secret token, stores verified updates as records, refuses wrong tokens, and is deleted on disconnect', async () => {
    const { workspaceId, connectionId } = await connect('Telegram webhook');
    const [channel] = await webhookChannelsOf(suite, connectionId);
    expect(channel).toMatchObject({ status: 'active', provider: 'telegram', target: BOT.id, resourceId: BOT.id });
    const [hook] = (await hooks()).filter((h) => h.bot === BOT.id);
    expect(hook).toMatchObject({ url: `${suite.server.url}/api/webhooks/telegram?channel=${channel.id}`, hasSecretToken: true, allowedUpdates: ['message', 'edited_message', 'channel_post', 'edited_channel_post'] });
    const { token } = (await channelWithToken(suite.database.db, channel.id))!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{1,256}$/);
    expect(channel.tokenEnvelope).not.toContain(token);

    // Two updates (one retried: same update_id) and an edit.
    expect((await deliver({ text: 'Hello <team> & all', repeat: 2 })).map((d) => [d.status, d.body.duplicates])).toEqual([
      [200, 0],
      [200, 2],
    ]);
    expect((await deliver({ kind: 'edited_message', text: 'Hello everyone' })).map((d) => d.status)).toEqual([200]);
    expect((await deliver({ kind: 'channel_post', text: 'News' })).map((d) => d.status)).toEqual([200]);
    const verified = (await webhookEventsOf(suite, connectionId)).filter((e) => e.verification === 'verified');
    expect(verified.map((e) => e.eventType).sort()).toEqual(['channel_post', 'chat', 'chat', 'chat', 'edited_message', 'message']);

    // Wrong and missing tokens are refused and store nothing of the update.
    expect((await deliver({ secret: 'not-the-token' })).map((d) => d.status)).toEqual([401]);
    const missing = await fetch(hook.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ update_id: 1, message: { message_id: 1, date: 1, chat: GROUP, text: 'x' } }) });
    expect(missing.status).toBe(401);
    const rejected = (await webhookEventsOf(suite, connectionId)).filter((e) => e.verification === 'failed');
    expect(rejected.length).toBeGreaterThan(0);
    expect(JSON.stringify(rejected)).not.toContain(token);

    await afterDeliveriesPause(suite, connectionId);
    await processAllDue(suite.database.db, { connectionId });
    const messages = await recordsOf(connectionId, 'messages');
    expect(messages).toHaveLength(2);
    const edited = messages.find((m) => (m.raw as { chat: { id: number } }).chat.id === GROUP.id)!;
    expect(edited.mapped).toMatchObject({ channel: 'chat', text: 'Hello everyone', conversation: GROUP.title, conversationExternalId: String(GROUP.id) });
    expect((await recordsOf(connectionId, 'chats')).map((c) => c.externalId).sort()).toEqual([String(chatsOf(BOT)[2].id), String(GROUP.id)].sort());

    await disconnectConnection(suite.database.db, suite.admin, workspaceId, connectionId);
    expect((await webhookChannelsOf(suite, connectionId)).every((c) => c.status === 'stopped')).toBe(true);
    expect((await hooks()).filter((h) => h.bot === BOT.id)).toEqual([]);
  });
});

describe(`Telegram messages.send (${testEngine})`, () => {
  it('sends HTML-escaped text that arrives exactly as written, replies with threadId, and writes the message through', async () => {
    const connection = await connect('Telegram send');
    const hostile = '<b>not bold</b> & <a href="https://evil.example">x</a> </pre> 1 < 2 > 0 &amp;';
    const sent = await ok(connection, 'messages.send', { to: [String(PRIVATE.id)], text: hostile }, 'tg-send-1');
    expect(sent.message).toMatchObject({ channel: 'chat', text: hostile, conversationExternalId: String(PRIVATE.id), fromAddress: BOT.username });
    const records = await recordsOf(connection.connectionId, 'messages');
    expect(records.map((r) => r.externalId)).toEqual([`${PRIVATE.id}:${sent.message.externalId}`]);

    // Someone writes in the group; the bot replies to that message.
    const incoming = (await deliverFromSandbox(suite, { provider: 'telegram', chat: 'group', text: 'Who is on call?' })) as unknown as { body: { message: { message_id: number } } };
    const asked = String(incoming.body.message.message_id);
    const reply = await ok(connection, 'messages.send', { to: [String(GROUP.id)], text: 'I am', threadId: asked }, 'tg-send-2');
    expect(reply.message).toMatchObject({ threadExternalId: asked, text: 'I am' });
    // Telegram holds a chat to about a message a second: the next one at once is refused with its wait.
    const limited = await run(connection, 'messages.send', { to: [String(GROUP.id)], text: 'too soon' }, 'tg-send-3');
    expect(limited.ok).toBe(false);
    expect(limited.body).toMatchObject({ code: 'provider_rate_limited', retryAfterSeconds: 1 });
  });

  it('refuses an unknown chat, several recipients and a non-numeric threadId', async () => {
    const connection = await connect('Telegram refusals');
    await problem(connection, 'messages.send', { to: ['-1009999'], text: 'x' }, 'tg-bad-1', 'not_found');
    await problem(connection, 'messages.send', { to: [String(PRIVATE.id), String(GROUP.id)], text: 'x' }, 'tg-bad-2', 'validation_failed');
    await problem(connection, 'messages.send', { to: [String(PRIVATE.id)], text: 'x', threadId: 'abc' }, 'tg-bad-3', 'validation_failed');
    await problem(connection, 'messages.send', { to: [String(PRIVATE.id)], text: 'x', threadId: '999999' }, 'tg-bad-4', 'not_found');
  });
});
