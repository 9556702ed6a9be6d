// Mindbody's Webhooks API in the sandbox (push-api.mindbodyonline.com/api/v1, header API-Key ✔; see
// lib/providers/mindbody/webhooks.ts for the sources) and the deliveries it sends:
//  - POST /subscriptions {eventIds, eventSchemaVersion: 1, referenceId, webhookUrl}: first probes the
//    webhookUrl with HEAD ~ and refuses the subscription when the app answers anything but 2xx
//    (an address it cannot reach at all, as in tests without a running app, is recorded as
//    "unreachable" and accepted); answers the subscription with its messageSignatureKey (only
//    here ✔) and status PendingActivation ✔.
//  - PATCH /subscriptions/{id} {status: "Active"} activates it ✔; DELETE deactivates it ✔
//    (DeactivatedByUser); an unknown id answers 404.
//  - Deliveries go only to Active subscriptions, one event per POST, signed
//    `X-Mindbody-Signature: sha256=` + base64(HMAC-SHA256(messageSignatureKey, body)) ~.
import crypto from 'node:crypto';
import { z } from 'zod';
import { defineDeliverer, type SandboxWebhooks } from '../../provider';
import { json, readJson, type Reply, type Route } from '../../http';
import type { SandboxState } from '../../state';
import { hmacSha256 } from '../../webhook-signing';
import { deliveryCommon, deliveryMutation, repeat, send, type Answer, type SignedDelivery } from '../../webhook-delivery';
import { PROFILE, type MindbodySite } from './accounts';
import { MINDBODY_SANDBOX_KEY } from './site';

export const PUSH_HOST = 'push-api.mindbodyonline.com';
const PUSH_BASE = '/api/v1';
export const SIGNATURE_HEADER = 'X-Mindbody-Signature';

export interface Subscription {
  subscriptionId: string;
  referenceId: string;
  webhookUrl: string;
  eventIds: string[];
  messageSignatureKey: string;
  status: 'PendingActivation' | 'Active' | 'DeactivatedByUser';
  probe: 'ok' | 'unreachable';
  createdAt: string;
}

interface Book {
  generation: unknown;
  subscriptions: Map<string, Subscription>;
}
const BOOKS = new WeakMap<SandboxState, Book>();

/** The subscriptions the app made, forgotten on reset. */
export function subscriptionsOf(state: SandboxState): Map<string, Subscription> {
  let book = BOOKS.get(state);
  if (!book || book.generation !== state.stats) {
    book = { generation: state.stats, subscriptions: new Map() };
    BOOKS.set(state, book);
  }
  return book.subscriptions;
}

const pushError = (status: number, code: string, message: string): Reply => json(status, { errorInformation: [{ errorCode: code, errorMessage: message }], isSuccess: false });

const view = (s: Subscription) => ({
  subscriptionId: s.subscriptionId,
  referenceId: s.referenceId,
  webhookUrl: s.webhookUrl,
  eventIds: s.eventIds,
  eventSchemaVersion: 1,
  status: s.status,
  subscriptionCreationDateTime: s.createdAt,
  statusChangeDate: s.createdAt,
});

const createBody = z.object({
  eventIds: z.array(z.string().min(1)).min(1),
  eventSchemaVersion: z.literal(1),
  referenceId: z.string().max(200).optional(),
  webhookUrl: z.string().url(),
});

/** The HEAD probe of a new subscription's address: true (2xx), false (refused) or null (unreachable). */
async function probe(url: string): Promise<boolean | null> {
  try {
    const response = await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(5_000) });
    return response.ok;
  } catch {
    return null;
  }
}

const keyOk = (headers: Record<string, string | string[] | undefined>) => headers['api-key'] === MINDBODY_SANDBOX_KEY;

