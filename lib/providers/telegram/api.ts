// The Telegram Bot API (https://core.telegram.org/bots/api): https://api.telegram.org/bot<token>/<method>,
// JSON in, { ok: true, result } or { ok: false, error_code, description, parameters } out, with the
// HTTP status equal to error_code. A 429 ("Too Many Requests: retry after N") carries
// parameters.retry_after in seconds (no Retry-After header): telegram() moves it onto the
// ProviderHttpError so the kit's 429 handling waits that long. Bots may send about one message per
// second to a chat and 20 per minute to a group (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this).
import { z } from 'zod';
import { ProviderHttpError } from '../errors';
import type { ProviderClient } from '../types';

export const API_HOST = 'api.telegram.org';

const refused = z
  .object({
    ok: z.literal(false),
    error_code: z.number().int().optional(),
    description: z.string().max(500).optional(),
    parameters: z.object({ retry_after: z.number().int().nonnegative().optional(), migrate_to_chat_id: z.number().optional() }).passthrough().optional(),
  })
  .passthrough();

export function describeTelegramError(body: unknown): string | undefined {
  const parsed = refused.safeParse(body);
  if (!parsed.success) return undefined;
  const { description, parameters } = parsed.data;
  const retry = parameters?.retry_after;
  const text = description ?? 'Telegram refused the request';
  // The delay travels in the message too, so it survives the client's error (see retryAfterOf).
  return retry !== undefined && !/retry after \d+/i.test(text) ? `${text} (retry after ${retry})` : text;
}

/** The wait a 429's description names ("retry after 5"). */
export function retryAfterOf(message: string): number | undefined {
  const match = /retry after (\d+)/i.exec(message);
  return match ? Number(match[1]) : undefined;
}

/** Calls one Bot API method with the connection's bot token in the path (the token is never logged: errors are redacted). */
export async function telegram<T = unknown>(client: ProviderClient, method: string, params?: Record<string, unknown>): Promise<T> {
  const url = `https://${API_HOST}/bot${client.tokens.accessToken}/${method}`;
  try {
    const { body } = await client.request<{ ok?: boolean; result?: T }>(url, params ? { method: 'POST', json: params, bearer: false } : { bearer: false });
    if (!body || body.ok !== true) throw new ProviderHttpError(502, describeTelegramError(body) ?? 'Telegram answered without ok: true');
    return body.result as T;
  } catch (error) {
    if (error instanceof ProviderHttpError && error.status === 429 && error.retryAfterSeconds === undefined) {
      throw new ProviderHttpError(429, error.providerMessage, retryAfterOf(error.providerMessage), error.headers);
    }
    throw error;
  }
}

export const telegramUser = z.object({ id: z.number().int(), is_bot: z.boolean().optional(), first_name: z.string().optional(), username: z.string().optional() }).passthrough();
export const telegramChat = z.object({ id: z.number().int(), type: z.string() }).passthrough();
export const telegramMessage = z.object({ message_id: z.number().int(), date: z.number().int(), chat: telegramChat }).passthrough();
export type TelegramMessage = z.infer<typeof telegramMessage>;

/** How the hub names a message: chat id + message id (message ids are unique only within a chat). */
export const messageId = (message: { chat: { id: number }; message_id: number }) => `${message.chat.id}:${message.message_id}`;

/** Text for parse_mode HTML: every <, > and & that is not markup must be an entity (https://core.telegram.org/bots/api#html-style). */
export function escapeTelegramHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
