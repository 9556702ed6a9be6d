// Calendly webhook subscriptions (POST/GET/DELETE /webhook_subscriptions) and the deliveries they
// receive: { event, created_at, created_by, payload } where the payload is the invitee plus its
// scheduled event, signed "Calendly-Webhook-Signature: t=<seconds>,v1=<hex HMAC-SHA256(signing key,
// t + '.' + body)>" (https://developer.calendly.com/docs/webhooks/overview). The signer here is
// written apart from the app's verifier (lib/providers/calendly/signature.ts).
import crypto from 'node:crypto';
import { z } from 'zod';
import { getDataset } from '../../data';
import { isoMs } from '../../data-faults';
import { json, readJson, type RequestContext, type Route } from '../../http';
import { defineDeliverer, type SandboxWebhooks } from '../../provider';
import type { SandboxState } from '../../state';
import { deliveryCommon, deliveryMutation, post, repeat, tamperDelivery, type Answer, type SignedDelivery } from '../../webhook-delivery';
import { hmacSha256 } from '../../webhook-signing';
import { API, API_HOST, organizationUri, PROFILE, userUri, type CalendlyAccount } from './accounts';
import { eventsSpec, inviteesSpec, renderEvent, renderInvitee } from './data';
import { apiError, authorize } from './oauth';

export const SIGNATURE_HEADER = 'Calendly-Webhook-Signature';

export interface Subscription {
  id: string;
  account: string;
  callbackUrl: string;
  events: string[];
  signingKey: string | undefined;
  scope: string;
  createdAt: number;
  deleted: boolean;
}

interface Book {
  generation: object;
  subscriptions: Map<string, Subscription>;
}
const BOOKS = new WeakMap<SandboxState, Book>();

export function bookOf(state: SandboxState): Book {
  let book = BOOKS.get(state);
  if (!book || book.generation !== state.stats) {
    book = { generation: state.stats, subscriptions: new Map() };
    BOOKS.set(state, book);
  }
  return book;
}

const subscriptionBody = z.object({
  url: z.string().url(),
  events: z.array(z.enum(['invitee.created', 'invitee.canceled', 'invitee_no_show.created', 'invitee_no_show.deleted', 'routing_form_submission.created'])).min(1),
  organization: z.string().min(1),
  user: z.string().optional(),
  scope: z.enum(['user', 'organization', 'group']),
  signing_key: z.string().min(1).max(256).optional(),
});

function renderSubscription(subscription: Subscription, account: CalendlyAccount) {
  return {
    uri: `${API}/webhook_subscriptions/${subscription.id}`,
    callback_url: subscription.callbackUrl,
    created_at: isoMs(subscription.createdAt),
    updated_at: isoMs(subscription.createdAt),
    retry_started_at: null,
    state: 'active',
    events: subscription.events,
    scope: subscription.scope,
    organization: organizationUri(account),
    user: subscription.scope === 'user' ? userUri(account) : null,
    group: null,
    creator: userUri(account),
  };
}

const invalid = (parameter: string, message: string) => apiError(400, 'Invalid Argument', 'The supplied parameters are invalid.', [{ parameter, message }]);

const createRoute: Route = {
  method: 'POST',
  hosts: [API_HOST],
  path: '/webhook_subscriptions',
  handle(ctx) {
    const auth = authorize(ctx, 'webhooks:write');
    if (!auth.ok) return auth.reply;
    const raw = readJson(ctx);
    if (!raw.ok) return invalid('body', raw.reason);
    const parsed = subscriptionBody.safeParse(raw.value);
    if (!parsed.success) return invalid(parsed.error.issues[0]?.path.join('.') || 'body', parsed.error.issues[0]?.message ?? 'is invalid');
    const body = parsed.data;
    if (body.organization !== organizationUri(auth.account)) return apiError(403, 'Permission Denied', 'You do not have permission to access this organization');
    if (body.scope === 'user' && body.user !== userUri(auth.account)) return invalid('user', 'must be the authenticated user');
    const book = bookOf(ctx.state);
    // In one organization, subscriptions for the same user cannot share a URL.
    if ([...book.subscriptions.values()].some((s) => !s.deleted && s.account === auth.account.id && s.callbackUrl === body.url)) {
      return apiError(409, 'Already Exists', 'Hook with this url already exists');
    }
    const subscription: Subscription = {
      id: crypto.randomUUID(),
      account: auth.account.id,
      callbackUrl: body.url,
      events: body.events,
      signingKey: body.signing_key,
      scope: body.scope,
      createdAt: Date.now(),
      deleted: false,
    };
    book.subscriptions.set(subscription.id, subscription);
    return json(201, { resource: renderSubscription(subscription, auth.account) });
  },
};

const listRoute: Route = {
  method: 'GET',
  hosts: [API_HOST],
  path: '/webhook_subscriptions',
  handle(ctx) {
    const auth = authorize(ctx, 'webhooks:read');
    if (!auth.ok) return auth.reply;
    const collection = [...bookOf(ctx.state).subscriptions.values()]
      .filter((s) => !s.deleted && s.account === auth.account.id)
      .map((s) => renderSubscription(s, auth.account));
    return json(200, { collection, pagination: { count: collection.length, next_page: null, previous_page: null, next_page_token: null, previous_page_token: null } });
  },
};

