// Telegram webhook updates, as a push channel per connection (lib/webhooks/channels.ts keeps the
// books): on connect the app calls setWebhook with the channel's address (naming the channel in
// ?channel=, since Telegram echoes no id of ours) and the channel token as `secret_token` (1–256
// of A-Za-z0-9_-; the token is 43 base64url characters), which Telegram sends back in
// X-Telegram-Bot-Api-Secret-Token on every update; it is compared in constant time. A bot has one
// webhook, so disconnecting calls deleteWebhook — only while the webhook is still ours.
// https://core.telegram.org/bots/api#setwebhook, #deletewebhook, #getwebhookinfo, #update
//
// Telegram keeps no history a bot can list (getUpdates is the only other way, and it is refused
// while a webhook is set), so updates are the records: each message, edited_message, channel_post
// or edited_channel_post is stored as a message, and its chat as a chat.
import { z } from 'zod';
import type { DeliveryInput, ParsedDelivery } from '@/lib/webhooks/types';
import { equalDigests, fail, OK, sha256, utf8, type SignatureCheck } from '@/lib/webhooks/verify';
import type { ProviderWebhooks } from '../types';
import { messageId, telegram, telegramChat, telegramMessage } from './api';

export const SECRET_TOKEN_HEADER = 'x-telegram-bot-api-secret-token';
export const UPDATE_KINDS = ['message', 'edited_message', 'channel_post', 'edited_channel_post'] as const;
/** setWebhook never expires; replacing it yearly rotates the secret token. */
const WEBHOOK_HORIZON_MS = 365 * 24 * 60 * 60 * 1000;

/** X-Telegram-Bot-Api-Secret-Token must equal the channel's token; hashed first so lengths never leak. */
export const telegramSecretToken: SignatureCheck = ({ headers, secret }) => {
  const received = headers.get(SECRET_TOKEN_HEADER);
  if (received === null) return fail('missing X-Telegram-Bot-Api-Secret-Token header');
  return equalDigests(sha256(utf8(secret)), sha256(utf8(received))) ? OK : fail('X-Telegram-Bot-Api-Secret-Token does not match the webhook’s secret token');
};

const update = z
  .object({
    update_id: z.number().int().nonnegative(),
    message: telegramMessage.optional(),
    edited_message: telegramMessage.optional(),
    channel_post: telegramMessage.optional(),
    edited_channel_post: telegramMessage.optional(),
  })
  .passthrough();
/** The stored payload of an update's chat event (see payloadsOf). */
const chatPart = z.object({ update_id: z.number().int().nonnegative(), chat: telegramChat }).strict();

function chatEvent(updateId: number, chat: z.infer<typeof telegramChat>, occurredAt: string | null): ParsedDelivery {
  return {
    eventId: `${updateId}:chat`,
    eventType: 'chat',
    accountId: '',
    resource: 'chats',
    change: { kind: 'upsert', record: { externalId: String(chat.id), data: chat } },
    occurredAt,
  };
}

export function parseUpdate({ body }: DeliveryInput): ParsedDelivery[] {
  const part = chatPart.safeParse(body);
  if (part.success) return [chatEvent(part.data.update_id, part.data.chat, null)];
  const parsed = update.parse(body);
  const kind = UPDATE_KINDS.find((name) => parsed[name] !== undefined);
  if (!kind) {
    // Another kind of update (a callback query, a membership change): recorded, nothing stored.
    const other = Object.keys(parsed).find((key) => key !== 'update_id') ?? 'update';
    return [{ eventId: String(parsed.update_id), eventType: other.slice(0, 100), accountId: '', resource: null, change: { kind: 'none' }, occurredAt: null }];
  }
  const message = parsed[kind]!;
  const edited = typeof message.edit_date === 'number' ? message.edit_date : null;
  const occurredAt = new Date((edited ?? message.date) * 1000).toISOString();
  return [
    {
      eventId: String(parsed.update_id),
      eventType: kind,
      accountId: '',
      resource: 'messages',
      change: { kind: 'upsert', record: { externalId: messageId(message), data: message } },
      occurredAt,
    },
    chatEvent(parsed.update_id, message.chat, occurredAt),
  ];
}

const webhookInfo = z.object({ url: z.string() }).passthrough();

export const telegramWebhooks: ProviderWebhooks = {
  scheme: 'telegram-secret-token',
  schemeLabel: 'Telegram webhook secret token',
  note: 'A webhook per bot, set on connect with a secret token checked on every update. Telegram keeps no history a bot can read: messages are stored as updates arrive, and a sync has nothing to fetch (Test connection confirms the bot).',
  setup:
    'Nothing to do: on connect the app calls setWebhook with its own secret token, and deleteWebhook on disconnect. Telegram only posts to public HTTPS URLs (ports 443, 80, 88, 8443), so set PUBLIC_APP_URL. Add the bot to a group or channel, or message it, for updates to arrive; in groups, privacy mode limits it to commands and replies unless you turn it off in @BotFather.',
  deliveries: {
    kind: 'channel',
    verify: telegramSecretToken,
    channelIdOf: (_headers, url) => url.searchParams.get('channel')?.trim() || null,
    resource: 'messages',
    // One webhook per bot; the bot's id is the part of its token before the colon (no getMe needed).
    targets: async (client) => [client.tokens.accessToken.split(':')[0]],
    async open(client, channel) {
      const url = new URL(channel.address);
      url.searchParams.set('channel', channel.id);
      await telegram(client, 'setWebhook', { url: url.toString(), secret_token: channel.token, allowed_updates: UPDATE_KINDS });
      return { resourceId: channel.target, expiresAt: new Date(Date.now() + WEBHOOK_HORIZON_MS) };
    },
    async stop(client, channel) {
      // A newer channel (a replacement) may already own the bot's one webhook: leave that one alone.
      const info = webhookInfo.parse(await telegram(client, 'getWebhookInfo'));
      const current = info.url ? new URL(info.url).searchParams.get('channel') : null;
      if (current !== channel.id) return;
      await telegram(client, 'deleteWebhook', { drop_pending_updates: false });
    },
    storedPayload: (_headers, body) => body,
  },
  parse: parseUpdate,
  // Each event keeps the part of the update it reads back: the message's the whole update, the chat's only the chat.
  payloadsOf: (body, events) => events.map((event) => (event.resource === 'chats' && event.change.kind === 'upsert' ? { update_id: (body as { update_id: number }).update_id, chat: event.change.record.data } : body)),
};
