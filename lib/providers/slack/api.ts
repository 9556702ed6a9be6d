// Slack's Web API (https://api.slack.com/web): every method lives at https://slack.com/api/<method>
// and answers HTTP 200 with { ok: true, ... } or { ok: false, error: "<code>" }, so a refusal has to
// be read from the body. slack() turns those into the kit's ProviderHttpError with the HTTP status
// the refusal means, so the kit's handling applies unchanged: token_revoked / invalid_auth → 401
// (reauthorize), ratelimited → 429 (Slack also answers real rate limits with HTTP 429 and
// Retry-After: https://api.slack.com/apis/rate-limits), missing_scope → 403.
// Cursor paging: response_metadata.next_cursor, empty on the last page
// (https://api.slack.com/apis/pagination).
import { z } from 'zod';
import { ProviderHttpError } from '../errors';
import type { ProviderClient } from '../types';

export const API = 'https://slack.com/api';

/** Slack error codes by the HTTP status they amount to. */
const STATUS_OF: Record<string, number> = {
  not_authed: 401,
  invalid_auth: 401,
  token_revoked: 401,
  token_expired: 401,
  account_inactive: 401,
  ratelimited: 429,
  missing_scope: 403,
  not_allowed_token_type: 403,
  no_permission: 403,
  ekm_access_denied: 403,
  restricted_action: 403,
  channel_not_found: 404,
  users_not_found: 404,
  user_not_found: 404,
  thread_not_found: 404,
  not_in_channel: 403,
  is_archived: 409,
  fatal_error: 500,
  internal_error: 500,
  service_unavailable: 503,
  request_timeout: 503,
};

const okFalse = z.object({ ok: z.literal(false), error: z.string().max(200).optional(), needed: z.string().optional() }).passthrough();

export function describeSlackError(body: unknown): string | undefined {
  const parsed = okFalse.safeParse(body);
  if (!parsed.success) return undefined;
  const { error, needed } = parsed.data;
  return [error ?? 'unknown_error', needed ? `(needs ${needed})` : ''].filter(Boolean).join(' ');
}

/** The HTTP status a Slack error code amounts to. */
export function statusOfSlackError(code: string): number {
  return STATUS_OF[code] ?? 400;
}

type Params = Record<string, string | number | boolean | undefined>;

/**
 * Calls one Web API method: reads as GET with a query string, writes as POST with a JSON body
 * (https://api.slack.com/web#posting_json). Answers the body of an ok answer; throws otherwise.
 */
export async function slack(client: ProviderClient, method: string, params: Params = {}, write = false): Promise<Record<string, unknown>> {
  const defined = Object.fromEntries(Object.entries(params).filter(([, value]) => value !== undefined)) as Record<string, string | number | boolean>;
  const response = write
    ? await client.request(`${API}/${method}`, { method: 'POST', json: defined })
    : await client.request(`${API}/${method}${Object.keys(defined).length ? `?${new URLSearchParams(Object.entries(defined).map(([k, v]) => [k, String(v)]))}` : ''}`);
  const body = response.body as Record<string, unknown> | null;
  if (!body || body.ok !== true) {
    const code = typeof body?.error === 'string' ? body.error : 'unknown_error';
    const retry = response.headers.get('retry-after');
    throw new ProviderHttpError(statusOfSlackError(code), describeSlackError(body) ?? code, retry && Number.isFinite(Number(retry)) ? Number(retry) : undefined, response.headers);
  }
  return body;
}

export const nextCursor = z
  .object({ response_metadata: z.object({ next_cursor: z.string().optional() }).passthrough().optional() })
  .passthrough()
  .transform((body) => body.response_metadata?.next_cursor || null);

/** A Slack user as users.list shows one; `updated` is Unix seconds. */
export const slackUser = z
  .object({
    id: z.string().min(1),
    team_id: z.string().optional(),
    deleted: z.boolean().optional(),
    is_bot: z.boolean().optional(),
    updated: z.number().optional(),
    profile: z.object({ email: z.string().optional() }).passthrough().optional(),
  })
  .passthrough();

/** A conversation as conversations.list / users.conversations show one. */
export const slackChannel = z
  .object({ id: z.string().min(1), name: z.string().optional(), is_archived: z.boolean().optional(), is_member: z.boolean().optional(), updated: z.number().optional() })
  .passthrough();

/** A message as conversations.history shows one: `ts` is its id within the channel. */
export const slackMessage = z
  .object({ type: z.string().optional(), ts: z.string().min(1), thread_ts: z.string().optional(), text: z.string().optional(), user: z.string().optional() })
  .passthrough();
export type SlackMessage = z.infer<typeof slackMessage>;

/** How the hub names a message: channel id + ts (ts is unique only within its channel). */
export const messageId = (channel: string, ts: string) => `${channel}:${ts}`;

/**
 * A message as the hub stores it: Slack's message plus the id of the channel it was posted in (what
 * an Events API message carries too, so a record from an event equals the listed one).
 */
export function storedMessage(message: Record<string, unknown>, channel: { id: string }): Record<string, unknown> {
  return { ...message, channel: channel.id };
}
