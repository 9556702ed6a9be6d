// Mindbody webhooks, through its separate Webhooks API (https://push-api.mindbodyonline.com/api/v1,
// header API-Key ✔; github.com/api-evangelist/mindbody openapi/_original/mindbody-webhooks-api-
// openapi-original.yml, and developers.mindbodyonline.com/WebhooksDocumentation ✔):
//  - On connect: POST /subscriptions {eventIds, eventSchemaVersion: 1, referenceId, webhookUrl} ✔
//    answers the subscription in status PendingActivation with its messageSignatureKey, "the only
//    endpoint that returns it" ✔ — stored encrypted as the channel's secret; then PATCH
//    /subscriptions/{id} {status: "Active"} ✔ turns delivery on (channels.ts activates only after
//    the key is stored). Mindbody first probes the webhookUrl with HEAD ~, which our webhook route
//    answers 200. On disconnect: DELETE /subscriptions/{id} ✔ ("deactivates a subscription").
//  - Subscriptions belong to the developer account, not to a site, and do not expire: the channel
//    is given a year, after which the renewal job replaces it (which also revives a subscription
//    Mindbody deactivated after failed deliveries ~).
//  - Our channel id travels in the webhookUrl's query string (Mindbody sends no header of ours),
//    and is also the referenceId.
//  - A delivery is one event: {messageId, eventId, eventSchemaVersion, eventInstanceOriginationDateTime,
//    eventData: {siteId, …}} ~. Its eventData is not the v6 object the syncs store, so an event
//    asks for an incremental sync of its resource; messageId deduplicates.
//  - The Webhooks API key: MINDBODY_WEBHOOKS_API_KEY for live connections (a key of the same
//    developer account, created for webhooks ✔ Getting Started), else the connection's own key.
import { z } from 'zod';
import type { DeliveryInput, ParsedDelivery } from '@/lib/webhooks/types';
import { ProviderHttpError, ProviderProtocolError } from '../errors';
import type { ChannelRequest, ProviderClient, ProviderWebhooks } from '../types';
import { siteIdOf } from './api';
import { mindbodySignature } from './signature';

export const PUSH_API = 'https://push-api.mindbodyonline.com/api/v1';
/** The query parameter of our webhook address that names the channel. */
export const CHANNEL_PARAM = 'channel';
const CHANNEL_LIFETIME_MS = 365 * 86_400_000;

/**
 * The events subscribed to, by the resource each one changes (event names as Mindbody's webhooks
 * documentation lists them ~).
 */
export const EVENT_RESOURCES: Record<string, string> = {
  'client.created': 'clients',
  'client.updated': 'clients',
  'client.deactivated': 'clients',
  'appointmentBooking.created': 'appointments',
  'appointmentBooking.updated': 'appointments',
  'appointmentBooking.cancelled': 'appointments',
  'classRosterBooking.created': 'class_visits',
  'classRosterBookingStatus.updated': 'class_visits',
  'classRosterBooking.cancelled': 'class_visits',
};

const eventSchema = z
  .object({
    messageId: z.string().trim().min(1).max(200),
    eventId: z.string().trim().min(1).max(200),
    eventSchemaVersion: z.number().optional(),
    eventInstanceOriginationDateTime: z.string().max(64).optional(),
    eventData: z.object({ siteId: z.union([z.number().int(), z.string().regex(/^-?\d{1,10}$/)]) }).passthrough(),
  })
  .passthrough();

export function parseDeliveries({ body }: DeliveryInput): ParsedDelivery[] {
  const event = eventSchema.parse(body);
  const resource = EVENT_RESOURCES[event.eventId] ?? null;
  const occurred = event.eventInstanceOriginationDateTime ? Date.parse(event.eventInstanceOriginationDateTime) : NaN;
  return [
    {
      eventId: event.messageId,
      eventType: event.eventId,
      accountId: String(event.eventData.siteId),
      resource,
      change: resource ? { kind: 'sync' } : { kind: 'none' },
      occurredAt: Number.isNaN(occurred) ? null : new Date(occurred).toISOString(),
    },
  ];
}

