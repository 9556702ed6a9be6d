// Acuity's dynamic webhooks (POST/GET/DELETE /api/v1/webhooks, at most 25 per account) and their
// deliveries: form-encoded action, id, calendarID, appointmentTypeID, signed
// "X-Acuity-Signature: base64(HMAC-SHA256(API key, raw body))"
// (https://developers.acuityscheduling.com/docs/webhooks). The signer is written apart from the
// app's verifier (lib/providers/acuity/signature.ts).
import { z } from 'zod';
import { getDataset } from '../../data';
import { json, readJson, type Route } from '../../http';
import { defineDeliverer, sandboxClient, type SandboxWebhooks } from '../../provider';
import type { SandboxState } from '../../state';
import { deliveryCommon, deliveryMutation, post, repeat, tamperDelivery, type Answer, type SignedDelivery } from '../../webhook-delivery';
import { hmacSha256 } from '../../webhook-signing';
import { API_HOST, PROFILE, type AcuityAccount } from './accounts';
import { acuityError, appointmentsSpec, authorize } from './api';

export const SIGNATURE_HEADER = 'X-Acuity-Signature';
const EVENTS = ['appointment.scheduled', 'appointment.rescheduled', 'appointment.canceled', 'appointment.changed', 'order.completed'] as const;

export interface Subscription {
  id: number;
  account: string;
  /** What Acuity signs its deliveries with: the API key, or (unverified) the OAuth app's client secret. */
  signingKey: string;
  event: string;
  target: string;
  deleted: boolean;
}

interface Book {
  generation: object;
  subscriptions: Map<number, Subscription>;
  serial: number;
}
const BOOKS = new WeakMap<SandboxState, Book>();

export function bookOf(state: SandboxState): Book {
  let book = BOOKS.get(state);
  if (!book || book.generation !== state.stats) {
    book = { generation: state.stats, subscriptions: new Map(), serial: 500 };
    BOOKS.set(state, book);
  }
  return book;
}

const render = (s: Subscription) => ({ id: s.id, event: s.event, target: s.target, status: 'active', errorCount: 0, errorTime: null, errorMessage: null });

export const subscriptionRoutes: Route[] = [
  {
    method: 'POST',
    hosts: [API_HOST],
    path: '/api/v1/webhooks',
    handle(ctx) {
      const auth = authorize(ctx);
      if (!auth.ok) return auth.reply;
      const raw = readJson(ctx);
      const body = z.object({ event: z.enum(EVENTS), target: z.string().url() }).safeParse(raw.ok ? raw.value : null);
      if (!body.success) return acuityError(400, 'event and target are required; event must be one Acuity sends.', 'invalid_webhook');
      const book = bookOf(ctx.state);
      const live = [...book.subscriptions.values()].filter((s) => !s.deleted && s.account === auth.account.id);
      if (live.length >= 25) return acuityError(400, 'A maximum of 25 webhooks can be created.', 'too_many_webhooks');
      const signingKey = auth.basic ? auth.account.apiKey : sandboxClient(PROFILE.id).clientSecret;
      const subscription: Subscription = { id: ++book.serial, account: auth.account.id, signingKey, event: body.data.event, target: body.data.target, deleted: false };
      book.subscriptions.set(subscription.id, subscription);
      return json(200, render(subscription));
    },
  },
  {
    method: 'GET',
    hosts: [API_HOST],
    path: '/api/v1/webhooks',
    handle(ctx) {
      const auth = authorize(ctx);
      if (!auth.ok) return auth.reply;
      return json(200, [...bookOf(ctx.state).subscriptions.values()].filter((s) => !s.deleted && s.account === auth.account.id).map(render));
    },
  },
  {
    method: 'DELETE',
    hosts: [API_HOST],
    path: '/api/v1/webhooks/{id}',
    pattern: /^\/api\/v1\/webhooks\/(?<id>\d+)$/,
    handle(ctx) {
      const auth = authorize(ctx);
      if (!auth.ok) return auth.reply;
      const subscription = bookOf(ctx.state).subscriptions.get(Number(ctx.params.id));
      if (!subscription || subscription.deleted || subscription.account !== auth.account.id) return acuityError(404, 'The webhook was not found.', 'not_found');
      subscription.deleted = true;
      return { status: 204 };
    },
  },
];

