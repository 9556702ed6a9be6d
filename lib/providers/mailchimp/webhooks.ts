// Mailchimp audience webhooks (https://mailchimp.com/developer/marketing/guides/sync-audience-data-webhooks/,
// API: POST/DELETE /lists/{list_id}/webhooks). Mailchimp signs nothing, so each webhook's URL carries
// an unguessable secret: the app keeps one push channel per audience (lib/webhooks/channels.ts), whose
// address names the channel and carries its random token in the query (?channel=<id>&token=<token>),
// compared in constant time on every POST. The token is redacted wherever the URL is stored
// (lib/webhooks/redact.ts: any query parameter named like a token).
//
// When a webhook is created (and when one is saved in Mailchimp's UI) Mailchimp validates the URL
// with a GET and expects a 200; that GET carries nothing to verify and is answered by the handshake
// below without touching the database. Deliveries are POSTs, application/x-www-form-urlencoded:
// `type` (subscribe, unsubscribe, profile, upemail, cleaned, campaign), `fired_at`
// ("2009-03-26 21:35:57", UTC) and `data[...]` (data[id], data[list_id], data[email], data[merges][FNAME], …).
// A member event asks for an incremental sync of the members (by since_last_changed), which fetches
// the member as the API shows it. Mailchimp retries a failed delivery for 75 minutes, with a 10 s timeout.
// Webhooks do not expire; they are deleted on disconnect.
import { z } from 'zod';
import type { DeliveryInput, ParsedDelivery } from '@/lib/webhooks/types';
import { equalDigests, fail, OK, sha256, utf8, type SignatureCheck } from '@/lib/webhooks/verify';
import { ProviderHttpError } from '../errors';
import type { ProviderWebhooks } from '../types';
import { mailchimp } from './api';
import { listAudiences } from './resources';

/** The query parameters of the webhook URL: our channel id and its secret. */
export const CHANNEL_PARAM = 'channel';
export const TOKEN_PARAM = 'token';
/** Webhooks never expire; the channel bookkeeping wants a date, so one far beyond any renewal sweep. */
const NO_EXPIRY_MS = 10 * 365 * 24 * 60 * 60 * 1000;
const MEMBER_EVENTS = new Set(['subscribe', 'unsubscribe', 'profile', 'upemail', 'cleaned']);

/** The `token` query parameter must equal the channel's token; compared as SHA-256 digests (fixed length). */
export const urlTokenCheck: SignatureCheck = ({ url, secret }) => {
  let token: string | null = null;
  try {
    token = url ? new URL(url).searchParams.get(TOKEN_PARAM) : null;
  } catch {
    return fail('the request URL cannot be read');
  }
  if (token === null || token === '') return fail('the webhook URL carries no token');
  return equalDigests(sha256(utf8(secret)), sha256(utf8(token))) ? OK : fail('the webhook URL token does not match the channel');
};

const event = z
  .object({
    type: z.string().min(1).max(50),
    fired_at: z.string().max(40).optional(),
    'data[list_id]': z.string().max(100).optional(),
    'data[id]': z.string().max(100).optional(),
    'data[email]': z.string().max(320).optional(),
    'data[new_email]': z.string().max(320).optional(),
  })
  .passthrough();

/** "2009-03-26 21:35:57" (UTC) as an ISO instant, or null. */
function firedAt(value: string | undefined): string | null {
  if (!value || !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(value)) return null;
  const ms = Date.parse(`${value.replace(' ', 'T')}Z`);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/**
 * One delivery is one event. Mailchimp sends no event id: type, audience, member and the second it
 * fired identify it, so a retry is a duplicate and a later change is not.
 */
export function parseDeliveries({ body }: DeliveryInput): ParsedDelivery[] {
  const parsed = event.parse(body);
  const member = MEMBER_EVENTS.has(parsed.type);
  const listId = parsed['data[list_id]'] ?? '';
  const who = parsed['data[id]'] ?? parsed['data[email]'] ?? parsed['data[new_email]'] ?? '';
  const details: Record<string, string> = {};
  if (listId) details.listId = listId;
  if (parsed['data[id]']) details.memberId = parsed['data[id]'];
  return [
    {
      eventId: `${parsed.type}:${listId}:${who}:${parsed.fired_at ?? ''}`,
      eventType: parsed.type,
      accountId: '',
      resource: member ? 'members' : null,
      change: member ? { kind: 'sync' } : { kind: 'none' },
      occurredAt: firedAt(parsed.fired_at),
      details,
    },
  ];
}

/** Mailchimp's URL validation: a GET on the webhook address, answered 200 with nothing read or stored. */
export function validationHandshake(request: Request): Response | null {
  return request.method === 'GET' ? new Response(null, { status: 200 }) : null;
}

const createdWebhook = z.object({ id: z.string().min(1) }).passthrough();

export const mailchimpWebhooks: ProviderWebhooks = {
  scheme: 'mailchimp-url-token',
  schemeLabel: 'Secret in the webhook URL',
  note: 'One webhook per audience (subscribe, unsubscribe, profile, email change, cleaned), verified by a secret in its URL; Mailchimp signs nothing.',
  setup:
    'Nothing to do: on connect the app creates a webhook on every audience through the API (Mailchimp validates it with a GET) and deletes them on disconnect. Mailchimp only posts to public URLs, so set PUBLIC_APP_URL.',
  deliveries: {
    kind: 'channel',
    verify: urlTokenCheck,
    channelIdOf: (_headers, url) => url.searchParams.get(CHANNEL_PARAM)?.trim() || null,
    resource: 'members',
    bodyEncoding: 'form',
    targets: async (client) => (await listAudiences(client)).map((audience) => audience.id),
    async open(client, channel) {
      const url = new URL(channel.address);
      url.searchParams.set(CHANNEL_PARAM, channel.id);
      url.searchParams.set(TOKEN_PARAM, channel.token);
      const created = createdWebhook.parse(
        await mailchimp(client, `/lists/${encodeURIComponent(channel.target)}/webhooks`, {
          method: 'POST',
          json: {
            url: url.toString(),
            events: { subscribe: true, unsubscribe: true, profile: true, cleaned: true, upemail: true, campaign: false },
            // Not API-made changes: a push from this hub of thousands of members would come back as as many
            // deliveries; the scheduled incremental sync (since_last_changed) sees those changes instead.
            sources: { user: true, admin: true, api: false },
          },
        }),
      );
      // The resource id names the audience and the webhook: both are needed to delete it.
      return { resourceId: `${channel.target}/${created.id}`, expiresAt: new Date(Date.now() + NO_EXPIRY_MS) };
    },
    async stop(client, channel) {
      const slash = channel.resourceId.indexOf('/');
      const listId = channel.resourceId.slice(0, slash);
      const webhookId = channel.resourceId.slice(slash + 1);
      try {
        await mailchimp(client, `/lists/${encodeURIComponent(listId)}/webhooks/${encodeURIComponent(webhookId)}`, { method: 'DELETE' });
      } catch (error) {
        if (error instanceof ProviderHttpError && error.status === 404) return;
        throw error;
      }
    },
    storedPayload: (_headers, body) => body,
  },
  handshake: validationHandshake,
  parse: parseDeliveries,
};
