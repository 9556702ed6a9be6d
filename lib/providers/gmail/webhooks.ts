// Gmail push notifications as Cloud Pub/Sub push requests. The body is the Pub/Sub envelope
// (https://cloud.google.com/pubsub/docs/push#receive_push): `message.data` is base64 JSON
// `{ emailAddress, historyId }` (https://developers.google.com/workspace/gmail/api/guides/push#receiving_notifications),
// `message.messageId` is unique per published message (Pub/Sub redelivers with the same id, so it
// deduplicates), `subscription` names the subscription. The notification says only that the mailbox
// changed: an incremental sync (history.list from the stored historyId) finds out what. The bearer
// token proves the sender (push.ts); the email address routes to the connection of that mailbox.
import { z } from 'zod';
import type { DeliveryInput, ParsedDelivery } from '@/lib/webhooks/types';
import type { ProviderWebhooks } from '../types';
import { gmailWatch, verifyPush } from './push';

const notification = z.object({
  emailAddress: z.string().trim().min(3).max(320),
  historyId: z.union([z.string().regex(/^\d{1,20}$/), z.number().int().nonnegative()]),
});

const envelope = z.object({
  message: z
    .object({
      data: z.string().max(10_000),
      messageId: z.string().min(1).max(200).optional(),
      message_id: z.string().min(1).max(200).optional(),
      publishTime: z.string().optional(),
    })
    .passthrough(),
  subscription: z.string().max(500).optional(),
});

function decodeData(data: string): z.infer<typeof notification> {
  // Pub/Sub sends standard base64; Buffer also takes the URL-safe alphabet.
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(data, 'base64').toString('utf8'));
  } catch {
    json = null;
  }
  return notification.parse(json);
}

export function parseDeliveries({ body }: DeliveryInput): ParsedDelivery[] {
  const push = envelope.parse(body);
  const data = decodeData(push.message.data);
  const messageId = push.message.messageId ?? push.message.message_id ?? null;
  const publishTime = push.message.publishTime && !Number.isNaN(Date.parse(push.message.publishTime)) ? new Date(push.message.publishTime).toISOString() : null;
  const details: Record<string, string> = { historyId: String(data.historyId) };
  if (push.subscription) details.subscription = push.subscription;
  return [
    {
      eventId: messageId,
      eventType: 'mailbox.changed',
      accountId: data.emailAddress,
      resource: 'messages',
      change: { kind: 'sync' },
      occurredAt: publishTime,
      details,
    },
  ];
}

export const gmailWebhooks: ProviderWebhooks = {
  scheme: 'google-oidc',
  schemeLabel: 'Google-signed OIDC token (Pub/Sub push)',
  note: 'users.watch publishes mailbox changes to Cloud Pub/Sub; each push carries an OIDC token verified against Google\'s keys. The watch is renewed daily, well before its 7 days lapse.',
  setup:
    'In Google Cloud: create a Pub/Sub topic, grant gmail-api-push@system.gserviceaccount.com the Publisher role on it, and add a push subscription with authentication (a service account; audience = GMAIL_PUSH_AUDIENCE) whose endpoint is <PUBLIC_APP_URL>/api/webhooks/gmail. Set GMAIL_PUBSUB_TOPIC, GMAIL_PUSH_AUDIENCE and GMAIL_PUSH_SERVICE_ACCOUNT. The app calls users.watch on connect, renews it daily and stops it on disconnect.',
  deliveries: {
    kind: 'token-authenticated',
    verify: (request) => verifyPush(request),
    watch: gmailWatch,
  },
  parse: parseDeliveries,
};
