// Google Calendar push notifications (events.watch channels). A notification has no body: the
// headers say which channel fired and whether the watched collection changed, and an incremental
// sync (syncToken) finds out what. The first message on a channel, state "sync", only confirms the
// channel exists; it is recorded and triggers nothing. Message numbers are unique per channel, so
// channel id + message number identifies a notification for deduplication. The channel token is
// the shared secret: it is verified elsewhere and deliberately kept out of the parsed delivery.
import { z } from 'zod';
import type { DeliveryInput, ParsedDelivery } from '@/lib/webhooks/types';

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
