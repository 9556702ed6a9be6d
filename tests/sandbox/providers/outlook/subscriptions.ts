// Microsoft Graph change-notification subscriptions in the sandbox
// (https://learn.microsoft.com/graph/api/subscription-post-subscriptions,
// https://learn.microsoft.com/graph/change-notifications-delivery-webhooks):
// - POST /v1.0/subscriptions validates first: it POSTs `?validationToken=<token>` (text/plain, no
//   body) to the notificationUrl and the lifecycleNotificationUrl and creates nothing unless each
//   answers 200 with exactly the token within 10 seconds (400 ValidationError otherwise).
// - PATCH renews (a new expirationDateTime, at most 10,080 minutes ahead); DELETE ends one.
// - Notifications are { value: [...] } posted as JSON, clientState included; lifecycle
//   notifications (reauthorizationRequired, subscriptionRemoved, missed) go to the lifecycle URL.
import crypto from 'node:crypto';
import { z } from 'zod';
import { isoMs } from '../../data-faults';
import { json, readJson, type Route } from '../../http';
import type { SandboxState } from '../../state';
import { post, type Answer } from '../../webhook-delivery';
import { calendarsOf } from './events';
import { authorize, GRAPH_HOST, graphError } from './graph';

export const MAX_SUBSCRIPTION_MINUTES = 10_080;
export const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';

export type LifecycleEvent = 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed';

export interface Subscription {
  id: string;
  account: string;
  calendarId: string;
  resource: string;
  changeType: string;
  notificationUrl: string;
  lifecycleNotificationUrl: string | null;
  clientState: string | undefined;
  expiration: number;
  /** rejected: the validation handshake failed, so Graph never created it (kept for read-outs and samples). */
  status: 'active' | 'deleted' | 'rejected';
}

interface Book {
  generation: object;
  subscriptions: Map<string, Subscription>;
  creates: number;
  renewals: number;
  deletes: number;
  validations: { url: string; ok: boolean }[];
}

const BOOKS = new WeakMap<SandboxState, Book>();

export function bookOf(state: SandboxState): Book {
  let book = BOOKS.get(state);
  if (!book || book.generation !== state.stats) {
    book = { generation: state.stats, subscriptions: new Map(), creates: 0, renewals: 0, deletes: 0, validations: [] };
    BOOKS.set(state, book);
  }
  return book;
}

const createBody = z.object({
  changeType: z.string().regex(/^(created|updated|deleted)(,(created|updated|deleted))*$/),
  notificationUrl: z.string().url(),
  lifecycleNotificationUrl: z.string().url().optional(),
  resource: z.string().min(1),
  expirationDateTime: z.string(),
  clientState: z.string().max(128).optional(),
});

/** Real Graph posts only to public HTTPS; the sandbox also reaches this machine over HTTP. */
function reachable(address: string): boolean {
  const url = new URL(address);
  return url.protocol === 'https:' || (url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname));
}

/** Graph's validation request: the endpoint must echo the token, as text, with 200, in 10 seconds. */
async function validate(book: Book, address: string): Promise<boolean> {
  const token = `Validation: Testing client application reachability for subscription Request-Id: ${crypto.randomUUID()}`;
  const url = new URL(address);
  url.searchParams.set('validationToken', token);
  let ok = false;
  try {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/plain; charset=utf-8' }, signal: AbortSignal.timeout(10_000) });
    ok = response.status === 200 && (await response.text()) === token;
  } catch {
    ok = false;
  }
  book.validations.push({ url: address, ok });
  return ok;
}

const render = (s: Subscription) => ({
  '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#subscriptions/$entity',
  id: s.id,
  resource: s.resource,
  applicationId: '24d3b144-21ae-4080-943f-7067b395b913',
  changeType: s.changeType,
  clientState: s.clientState ?? null,
  notificationUrl: s.notificationUrl,
  lifecycleNotificationUrl: s.lifecycleNotificationUrl,
  expirationDateTime: isoMs(s.expiration).replace(/\.\d{3}Z$/, 'Z'),
  creatorId: s.account,
  latestSupportedTlsVersion: 'v1_2',
  notificationContentType: 'application/json',
});

function expirationFrom(value: string): number | string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return 'expirationDateTime is not a date-time.';
  if (ms <= Date.now()) return 'Subscription expiration can only be in the future.';
  if (ms > Date.now() + MAX_SUBSCRIPTION_MINUTES * 60_000) return `Subscription expiration can only be ${MAX_SUBSCRIPTION_MINUTES} minutes in the future.`;
  return ms;
}

