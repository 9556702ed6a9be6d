// The Bot API in the sandbox (https://core.telegram.org/bots/api): https://api.telegram.org/bot<token>/<method>,
// GET or POST with a JSON body, answering { ok: true, result } or { ok: false, error_code,
// description, parameters } with HTTP status = error_code. Methods: getMe (the identity check),
// setWebhook (secret_token 1–256 of A-Za-z0-9_-), getWebhookInfo, deleteWebhook, getUpdates
// (refused with 409 while a webhook is set) and sendMessage: parse_mode HTML refuses text whose
// <, > or & are not markup or entities ("can't parse entities"), answers the text as the recipient
// sees it, and holds each chat to about one message a second (429 with parameters.retry_after).
import { json, readJson, type Reply, type RequestContext, type Route } from '../../http';
import type { SandboxState } from '../../state';
import { botByToken, chatsOf, HOST, PROFILE, type TelegramBot, type TelegramChat } from './accounts';

export const PROVIDER = PROFILE.id;

export const refusal = (code: number, description: string, parameters?: Record<string, unknown>): Reply =>
  json(code, { ok: false, error_code: code, description, ...(parameters ? { parameters } : {}) });
const ok = (result: unknown): Reply => json(200, { ok: true, result });

export interface Webhook {
  url: string;
  secretToken: string | undefined;
  allowedUpdates: string[];
  setAt: number;
}

export interface SentMessage {
  message_id: number;
  date: number;
  chat: TelegramChat;
  from?: Record<string, unknown>;
  text: string;
  reply_to_message?: Record<string, unknown>;
}

interface Book {
  generation: object;
  webhooks: Map<string, Webhook>;
  nextUpdateId: Map<string, number>;
  nextMessageId: Map<number, number>;
  lastSend: Map<number, number>;
  messages: Map<string, SentMessage>;
}
const BOOKS = new WeakMap<SandboxState, Book>();

export function bookOf(state: SandboxState): Book {
  let book = BOOKS.get(state);
  if (!book || book.generation !== state.stats) {
    book = { generation: state.stats, webhooks: new Map(), nextUpdateId: new Map(), nextMessageId: new Map(), lastSend: new Map(), messages: new Map() };
    BOOKS.set(state, book);
  }
  return book;
}

export function nextUpdateId(state: SandboxState, bot: TelegramBot): number {
  const book = bookOf(state);
  const id = book.nextUpdateId.get(bot.id) ?? 870_000_000 + Number(bot.id.slice(-2)) * 1_000_000;
  book.nextUpdateId.set(bot.id, id + 1);
  return id;
}

export function nextMessageId(state: SandboxState, chat: number): number {
  const book = bookOf(state);
  const id = (book.nextMessageId.get(chat) ?? 100) + 1;
  book.nextMessageId.set(chat, id);
  return id;
}

export const botUser = (bot: TelegramBot) => ({ id: Number(bot.id), is_bot: true, first_name: bot.firstName, username: bot.username });

const SECRET_TOKEN = /^[A-Za-z0-9_-]{1,256}$/;
const TAGS = /^<\/?(b|strong|i|em|u|ins|s|strike|del|code|pre|blockquote|tg-spoiler|span|a|tg-emoji)(\s[^<>]*)?>/i;
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

