// Gmail push (https://developers.google.com/workspace/gmail/api/guides/push): users.watch tells
// Gmail to publish mailbox changes to a Cloud Pub/Sub topic; a push subscription on that topic
// posts each one to our single endpoint, /api/webhooks/gmail, with `Authorization: Bearer <OIDC
// ID token>` signed by Google (RS256) for the service account configured on the subscription
// (https://cloud.google.com/pubsub/docs/authenticate-push-subscriptions: check the signature
// against Google's published keys, `iss` accounts.google.com, `aud` the configured audience,
// `email` the service account, `email_verified`, and the expiry). A watch must be renewed at least
// every 7 days; calling watch again replaces the previous one (users.watch reference).
import { z } from 'zod';
import { resolveUrl, sandboxBaseUrl, type Environment } from '../environment';
import { ProviderHttpError, ProviderProtocolError } from '../errors';
import type { ChannelLifecycle, ProviderClient, TokenVerdict } from '../types';
import { bearerTokenOf, KeySetUnavailableError, verifyOidcToken } from '@/lib/webhooks/oidc';
import { GMAIL_API } from './api';

/** Google's OAuth 2.0 / OIDC signing keys as a JWKS (https://accounts.google.com/.well-known/openid-configuration, jwks_uri). */
export const GOOGLE_JWKS_URL = 'https://www.googleapis.com/oauth2/v3/certs';
/** Google ID tokens carry either form (https://developers.google.com/identity/openid-connect/openid-connect#validatinganidtoken). */
export const GOOGLE_ISSUERS = ['accounts.google.com', 'https://accounts.google.com'] as const;

/** The sandbox's fixed push configuration (the sandbox signs with its own key set, served at the JWKS URL). */
export const SANDBOX_PUSH = {
  audience: 'https://sandbox.integration-hub.invalid/api/webhooks/gmail',
  serviceAccount: 'gmail-push@integration-hub-sandbox.iam.gserviceaccount.com',
  topic: 'projects/integration-hub-sandbox/topics/gmail',
} as const;

export interface PushSettings {
  environment: Environment;
  jwksUrl: string;
  audience: string;
  serviceAccount: string;
}

/**
 * Who may push, per environment: live from GMAIL_PUSH_AUDIENCE and GMAIL_PUSH_SERVICE_ACCOUNT
 * (both required: an unset audience must not accept any token), the sandbox's only where the
 * sandbox is allowed (never in production).
 */
export function pushSettings(): PushSettings[] {
  const settings: PushSettings[] = [];
  const audience = process.env.GMAIL_PUSH_AUDIENCE?.trim();
  const serviceAccount = process.env.GMAIL_PUSH_SERVICE_ACCOUNT?.trim();
  if (audience && serviceAccount) settings.push({ environment: 'live', jwksUrl: GOOGLE_JWKS_URL, audience, serviceAccount });
  if (sandboxBaseUrl()) {
    settings.push({ environment: 'sandbox', jwksUrl: resolveUrl(GOOGLE_JWKS_URL, 'sandbox'), audience: SANDBOX_PUSH.audience, serviceAccount: SANDBOX_PUSH.serviceAccount });
  }
  return settings;
}

/** Verifies a push's bearer token against each configured environment; the first that verifies routes it. */
export async function verifyPush(request: { headers: Headers; now: Date }, settings = pushSettings()): Promise<TokenVerdict> {
  if (settings.length === 0) return { ok: false, reason: 'Gmail push is not configured on this server (GMAIL_PUSH_AUDIENCE, GMAIL_PUSH_SERVICE_ACCOUNT)' };
  const token = bearerTokenOf(request.headers);
  let reason: string | null = null;
  let unavailable: KeySetUnavailableError | null = null;
  for (const candidate of settings) {
    try {
      const result = await verifyOidcToken(token, {
        jwksUrl: candidate.jwksUrl,
        issuers: GOOGLE_ISSUERS,
        audience: candidate.audience,
        email: candidate.serviceAccount,
        now: request.now,
      });
      if (result.ok) return { ok: true, environment: candidate.environment };
      reason ??= result.reason;
    } catch (error) {
      if (!(error instanceof KeySetUnavailableError)) throw error;
      unavailable ??= error;
    }
  }
  // Nothing verified: a key set we could not fetch may be why, so the sender should retry.
  if (unavailable && reason === null) throw unavailable;
  return { ok: false, reason: reason ?? 'the token could not be verified' };
}

function topicFor(environment: Environment): string {
  if (environment === 'sandbox') return SANDBOX_PUSH.topic;
  const topic = process.env.GMAIL_PUBSUB_TOPIC?.trim();
  if (!topic) throw new ProviderProtocolError('Set GMAIL_PUBSUB_TOPIC (projects/<project>/topics/<topic>) so Gmail has a topic to publish changes to.');
  return topic;
}

const DAY_MS = 24 * 60 * 60 * 1000;

const watchAnswer = z.object({
  historyId: z.union([z.string(), z.number()]),
  // Epoch milliseconds, as a string.
  expiration: z.union([z.string().regex(/^\d+$/), z.number().int()]),
});

/** users.watch on the whole mailbox (every label); answers when the watch lapses. */
async function watch(client: ProviderClient, topicName: string): Promise<Date> {
  const { body } = await client.request(`${GMAIL_API}/watch`, { method: 'POST', json: { topicName } });
  return new Date(Number(watchAnswer.parse(body).expiration));
}

/** users.watch on the whole mailbox; renewing replaces the previous watch in place. */
export const gmailWatch: ChannelLifecycle = {
  resource: 'messages',
  renewsInPlace: true,
  // Gmail: "re-call watch at least every 7 days … we recommend calling watch once per day": renewed
  // once less than six days are left, i.e. daily.
  renewWithinMs: 6 * DAY_MS,
  // One watch per mailbox.
  targets: async () => ['mailbox'],
  async open(client: ProviderClient) {
    const topicName = topicFor(client.environment);
    return { resourceId: topicName, expiresAt: await watch(client, topicName) };
  },
  // Calling watch again extends the same watch: the channel stays, only its expiry moves.
  async refresh(client: ProviderClient, channel) {
    return { expiresAt: await watch(client, channel.resourceId) };
  },
  async stop(client: ProviderClient) {
    try {
      await client.request(`${GMAIL_API}/stop`, { method: 'POST' });
    } catch (error) {
      if (error instanceof ProviderHttpError && error.status === 404) return;
      throw error;
    }
  },
};