const deleteRoute: Route = {
  method: 'DELETE',
  hosts: [API_HOST],
  path: '/webhook_subscriptions/{uuid}',
  pattern: /^\/webhook_subscriptions\/(?<uuid>[A-Za-z0-9-]+)$/,
  handle(ctx: RequestContext) {
    const auth = authorize(ctx, 'webhooks:write');
    if (!auth.ok) return auth.reply;
    const subscription = bookOf(ctx.state).subscriptions.get(ctx.params.uuid ?? '');
    if (!subscription || subscription.deleted || subscription.account !== auth.account.id) {
      return apiError(404, 'Resource Not Found', 'The server could not find the requested resource.');
    }
    subscription.deleted = true;
    return { status: 204 };
  },
};

export const subscriptionRoutes: Route[] = [createRoute, listRoute, deleteRoute];

/** The invitee.created / invitee.canceled body for one invitee, as Calendly sends it. */
function deliveryBody(state: SandboxState, account: CalendlyAccount, event: string, inviteeIndex?: number): string {
  // Rendering needs a request context only for its state.
  const ctx = { state } as RequestContext;
  const invitees = getDataset(state, inviteesSpec, account.id);
  const events = getDataset(state, eventsSpec, account.id);
  const index = inviteeIndex ?? Math.max(invitees.count - 1, 0);
  const invitee = invitees.count > 0 ? renderInvitee(ctx, invitees, index) : null;
  const eventIndex = invitee ? (invitees.fields(index).event_index as number) : 0;
  const scheduled = events.count > eventIndex ? renderEvent(ctx, events, eventIndex) : null;
  return JSON.stringify({
    created_at: new Date().toISOString(),
    created_by: userUri(account),
    event,
    payload: { ...(invitee ?? {}), scheduled_event: scheduled },
  });
}

/** Signs as Calendly does: t is whole seconds, v1 the hex digest of "t.body". */
export function sign(body: string, key: string, timestampMs: number): Record<string, string> {
  const t = String(Math.floor(timestampMs / 1000));
  return { [SIGNATURE_HEADER]: `t=${t},v1=${hmacSha256(key, `${t}.`, body).toString('hex')}` };
}

/** The callback URL the subscription gave, moved onto `url` (keeping the subscription's query: its channel). */
function target(subscription: Subscription, url: string | undefined): string {
  if (!url) return subscription.callbackUrl;
  const moved = new URL(url);
  new URL(subscription.callbackUrl).searchParams.forEach((value, name) => moved.searchParams.set(name, value));
  return moved.toString();
}

const deliverSchema = z.object({
  provider: z.literal(PROFILE.id),
  url: z.string().url().optional(),
  ...deliveryCommon,
  event: z.enum(['invitee.created', 'invitee.canceled']).default('invitee.created'),
  mutate: deliveryMutation.optional(),
});

export const webhooks: SandboxWebhooks<CalendlyAccount> = {
  signatureHeader: SIGNATURE_HEADER,
  /** invitee.created on the account's newest subscription (the one the app created), or on a made-up one. */
  sample(state, { url, account = PROFILE.accounts[0], secret, timestampMs }) {
    const open = [...bookOf(state).subscriptions.values()].filter((s) => !s.deleted && s.account === account.id);
    const subscription = open.at(-1);
    const body = deliveryBody(state, account, 'invitee.created');
    const key = secret ?? subscription?.signingKey ?? crypto.randomBytes(16).toString('base64url');
    return {
      // No subscription: a made-up one, named as the app names its own (the channel in the query).
      url: subscription ? target(subscription, url) : url && withMadeUpChannel(url),
      headers: sign(body, key, timestampMs ?? Date.now()),
      body,
      signatureHeader: SIGNATURE_HEADER,
    };
  },
  deliver: defineDeliverer(deliverSchema, async ({ state, mutate }, request) => {
    const accountId = request.account ?? PROFILE.accounts[0].id;
    const account = PROFILE.accounts.find((a) => a.id === accountId) ?? PROFILE.accounts[0];
    const changed = request.mutate ? mutate({ provider: PROFILE.id, account: account.id, resource: 'invitees', ...request.mutate }) : undefined;
    const subscriptions = [...bookOf(state).subscriptions.values()].filter((s) => !s.deleted && s.account === account.id && s.events.includes(request.event));
    const deliveries: Answer[] = [];
    for (const subscription of subscriptions) {
      deliveries.push(
        ...(await repeat(request.repeat, () => {
          const body = deliveryBody(state, account, request.event);
          const signed: SignedDelivery = {
            url: target(subscription, request.url),
            headers: sign(body, request.secret ?? subscription.signingKey ?? '', Date.now() + (request.timestampOffsetMs ?? 0)),
            body,
            signatureHeader: SIGNATURE_HEADER,
          };
          const sent = tamperDelivery(signed, request.tamper);
          return post(sent.url, { 'content-type': 'application/json', ...sent.headers }, sent.body);
        })),
      );
    }
    return { deliveries, mutation: changed };
  }),
  control: {
    'calendly-subscriptions': (state) =>
      [...bookOf(state).subscriptions.values()].map(({ signingKey, ...rest }) => ({ ...rest, hasSigningKey: Boolean(signingKey) })),
  },
};

/** `url` naming a channel nobody opened, where the app's own subscriptions carry theirs. */
function withMadeUpChannel(url: string): string {
  const made = new URL(url);
  made.searchParams.set('channel', crypto.randomUUID());
  return made.toString();
}