/** The notification for the account's newest appointment (or the one given). */
function notificationBody(state: SandboxState, account: AcuityAccount, action: string, id?: string): string {
  const dataset = getDataset(state, appointmentsSpec, account.id);
  const index = id !== undefined ? (dataset.indexOf(id) ?? 0) : Math.max(dataset.count - 1, 0);
  const fields = dataset.count > 0 ? dataset.fields(index) : { calendarId: 11, typeId: 1 };
  const appointmentId = dataset.count > 0 ? dataset.idOf(index) : '100000000';
  return new URLSearchParams({ action, id: appointmentId, calendarID: String(fields.calendarId), appointmentTypeID: String(fields.typeId) }).toString();
}

export function sign(body: string, apiKey: string): Record<string, string> {
  return { [SIGNATURE_HEADER]: hmacSha256(apiKey, body).toString('base64') };
}

function target(subscription: Subscription, url: string | undefined): string {
  if (!url) return subscription.target;
  const moved = new URL(url);
  new URL(subscription.target).searchParams.forEach((value, name) => moved.searchParams.set(name, value));
  return moved.toString();
}

const deliverSchema = z.object({
  provider: z.literal(PROFILE.id),
  url: z.string().url().optional(),
  ...deliveryCommon,
  action: z.enum(['scheduled', 'rescheduled', 'canceled']).default('scheduled'),
  mutate: deliveryMutation.optional(),
});

export const webhooks: SandboxWebhooks<AcuityAccount> = {
  signatureHeader: SIGNATURE_HEADER,
  /** "scheduled" on the account's newest appointment.scheduled subscription (the app's), or unsubscribed. */
  sample(state, { url, account = PROFILE.accounts[0], secret }) {
    const subscription = [...bookOf(state).subscriptions.values()].filter((s) => !s.deleted && s.account === account.id && s.event === 'appointment.scheduled').at(-1);
    const body = notificationBody(state, account, 'scheduled');
    return {
      // No subscription: a made-up one, named as the app names its own (the channel in the query).
      url: subscription ? target(subscription, url) : url && withMadeUpChannel(url),
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...sign(body, secret ?? subscription?.signingKey ?? account.apiKey) },
      body,
      signatureHeader: SIGNATURE_HEADER,
    };
  },
  deliver: defineDeliverer(deliverSchema, async ({ state, mutate }, request) => {
    const account = PROFILE.accounts.find((a) => a.id === request.account) ?? PROFILE.accounts[0];
    const changed = request.mutate ? mutate({ provider: PROFILE.id, account: account.id, resource: 'appointments', ...request.mutate }) : undefined;
    const subscriptions = [...bookOf(state).subscriptions.values()].filter((s) => !s.deleted && s.account === account.id && s.event === `appointment.${request.action}`);
    const touched = changed ? [...changed.created, ...changed.updated, ...changed.deleted] : [];
    const deliveries: Answer[] = [];
    for (const subscription of subscriptions) {
      for (const id of touched.length > 0 ? touched : [undefined]) {
        deliveries.push(
          ...(await repeat(request.repeat, () => {
            const body = notificationBody(state, account, request.action, id);
            const signed: SignedDelivery = { url: target(subscription, request.url), headers: sign(body, request.secret ?? subscription.signingKey), body, signatureHeader: SIGNATURE_HEADER };
            const sent = tamperDelivery(signed, request.tamper);
            return post(sent.url, { 'content-type': 'application/x-www-form-urlencoded', ...sent.headers }, sent.body);
          })),
        );
      }
    }
    return { deliveries, mutation: changed };
  }),
  control: { 'acuity-subscriptions': (state) => [...bookOf(state).subscriptions.values()].map(({ signingKey, ...rest }) => ({ ...rest, signedWith: signingKey.startsWith('sandbox-secret-') ? 'client_secret' : 'api_key' })) },
};

/** `url` naming a channel nobody opened, where the app's own subscriptions carry theirs. */
function withMadeUpChannel(url: string): string {
  const made = new URL(url);
  made.searchParams.set('channel', crypto.randomUUID());
  return made.toString();
}
