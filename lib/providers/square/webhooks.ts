// Square webhook deliveries: one event per request, `{ merchant_id, type, event_id, created_at,
// data: { type, id, object } }`. Customer and booking events carry the whole object, the same
// shape the customers and bookings listings return, so they upsert directly. Square's reference
// examples (developer.squareup.com/reference/square/webhooks/…) show that `data.id` is not always
// the object id: booking events send "<booking id>:<version>", so the record id is read from
// the object itself. Other event types are recorded and ignored.
import { z } from 'zod';
import type { DeliveryInput, ParsedDelivery, WebhookChange } from '@/lib/webhooks/types';
import { envPrefix } from '../credentials';
import { sandboxBaseUrl } from '../environment';
import type { AppSecret, ProviderWebhooks } from '../types';
import { squareSignature } from './signature';

/** The sandbox subscription's signature key; the sandbox (tests/sandbox/providers/square) signs with the same constant. */
export const SANDBOX_SQUARE_SIGNATURE_KEY = 'sandbox-square-webhook-signature-key';

// The same minimum the sync's listings require of each customer and booking.
const squareObject = z.looseObject({ id: z.string().min(1) });

const squareEvent = z.looseObject({
  merchant_id: z.string().min(1),
  type: z.string().min(1),
  event_id: z.string().min(1),
  created_at: z.string().min(1),
  data: z.looseObject({
    type: z.string(),
    id: z.string().min(1),
    deleted: z.boolean().optional(),
    object: z.looseObject({ customer: squareObject.optional(), booking: squareObject.optional() }).optional(),
  }),
});
type SquareEvent = z.infer<typeof squareEvent>;

type Handling = { resource: 'customers' | 'bookings'; key: 'customer' | 'booking'; deletes?: true };
const HANDLED = new Map<string, Handling>([
  ['customer.created', { resource: 'customers', key: 'customer' }],
  ['customer.updated', { resource: 'customers', key: 'customer' }],
  ['customer.deleted', { resource: 'customers', key: 'customer', deletes: true }],
  ['booking.created', { resource: 'bookings', key: 'booking' }],
  // Cancellations arrive here too: a cancelled booking is still a booking (its status says so).
  ['booking.updated', { resource: 'bookings', key: 'booking' }],
]);

export function parseDeliveries({ body }: DeliveryInput): ParsedDelivery[] {
  const event = squareEvent.parse(body);
  const handled = HANDLED.get(event.type);
  return [
    {
      eventId: event.event_id,
      eventType: event.type,
      accountId: event.merchant_id,
      resource: handled?.resource ?? null,
      change: handled ? changeOf(event, handled.key, handled.deletes === true) : { kind: 'none' },
      occurredAt: isoOrNull(event.created_at),
    },
  ];
}

function changeOf(event: SquareEvent, key: 'customer' | 'booking', deletes: boolean): WebhookChange {
  const object = event.data.object?.[key];
  if (deletes) return { kind: 'delete', externalId: object?.id ?? event.data.id };
  if (!object) return { kind: 'sync' };
  return { kind: 'upsert', record: { externalId: object.id, data: object } };
}

function isoOrNull(value: string): string | null {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/**
 * App-level subscriptions from the Square Developer Dashboard, signed with the subscription's
 * signature key over its notification URL and the body.
 */
export const squareWebhooks: ProviderWebhooks = {
  scheme: 'square',
  schemeLabel: 'Square HMAC signature',
  note: 'Signed with x-square-hmacsha256-signature over the notification URL and body.',
  setup:
    'App-level: in the Square Developer Dashboard, add a webhook subscription with this notification URL for customer.* and booking.* events, and set its signature key as SQUARE_WEBHOOK_SIGNATURE_KEY.',
  deliveries: {
    kind: 'app-signed',
    verify: squareSignature,
    secrets(provider) {
      const secrets: AppSecret[] = [];
      const live = process.env[`${envPrefix(provider.id)}_WEBHOOK_SIGNATURE_KEY`];
      if (live) secrets.push({ environment: 'live', secret: live });
      if (sandboxBaseUrl()) secrets.push({ environment: 'sandbox', secret: SANDBOX_SQUARE_SIGNATURE_KEY });
      return secrets;
    },
    // Square signs the notification URL exactly as entered in its dashboard. When the URL the app
    // reconstructs could differ (proxies rewriting the host or path), set it verbatim.
    signedUrl: (provider) => process.env[`${envPrefix(provider.id)}_WEBHOOK_NOTIFICATION_URL`] || null,
  },
  parse: parseDeliveries,
};
