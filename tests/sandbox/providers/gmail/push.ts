// Gmail push in the sandbox, playing three Google services at once:
// - Gmail's users.watch / users.stop (one watch per mailbox; watching again replaces it; 7 days),
// - Google's OAuth key set at www.googleapis.com/oauth2/v3/certs (the sandbox's own RSA key),
// - Cloud Pub/Sub push: a POST of { message: { data, messageId, publishTime }, subscription } with
//   `Authorization: Bearer <OIDC ID token>` signed RS256 by that key for the push service account
//   (https://cloud.google.com/pubsub/docs/authenticate-push-subscriptions).
// The token is built here with node:crypto alone, apart from the app's verifier (jose), so the two
// cannot share a mistake.
import crypto from 'node:crypto';
import { z } from 'zod';
import { json, readJson, type RequestContext, type Route } from '../../http';
import { defineDeliverer, type SandboxWebhooks } from '../../provider';
import type { SandboxState } from '../../state';
import { deliveryCommon, deliveryMutation, repeat, send, type SignedDelivery } from '../../webhook-delivery';
import { API_HOST, API_PREFIX, findAccount, PROFILE, READ_SCOPE, type GmailAccount } from './accounts';
import { getDataset } from '../../data';
import { gmailMessagesSpec, writtenMessages } from './mailbox';
import { apiError, authorize } from './oauth';

/** What the app's sandbox settings expect (lib/providers/gmail/push.ts SANDBOX_PUSH), written out again here. */
export const PUSH = {
  audience: 'https://sandbox.integration-hub.invalid/api/webhooks/gmail',
  serviceAccount: 'gmail-push@integration-hub-sandbox.iam.gserviceaccount.com',
  topic: 'projects/integration-hub-sandbox/topics/gmail',
  subscription: 'projects/integration-hub-sandbox/subscriptions/gmail-push',
  issuer: 'https://accounts.google.com',
} as const;