export const mindbodyPushRoutes: Route[] = [
  {
    method: 'POST',
    hosts: [PUSH_HOST],
    path: `${PUSH_BASE}/subscriptions`,
    async handle(ctx) {
      if (!keyOk(ctx.headers)) return pushError(401, 'Unauthorized', 'The API-Key header is missing or invalid.');
      ctx.state.countDataRequest('mindbody.subscriptions');
      const raw = readJson(ctx);
      const parsed = raw.ok ? createBody.safeParse(raw.value) : null;
      if (!parsed?.success) return pushError(400, 'InvalidRequest', 'eventIds, eventSchemaVersion (1) and webhookUrl are required.');
      const probed = await probe(parsed.data.webhookUrl);
      if (probed === false) return pushError(400, 'InvalidWebhookUrl', 'The webhookUrl did not answer the HEAD request with 2xx.');
      const subscription: Subscription = {
        subscriptionId: crypto.randomUUID(),
        referenceId: parsed.data.referenceId ?? '',
        webhookUrl: parsed.data.webhookUrl,
        eventIds: parsed.data.eventIds,
        messageSignatureKey: crypto.randomBytes(24).toString('base64'),
        status: 'PendingActivation',
        probe: probed ? 'ok' : 'unreachable',
        createdAt: new Date().toISOString(),
      };
      subscriptionsOf(ctx.state).set(subscription.subscriptionId, subscription);
      return json(200, { ...view(subscription), messageSignatureKey: subscription.messageSignatureKey });
    },
  },
  {
    method: 'PATCH',
    hosts: [PUSH_HOST],
    pattern: new RegExp(`^${PUSH_BASE}/subscriptions/(?<id>[^/]+)$`),
    path: `${PUSH_BASE}/subscriptions/{id}`,
    handle(ctx) {
      if (!keyOk(ctx.headers)) return pushError(401, 'Unauthorized', 'The API-Key header is missing or invalid.');
      const subscription = subscriptionsOf(ctx.state).get(ctx.params.id ?? '');
      if (!subscription) return pushError(404, 'NotFound', 'No such subscription.');
      const raw = readJson(ctx);
      const status = raw.ok ? raw.value.status : undefined;
      if (status !== 'Active' && status !== 'DeactivatedByUser') return pushError(400, 'InvalidRequest', 'status must be Active or DeactivatedByUser.');
      subscription.status = status;
      return json(200, view(subscription));
    },
  },
  {
    method: 'DELETE',
    hosts: [PUSH_HOST],
    pattern: new RegExp(`^${PUSH_BASE}/subscriptions/(?<id>[^/]+)$`),
    path: `${PUSH_BASE}/subscriptions/{id}`,
    handle(ctx) {
      if (!keyOk(ctx.headers)) return pushError(401, 'Unauthorized', 'The API-Key header is missing or invalid.');
      const subscription = subscriptionsOf(ctx.state).get(ctx.params.id ?? '');
      if (!subscription) return pushError(404, 'NotFound', 'No such subscription.');
      subscription.status = 'DeactivatedByUser';
      return json(200, { message: 'Subscription deactivated successfully.', deactivationDateTime: new Date().toISOString(), subscriptionId: subscription.subscriptionId, referenceId: subscription.referenceId });
    },
  },
];

/** One event as Mindbody posts it ~. */
export function eventBody(eventId: string, site: MindbodySite, eventData: Record<string, unknown> = {}): string {
  return JSON.stringify({
    messageId: crypto.randomBytes(12).toString('base64url'),
    eventId,
    eventSchemaVersion: 1,
    eventInstanceOriginationDateTime: new Date().toISOString(),
    eventData: { siteId: site.siteId, ...eventData },
  });
}

export const signatureOf = (key: string, body: string) => `sha256=${hmacSha256(key, body).toString('base64')}`;

/** The delivery of `body` to a subscription: to `url` when given (keeping the subscription's query), else its webhookUrl. */
export function signedFor(subscription: Pick<Subscription, 'webhookUrl' | 'messageSignatureKey'>, body: string, options: { url?: string; secret?: string } = {}): SignedDelivery {
  let url = subscription.webhookUrl;
  if (options.url) {
    const target = new URL(options.url);
    new URL(subscription.webhookUrl).searchParams.forEach((value, name) => target.searchParams.set(name, value));
    url = target.toString();
  }
  return { url, headers: { [SIGNATURE_HEADER]: signatureOf(options.secret ?? subscription.messageSignatureKey, body) }, body, signatureHeader: SIGNATURE_HEADER };
}

/** The newest active subscription (the app's), if any. */
function newestActive(state: SandboxState): Subscription | undefined {
  return [...subscriptionsOf(state).values()].filter((s) => s.status === 'Active').at(-1);
}

const EVENTS = {
  clients: 'client.updated',
  appointments: 'appointmentBooking.updated',
  class_visits: 'classRosterBookingStatus.updated',
} as const;

const deliverSchema = z.object({
  provider: z.literal(PROFILE.id),
  url: z.string().url().optional(),
  ...deliveryCommon,
  resource: z.enum(['clients', 'appointments', 'class_visits']).default('clients'),
  eventId: z.string().min(1).max(100).optional(),
  mutate: deliveryMutation.optional(),
});

export const webhooks: SandboxWebhooks<MindbodySite> = {
  signatureHeader: SIGNATURE_HEADER,
  /**
   * An event signed with the newest active subscription's key (the one the app made), else with a
   * made-up subscription's, naming a channel nobody opened.
   */
  sample(state, { url, account = PROFILE.accounts[0], secret }) {
    const madeUp = () => ({ webhookUrl: `${url}?channel=${crypto.randomUUID()}`, messageSignatureKey: crypto.randomBytes(24).toString('base64') });
    const subscription = newestActive(state) ?? madeUp();
    return signedFor(subscription, eventBody('client.updated', account, { clientId: '100001' }), { url, secret });
  },
  deliver: defineDeliverer(deliverSchema, async ({ state, mutate }, request) => {
    const site = PROFILE.accounts.find((a) => a.id === request.account) ?? PROFILE.accounts[0];
    const changed = request.mutate ? mutate({ provider: PROFILE.id, account: site.id, resource: request.resource, ...request.mutate }) : undefined;
    const deliveries: Answer[] = [];
    for (const subscription of [...subscriptionsOf(state).values()].filter((s) => s.status === 'Active')) {
      const body = eventBody(request.eventId ?? EVENTS[request.resource], site);
      const delivery = signedFor(subscription, body, { url: request.url, secret: request.secret });
      deliveries.push(...(await repeat(request.repeat, () => send(delivery, request.tamper))));
    }
    return { deliveries, mutation: changed };
  }),
  // What Mindbody would show, and how the HEAD probe of the address went (never the key).
  control: { 'mindbody-subscriptions': (state) => [...subscriptionsOf(state).values()].map((s) => ({ ...view(s), probe: s.probe })) },
};
