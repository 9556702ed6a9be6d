// HubSpot's webhook deliveries: an array of events signed with the app's client secret (v3:
// HMAC-SHA256 over method, URI, body and timestamp), sent when the control API changes contacts
// or deals or names the events itself.
import crypto from 'node:crypto';
import { z } from 'zod';
import { DataControlError } from '../../data';
import { defineDeliverer, sandboxClient, type SandboxWebhooks } from '../../provider';
import { asBuffer, hmacSha256, type Bytes } from '../../webhook-signing';
import { deliveryCommon, deliveryMutation, repeat, send, type SignedDelivery } from '../../webhook-delivery';
import { PROFILE, type HubSpotAccount } from './accounts';

const SIGNATURE_HEADER = 'X-HubSpot-Signature-v3';

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

/** A delivery of `body` to `url`, signed as HubSpot signs it (the app's client secret unless `secret`). */
function signed(url: string, body: string, options: { secret?: string; timestampMs?: number }): SignedDelivery {
  const { pathname, search, origin } = new URL(url);
  const headers = signHubspotV3({
    method: 'POST',
    uri: `${origin}${pathname}${search}`,
    body,
    secret: options.secret ?? sandboxClient(PROFILE.id).clientSecret,
    timestampMs: options.timestampMs ?? Date.now(),
  });
  return { url, headers, body, signatureHeader: SIGNATURE_HEADER };
}

const deliverSchema = z.object({
  provider: z.literal(PROFILE.id),
  url: z.string().url(),
  ...deliveryCommon,
  resource: z.enum(['contacts', 'deals']).default('contacts'),
  mutate: deliveryMutation.optional(),
  events: z.array(z.looseObject({ subscriptionType: z.string(), objectId: z.number() })).max(1000).optional(),
});

export const webhooks: SandboxWebhooks<HubSpotAccount> = {
  signatureHeader: SIGNATURE_HEADER,
  sample(_state, { url, account = PROFILE.accounts[0], secret, timestampMs }) {
    const events = hubspotEvents([{ subscriptionType: 'contact.propertyChange', objectId: 1_000_000_001, propertyName: 'lifecyclestage', propertyValue: 'lead' }], {
      portalId: account.hubId,
    });
    return signed(url, JSON.stringify(events), { secret, timestampMs });
  },
  deliver: defineDeliverer(deliverSchema, async ({ mutate }, request) => {
    const account = PROFILE.accounts.find((a) => a.id === (request.account ?? PROFILE.accounts[0].id));
    if (!account) throw new DataControlError(`No hubspot sandbox account ${request.account}`);
    const object = request.resource === 'contacts' ? 'contact' : 'deal';
    let changed;
    let inputs: HubspotEventInput[] = (request.events as HubspotEventInput[] | undefined) ?? [];
    if (request.mutate) {
      changed = mutate({ provider: PROFILE.id, account: account.id, resource: request.resource, ...request.mutate });
      inputs = [
        ...changed.created.map((id) => ({ subscriptionType: `${object}.creation`, objectId: Number(id) })),
        ...changed.updated.map((id) => ({
          subscriptionType: `${object}.propertyChange`,
          objectId: Number(id),
          propertyName: object === 'contact' ? 'lifecyclestage' : 'dealstage',
          propertyValue: 'changed',
        })),
        ...changed.deleted.map((id) => ({ subscriptionType: `${object}.deletion`, objectId: Number(id) })),
      ];
    }
    const body = JSON.stringify(hubspotEvents(inputs, { portalId: account.hubId }));
    const deliveries = await repeat(request.repeat, () =>
      send(signed(request.url, body, { secret: request.secret, timestampMs: Date.now() + (request.timestampOffsetMs ?? 0) }), request.tamper),
    );
    return { deliveries, mutation: changed, body: JSON.parse(body) as unknown };
  }),
};
