// Telegram webhook updates from the sandbox: an Update { update_id, message | edited_message |
// channel_post } posted to the URL the bot's setWebhook named, with the secret token it set in
// X-Telegram-Bot-Api-Secret-Token (https://core.telegram.org/bots/api#setwebhook, #update).
import crypto from 'node:crypto';
import { z } from 'zod';
import { defineDeliverer, type SandboxWebhooks } from '../../provider';
import type { SandboxState } from '../../state';
import { deliveryCommon, post, tamperDelivery, type Answer, type SignedDelivery } from '../../webhook-delivery';
import { chatsOf, PROFILE, type TelegramBot } from './accounts';
import { bookOf, nextMessageId, nextUpdateId, type SentMessage } from './api';

export const SECRET_HEADER = 'X-Telegram-Bot-Api-Secret-Token';

type Kind = 'message' | 'edited_message' | 'channel_post';
const PEOPLE = [
  { id: 5_100_000_101, is_bot: false, first_name: 'Ada', last_name: 'Lovelace', username: 'ada_l', language_code: 'en' },
  { id: 5_100_000_102, is_bot: false, first_name: 'Grace', last_name: 'Hopper', username: 'grace_h', language_code: 'en' },
];

/** An update carrying one new (or edited) message in one of the bot's chats. */
export function updateBody(state: SandboxState, bot: TelegramBot, kind: Kind, text: string, chatKind: 'private' | 'group' | 'channel' = kind === 'channel_post' ? 'channel' : 'group'): string {
  const chats = chatsOf(bot);
  const chat = chatKind === 'private' ? chats[0] : chatKind === 'channel' ? chats[2] : chats[1];
  const book = bookOf(state);
  const now = Math.floor(Date.now() / 1000);
  let message: SentMessage & Record<string, unknown>;
  const earlier = [...book.messages.values()].filter((m) => m.chat.id === chat.id).at(-1);
  if (kind === 'edited_message' && earlier) message = { ...earlier, text, edit_date: now };
  else {
    message = {
      message_id: nextMessageId(state, chat.id),
      date: now,
      chat,
      ...(chat.type === 'channel' ? { sender_chat: chat } : { from: PEOPLE[chat.type === 'private' ? 0 : 1] }),
      text,
    };
  }
  book.messages.set(`${chat.id}:${message.message_id}`, message);
  return JSON.stringify({ update_id: nextUpdateId(state, bot), [kind]: message });
}

/** The webhook URL the app set, moved onto `url` when given (keeping its query: the channel). */
function target(hookUrl: string, url: string | undefined): string {
  if (!url) return hookUrl;
  const moved = new URL(url);
  new URL(hookUrl).searchParams.forEach((value, name) => moved.searchParams.set(name, value));
  return moved.toString();
}

const deliverSchema = z.object({
  provider: z.literal(PROFILE.id),
  url: z.string().url().optional(),
  ...deliveryCommon,
  kind: z.enum(['message', 'edited_message', 'channel_post']).default('message'),
  chat: z.enum(['private', 'group', 'channel']).optional(),
  text: z.string().min(1).max(4096).default('Hello from the sandbox'),
});

export const webhooks: SandboxWebhooks<TelegramBot> = {
  signatureHeader: SECRET_HEADER,
  /** A message update to the bot's webhook (the one the app set), or to `url` naming a made-up channel. */
  sample(state, { url, account = PROFILE.accounts[0], secret }) {
    const hook = bookOf(state).webhooks.get(account.id);
    const body = updateBody(state, account, 'message', 'Sample update');
    const token = secret ?? hook?.secretToken ?? crypto.randomBytes(32).toString('base64url');
    const address = hook ? target(hook.url, url) : url && withMadeUpChannel(url);
    return { url: address, headers: { [SECRET_HEADER]: token }, body, signatureHeader: SECRET_HEADER };
  },
  deliver: defineDeliverer(deliverSchema, async ({ state }, request) => {
    const bot = PROFILE.accounts.find((a) => a.id === request.account) ?? PROFILE.accounts[0];
    const hook = bookOf(state).webhooks.get(bot.id);
    if (!hook) return { deliveries: [], body: { error: 'the bot has no webhook set' } };
    const body = updateBody(state, bot, request.kind, request.text, request.chat);
    const deliveries: Answer[] = [];
    // Telegram retries an update that was not acknowledged with the same update_id.
    for (let attempt = 0; attempt < request.repeat; attempt++) {
      const signed: SignedDelivery = { url: target(hook.url, request.url), headers: { [SECRET_HEADER]: request.secret ?? hook.secretToken ?? '' }, body, signatureHeader: SECRET_HEADER };
      const sent = tamperDelivery(signed, request.tamper);
      deliveries.push(await post(sent.url, { 'content-type': 'application/json', ...sent.headers }, sent.body));
    }
    return { deliveries, body: JSON.parse(body) };
  }),
  control: {
    'telegram-webhooks': (state) => [...bookOf(state).webhooks.entries()].map(([bot, hook]) => ({ bot, url: hook.url, hasSecretToken: Boolean(hook.secretToken), allowedUpdates: hook.allowedUpdates })),
  },
};

function withMadeUpChannel(url: string): string {
  const made = new URL(url);
  made.searchParams.set('channel', crypto.randomUUID());
  return made.toString();
}
