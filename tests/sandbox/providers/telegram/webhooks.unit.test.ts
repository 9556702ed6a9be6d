// Telegram's webhook secret token check, its update parser and the HTML escaping of sent text.
// Telegram publishes no test vector: the secret token is a shared value compared for equality
// (https://core.telegram.org/bots/api#setwebhook: "X-Telegram-Bot-Api-Secret-Token" carries the
// secret_token given to setWebhook, 1–256 of A-Za-z0-9_-).
import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { escapeTelegramHtml, retryAfterOf, describeTelegramError } from '@/lib/providers/telegram/api';
import { parseUpdate, telegramSecretToken, telegramWebhooks } from '@/lib/providers/telegram/webhooks';
import { catalogEntry } from '@/lib/providers/catalog';
import { findProvider } from '@/lib/providers/registry';
import { ANY_TIME, expectRejected, expectRobust, expectVerified } from '@/tests/support/webhook-checks';
import { parseHtml } from './api';

const TOKEN = 'Zq3_x-Yk9vLw0aB1cD2eF3gH4iJ5kL6mN7oP8qR9sT0';
const input = (headers: Record<string, string>) => ({ rawBody: '{"update_id":1}', headers, secret: TOKEN, now: ANY_TIME });

describe('X-Telegram-Bot-Api-Secret-Token', () => {
  it('accepts the webhook’s own token', () => {
    expectVerified(telegramSecretToken, input({ 'X-Telegram-Bot-Api-Secret-Token': TOKEN }));
  });

  it('refuses a wrong, shorter, longer, differently cased or missing token', () => {
    expectRejected(telegramSecretToken, input({ 'X-Telegram-Bot-Api-Secret-Token': TOKEN.replace('Z', 'A') }), /does not match/);
    expectRejected(telegramSecretToken, input({ 'X-Telegram-Bot-Api-Secret-Token': TOKEN.slice(0, -1) }), /does not match/);
    expectRejected(telegramSecretToken, input({ 'X-Telegram-Bot-Api-Secret-Token': `${TOKEN}0` }), /does not match/);
    expectRejected(telegramSecretToken, input({ 'X-Telegram-Bot-Api-Secret-Token': TOKEN.toLowerCase() }), /does not match/);
    expectRejected(telegramSecretToken, input({ 'X-Telegram-Bot-Api-Secret-Token': '' }), /does not match/);
    expectRejected(telegramSecretToken, input({}), /missing X-Telegram-Bot-Api-Secret-Token/);
  });

  it('never throws or verifies on garbage', () => {
    expectRobust([telegramSecretToken]);
  });
});

describe('Telegram updates', () => {
  const chat = { id: -1001000000001, type: 'supergroup', title: 'Team' };
  const message = { message_id: 7, date: 1_700_000_000, chat, from: { id: 5, is_bot: false, first_name: 'Ada' }, text: 'hi' };

  it('stores a message and its chat from one update, each with its own event id', () => {
    const events = parseUpdate({ body: { update_id: 42, message }, headers: new Headers() });
    expect(events).toEqual([
      { eventId: '42', eventType: 'message', accountId: '', resource: 'messages', change: { kind: 'upsert', record: { externalId: '-1001000000001:7', data: message } }, occurredAt: '2023-11-14T22:13:20.000Z' },
      { eventId: '42:chat', eventType: 'chat', accountId: '', resource: 'chats', change: { kind: 'upsert', record: { externalId: '-1001000000001', data: chat } }, occurredAt: '2023-11-14T22:13:20.000Z' },
    ]);
    // Each event's stored payload reads back as that event.
    const payloads = telegramWebhooks.payloadsOf!({ update_id: 42, message }, events);
    expect(payloads.map((payload) => parseUpdate({ body: payload, headers: new Headers() })[0].eventId)).toEqual(['42', '42:chat']);
  });

  it('reads edits and channel posts, and records other updates without storing anything', () => {
    const edited = parseUpdate({ body: { update_id: 43, edited_message: { ...message, text: 'hi!', edit_date: 1_700_000_060 } }, headers: new Headers() });
    expect(edited[0]).toMatchObject({ eventType: 'edited_message', occurredAt: '2023-11-14T22:14:20.000Z', change: { kind: 'upsert', record: { externalId: '-1001000000001:7' } } });
    expect(parseUpdate({ body: { update_id: 44, channel_post: { ...message, chat: { id: -1002, type: 'channel' } } }, headers: new Headers() })[0]).toMatchObject({ eventType: 'channel_post', resource: 'messages' });
    expect(parseUpdate({ body: { update_id: 45, callback_query: { id: 'q' } }, headers: new Headers() })).toEqual([
      { eventId: '45', eventType: 'callback_query', accountId: '', resource: null, change: { kind: 'none' }, occurredAt: null },
    ]);
    expect(() => parseUpdate({ body: { message }, headers: new Headers() })).toThrow(ZodError);
  });
});

describe('HTML escaping for sendMessage', () => {
  const hostile = [
    '<b>bold</b> & <a href="https://evil.example">click</a>',
    '</pre><script>alert(1)</script>',
    'a < b > c && d &amp; &lt;',
    '&#x3C;i&#x3E; <tg-spoiler> <br/> <',
    'plain text, ünïcödé and emoji 🎉',
  ];

  it('makes any text arrive exactly as written: Telegram’s HTML parser reads the escaped text back to the original', () => {
    for (const text of hostile) {
      const escaped = escapeTelegramHtml(text);
      expect(escaped).not.toMatch(/<|>/);
      expect(parseHtml(escaped)).toEqual({ ok: true, text });
    }
  });

  it('would be refused (or turned into markup) unescaped', () => {
    expect(parseHtml('a < b').ok).toBe(false);
    expect(parseHtml('Tom & Jerry').ok).toBe(false);
    expect(parseHtml('<b>bold</b>')).toEqual({ ok: true, text: 'bold' });
  });

  it('reads the wait out of a 429', () => {
    expect(describeTelegramError({ ok: false, error_code: 429, description: 'Too Many Requests: retry after 3', parameters: { retry_after: 3 } })).toBe('Too Many Requests: retry after 3');
    expect(describeTelegramError({ ok: false, error_code: 429, description: 'Too Many Requests', parameters: { retry_after: 9 } })).toBe('Too Many Requests (retry after 9)');
    expect(retryAfterOf('Too Many Requests (retry after 9)')).toBe(9);
  });
});

describe('Telegram on the catalog card', () => {
  it('promises no sync, and says which records arrive by webhook', () => {
    const entry = catalogEntry(findProvider('telegram')!);
    expect(entry.syncs).toEqual([]);
    expect(entry.received).toEqual([
      { id: 'messages', label: 'Messages' },
      { id: 'chats', label: 'Chats' },
    ]);
    expect(entry.authKind).toBe('api_key');
    expect(entry.apiKeyFields.map((f) => [f.name, f.secret])).toEqual([['botToken', true]]);
    // Slack syncs everything it stores.
    expect(catalogEntry(findProvider('slack')!).received).toEqual([]);
  });
});
