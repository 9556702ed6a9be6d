// How the sandbox signs the webhook deliveries it sends, exactly as each provider does, plus
// builders for realistic delivery bodies. This is written apart from lib/webhooks/verify.ts on
// purpose: a verifier tested only against its own signer would agree with itself about any
// mistake. Both are pinned to the providers' published test vectors instead
// (tests/unit/webhooks/signing.test.ts and verify.test.ts).
import crypto from 'node:crypto';

type Bytes = string | Uint8Array;

const asBuffer = (value: Bytes) => (typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value));

function hmacSha256(key: Buffer | string, ...parts: Bytes[]): Buffer {
  const mac = crypto.createHmac('sha256', key);
  parts.forEach((part) => mac.update(asBuffer(part)));
  return mac.digest();
}

// ---------------------------------------------------------------------------------------------
// HubSpot

// developers.hubspot.com/docs/apps/developer-platform/build-apps/authentication/request-validation:
// before signing, HubSpot decodes these twelve escapes in the URI and no others.
const HUBSPOT_DECODES = new Map([
  ['%3A', ':'],
  ['%2F', '/'],
  ['%3F', '?'],
  ['%40', '@'],
  ['%21', '!'],
  ['%24', '$'],
  ['%27', "'"],
  ['%28', '('],
  ['%29', ')'],
  ['%2A', '*'],
  ['%2C', ','],
  ['%3B', ';'],
]);

/** The v3 headers of a HubSpot webhook request (plus the v1 signature HubSpot still sends beside it). */
export function signHubspotV3(options: { method: string; uri: string; body: Bytes; secret: string; timestampMs: number }): Record<string, string> {
  const timestamp = String(Math.trunc(options.timestampMs));
  const signedUri = options.uri.replace(/%[0-9a-fA-F]{2}/g, (escape) => HUBSPOT_DECODES.get(escape.toUpperCase()) ?? escape);
  const v3 = hmacSha256(options.secret, `${options.method.toUpperCase()}${signedUri}`, options.body, timestamp).toString('base64');
  // Webhooks-API deliveries also carry the legacy v1 signature: SHA-256 of secret + body.
  const v1 = crypto.createHash('sha256').update(Buffer.concat([asBuffer(options.secret), asBuffer(options.body)])).digest('hex');
  return {
    'X-HubSpot-Signature-v3': v3,
    'X-HubSpot-Request-Timestamp': timestamp,
    'X-HubSpot-Signature': v1,
    'X-HubSpot-Signature-Version': 'v1',
  };
}

export type HubspotEventInput = {
  subscriptionType: string;
  objectId: number;
  portalId?: number;
  appId?: number;
  subscriptionId?: number;
  eventId?: number;
  occurredAt?: number | Date;
  attemptNumber?: number;
  propertyName?: string;
  propertyValue?: string;
  changeSource?: string;
};

let nextHubspotEventId = 4_100_000_001;

/** A HubSpot delivery body: an array of events in the shape HubSpot posts them. */
export function hubspotEvents(
  events: HubspotEventInput[],
  defaults: { portalId: number; appId?: number; occurredAt?: number | Date } = { portalId: 62515 },
): Record<string, unknown>[] {
  return events.map((event) => {
    const occurredAt = event.occurredAt ?? defaults.occurredAt ?? Date.now();
    const action = event.subscriptionType.slice(event.subscriptionType.indexOf('.') + 1);
    return {
      eventId: event.eventId ?? nextHubspotEventId++,
      subscriptionId: event.subscriptionId ?? 5_100_001,
      portalId: event.portalId ?? defaults.portalId,
      appId: event.appId ?? defaults.appId ?? 7_100_001,
      occurredAt: occurredAt instanceof Date ? occurredAt.getTime() : occurredAt,
      subscriptionType: event.subscriptionType,
      attemptNumber: event.attemptNumber ?? 0,
      objectId: event.objectId,
      ...(event.propertyName !== undefined ? { propertyName: event.propertyName, propertyValue: event.propertyValue ?? '' } : {}),
      changeSource: event.changeSource ?? 'CRM',
      ...(action === 'creation' ? { changeFlag: 'NEW' } : action === 'deletion' ? { changeFlag: 'DELETED' } : {}),
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Square

/** Square's signature header: base64 HMAC-SHA256 over the subscription's notification URL then the body. */
export function signSquare(options: { notificationUrl: string; body: Bytes; signatureKey: string }): Record<string, string> {
  return {
    'x-square-hmacsha256-signature': hmacSha256(options.signatureKey, options.notificationUrl, options.body).toString('base64'),
  };
}

export type SquareEventType = 'customer.created' | 'customer.updated' | 'customer.deleted' | 'booking.created' | 'booking.updated';

/** A Square event notification body for a customer or booking, shaped like Square's reference examples. */
export function squareEvent(options: {
  merchantId: string;
  type: SquareEventType;
  /** The customer or booking as the Customers or Bookings API returns it. */
  object: { id: string; version?: number } & Record<string, unknown>;
  eventId?: string;
  createdAt?: Date | string;
  locationId?: string;
}): Record<string, unknown> {
  const kind = options.type.startsWith('booking.') ? 'booking' : 'customer';
  const createdAt = options.createdAt ?? new Date();
  return {
    merchant_id: options.merchantId,
    ...(options.locationId ? { location_id: options.locationId } : {}),
    type: options.type,
    event_id: options.eventId ?? crypto.randomUUID(),
    created_at: createdAt instanceof Date ? createdAt.toISOString() : createdAt,
    data: {
      type: kind,
      // Square identifies booking events by booking id and version, customers by customer id.
      id: kind === 'booking' ? `${options.object.id}:${options.object.version ?? 0}` : options.object.id,
      ...(options.type === 'customer.deleted' ? { deleted: true } : {}),
      object: { [kind]: options.object },
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Standard Webhooks

/** The three Standard Webhooks headers; several secrets give several signatures, as during rotation. */
export function signStandardWebhooks(options: { id: string; timestampSeconds: number; body: Bytes; secret: string | string[] }): Record<string, string> {
  const timestamp = String(Math.trunc(options.timestampSeconds));
  const secrets = Array.isArray(options.secret) ? options.secret : [options.secret];
  const signatures = secrets.map((secret) => {
    const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
    return `v1,${hmacSha256(key, `${options.id}.${timestamp}.`, options.body).toString('base64')}`;
  });
  return { 'webhook-id': options.id, 'webhook-timestamp': timestamp, 'webhook-signature': signatures.join(' ') };
}

// ---------------------------------------------------------------------------------------------
// Google Calendar push

/** The headers of a Google push notification (it has no body). */
export function googleChannelHeaders(options: {
  channelId: string;
  token?: string;
  resourceState: 'sync' | 'exists' | 'not_exists';
  messageNumber: number;
  resourceId: string;
  expiration?: Date;
  resourceUri?: string;
}): Record<string, string> {
  return {
    'X-Goog-Channel-ID': options.channelId,
    ...(options.token !== undefined ? { 'X-Goog-Channel-Token': options.token } : {}),
    // Human-readable, as Google sends it: "Tue, 19 Nov 2013 01:13:52 GMT".
    ...(options.expiration ? { 'X-Goog-Channel-Expiration': options.expiration.toUTCString() } : {}),
    'X-Goog-Resource-ID': options.resourceId,
    ...(options.resourceUri ? { 'X-Goog-Resource-URI': options.resourceUri } : {}),
    'X-Goog-Resource-State': options.resourceState,
    'X-Goog-Message-Number': String(options.messageNumber),
  };
}
