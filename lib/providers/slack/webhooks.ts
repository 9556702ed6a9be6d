// Slack's Events API (https://api.slack.com/apis/events-api): one Request URL for the whole app,
// every request signed with the app's signing secret (signature.ts). Three shapes arrive:
//  - url_verification { token, challenge, type }: Slack checks the URL when it is saved; the answer
//    echoes `challenge`. It is answered only once the signature verified (verifiedReply).
//  - event_callback { team_id, api_app_id, event, event_id, event_time, ... }: one event, routed to
//    the connection of that workspace (team_id) and deduplicated by event_id — Slack retries a
//    delivery not acknowledged within 3 s up to three times (X-Slack-Retry-Num, X-Slack-Retry-Reason)
//    with the same event_id.
//  - app_rate_limited: Slack stopped sending for a minute; recorded, nothing to do.
// Message events carry the whole message, stored at once in the listing's shape (api.ts
// storedMessage); user_change and team_join carry the whole user. Channel events ask for a sync.
import { z } from 'zod';
import type { DeliveryInput, ParsedDelivery, WebhookChange } from '@/lib/webhooks/types';
import { envPrefix, sandboxCredentials } from '../credentials';
import type { AppSecret, ProviderWebhooks } from '../types';
import { messageId, storedMessage } from './api';
import { slackSignature } from './signature';

/** The signing secret the sandbox signs with (outside production only, like every sandbox secret). */
export const SANDBOX_SIGNING_SECRET = 'sandbox-signing-secret-slack';

const verification = z.object({ type: z.literal('url_verification'), challenge: z.string().min(1).max(200) }).passthrough();

const event = z.object({ type: z.string().min(1).max(100), subtype: z.string().max(100).optional() }).passthrough();
const callback = z
  .object({
    type: z.literal('event_callback'),
    team_id: z.string().min(1).max(40),
    event_id: z.string().min(1).max(100),
    event_time: z.number().int().nonnegative().optional(),
    event,
  })
  .passthrough();
const rateLimited = z.object({ type: z.literal('app_rate_limited'), team_id: z.string().min(1).max(40), minute_rate_limited: z.number().int() }).passthrough();
const envelope = z.union([callback, verification, rateLimited]);

const messageEvent = z
  .object({
    channel: z.string().min(1),
    ts: z.string().min(1).optional(),
    message: z.object({ ts: z.string().min(1) }).passthrough().optional(),
    deleted_ts: z.string().optional(),
    previous_message: z.object({ ts: z.string().min(1) }).passthrough().optional(),
  })
  .passthrough();
const userEvent = z.object({ user: z.object({ id: z.string().min(1) }).passthrough() }).passthrough();

/** Message fields the event adds around the message itself, not part of a listed message. */
const EVENT_ONLY = ['event_ts', 'channel_type', 'subtype', 'hidden', 'previous_message', 'message', 'deleted_ts'];

function withoutEventFields(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([key]) => !EVENT_ONLY.includes(key) && key !== 'channel'));
}

/** What a message event means for the stored messages. */
function messageChange(raw: z.infer<typeof event>): { resource: string; change: WebhookChange } {
  const parsed = messageEvent.safeParse(raw);
  if (!parsed.success) return { resource: 'messages', change: { kind: 'none' } };
  const message = parsed.data;
  const channel = { id: message.channel };
  if (raw.subtype === 'message_deleted') {
    const ts = message.deleted_ts ?? message.previous_message?.ts;
    return { resource: 'messages', change: ts ? { kind: 'delete', externalId: messageId(channel.id, ts) } : { kind: 'sync' } };
  }
  if (raw.subtype === 'message_changed' && message.message) {
    const edited = message.message as Record<string, unknown>;
    return { resource: 'messages', change: { kind: 'upsert', record: { externalId: messageId(channel.id, message.message.ts), data: storedMessage(withoutEventFields(edited), channel) } } };
  }
  // Other subtypes (joins, topic changes, bot messages) are listed by history too: a sync settles them.
  if (raw.subtype !== undefined || !message.ts) return { resource: 'messages', change: { kind: 'sync' } };
  // A thread reply is not in the channel's history (only conversations.replies lists it), so it is
  // not stored: a full sync would find it missing and delete it.
  if (typeof message.thread_ts === 'string' && message.thread_ts !== message.ts) return { resource: 'messages', change: { kind: 'none' } };
  return { resource: 'messages', change: { kind: 'upsert', record: { externalId: messageId(channel.id, message.ts), data: storedMessage(withoutEventFields(message), channel) } } };
}

