// Microsoft Graph change notifications (https://learn.microsoft.com/graph/change-notifications-delivery-webhooks,
// source: github.com/microsoftgraph/microsoft-graph-docs-contrib concepts/change-notifications-delivery-webhooks.md).
// - Validation: creating a subscription makes Graph POST `?validationToken=…` (Content-Type
//   text/plain) to our URL; we echo the token, URL-decoded, as text/plain with 200 within 10
//   seconds, or nothing is created. That answer is `handshake` below (before any verification, no
//   database). Graph "never sends any value containing HTML or JavaScript code", so a token with
//   markup is refused rather than reflected.
// - Notifications: { value: [ { subscriptionId, clientState, changeType, resource, resourceData, … } ] }.
//   There is no signature: clientState, the channel's random token, must match on every item
//   (compared in constant time, as digests). It is never stored: the stored payload drops it.
// - Lifecycle notifications (https://learn.microsoft.com/graph/change-notifications-lifecycle-events)
//   arrive at the same URL with `lifecycleEvent`: reauthorizationRequired and subscriptionRemoved
//   ask for the subscription to be renewed or recreated (the kit replaces the channel: `renew`),
//   missed says notifications were dropped (an incremental sync catches up).
// A notification carries no record we could store, so every change becomes an incremental sync.
import crypto from 'node:crypto';
import { z } from 'zod';
import type { DeliveryInput, ParsedDelivery } from '@/lib/webhooks/types';
import { equalDigests, fail, OK, sha256, utf8, type SignatureCheck } from '@/lib/webhooks/verify';
import type { ProviderWebhooks } from '../types';
import { listCalendars } from './resources';
import { CHANNEL_PARAM, createSubscription, deleteSubscription } from './subscriptions';

/** Graph's tokens are opaque; anything longer than this is not one of them. */
const MAX_VALIDATION_TOKEN = 2048;

const notification = z
  .object({
    subscriptionId: z.string().trim().min(1).max(200),
    clientState: z.string().max(255).optional(),
    changeType: z.string().max(100).optional(),
    lifecycleEvent: z.string().max(100).optional(),
    resource: z.string().max(2000).optional(),
    subscriptionExpirationDateTime: z.string().max(100).optional(),
    id: z.string().max(200).optional(),
    resourceData: z.object({ id: z.string().optional() }).passthrough().optional(),
  })
  .passthrough();
const notifications = z.object({ value: z.array(notification).min(1).max(1000) }).passthrough();

/** Graph's validation request: answered with the token, else null (not a handshake). */
export function validationHandshake(request: Request): Response | null {
  if (request.method !== 'POST') return null;
  const token = new URL(request.url).searchParams.get('validationToken');
  if (token === null) return null;
  if (token.length === 0 || token.length > MAX_VALIDATION_TOKEN || /[\u0000-\u001f<>]/.test(token)) {
    return new Response('Bad validation token', { status: 400, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  }
  // Echoed as plain text only (nosniff): never rendered as a document.
  return new Response(token, {
    status: 200,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' },
  });
}

/** Every notification in the body must carry the channel's clientState. */
export const clientStateCheck: SignatureCheck = ({ body, secret }) => {
  let parsed: z.infer<typeof notifications>;
  try {
    parsed = notifications.parse(JSON.parse(body.toString('utf8')));
  } catch {
    return fail('the body is not a Microsoft Graph notification collection');
  }
  const expected = sha256(utf8(secret));
  for (const item of parsed.value) {
    if (item.clientState === undefined) return fail('a notification carries no clientState');
    if (!equalDigests(expected, sha256(utf8(item.clientState)))) return fail('clientState does not match the subscription');
  }
  return OK;
};

const withoutClientState = (item: Record<string, unknown>) => {
  const { clientState: _secret, ...rest } = item;
  return rest;
};

export function parseNotifications({ body }: DeliveryInput): ParsedDelivery[] {
  const { value } = notifications.parse(body);
  return value.map((item) => {
    const kept = withoutClientState(item);
    // Graph's own id when it sends one; else the item itself (its etag differs per change).
    const eventId = item.id ?? `${item.subscriptionId}:${crypto.createHash('sha256').update(JSON.stringify(kept)).digest('base64url')}`;
    const lifecycle = item.lifecycleEvent;
    const change: ParsedDelivery['change'] =
      lifecycle === 'reauthorizationRequired' || lifecycle === 'subscriptionRemoved'
        ? { kind: 'renew', channelRef: item.subscriptionId }
        : lifecycle === undefined || lifecycle === 'missed'
          ? { kind: 'sync' }
          : { kind: 'none' };
    const details: Record<string, string> = {};
    if (item.subscriptionExpirationDateTime) details.subscriptionExpirationDateTime = item.subscriptionExpirationDateTime;
    if (item.resourceData?.id) details.eventId = item.resourceData.id;
    return {
      eventId,
      eventType: lifecycle ?? item.changeType ?? 'notification',
      accountId: item.subscriptionId,
      resource: 'events',
      change,
      occurredAt: null,
      details,
    };
  });
}

export const outlookWebhooks: ProviderWebhooks = {
  scheme: 'graph-client-state',
  schemeLabel: 'Microsoft Graph clientState',
  note: 'Graph change-notification subscriptions per calendar, checked by clientState; lifecycle events handled, renewed before expiry.',
  setup:
    'Nothing to do: on connect the app subscribes to every calendar (answering Graph’s validation request), renews each subscription before it expires and deletes them on disconnect. Graph only posts to public HTTPS, so set PUBLIC_APP_URL.',
  handshake: validationHandshake,
  deliveries: {
    kind: 'channel',
    verify: clientStateCheck,
    channelIdOf: (_headers, url) => url.searchParams.get(CHANNEL_PARAM)?.trim() || null,
    resource: 'events',
    targets: listCalendars,
    open: (client, channel) => createSubscription(client, channel),
    stop: deleteSubscription,
    storedPayload(_headers, body) {
      const parsed = notifications.safeParse(body);
      return parsed.success ? { ...parsed.data, value: parsed.data.value.map(withoutClientState) } : null;
    },
  },
  parse: parseNotifications,
  // Each notification of a batch is stored on its own (clientState dropped), so a lifecycle event
  // batched with changes is read back as itself.
  payloadsOf: (body) => notifications.parse(body).value.map((item) => ({ value: [withoutClientState(item)] })),
  reparse: (payload) => parseNotifications({ body: payload, headers: new Headers() }),
};
