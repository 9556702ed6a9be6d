// Google Calendar push notifications (events.watch channels). A notification has no body: the
// headers say which channel fired and whether the watched collection changed, and an incremental
// sync (syncToken) finds out what. The first message on a channel, state "sync", only confirms the
// channel exists; it is recorded and triggers nothing. Message numbers are unique per channel, so
// channel id + message number identifies a notification for deduplication. The channel token is
// the shared secret: it is verified elsewhere and deliberately kept out of the parsed delivery.
import { z } from 'zod';
import type { DeliveryInput, ParsedDelivery } from '@/lib/webhooks/types';
import { equalDigests, fail, OK, sha256, utf8, type SignatureCheck } from '@/lib/webhooks/verify';
import type { ProviderWebhooks } from '../types';
import { stopChannel, watchCalendarEvents } from './channels';
import { listCalendars } from './resources';

const pushHeaders = z.object({
  channelId: z.string().trim().min(1).max(256),
  resourceState: z.enum(['sync', 'exists', 'not_exists']),
  messageNumber: z.string().trim().regex(/^\d{1,20}$/),
  resourceId: z.string().trim().min(1).optional(),
  resourceUri: z.string().trim().min(1).optional(),
  channelExpiration: z.string().trim().min(1).optional(),
});

export function parseDeliveries({ headers }: DeliveryInput): ParsedDelivery[] {
  const push = pushHeaders.parse({
    channelId: headers.get('x-goog-channel-id') ?? undefined,
    resourceState: headers.get('x-goog-resource-state')?.trim() ?? undefined,
    messageNumber: headers.get('x-goog-message-number') ?? undefined,
    resourceId: headers.get('x-goog-resource-id') ?? undefined,
    resourceUri: headers.get('x-goog-resource-uri') ?? undefined,
    channelExpiration: headers.get('x-goog-channel-expiration') ?? undefined,
  });
  const details: Record<string, string> = { messageNumber: push.messageNumber };
  if (push.resourceId) details.resourceId = push.resourceId;
  if (push.resourceUri) details.resourceUri = push.resourceUri;
  const expires = push.channelExpiration ? expiryMs(push.channelExpiration) : null;
  if (expires !== null) details.channelExpiration = new Date(expires).toISOString();
  const delivery: ParsedDelivery = {
    eventId: `${push.channelId}:${push.messageNumber}`,
    eventType: push.resourceState,
    accountId: push.channelId,
    resource: 'events',
    change: push.resourceState === 'sync' ? { kind: 'none' } : { kind: 'sync' },
    occurredAt: null,
    details,
  };
  return [delivery];
}

/** Google writes the expiry for people ("Tue, 19 Nov 2013 01:13:52 GMT"); renewals need an instant. */
function expiryMs(value: string): number | null {
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? ms : null;
}

/** X-Goog-Channel-Token must equal the channel's token; tokens have any length, so digests are compared. */
export const channelTokenCheck: SignatureCheck = ({ headers, secret }) => {
  const token = headers.get('x-goog-channel-token');
  if (token === null) return fail('missing X-Goog-Channel-Token header');
  return equalDigests(sha256(utf8(token)), sha256(utf8(secret))) ? OK : fail('X-Goog-Channel-Token does not match the channel');
};

/** A notification's x-goog-* headers, token excluded: what is stored and re-read as its payload. */
function storedPushHeaders(headers: Headers): Record<string, string> {
  const push: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (name.startsWith('x-goog-') && name !== 'x-goog-channel-token') push[name] = value.slice(0, 1000);
  });
  return push;
}

export const googleCalendarWebhooks: ProviderWebhooks = {
  scheme: 'google-channel',
  schemeLabel: 'Google channel token',
  note: 'events.watch push channels, verified by channel token; renewed before expiry.',
  setup:
    'Nothing to do: on connect the app opens a push channel on every calendar, renews it before it expires and stops it on disconnect. Google only posts to public HTTPS, so set PUBLIC_APP_URL.',
  deliveries: {
    kind: 'channel',
    verify: channelTokenCheck,
    channelIdOf: (headers) => headers.get('x-goog-channel-id')?.trim() || null,
    resource: 'events',
    targets: listCalendars,
    async open(client, channel) {
      const opened = await watchCalendarEvents(client, channel.target, channel);
      return { resourceId: opened.resourceId, expiresAt: opened.expiresAt };
    },
    stop: stopChannel,
    storedPayload: storedPushHeaders,
  },
  parse: parseDeliveries,
  reparse: (payload) => parseDeliveries({ body: null, headers: new Headers(payload as Record<string, string>) }),
};
