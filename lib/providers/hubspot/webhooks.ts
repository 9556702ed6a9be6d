// HubSpot webhook deliveries: a JSON array of up to 100 events, possibly from several portals.
// Events carry ids and at most one changed property, never the whole record, so anything but a
// deletion becomes an incremental sync of the object's resource. Older docs name the type field
// `eventType`, deliveries name it `subscriptionType`; both are read. Apps on the new developer
// platform receive `object.*` events that say which object through `objectTypeId`.
import { z } from 'zod';
import type { DeliveryInput, ParsedDelivery, WebhookChange } from '@/lib/webhooks/types';
import { liveCredentials, sandboxCredentials } from '../credentials';
import type { AppSecret, ProviderWebhooks } from '../types';
import { hubspotSignatureV3 } from './signature';

const id = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)]).transform(String);

const hubspotEvent = z
  .looseObject({
    eventId: id,
    portalId: id,
    occurredAt: z.number().int().nonnegative().max(8.64e15),
    subscriptionType: z.string().min(1).optional(),
    eventType: z.string().min(1).optional(),
    objectId: id.optional(),
    objectTypeId: z.string().optional(),
    subscriptionId: z.number().optional(),
    appId: z.number().optional(),
    attemptNumber: z.number().optional(),
    propertyName: z.string().optional(),
    propertyValue: z.unknown().optional(),
    changeSource: z.string().optional(),
  })
  .refine((event) => Boolean(event.subscriptionType ?? event.eventType), { message: 'subscriptionType is required' });

// HubSpot batches at most 100 events; a body far beyond that is not a HubSpot delivery.
const deliveryBody = z.array(hubspotEvent).max(1000);

/** Object type prefixes and ids of the objects we sync, to our resource ids. */
const RESOURCE_BY_OBJECT = new Map([
  ['contact', 'contacts'],
  ['deal', 'deals'],
  ['0-1', 'contacts'],
  ['0-3', 'deals'],
]);

const DELETIONS = new Set(['deletion', 'privacyDeletion']);

export function parseDeliveries({ body }: DeliveryInput): ParsedDelivery[] {
  return deliveryBody.parse(body).map((event) => {
    const eventType = (event.subscriptionType ?? event.eventType) as string;
    const [objectName, action = ''] = splitType(eventType);
    const resource = RESOURCE_BY_OBJECT.get(objectName === 'object' ? (event.objectTypeId ?? '') : objectName) ?? null;
    let change: WebhookChange;
    if (resource === null) change = { kind: 'none' };
    else if (DELETIONS.has(action) && event.objectId !== undefined) change = { kind: 'delete', externalId: event.objectId };
    else change = { kind: 'sync' };
    return {
      eventId: event.eventId,
      eventType,
      accountId: event.portalId,
      resource,
      change,
      occurredAt: new Date(event.occurredAt).toISOString(),
    };
  });
}

function splitType(type: string): [string, string | undefined] {
  const dot = type.indexOf('.');
  return dot === -1 ? [type, undefined] : [type.slice(0, dot), type.slice(dot + 1)];
}

/**
 * App-level subscriptions (set up once in the developer app, not per connection), signed with the
 * app's client secret; one delivery batches events of several portals, stored one per row.
 */
export const hubspotWebhooks: ProviderWebhooks = {
  scheme: 'hubspot-v3',
  schemeLabel: 'HubSpot signature v3',
  note: 'App-level subscriptions signed with X-HubSpot-Signature-v3.',
  setup:
    'App-level: in your HubSpot developer app, open Webhooks, set this target URL and subscribe to contact and deal creation, property change and deletion. Deliveries are signed with the app’s client secret (HUBSPOT_CLIENT_SECRET).',
  deliveries: {
    kind: 'app-signed',
    verify: hubspotSignatureV3,
    secrets(provider) {
      const secrets: AppSecret[] = [];
      const live = liveCredentials(provider)?.clientSecret;
      const sandbox = sandboxCredentials(provider)?.clientSecret;
      if (live) secrets.push({ environment: 'live', secret: live });
      if (sandbox) secrets.push({ environment: 'sandbox', secret: sandbox });
      return secrets;
    },
  },
  parse: parseDeliveries,
  payloadsOf: (body, events) => (Array.isArray(body) ? events.map((_, index) => body[index]) : events.map(() => body)),
  reparse: (payload) => parseDeliveries({ body: [payload], headers: new Headers() }),
};