const WATCH_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** The sandbox's signing key: one per process, published at the certs URL. */
const SIGNING = (() => {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = crypto.createHash('sha256').update(publicKey.export({ format: 'der', type: 'spki' })).digest('hex').slice(0, 40);
  return { privateKey, kid, jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' } };
})();

const certsRoute: Route = {
  method: 'GET',
  hosts: ['www.googleapis.com'],
  path: '/oauth2/v3/certs',
  handle: () => json(200, { keys: [SIGNING.jwk] }, { 'cache-control': 'public, max-age=21600' }),
};

export interface OidcClaims {
  aud: string;
  email: string;
  email_verified: boolean;
  iss: string;
  iat: number;
  exp: number;
  sub: string;
  azp: string;
  /** The sandbox mints a token per push (Pub/Sub may also reuse one for a while; the app relies on neither). */
  jti?: string;
}

export function pushClaims(nowMs = Date.now(), overrides: Partial<OidcClaims> = {}): OidcClaims {
  const iat = Math.floor(nowMs / 1000);
  return { aud: PUSH.audience, azp: '104512345678901234567', email: PUSH.serviceAccount, email_verified: true, exp: iat + 3600, iat, iss: PUSH.issuer, sub: '104512345678901234567', ...overrides };
}

/** An RS256 JWT over the claims; `key` signs with another key (a forgery) under the same kid. */
export function signIdToken(claims: OidcClaims, key: crypto.KeyObject = SIGNING.privateKey): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${part({ alg: 'RS256', kid: SIGNING.kid, typ: 'JWT' })}.${part(claims)}`;
  return `${input}.${crypto.sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}

/** A key nobody publishes, for forgeries. */
export const foreignKey = () => crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;

interface Watch {
  account: string;
  topic: string;
  expiration: number;
  historyId: number;
}

interface Book {
  generation: object;
  watches: Map<string, Watch>;
  watchCalls: number;
  stopCalls: number;
  published: number;
}

const BOOKS = new WeakMap<SandboxState, Book>();

export function bookOf(state: SandboxState): Book {
  let book = BOOKS.get(state);
  if (!book || book.generation !== state.stats) {
    book = { generation: state.stats, watches: new Map(), watchCalls: 0, stopCalls: 0, published: 0 };
    BOOKS.set(state, book);
  }
  return book;
}

const watchBody = z.object({
  topicName: z.string(),
  labelIds: z.array(z.string()).optional(),
  labelFilterBehavior: z.enum(['include', 'exclude']).optional(),
  labelFilterAction: z.enum(['include', 'exclude']).optional(),
});

const watchRoutes: Route[] = [
  {
    method: 'POST',
    hosts: [API_HOST],
    path: `${API_PREFIX}/watch`,
    handle(ctx: RequestContext) {
      const auth = authorize(ctx, [READ_SCOPE]);
      if (!auth.ok) return auth.reply;
      const body = readJson(ctx);
      const parsed = body.ok ? watchBody.safeParse(body.value) : null;
      if (!parsed?.success) return apiError(400, 'Invalid topicName', 'invalidArgument');
      // Gmail can publish only to a topic it was granted; the sandbox has exactly one.
      if (parsed.data.topicName !== PUSH.topic) return apiError(403, `User not authorized to perform this action (topic ${parsed.data.topicName}).`, 'forbidden');
      const book = bookOf(ctx.state);
      book.watchCalls += 1;
      const watch: Watch = { account: auth.account, topic: parsed.data.topicName, expiration: Date.now() + WATCH_TTL_MS, historyId: ctx.state.data.snapshot() };
      book.watches.set(auth.account, watch);
      return json(200, { historyId: String(watch.historyId), expiration: String(watch.expiration) });
    },
  },
  {
    method: 'POST',
    hosts: [API_HOST],
    path: `${API_PREFIX}/stop`,
    handle(ctx: RequestContext) {
      const auth = authorize(ctx, [READ_SCOPE]);
      if (!auth.ok) return auth.reply;
      const book = bookOf(ctx.state);
      book.stopCalls += 1;
      book.watches.delete(auth.account);
      return { status: 204, headers: {} };
    },
  },
];

export interface PushOptions {
  url: string;
  account: GmailAccount;
  historyId: number;
  /** Claims to change (wrong audience, issuer, email, expiry) or a key to forge with. */
  claims?: Partial<OidcClaims>;
  key?: crypto.KeyObject;
  nowMs?: number;
}

/** One Pub/Sub push of a Gmail notification, signed as Pub/Sub signs it. */
export function pushDelivery(state: SandboxState, options: PushOptions): SignedDelivery {
  const book = bookOf(state);
  book.published += 1;
  const data = Buffer.from(JSON.stringify({ emailAddress: options.account.email, historyId: options.historyId })).toString('base64');
  const messageId = String(7_000_000_000_000 + book.published * 7919 + Math.floor(Math.random() * 1000));
  const publishTime = new Date(options.nowMs ?? Date.now()).toISOString();
  const body = JSON.stringify({
    message: { data, messageId, message_id: messageId, publishTime, publish_time: publishTime, attributes: {} },
    subscription: PUSH.subscription,
  });
  const token = signIdToken(pushClaims(options.nowMs, { jti: crypto.randomUUID(), ...options.claims }), options.key);
  return { url: options.url, headers: { authorization: `Bearer ${token}` }, body, signatureHeader: 'authorization' };
}

const deliverSchema = z.object({
  provider: z.literal(PROFILE.id),
  url: z.string().url(),
  ...deliveryCommon,
  mutate: deliveryMutation.optional(),
  /** Claims the token carries instead of the right ones. */
  audience: z.string().optional(),
  issuer: z.string().optional(),
  email: z.string().optional(),
  emailVerified: z.boolean().optional(),
});

export const webhooks: SandboxWebhooks<GmailAccount> = {
  signatureHeader: 'authorization',
  sample(state, { url, account = PROFILE.accounts[0], secret, timestampMs }) {
    return pushDelivery(state, { url, account, historyId: state.data.snapshot(), nowMs: timestampMs, key: secret ? foreignKey() : undefined });
  },
  deliver: defineDeliverer(deliverSchema, async ({ state, mutate }, request) => {
    const account = findAccount(request.account ?? PROFILE.accounts[0].id) ?? PROFILE.accounts[0];
    const changed = request.mutate ? mutate({ provider: PROFILE.id, account: account.id, resource: 'messages', ...request.mutate }) : undefined;
    const claims: Partial<OidcClaims> = {
      ...(request.audience ? { aud: request.audience } : {}),
      ...(request.issuer ? { iss: request.issuer } : {}),
      ...(request.email ? { email: request.email } : {}),
      ...(request.emailVerified === false ? { email_verified: false } : {}),
    };
    const key = request.secret ? foreignKey() : undefined;
    const nowMs = Date.now() + (request.timestampOffsetMs ?? 0);
    const deliveries = await repeat(request.repeat, () =>
      send(pushDelivery(state, { url: request.url, account, historyId: state.data.snapshot(), claims, key, nowMs }), request.tamper),
    );
    return { deliveries, mutation: changed };
  }),
  control: {
    'gmail-watches': (state) => {
      const book = bookOf(state);
      return { watchCalls: book.watchCalls, stopCalls: book.stopCalls, watches: [...book.watches.values()] };
    },
    'gmail-outbox': (state) => PROFILE.accounts.map((account) => ({ account: account.id, messages: writtenMessages(getDataset(state, gmailMessagesSpec, account.id)) })),
  },
};

export const pushRoutes: Route[] = [certsRoute, ...watchRoutes];
