// Airtable webhooks: one per base, created through the API on connect ✔
// (https://airtable.com/developers/web/api/create-a-webhook: POST /v0/bases/{baseId}/webhooks
// {notificationUrl, specification} → {id, macSecretBase64, expirationTime}; the secret is shown
// once and stored encrypted as the channel's secret). Webhooks expire 7 days after creation or the
// last refresh ✔; the renewal job extends ours in place a day before (POST …/webhooks/{id}/refresh →
// {expirationTime} ✔ https://airtable.com/developers/web/api/refresh-a-webhook), and replaces one
// Airtable no longer knows. Disconnecting deletes them (DELETE …/webhooks/{id} ✔).
// A notification is a thin ping, {base: {id}, webhook: {id}, timestamp} ✔, signed with the MAC
// (signature.ts); it becomes an incremental sync, which reads the change payloads from the stored
// cursor (resources.ts). Our channel id travels in the notificationUrl's query string.
// Limits: 10 webhooks per base, 2 per OAuth integration per base ✔ (one per connection here).
import { z } from 'zod';
import type { DeliveryInput, ParsedDelivery } from '@/lib/webhooks/types';
import { ProviderHttpError, ProviderProtocolError } from '../errors';
import type { ChannelRequest, ProviderClient, ProviderWebhooks } from '../types';
import { airtable, listBases } from './api';
import { airtableMac } from './signature';

export const CHANNEL_PARAM = 'channel';
/** Record changes in every table of the base ✔ (webhooks-specification: dataTypes tableData). */
export const SPECIFICATION = { options: { filters: { dataTypes: ['tableData'] } } } as const;
const WEBHOOK_LIFETIME_MS = 7 * 86_400_000;

const ping = z.object({
  base: z.object({ id: z.string().trim().min(1).max(64) }),
  webhook: z.object({ id: z.string().trim().min(1).max(64) }),
  timestamp: z.string().max(64),
});

export function parsePing({ body }: DeliveryInput): ParsedDelivery[] {
  const event = ping.parse(body);
  const occurred = Date.parse(event.timestamp);
  return [
    {
      // No event id: a webhook and its timestamp name one ping; a retry repeats both.
      eventId: `${event.webhook.id}:${event.timestamp}`,
      eventType: 'ping',
      accountId: event.base.id,
      resource: 'records',
      change: { kind: 'sync' },
      occurredAt: Number.isNaN(occurred) ? null : new Date(occurred).toISOString(),
    },
  ];
}

/** Where Airtable posts: our address with the channel named in its query string. */
export function notificationUrlFor(channel: Pick<ChannelRequest, 'address' | 'id'>): string {
  const url = new URL(channel.address);
  url.searchParams.set(CHANNEL_PARAM, channel.id);
  return url.toString();
}

/** Our resource id for a webhook: its base and its id (every webhook call names both). */
const refOf = (baseId: string, webhookId: string) => `${baseId}/${webhookId}`;
function parseRef(resourceId: string): { baseId: string; webhookId: string } {
  const [baseId, webhookId] = resourceId.split('/');
  if (!baseId || !webhookId) throw new ProviderProtocolError(`not an Airtable webhook reference: ${resourceId}`);
  return { baseId, webhookId };
}
const hookPath = ({ baseId, webhookId }: { baseId: string; webhookId: string }) => `/bases/${encodeURIComponent(baseId)}/webhooks/${encodeURIComponent(webhookId)}`;

const created = z.object({ id: z.string().min(1), macSecretBase64: z.string().min(1).max(1000), expirationTime: z.string().nullable().optional() }).passthrough();
const refreshed = z.object({ expirationTime: z.string().nullable() });

const expiry = (value: string | null | undefined) => {
  const ms = value ? Date.parse(value) : NaN;
  return Number.isNaN(ms) ? new Date(Date.now() + WEBHOOK_LIFETIME_MS) : new Date(ms);
};

async function open(client: ProviderClient, channel: ChannelRequest) {
  const body = await airtable(client, `/bases/${encodeURIComponent(channel.target)}/webhooks`, {
    method: 'POST',
    json: { notificationUrl: notificationUrlFor(channel), specification: SPECIFICATION },
  });
  const parsed = created.safeParse(body);
  if (!parsed.success) throw new ProviderProtocolError('Airtable created the webhook without an id and macSecretBase64');
  return { resourceId: refOf(channel.target, parsed.data.id), expiresAt: expiry(parsed.data.expirationTime), secret: parsed.data.macSecretBase64 };
}

async function refresh(client: ProviderClient, channel: { resourceId: string }): Promise<{ expiresAt: Date | null }> {
  const body = refreshed.parse(await airtable(client, `${hookPath(parseRef(channel.resourceId))}/refresh`, { method: 'POST' }));
  return { expiresAt: body.expirationTime ? expiry(body.expirationTime) : null };
}

async function stop(client: ProviderClient, channel: { resourceId: string }): Promise<void> {
  try {
    await airtable(client, hookPath(parseRef(channel.resourceId)), { method: 'DELETE' });
  } catch (error) {
    // One Airtable no longer knows is as good as deleted.
    if (!(error instanceof ProviderHttpError) || error.status !== 404) throw error;
  }
}

export const airtableWebhooks: ProviderWebhooks = {
  scheme: 'airtable-mac',
  schemeLabel: 'Airtable X-Airtable-Content-MAC',
  note: 'A webhook per base, created on connect and refreshed weekly; pings verified by X-Airtable-Content-MAC, changes read from the payload cursor.',
  setup:
    'Nothing to do in Airtable: on connect the app creates a webhook on every base the token can see, refreshes it before its 7 days run out, and deletes it on disconnect. Airtable only posts to public HTTPS, so set PUBLIC_APP_URL.',
  deliveries: {
    kind: 'channel',
    verify: airtableMac,
    channelIdOf: (_headers, url) => url.searchParams.get(CHANNEL_PARAM)?.trim() || null,
    resource: 'records',
    // Every base, or only the bases of the chosen tables.
    targets: async (client) => {
      const chosen = client.selection ?? [];
      return (await listBases(client)).map((base) => base.id).filter((id) => chosen.length === 0 || chosen.some((t) => t.startsWith(`${id}/`)));
    },
    open,
    refresh,
    stop,
    // The ping itself ({base, webhook, timestamp}); the MAC header stays out.
    storedPayload: (_headers, body) => body,
  },
  parse: parsePing,
  reparse: (payload) => parsePing({ body: payload, headers: new Headers() }),
};
