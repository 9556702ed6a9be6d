// Graph change-notification subscriptions, one per calendar, as the kit's push channels
// (lib/webhooks/channels.ts). https://learn.microsoft.com/graph/api/subscription-post-subscriptions:
// POST /subscriptions { changeType, notificationUrl, lifecycleNotificationUrl, resource,
// expirationDateTime, clientState }. Before answering, Graph POSTs ?validationToken=… to both URLs
// and creates nothing unless each echoes it (webhooks.ts answers that). DELETE /subscriptions/{id}
// ends one early. Graph puts no channel id of ours in a header, so the channel id travels in the
// query string of the URL we give it ("Any query string parameter included in the notificationUrl
// property will be included in the HTTP POST request", change-notifications-delivery-webhooks); clientState (at most 128 characters) carries the channel's
// token and is compared on every notification.
import { z } from 'zod';
import type { ProviderClient } from '../client';
import type { ChannelRequest } from '../types';
import { GRAPH, isStatus } from './graph';

/**
 * How long a subscription is asked to live. Outlook event subscriptions are documented at up to
 * 10,080 minutes (older pages: 4,230); we ask for 4,230 minutes (just under three days), valid
 * under either, and the kit replaces it a day before it ends.
 * https://learn.microsoft.com/graph/api/resources/subscription#subscription-lifetime
 */
export const SUBSCRIPTION_MINUTES = 4230;
/** The query parameter naming our channel on the notification URL. */
export const CHANNEL_PARAM = 'channel';

const subscriptionAnswer = z.object({ id: z.string().min(1), expirationDateTime: z.string().optional() }).passthrough();

export function notificationUrl(address: string, channelId: string): string {
  const url = new URL(address);
  url.searchParams.set(CHANNEL_PARAM, channelId);
  return url.toString();
}

export async function createSubscription(client: ProviderClient, channel: ChannelRequest, now = new Date()) {
  const url = notificationUrl(channel.address, channel.id);
  const { body } = await client.request(`${GRAPH}/subscriptions`, {
    method: 'POST',
    json: {
      changeType: 'created,updated,deleted',
      notificationUrl: url,
      // The same endpoint takes lifecycle notifications (reauthorizationRequired, subscriptionRemoved, missed).
      lifecycleNotificationUrl: url,
      resource: `/me/calendars/${channel.target}/events`,
      expirationDateTime: new Date(now.getTime() + SUBSCRIPTION_MINUTES * 60_000).toISOString(),
      clientState: channel.token,
    },
  });
  const created = subscriptionAnswer.parse(body);
  const expires = created.expirationDateTime ? Date.parse(created.expirationDateTime) : NaN;
  return { resourceId: created.id, expiresAt: Number.isNaN(expires) ? null : new Date(expires) };
}

/** Deletes a subscription; one Graph no longer knows (404) is as deleted as it gets. */
export async function deleteSubscription(client: ProviderClient, channel: { id: string; resourceId: string }): Promise<void> {
  try {
    await client.request(`${GRAPH}/subscriptions/${encodeURIComponent(channel.resourceId)}`, { method: 'DELETE' });
  } catch (error) {
    if (isStatus(error, 404)) return;
    throw error;
  }
}