function pushApiKey(client: ProviderClient): string {
  const configured = client.environment === 'live' ? process.env.MINDBODY_WEBHOOKS_API_KEY : undefined;
  return configured || client.tokens.accessToken;
}

/** Mindbody's answers, bare or in the SDKs' {isSuccess, value} envelope. */
const unwrap = (body: unknown) => (body && typeof body === 'object' && 'value' in body ? (body as { value: unknown }).value : body);

const created = z
  .object({ subscriptionId: z.string().min(1).max(200), messageSignatureKey: z.string().min(1).max(1000), status: z.string().optional() })
  .passthrough();

/** Where Mindbody posts: our address with the channel named in its query string. */
export function webhookUrlFor(channel: Pick<ChannelRequest, 'address' | 'id'>): string {
  const url = new URL(channel.address);
  url.searchParams.set(CHANNEL_PARAM, channel.id);
  return url.toString();
}

async function subscribe(client: ProviderClient, channel: ChannelRequest) {
  const { body } = await client.request(`${PUSH_API}/subscriptions`, {
    method: 'POST',
    bearer: false,
    headers: { 'API-Key': pushApiKey(client) },
    json: { eventIds: Object.keys(EVENT_RESOURCES), eventSchemaVersion: 1, referenceId: channel.id, webhookUrl: webhookUrlFor(channel) },
  });
  const parsed = created.safeParse(unwrap(body));
  if (!parsed.success) throw new ProviderProtocolError('Mindbody created the webhook subscription without a subscriptionId and messageSignatureKey');
  return { resourceId: parsed.data.subscriptionId, expiresAt: new Date(Date.now() + CHANNEL_LIFETIME_MS), secret: parsed.data.messageSignatureKey };
}

async function activate(client: ProviderClient, channel: { resourceId: string }): Promise<void> {
  await client.request(`${PUSH_API}/subscriptions/${encodeURIComponent(channel.resourceId)}`, {
    method: 'PATCH',
    bearer: false,
    headers: { 'API-Key': pushApiKey(client) },
    json: { status: 'Active' },
  });
}

async function unsubscribe(client: ProviderClient, channel: { resourceId: string }): Promise<void> {
  try {
    await client.request(`${PUSH_API}/subscriptions/${encodeURIComponent(channel.resourceId)}`, { method: 'DELETE', bearer: false, headers: { 'API-Key': pushApiKey(client) } });
  } catch (error) {
    // One Mindbody no longer knows is as good as deleted.
    if (!(error instanceof ProviderHttpError) || error.status !== 404) throw error;
  }
}

export const mindbodyWebhooks: ProviderWebhooks = {
  scheme: 'mindbody-signature',
  schemeLabel: 'Mindbody X-Mindbody-Signature',
  note: 'A Webhooks API subscription per connection, verified by X-Mindbody-Signature (HMAC-SHA256 with its key).',
  setup:
    'Nothing to do in Mindbody: on connect the app subscribes to client, appointment and class booking events and activates the subscription; disconnecting deletes it. Mindbody only posts to public HTTPS, so set PUBLIC_APP_URL (and MINDBODY_WEBHOOKS_API_KEY if your webhooks key differs from the connection’s).',
  deliveries: {
    kind: 'channel',
    verify: mindbodySignature,
    channelIdOf: (_headers, url) => url.searchParams.get(CHANNEL_PARAM)?.trim() || null,
    resource: 'clients',
    targets: async (client) => [siteIdOf(client)],
    open: subscribe,
    activate,
    stop: unsubscribe,
    // The event itself; the signature and every other header stay out.
    storedPayload: (_headers, body) => body,
  },
  parse: parseDeliveries,
  reparse: (payload) => parseDeliveries({ body: payload, headers: new Headers() }),
};
