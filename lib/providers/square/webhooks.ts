// Square webhook deliveries: one event per request, `{ merchant_id, type, event_id, created_at,
// data: { type, id, object } }`. Customer and booking events carry the whole object, the same
// shape the customers and bookings listings return, so they upsert directly. Square's reference
// examples (developer.squareup.com/reference/square/webhooks/…) show that `data.id` is not always
// the object id: booking events send "<booking id>:<version>", so the record id is read from
// the object itself. Other event types are recorded and ignored.
import { z } from 'zod';
import type { DeliveryInput, ParsedDelivery, WebhookChange } from '@/lib/webhooks/types';

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
