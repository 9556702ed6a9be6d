// Acuity dynamic webhooks (https://developers.acuityscheduling.com/page/webhooks-webhooks-webhooks):
// POST /webhooks {event, target} subscribes one event (at most 25 per account), DELETE /webhooks/{id}
// ends it; subscriptions do not expire. The app keeps them as push channels
// (lib/webhooks/channels.ts): one per event (scheduled, rescheduled, canceled — not "changed",
// which would duplicate them), opened on connect with a target URL naming the channel
// (?channel=<id>), deleted on disconnect. Acuity signs deliveries with the API key of the user who
// created the webhook, so an API-key connection's channels are verified with its API key.
// UNVERIFIED: an OAuth connection holds no API key, and Acuity does not document what signs the
// webhooks an OAuth app creates; we verify those with the app's client secret (the one secret an
// OAuth app shares with Acuity), and the sandbox plays it so. Check against a real OAuth app.
//
// A delivery is form-encoded: action, id (the appointment), calendarID, appointmentTypeID. It
// carries no appointment, so it asks for an incremental sync of the appointments, which fetches it
// (with the rest of the re-scanned window).
import { z } from 'zod';
import type { DeliveryInput, ParsedDelivery } from '@/lib/webhooks/types';
import { ProviderHttpError } from '../errors';
import type { ProviderWebhooks } from '../types';
import { acuity, usesApiKey } from './api';
import { acuitySignature } from './signature';

export const ACUITY_EVENTS = ['appointment.scheduled', 'appointment.rescheduled', 'appointment.canceled'] as const;
const SUBSCRIPTION_HORIZON_MS = 365 * 24 * 60 * 60 * 1000;

const notification = z.object({
  action: z.string().min(1).max(100),
  id: z.string().regex(/^\d{1,20}$/),
  calendarID: z.string().max(20).optional(),
  appointmentTypeID: z.string().max(20).optional(),
});

const created = z.object({ id: z.number().int() }).passthrough();

/**
 * Acuity's notifications carry no id and no time, and a second reschedule of one appointment is
 * byte-for-byte the first: the minute it arrived joins the deduplication key, so retries within
 * the minute are duplicates and later changes are not.
 */
export function parseDeliveries({ body }: DeliveryInput, at = new Date()): ParsedDelivery[] {
  const parsed = notification.parse(body);
  const appointmentEvent = ['scheduled', 'rescheduled', 'canceled', 'changed'].includes(parsed.action);
  return [
    {
      eventId: `${parsed.action}:${parsed.id}:${at.toISOString().slice(0, 16)}`,
      eventType: parsed.action,
      accountId: '',
      resource: appointmentEvent ? 'appointments' : null,
      change: appointmentEvent ? { kind: 'sync' } : { kind: 'none' },
      occurredAt: null,
      details: { appointmentId: parsed.id },
    },
  ];
}

export const acuityWebhooks: ProviderWebhooks = {
  scheme: 'acuity-signature',
  schemeLabel: 'Acuity signature (API key)',
  note: 'Webhook subscriptions per connection for scheduled, rescheduled and canceled appointments, signed by Acuity (X-Acuity-Signature).',
  setup:
    'Nothing to do: on connect the app subscribes to appointment.scheduled, .rescheduled and .canceled through the webhooks API and deletes the subscriptions on disconnect. Acuity only posts to ports 443 and 80, so set PUBLIC_APP_URL.',
  deliveries: {
    kind: 'channel',
    verify: acuitySignature,
    channelIdOf: (_headers, url) => url.searchParams.get('channel')?.trim() || null,
    resource: 'appointments',
    bodyEncoding: 'form',
    targets: async () => [...ACUITY_EVENTS],
    async open(client, channel) {
      const url = new URL(channel.address);
      url.searchParams.set('channel', channel.id);
      const body = created.parse(await acuity(client, '/webhooks', { method: 'POST', json: { event: channel.target, target: url.toString() } }));
      // Acuity signs with the API key (or, unverified, an OAuth app's client secret), not with a secret of ours.
      const secret = usesApiKey(client) ? client.tokens.accessToken : client.credentials.clientSecret;
      return { resourceId: String(body.id), expiresAt: new Date(Date.now() + SUBSCRIPTION_HORIZON_MS), secret };
    },
    async stop(client, channel) {
      try {
        await acuity(client, `/webhooks/${encodeURIComponent(channel.resourceId)}`, { method: 'DELETE' });
      } catch (error) {
        if (error instanceof ProviderHttpError && error.status === 404) return;
        throw error;
      }
    },
    storedPayload: (_headers, body) => body,
  },
  parse: (input) => parseDeliveries(input),
};
