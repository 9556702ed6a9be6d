// Google Calendar's deliveries: push notifications on the channels the app opened (channels.ts),
// sent when the control API changes the events or asks for one.
import crypto from 'node:crypto';
import { z } from 'zod';
import { defineDeliverer, type SandboxWebhooks } from '../../provider';
import { deliveryCommon, deliveryMutation, repeat, type Answer } from '../../webhook-delivery';
import { PROFILE, type GoogleAccount } from './accounts';
import { bookOf, channelsReadout, notificationHeaders, push, type Channel } from './channels';
import { calendarsOf } from './events';

/** Google authenticates a notification by the channel token the app chose, not a signature. */
const SIGNATURE_HEADER = 'X-Goog-Channel-Token';

const deliverSchema = z.object({
  provider: z.literal(PROFILE.id),
  url: z.string().url().optional(),
  ...deliveryCommon,
  calendarId: z.string().optional(),
  mutate: deliveryMutation.optional(),
  state: z.enum(['exists', 'not_exists']).default('exists'),
  /** Sends this channel token instead of the channel's own. */
  token: z.string().optional(),
});

export const webhooks: SandboxWebhooks<GoogleAccount> = {
  signatureHeader: SIGNATURE_HEADER,
  /**
   * A change notification on the account's newest open channel (the one the app opened), or, when
   * there is none, on a channel made up for the primary calendar with a random token.
   */
  sample(state, { url, account = PROFILE.accounts[0], secret }) {
    const open = [...bookOf(state).channels.values()].filter((c) => !c.stopped && c.account === account.id);
    const channel: Channel = open.at(-1) ?? {
      id: crypto.randomUUID(),
      token: crypto.randomBytes(16).toString('base64url'),
      address: url,
      account: account.id,
      calendarId: calendarsOf(account.id)[0].id,
      resourceId: crypto.randomBytes(12).toString('base64url'),
      expiration: Date.now() + 3600_000,
      messageNumber: 1,
      stopped: false,
    };
    return { url, headers: notificationHeaders(channel, 'exists', secret), body: '', signatureHeader: SIGNATURE_HEADER };
  },
  deliver: defineDeliverer(deliverSchema, async ({ state, mutate }, request) => {
    const account = request.account ?? PROFILE.accounts[0].id;
    const changed = request.mutate ? mutate({ provider: PROFILE.id, account, resource: 'events', ...request.mutate }) : undefined;
    const channels = [...bookOf(state).channels.values()].filter(
      (c) => !c.stopped && c.account === account && (!request.calendarId || c.calendarId === request.calendarId),
    );
    const deliveries: Answer[] = [];
    for (const channel of channels) {
      deliveries.push(...(await repeat(request.repeat, () => push(channel, request.state, { url: request.url, token: request.token }))));
    }
    return { deliveries, mutation: changed };
  }),
  control: { channels: channelsReadout },
};
