// Calendly webhook subscriptions, one per connection, as push channels (lib/webhooks/channels.ts
// keeps the books): on connect the app creates a user-scoped subscription to invitee.created and
// invitee.canceled with a signing key it generated (the channel token, stored only encrypted) and
// a callback URL that names the channel (?channel=<id>: Calendly echoes no header of ours); on
// disconnect it deletes the subscription. Facts: https://developer.calendly.com/docs/webhooks/overview
// (POST /webhook_subscriptions {url, events, organization, user, scope, signing_key}; the signing
// key is write-only; subscriptions do not expire; answering 410 deletes one).
//
// A delivery's payload is the invitee plus its scheduled event; a reschedule arrives as
// invitee.canceled then invitee.created. Rather than store the payload (a different shape from the
// listings), each delivery asks for an incremental sync of everything, which re-reads both.
import { z } from 'zod';
import type { DeliveryInput, ParsedDelivery } from '@/lib/webhooks/types';
import { ProviderHttpError } from '../errors';
import type { ProviderWebhooks } from '../types';
import { calendly, connectedUser, uuidOf } from './api';
import { calendlySignature } from './signature';

export const CALENDLY_EVENTS = ['invitee.created', 'invitee.canceled'] as const;
/**
 * Calendly subscriptions never expire, but the channel bookkeeping replaces channels whose expiry
 * is unknown: a one-year horizon means the signing key is rotated yearly rather than every hour.
 */
const SUBSCRIPTION_HORIZON_MS = 365 * 24 * 60 * 60 * 1000;

const delivery = z.object({
  event: z.string().min(1).max(200),
  created_at: z.string().min(1).max(64),
  created_by: z.string().max(500).optional(),
  payload: z.object({ uri: z.string().min(1).max(500).optional() }).passthrough(),
});

const subscriptionAnswer = z.object({ resource: z.object({ uri: z.string().min(1) }).passthrough() });

export function parseDeliveries({ body }: DeliveryInput): ParsedDelivery[] {
  const parsed = delivery.parse(body);
  const about = parsed.payload.uri ?? '';
  return [
    {
      // An invitee's URI is created once and canceled once, so event + invitee + time is unique.
      eventId: `${parsed.event}:${about}:${parsed.created_at}`.slice(0, 700),
      eventType: parsed.event,
      accountId: parsed.created_by ? uuidOf(parsed.created_by) : '',
      resource: null,
      change: (CALENDLY_EVENTS as readonly string[]).includes(parsed.event) ? { kind: 'sync' } : { kind: 'none' },
      occurredAt: Number.isNaN(Date.parse(parsed.created_at)) ? null : new Date(parsed.created_at).toISOString(),
    },
  ];
}

export const calendlyWebhooks: ProviderWebhooks = {
  scheme: 'calendly-signature',
  schemeLabel: 'Calendly webhook signature',
  note: 'Webhook subscriptions per connection, signed with a key the app generates (Calendly-Webhook-Signature).',
  setup:
    'Nothing to do: on connect the app creates a webhook subscription for invitee.created and invitee.canceled with its own signing key, and deletes it on disconnect. Calendly only posts to public URLs, so set PUBLIC_APP_URL. Webhook subscriptions need a paid Calendly plan.',
  deliveries: {
    kind: 'channel',
    verify: calendlySignature,
    channelIdOf: (_headers, url) => url.searchParams.get('channel')?.trim() || null,
    resource: 'scheduled_events',
    // One subscription per connection, scoped to the connected user.
    targets: async (client) => [(await connectedUser(client)).uri],
    async open(client, channel) {
      const user = await connectedUser(client);
      const url = new URL(channel.address);
      url.searchParams.set('channel', channel.id);
      const body = await calendly(client, '/webhook_subscriptions', {
        method: 'POST',
        json: {
          url: url.toString(),
          events: CALENDLY_EVENTS,
          organization: user.organization,
          user: channel.target,
          scope: 'user',
          signing_key: channel.token,
        },
      });
      const { resource } = subscriptionAnswer.parse(body);
      return { resourceId: uuidOf(resource.uri), expiresAt: new Date(Date.now() + SUBSCRIPTION_HORIZON_MS) };
    },
    async stop(client, channel) {
      try {
        await calendly(client, `/webhook_subscriptions/${encodeURIComponent(channel.resourceId)}`, { method: 'DELETE' });
      } catch (error) {
        // Already gone (deleted by hand, or after Calendly gave up on it).
        if (error instanceof ProviderHttpError && error.status === 404) return;
        throw error;
      }
    },
    storedPayload: (_headers, body) => body,
  },
  parse: parseDeliveries,
};
