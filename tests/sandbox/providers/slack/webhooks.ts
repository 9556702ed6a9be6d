// Slack Events API deliveries from the sandbox: event_callback envelopes (a message posted in a
// member channel, an edit, a deletion, a user change) and the url_verification challenge, signed
// as Slack signs: X-Slack-Signature = "v0=" + hex(HMAC-SHA256(signing secret, "v0:" + ts + ":" +
// body)) with X-Slack-Request-Timestamp = ts (https://api.slack.com/authentication/verifying-requests-from-slack).
// A retried delivery keeps its event_id and adds X-Slack-Retry-Num / X-Slack-Retry-Reason
// (https://api.slack.com/apis/events-api#retries). The signer is written apart from the app's
// verifier (lib/providers/slack/signature.ts).
import crypto from 'node:crypto';
import { z } from 'zod';
import { getDataset } from '../../data';
import type { RequestContext } from '../../http';
import { defineDeliverer, type SandboxWebhooks } from '../../provider';
import type { SandboxState } from '../../state';
import { deliveryCommon, deliveryMutation, post, tamperDelivery, type Answer, type SignedDelivery } from '../../webhook-delivery';
import { hmacSha256 } from '../../webhook-signing';
import { channelId, PROFILE, type SlackAccount } from './accounts';
import { messagesSpec, renderMessage, renderUser, tsOf, usersSpec } from './data';

/** The app's signing secret in the sandbox (the app holds the same, outside production only). */
export const SIGNING_SECRET = 'sandbox-signing-secret-slack';
export const SIGNATURE_HEADER = 'X-Slack-Signature';

export function sign(body: string, secret: string, timestampMs: number): Record<string, string> {
  const ts = String(Math.floor(timestampMs / 1000));
  return { 'X-Slack-Request-Timestamp': ts, [SIGNATURE_HEADER]: `v0=${hmacSha256(secret, `v0:${ts}:`, body).toString('hex')}` };
}

type EventKind = 'message' | 'message_changed' | 'message_deleted' | 'user_change' | 'url_verification';

/** The envelope for one event about the account's newest message (or user). */
export function eventBody(state: SandboxState, account: SlackAccount, kind: EventKind, about?: string): string {
  const eventId = `Ev${crypto.randomBytes(6).toString('hex').toUpperCase()}`;
  if (kind === 'url_verification') return JSON.stringify({ token: 'Jhj5dZrVaK7ZwHHjRyZWjbDl', challenge: crypto.randomBytes(24).toString('base64url'), type: 'url_verification' });
  const ctx = { state } as RequestContext;
  const now = Math.floor(Date.now() / 1000);
  let event: Record<string, unknown>;
  if (kind === 'user_change') {
    const users = getDataset(state, usersSpec, account.id);
    event = { type: 'user_change', user: renderUser(users, (about === undefined ? undefined : users.indexOf(about)) ?? Math.max(users.count - 1, 0)), event_ts: `${now}.000100`, cache_ts: now };
  } else {
    const messages = getDataset(state, messagesSpec, account.id);
    // The message a mutation changed, else the newest.
    const index = (about === undefined ? undefined : messages.indexOf(about)) ?? Math.max(messages.count - 1, 0);
    const message = renderMessage(ctx, messages, index);
    const channel = channelId(account.id, messages.fields(index).channel as number);
    if (kind === 'message') event = { ...message, channel, event_ts: message.ts, channel_type: 'channel' };
    else if (kind === 'message_changed') event = { type: 'message', subtype: 'message_changed', hidden: true, channel, ts: `${now}.000200`, event_ts: `${now}.000200`, message, previous_message: { ...message, text: 'before the edit' } };
    else event = { type: 'message', subtype: 'message_deleted', hidden: true, channel, ts: `${now}.000300`, deleted_ts: tsOf(messages, index), event_ts: `${now}.000300`, previous_message: message };
  }
  return JSON.stringify({
    token: 'Jhj5dZrVaK7ZwHHjRyZWjbDl',
    team_id: account.id,
    context_team_id: account.id,
    api_app_id: 'A0SBXAPP001',
    event,
    type: 'event_callback',
    event_id: eventId,
    event_time: now,
    authorizations: [{ team_id: account.id, user_id: account.botUserId, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  });
}

const deliverSchema = z.object({
  provider: z.literal(PROFILE.id),
  url: z.string().url(),
  ...deliveryCommon,
  event: z.enum(['message', 'message_changed', 'message_deleted', 'user_change', 'url_verification']).default('message'),
  mutate: deliveryMutation.optional(),
});

export const webhooks: SandboxWebhooks<SlackAccount> = {
  signatureHeader: SIGNATURE_HEADER,
  sample(state, { url, account = PROFILE.accounts[0], secret, timestampMs }) {
    const body = eventBody(state, account, 'message');
    return { url, headers: sign(body, secret ?? SIGNING_SECRET, timestampMs ?? Date.now()), body, signatureHeader: SIGNATURE_HEADER };
  },
  deliver: defineDeliverer(deliverSchema, async ({ mutate, state }, request) => {
    const account = PROFILE.accounts.find((a) => a.id === request.account) ?? PROFILE.accounts[0];
    const changed = request.mutate ? mutate({ provider: PROFILE.id, account: account.id, resource: request.event === 'user_change' ? 'users' : 'messages', ...request.mutate }) : undefined;
    // One event, retried: the same body (and event_id), signed afresh, with Slack's retry headers.
    const about = changed ? (changed.updated[0] ?? changed.deleted[0] ?? changed.created.at(-1)) : undefined;
    const body = eventBody(state, account, request.event, about);
    const deliveries: Answer[] = [];
    for (let attempt = 0; attempt < request.repeat; attempt++) {
      const signed: SignedDelivery = {
        url: request.url,
        headers: {
          ...sign(body, request.secret ?? SIGNING_SECRET, Date.now() + (request.timestampOffsetMs ?? 0)),
          ...(attempt > 0 ? { 'X-Slack-Retry-Num': String(attempt), 'X-Slack-Retry-Reason': 'http_timeout' } : {}),
        },
        body,
        signatureHeader: SIGNATURE_HEADER,
      };
      const sent = tamperDelivery(signed, request.tamper);
      deliveries.push(await post(sent.url, { 'content-type': 'application/json', ...sent.headers }, sent.body));
    }
    return { deliveries, mutation: changed, body: JSON.parse(body) };
  }),
};