function meaning(raw: z.infer<typeof event>): { resource: string | null; change: WebhookChange } {
  if (raw.type === 'message') return messageChange(raw);
  if (raw.type === 'user_change' || raw.type === 'team_join') {
    const parsed = userEvent.safeParse(raw);
    return parsed.success
      ? { resource: 'users', change: { kind: 'upsert', record: { externalId: parsed.data.user.id, data: parsed.data.user } } }
      : { resource: 'users', change: { kind: 'sync' } };
  }
  // The bot joined or left a channel, or a channel changed: which channels are read has changed.
  if (raw.type === 'member_joined_channel' || raw.type === 'member_left_channel' || raw.type.startsWith('channel_') || raw.type.startsWith('group_')) {
    return { resource: 'messages', change: { kind: 'sync' } };
  }
  return { resource: null, change: { kind: 'none' } };
}

export function parseDeliveries({ body }: DeliveryInput): ParsedDelivery[] {
  const parsed = envelope.parse(body);
  if (parsed.type === 'url_verification') {
    // Answered by verifiedReply before parsing; parsed only when read back.
    return [{ eventId: null, eventType: 'url_verification', accountId: '', resource: null, change: { kind: 'none' }, occurredAt: null }];
  }
  if (parsed.type === 'app_rate_limited') {
    return [
      {
        eventId: `app_rate_limited:${parsed.minute_rate_limited}`,
        eventType: 'app_rate_limited',
        accountId: parsed.team_id,
        resource: null,
        change: { kind: 'none' },
        occurredAt: new Date(parsed.minute_rate_limited * 1000).toISOString(),
      },
    ];
  }
  const { resource, change } = meaning(parsed.event);
  return [
    {
      eventId: parsed.event_id,
      eventType: parsed.event.subtype ? `${parsed.event.type}.${parsed.event.subtype}` : parsed.event.type,
      accountId: parsed.team_id,
      resource,
      change,
      occurredAt: parsed.event_time === undefined ? null : new Date(parsed.event_time * 1000).toISOString(),
    },
  ];
}

/** The app's signing secret (SLACK_SIGNING_SECRET), and the sandbox's where the sandbox is allowed. */
export function signingSecrets(provider: Parameters<typeof sandboxCredentials>[0]): AppSecret[] {
  const secrets: AppSecret[] = [];
  const live = process.env[`${envPrefix(provider.id)}_SIGNING_SECRET`];
  if (live) secrets.push({ environment: 'live', secret: live });
  if (sandboxCredentials(provider)) secrets.push({ environment: 'sandbox', secret: SANDBOX_SIGNING_SECRET });
  return secrets;
}

export const slackWebhooks: ProviderWebhooks = {
  scheme: 'slack-v0',
  schemeLabel: 'Slack request signature (v0)',
  note: 'Events API, app-level: every request signed with the app’s signing secret (X-Slack-Signature), retries deduplicated by event_id.',
  setup:
    'App-level: in your Slack app open Event Subscriptions, set the Request URL to this endpoint (Slack sends a signed url_verification challenge, answered once the signature verifies) and subscribe to the bot events message.channels, message.groups, member_joined_channel, user_change and team_join. Set SLACK_SIGNING_SECRET from Basic Information → Signing Secret.',
  deliveries: { kind: 'app-signed', verify: slackSignature, secrets: signingSecrets },
  verifiedReply(body) {
    const parsed = verification.safeParse(body);
    // Slack accepts the challenge as plain text, form-encoded or JSON {challenge}.
    return parsed.success ? Response.json({ challenge: parsed.data.challenge }) : null;
  },
  parse: parseDeliveries,
};
