// What a provider's webhook delivery means to us, whatever the provider's wire format. Each
// provider folder's webhooks.ts turns one verified delivery into a list of these; the webhook
// route stores them (deduplicated on eventId) and acts on `change`.

/**
 * What a delivery asks of the sync side.
 * - upsert: the payload carries the whole record, in the shape the resource's sync stores.
 * - delete: the record is gone at the provider.
 * - sync: something changed but the payload lacks the record; run an incremental sync.
 * - none: worth recording (handshakes, events for objects we do not sync), nothing to do.
 * - renew: the provider ended or questions the push channel it names (`channelRef`, the provider's
 *   own id for it: ChannelDeliveries.open's resourceId); processing replaces that channel.
 */
export type WebhookChange =
  | { kind: 'upsert'; record: { externalId: string; data: unknown } }
  | { kind: 'delete'; externalId: string }
  | { kind: 'sync' }
  | { kind: 'none' }
  | { kind: 'renew'; channelRef: string };

export interface ParsedDelivery {
  /** The provider's id for this event, the deduplication key; null when the provider sends none. */
  eventId: string | null;
  /** The provider's event name (`contact.deletion`, `customer.updated`, `exists`). */
  eventType: string;
  /**
   * Routes the delivery to a connection: HubSpot portalId, Square merchant_id, Google channel id.
   * It is the provider's claim, so it selects whose secret verifies the request; it proves nothing
   * until that verification passes.
   */
  accountId: string;
  /** Our resource id (`contacts`, `deals`, `customers`, `bookings`, `events`), or null when we sync no such object. */
  resource: string | null;
  change: WebhookChange;
  /** When the change happened at the provider (ISO 8601), when the payload says. */
  occurredAt: string | null;
  /** Non-secret routing facts the route may keep (Google's resource id and channel expiry for renewals). */
  details?: Record<string, string>;
}

export interface DeliveryInput {
  /** The body as parsed JSON, or null when the delivery has none (Google push). */
  body: unknown;
  headers: Headers;
}

/** Throws a ZodError when the delivery is not the provider's format (the route answers 400). */
export type DeliveryParser = (input: DeliveryInput) => ParsedDelivery[];
