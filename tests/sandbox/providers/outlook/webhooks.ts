// Outlook's deliveries: Graph change notifications on the subscriptions the app created
// (subscriptions.ts), sent when the control API changes the events or asks for a lifecycle event.
// There is no signature: the subscription's clientState travels in the body, so a tampered
// "signature" is a changed clientState (secretInBody).
import crypto from 'node:crypto';
import { z } from 'zod';
import { defineDeliverer, type SandboxWebhooks } from '../../provider';
import { deliveryCommon, deliveryMutation, repeat, send, type Answer, type SignedDelivery } from '../../webhook-delivery';
import { PROFILE, type OutlookAccount } from './accounts';
import { calendarsOf, outlookEventsSpec } from './events';
import { bookOf, changeNotification, lifecycleNotification, subscriptionsReadout, type Subscription } from './subscriptions';

const CLIENT_STATE = 'clientState';

const deliverSchema = z.object({
  provider: z.literal(PROFILE.id),
  /** Posts here instead of the subscription's own URL (its channel query parameter is kept). */
  url: z.string().url().optional(),
  ...deliveryCommon,
  calendarId: z.string().optional(),
  mutate: deliveryMutation.optional(),
  changeType: z.enum(['created', 'updated', 'deleted']).default('updated'),
  lifecycle: z.enum(['reauthorizationRequired', 'subscriptionRemoved', 'missed']).optional(),
});

/** The subscription's URL, or `url` with the subscription's query (the app's channel id) carried over. */
function target(subscription: Subscription, url: string | undefined, lifecycle = false): string {
  const own = new URL((lifecycle && subscription.lifecycleNotificationUrl) || subscription.notificationUrl);
  if (!url) return own.toString();
  const other = new URL(url);
  own.searchParams.forEach((value, name) => other.searchParams.set(name, value));
  return other.toString();
}

function delivery(url: string, items: { clientState?: string }[], clientState: string | undefined): SignedDelivery {
  return { url, headers: {}, body: JSON.stringify({ value: items }), signatureHeader: CLIENT_STATE, secretInBody: clientState };
}

export const webhooks: SandboxWebhooks<OutlookAccount> = {
  signatureHeader: CLIENT_STATE,
  /**
   * A change notification on the account's newest subscription the app asked for (even one whose
   * validation could not reach the app, as in tests without a server), or one made up.
   */
  sample(state, { url, account = PROFILE.accounts[0], secret }) {
    const mine = [...bookOf(state).subscriptions.values()].filter((s) => s.account === account.id);
    const subscription: Subscription = mine.at(-1) ?? {
      id: crypto.randomUUID(),
      account: account.id,
      calendarId: calendarsOf(account.id)[0].id,
      resource: `/me/calendars/${calendarsOf(account.id)[0].id}/events`,
      changeType: 'created,updated,deleted',
      notificationUrl: `${url}?channel=${crypto.randomUUID()}`,
      lifecycleNotificationUrl: null,
      clientState: crypto.randomBytes(16).toString('base64url'),
      expiration: Date.now() + 3600_000,
      status: 'active',
    };
    const clientState = secret ?? subscription.clientState;
    const item = changeNotification(subscription, outlookEventsSpec.idOf(0, account.id), 'updated', clientState);
    return delivery(target(subscription, url), [item], clientState);
  },
  deliver: defineDeliverer(deliverSchema, async ({ state, mutate }, request) => {
    const account = request.account ?? PROFILE.accounts[0].id;
    const changed = request.mutate ? mutate({ provider: PROFILE.id, account, resource: 'events', ...request.mutate }) : undefined;
    const subscriptions = [...bookOf(state).subscriptions.values()].filter(
      (s) => s.status === 'active' && s.account === account && (!request.calendarId || s.calendarId === request.calendarId),
    );
    const deliveries: Answer[] = [];
    for (const subscription of subscriptions) {
      const clientState = request.secret ?? subscription.clientState;
      let items: unknown[];
      if (request.lifecycle) {
        // Graph has already dropped a subscription it says was removed.
        if (request.lifecycle === 'subscriptionRemoved') subscription.status = 'deleted';
        items = [lifecycleNotification(subscription, request.lifecycle, clientState)];
      } else {
        const ids = changed ? [...changed.created.map((id) => [id, 'created'] as const), ...changed.updated.map((id) => [id, 'updated'] as const), ...changed.deleted.map((id) => [id, 'deleted'] as const)] : [];
        items = ids.length > 0
          ? ids.map(([id, type]) => changeNotification(subscription, id, type, clientState))
          : [changeNotification(subscription, outlookEventsSpec.idOf(0, account), request.changeType, clientState)];
      }
      const url = target(subscription, request.url, request.lifecycle !== undefined);
      deliveries.push(...(await repeat(request.repeat, () => send(delivery(url, items as { clientState?: string }[], clientState), request.tamper))));
    }
    return { deliveries, mutation: changed };
  }),
  control: { 'outlook-subscriptions': subscriptionsReadout },
};