const createRoute: Route = {
  method: 'POST',
  hosts: [GRAPH_HOST],
  path: '/v1.0/subscriptions',
  async handle(ctx) {
    const auth = authorize(ctx);
    if (!auth.ok) return auth.reply;
    const raw = readJson(ctx);
    if (!raw.ok) return graphError(400, 'InvalidRequest', raw.reason);
    const body = createBody.safeParse(raw.value);
    if (!body.success) return graphError(400, 'InvalidRequest', `Invalid subscription: ${body.error.issues.map((i) => i.path.join('.')).join(', ')}`);
    const match = /^\/?me\/calendars\/([^/]+)\/events$/.exec(body.data.resource);
    const calendar = match ? calendarsOf(auth.account).find((c) => c.id === match[1]) : undefined;
    if (!calendar) return graphError(400, 'ExtensionError', `Resource '${body.data.resource}' is not supported by the sandbox or does not exist.`);
    const expiration = expirationFrom(body.data.expirationDateTime);
    if (typeof expiration === 'string') return graphError(400, 'ExtensionError', expiration);
    for (const url of [body.data.notificationUrl, body.data.lifecycleNotificationUrl]) {
      if (url && !reachable(url)) return graphError(400, 'ValidationError', 'The Notification Url must be HTTPS.');
    }
    const book = bookOf(ctx.state);
    const subscription: Subscription = {
      id: crypto.randomUUID(),
      account: auth.account,
      calendarId: calendar.id,
      resource: body.data.resource,
      changeType: body.data.changeType,
      notificationUrl: body.data.notificationUrl,
      lifecycleNotificationUrl: body.data.lifecycleNotificationUrl ?? null,
      clientState: body.data.clientState,
      expiration,
      status: 'rejected',
    };
    book.subscriptions.set(subscription.id, subscription);
    for (const url of [subscription.notificationUrl, subscription.lifecycleNotificationUrl]) {
      if (url && !(await validate(book, url))) {
        return graphError(400, 'ValidationError', 'Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.');
      }
    }
    subscription.status = 'active';
    book.creates += 1;
    return json(201, render(subscription));
  },
};

function findOwn(state: SandboxState, account: string, id: string): Subscription | undefined {
  const found = bookOf(state).subscriptions.get(id);
  return found && found.status === 'active' && found.account === account ? found : undefined;
}

const notFound = (id: string) => graphError(404, 'ResourceNotFound', `The object '${id}' doesn't exist.`);

const subscriptionRoutes: Route[] = [
  createRoute,
  {
    method: 'PATCH',
    hosts: [GRAPH_HOST],
    path: '/v1.0/subscriptions/{id}',
    pattern: /^\/v1\.0\/subscriptions\/(?<id>[^/]+)$/,
    handle(ctx) {
      const auth = authorize(ctx);
      if (!auth.ok) return auth.reply;
      const subscription = findOwn(ctx.state, auth.account, ctx.params.id);
      if (!subscription) return notFound(ctx.params.id);
      const raw = readJson(ctx);
      const value = raw.ok ? raw.value.expirationDateTime : undefined;
      if (typeof value !== 'string') return graphError(400, 'InvalidRequest', 'expirationDateTime is required.');
      const expiration = expirationFrom(value);
      if (typeof expiration === 'string') return graphError(400, 'ExtensionError', expiration);
      subscription.expiration = expiration;
      bookOf(ctx.state).renewals += 1;
      return json(200, render(subscription));
    },
  },
  {
    method: 'DELETE',
    hosts: [GRAPH_HOST],
    path: '/v1.0/subscriptions/{id}',
    pattern: /^\/v1\.0\/subscriptions\/(?<id>[^/]+)$/,
    handle(ctx) {
      const auth = authorize(ctx);
      if (!auth.ok) return auth.reply;
      const subscription = findOwn(ctx.state, auth.account, ctx.params.id);
      if (!subscription) return notFound(ctx.params.id);
      subscription.status = 'deleted';
      bookOf(ctx.state).deletes += 1;
      return { status: 204, headers: {} };
    },
  },
];

export { subscriptionRoutes };

/** A change notification for an event of the subscription's calendar. */
export function changeNotification(subscription: Subscription, eventId: string, changeType: 'created' | 'updated' | 'deleted', clientState = subscription.clientState) {
  return {
    subscriptionId: subscription.id,
    subscriptionExpirationDateTime: isoMs(subscription.expiration),
    changeType,
    resource: `Users/${subscription.account}/Events/${eventId}`,
    resourceData: {
      '@odata.type': '#Microsoft.Graph.Event',
      '@odata.id': `Users/${subscription.account}/Events/${eventId}`,
      '@odata.etag': `W/"${crypto.randomBytes(12).toString('base64')}"`,
      id: eventId,
    },
    ...(clientState !== undefined ? { clientState } : {}),
    tenantId: TENANT_ID,
  };
}

export function lifecycleNotification(subscription: Subscription, lifecycleEvent: LifecycleEvent, clientState = subscription.clientState) {
  return {
    subscriptionId: subscription.id,
    subscriptionExpirationDateTime: isoMs(subscription.expiration),
    tenantId: TENANT_ID,
    ...(clientState !== undefined ? { clientState } : {}),
    lifecycleEvent,
  };
}

export function notify(url: string, items: unknown[]): Promise<Answer> {
  return post(url, { 'content-type': 'application/json; charset=utf-8' }, JSON.stringify({ value: items }));
}

/** GET /_sandbox/webhooks/subscriptions: the subscriptions (clientState withheld) and the calls that came. */
export function subscriptionsReadout(state: SandboxState) {
  const book = bookOf(state);
  const subscriptions = [...book.subscriptions.values()].map(({ clientState: _secret, ...s }) => ({ ...s, expiration: isoMs(s.expiration) }));
  return { subscriptions, creates: book.creates, renewals: book.renewals, deletes: book.deletes, validations: book.validations };
}