/** Telegram's HTML parse mode: the text as the recipient sees it, or why it cannot be parsed. */
export function parseHtml(text: string): { ok: true; text: string } | { ok: false; reason: string } {
  let out = '';
  for (let i = 0; i < text.length; ) {
    const c = text[i];
    if (c === '<') {
      const tag = TAGS.exec(text.slice(i));
      if (!tag) return { ok: false, reason: `Bad Request: can't parse entities: Unsupported start tag at byte offset ${i}` };
      i += tag[0].length;
    } else if (c === '>') {
      return { ok: false, reason: `Bad Request: can't parse entities: Unexpected end tag at byte offset ${i}` };
    } else if (c === '&') {
      const entity = /^&(lt|gt|amp|quot|#\d{1,7}|#x[0-9a-f]{1,6});/i.exec(text.slice(i));
      if (!entity) return { ok: false, reason: `Bad Request: can't parse entities: Character entity expected at byte offset ${i}` };
      const name = entity[1].toLowerCase();
      out += ENTITIES[name] ?? String.fromCodePoint(name.startsWith('#x') ? parseInt(name.slice(2), 16) : Number(name.slice(1)));
      i += entity[0].length;
    } else {
      out += c;
      i += 1;
    }
  }
  return { ok: true, text: out };
}

function params(ctx: RequestContext): Record<string, unknown> | null {
  if (ctx.method === 'GET') return Object.fromEntries(ctx.query);
  if (ctx.body.length === 0) return {};
  const body = readJson(ctx);
  return body.ok ? body.value : null;
}

function setWebhook(ctx: RequestContext, bot: TelegramBot, p: Record<string, unknown>): Reply {
  ctx.state.countDataRequest(`${PROVIDER}.webhook`);
  const url = typeof p.url === 'string' ? p.url : '';
  if (url === '') {
    bookOf(ctx.state).webhooks.delete(bot.id);
    return ok(true);
  }
  try {
    const parsed = new URL(url);
    // Real Telegram takes HTTPS only (ports 443, 80, 88, 8443); the sandbox posts to local http too.
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return refusal(400, 'Bad Request: bad webhook: An HTTPS URL must be provided for webhook');
  } catch {
    return refusal(400, 'Bad Request: bad webhook: Failed to resolve host: Name or service not known');
  }
  const secret = p.secret_token;
  if (secret !== undefined && (typeof secret !== 'string' || !SECRET_TOKEN.test(secret))) {
    return refusal(400, 'Bad Request: bad webhook: Secret token contains unallowed characters');
  }
  const allowed = Array.isArray(p.allowed_updates) ? p.allowed_updates.map(String) : [];
  bookOf(ctx.state).webhooks.set(bot.id, { url, secretToken: secret as string | undefined, allowedUpdates: allowed, setAt: Date.now() });
  return ok(true);
}

function sendMessage(ctx: RequestContext, bot: TelegramBot, p: Record<string, unknown>): Reply {
  ctx.state.countDataRequest(`${PROVIDER}.sendMessage`);
  const chat = chatsOf(bot).find((c) => String(c.id) === String(p.chat_id) || ('username' in c && `@${c.username}` === p.chat_id));
  if (!chat) return refusal(400, 'Bad Request: chat not found');
  if (typeof p.text !== 'string' || p.text.length === 0) return refusal(400, 'Bad Request: message text is empty');
  let text = p.text;
  if (p.parse_mode === 'HTML') {
    const parsed = parseHtml(p.text);
    if (!parsed.ok) return refusal(400, parsed.reason);
    text = parsed.text;
  }
  if (text.length > 4096) return refusal(400, 'Bad Request: message is too long');
  const book = bookOf(ctx.state);
  const now = Date.now();
  const last = book.lastSend.get(chat.id);
  if (last !== undefined && now - last < 1000) return refusal(429, 'Too Many Requests: retry after 1', { retry_after: 1 });
  const replyTo = (p.reply_parameters as { message_id?: unknown } | undefined)?.message_id ?? p.reply_to_message_id;
  let reply: SentMessage | undefined;
  if (replyTo !== undefined) {
    reply = book.messages.get(`${chat.id}:${replyTo}`);
    if (!reply) return refusal(400, 'Bad Request: message to be replied not found');
  }
  book.lastSend.set(chat.id, now);
  const message: SentMessage = {
    message_id: nextMessageId(ctx.state, chat.id),
    date: Math.floor(now / 1000),
    chat,
    ...(chat.type === 'channel' ? {} : { from: botUser(bot) }),
    text,
    ...(reply ? { reply_to_message: reply as unknown as Record<string, unknown> } : {}),
  };
  book.messages.set(`${chat.id}:${message.message_id}`, message);
  return ok(message);
}

function dispatch(ctx: RequestContext): Reply {
  const bot = botByToken(ctx.params.token ?? '');
  const method = ctx.params.method ?? '';
  if (method === 'getMe') ctx.state.countIdentityRequest(PROVIDER);
  if (!bot) return refusal(401, 'Unauthorized');
  const p = params(ctx);
  if (p === null) return refusal(400, 'Bad Request: invalid JSON');
  const book = bookOf(ctx.state);
  switch (method) {
    case 'getMe': {
      const forced = ctx.state.forcedIdentityStatus(PROVIDER);
      if (forced !== undefined) return refusal(forced, forced === 401 ? 'Unauthorized' : 'Internal Server Error');
      return ok({ ...botUser(bot), can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false });
    }
    case 'setWebhook':
      return setWebhook(ctx, bot, p);
    case 'deleteWebhook':
      ctx.state.countDataRequest(`${PROVIDER}.webhook`);
      book.webhooks.delete(bot.id);
      return ok(true);
    case 'getWebhookInfo': {
      const hook = book.webhooks.get(bot.id);
      return ok({ url: hook?.url ?? '', has_custom_certificate: false, pending_update_count: 0, ...(hook ? { max_connections: 40, allowed_updates: hook.allowedUpdates } : {}) });
    }
    case 'getUpdates':
      if (book.webhooks.has(bot.id)) return refusal(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
      return ok([]);
    case 'sendMessage':
      return sendMessage(ctx, bot, p);
    default:
      return refusal(404, 'Not Found');
  }
}

const pattern = /^\/bot(?<token>[^/]+)\/(?<method>[A-Za-z]+)$/;
export const telegramRoutes: Route[] = [
  { method: 'GET', hosts: [HOST], path: '/bot{token}/{method}', pattern, handle: dispatch },
  { method: 'POST', hosts: [HOST], path: '/bot{token}/{method}', pattern, handle: dispatch },
];
