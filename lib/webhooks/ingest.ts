// Receiving one webhook request: read the bytes (capped), verify them with the provider's own
// scheme, parse, store every event (deduplicated) and only then answer 2xx; processing happens
// afterwards (jobs.ts). Malformed input gets a fast 4xx and a failed verification a 401 that is
// counted without the body (one row per claimed connection and hour, however many arrive) — or,
// past the sender's allowance of rejections (rejection-limit.ts), a 429 that records nothing.
// Only a failure to store answers 5xx (503: the sender should retry).
import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import { ZodError } from 'zod';
import type { Db } from '../db/engine';
import { asService } from '../db/rls';
import { connections } from '../db/schema';
import { clientAddress } from '../http/client-address';
import { errorResponse } from '../http/errors';
import { describeZodError } from '../http/route';
import { channelWithToken } from './channels';
import { notifyWebhooksReceived } from './jobs';
import type { AppSecret, AppSignedDeliveries, ChannelDeliveries, TokenAuthenticatedDeliveries } from '../providers/types';
import { payloadsOf, webhookProvider, type WebhookProvider } from './providers';
import { redactHeaders, redactUrl } from './redact';
import { rejectionLimiter, type RejectionLimiter } from './rejection-limit';
import { parseJsonBody, readRawBody, requireJson, signedRequestUrl, WebhookRefusal } from './request';
import { activeSigningSecrets } from './signing-secrets';
import { parseStandardDelivery, STANDARD_WEBHOOKS_SCHEME, standardWebhooksSignature } from './standard';
import { storeEvents, type IncomingEvent } from './store';
import type { ParsedDelivery } from './types';
import { verifyWebhook } from './verify';
import { requestHealthCheck } from '../jobs/health';

export type WebhookEndpoint = { provider: string } | { connectionId: string };

export interface ReceiveOptions {
  /** The clock timestamp windows are checked against (tests). */
  now?: Date;
  /** Limits on rejected deliveries per client (default: this process's limiter for the database). */
  rejectionLimiter?: RejectionLimiter;
}

type Verdict = { accepted: IncomingEvent[] } | { rejected: IncomingEvent } | { reply: Response };

interface Received {
  request: Request;
  raw: Buffer;
  receivedAt: Date;
  now: Date;
  url: string;
  headers: Record<string, string>;
}

export async function receiveWebhook(db: Db, request: Request, endpoint: WebhookEndpoint, options: ReceiveOptions = {}): Promise<Response> {
  const receivedAt = new Date();
  // A provider proving the endpoint exists (a subscription being created) gets its answer at once.
  const handshake = 'provider' in endpoint ? webhookProvider(endpoint.provider)?.webhooks.handshake?.(request) : null;
  if (handshake) return handshake;
  try {
    const verdict = 'connectionId' in endpoint
      ? await fromConnectionEndpoint(db, request, endpoint.connectionId, receivedAt, options)
      : await fromProvider(db, request, endpoint.provider, receivedAt, options);
    // A verified handshake (ProviderWebhooks.verifiedReply) is answered, not stored.
    if ('reply' in verdict) return verdict.reply;
    if ('rejected' in verdict) {
      // Rejections are what anyone can send: past the sender's allowance nothing more is written.
      const allowed = (options.rejectionLimiter ?? rejectionLimiter(db)).take(clientAddress(request));
      if (!allowed.ok) {
        return errorResponse('rate_limited', 'Too many deliveries from this address failed verification; retry later.', {
          headers: { 'retry-after': String(allowed.retryAfterSeconds) },
        });
      }
      await storeEvents(db, [verdict.rejected])
        .then((rows) => requestHealthCheck(db, rows[0]?.[0]?.connectionId))
        .catch((error: unknown) => console.error('could not record a rejected webhook:', (error as Error).message));
      return errorResponse('invalid_signature', `The webhook signature could not be verified: ${verdict.rejected.verificationReason}.`);
    }
    const stored = await storeEvents(db, verdict.accepted);
    // An event stored for several workspaces (one account connected twice) still counts once.
    const duplicates = stored.filter((rows) => rows.every((row) => row.duplicate)).length;
    const toProcess = new Set(stored.flat().filter((row) => !row.duplicate && row.status === 'received').map((row) => row.connectionId as string));
    if (toProcess.size > 0) await notifyWebhooksReceived(db, [...toProcess]);
    return Response.json({ ok: true, received: stored.length - duplicates, duplicates });
  } catch (error) {
    if (error instanceof WebhookRefusal) return errorResponse(error.code, error.message);
    const incident = crypto.randomUUID();
    console.error(`[${incident}] webhook not stored:`, error instanceof Error ? error.message : error);
    return errorResponse('unavailable', `The delivery could not be stored; retry later (incident ${incident}).`, { headers: { 'retry-after': '30' } });
  }
}

// ---------------------------------------------------------------------------------------------
// Provider endpoints: /api/webhooks/<provider>

async function fromProvider(db: Db, request: Request, providerId: string, receivedAt: Date, options: ReceiveOptions): Promise<Verdict> {
  const provider = webhookProvider(providerId);
  if (!provider) throw new WebhookRefusal('not_found', `There is no webhook endpoint for "${providerId.slice(0, 40)}".`);
  const { deliveries } = provider.webhooks;
  if (deliveries.kind === 'token-authenticated') return fromTokenAuthenticated(request, provider, deliveries, receivedAt, options);
  return deliveries.kind === 'channel'
    ? fromChannel(db, request, provider, deliveries, receivedAt, options)
    : fromAppSigned(request, provider, deliveries, receivedAt, options);
}

/**
 * One endpoint for every account, authenticated by a token signed with the sender's published keys
 * (verified asynchronously; a failure to fetch the keys throws, so the sender is told to retry).
 */
async function fromTokenAuthenticated(
  request: Request,
  provider: WebhookProvider,
  deliveries: TokenAuthenticatedDeliveries,
  receivedAt: Date,
  options: ReceiveOptions,
): Promise<Verdict> {
  const { definition, webhooks } = provider;
  requireJson(request);
  const received = await receive(request, receivedAt, options, null);
  const verdict = await deliveries.verify({ headers: request.headers, body: received.raw, url: received.url, now: received.now }, definition);
  if (!verdict.ok) {
    const claimed = claimedAccount(provider, received.raw);
    return { rejected: rejection(received, provider, verdict.reason, claimed ? { accountId: claimed } : null) };
  }
  const body = jsonBody(received.raw);
  const events = parse(provider, { body, headers: request.headers });
  const payloads = payloadsOf(webhooks, body, events);
  return {
    accepted: events.map((delivery, index) =>
      accepted(received, definition.id, webhooks.scheme, delivery, payloads[index], {
        route: { accountId: delivery.accountId },
        environment: verdict.environment,
        fallbackKey: () => `${bodyHash(received.raw)}:${index}`,
      }),
    ),
  };
}

/** One endpoint for every account: the app's secrets verify, the payload names the account. */
async function fromAppSigned(
  request: Request,
  provider: WebhookProvider,
  deliveries: AppSignedDeliveries,
  receivedAt: Date,
  options: ReceiveOptions,
): Promise<Verdict> {
  const { definition, webhooks } = provider;
  requireJson(request);
  const received = await receive(request, receivedAt, options, deliveries.signedUrl?.(definition) ?? null);
  const secrets = deliveries.secrets(definition);
  let verified: AppSecret | null = null;
  let reason = `no webhook secret for ${definition.name} is configured on this server`;
  for (const candidate of secrets) {
    const result = verifyWebhook(deliveries.verify, { ...verifyInput(received), secret: candidate.secret });
    if (result.ok) {
      verified = candidate;
      break;
    }
    if (candidate === secrets[0]) reason = result.reason;
  }
  if (!verified) {
    const claimed = claimedAccount(provider, received.raw);
    return { rejected: rejection(received, provider, reason, claimed ? { accountId: claimed } : null) };
  }

  const body = jsonBody(received.raw);
  const reply = webhooks.verifiedReply?.(body);
  if (reply) return { reply };
  const events = parse(provider, { body, headers: request.headers });
  const payloads = payloadsOf(webhooks, body, events);
  return {
    accepted: events.map((delivery, index) =>
      accepted(received, definition.id, webhooks.scheme, delivery, payloads[index], {
        route: { accountId: delivery.accountId },
        environment: verified.environment,
        fallbackKey: () => `${bodyHash(received.raw)}:${index}`,
      }),
    ),
  };
}

/** Push channels: no body to sign; the channel id names the channel and its token proves the sender. */
async function fromChannel(
  db: Db,
  request: Request,
  provider: WebhookProvider,
  deliveries: ChannelDeliveries,
  receivedAt: Date,
  options: ReceiveOptions,
): Promise<Verdict> {
  const { definition, webhooks } = provider;
  const received = await receive(request, receivedAt, options, null);
  const channelId = deliveries.channelIdOf(request.headers, new URL(request.url));
  if (!channelId) throw new WebhookRefusal('bad_request', `No channel id: this is not a ${definition.name} push notification.`);
  let found: Awaited<ReturnType<typeof channelWithToken>>;
  try {
    found = await channelWithToken(db, channelId);
  } catch (error) {
    console.error(`push channel ${channelId}: token unreadable:`, (error as Error).message);
    return { rejected: rejection(received, provider, 'the channel token cannot be decrypted (was its key removed?)', null) };
  }
  if (!found || found.channel.provider !== definition.id) {
    return { rejected: rejection(received, provider, 'no such push channel was opened by this app', null) };
  }
  const route = { connectionId: found.channel.connectionId };
  const result = verifyWebhook(deliveries.verify, { ...verifyInput(received), secret: found.token });
  if (!result.ok) return { rejected: rejection(received, provider, result.reason, route) };
  // Some channels sign a JSON body (verified above over its raw bytes); others send none.
  const body = received.raw.length === 0 ? null : deliveries.bodyEncoding === 'form' ? formBody(received.raw) : jsonBody(received.raw);
  const events = parse(provider, { body, headers: request.headers });
  const payload = deliveries.storedPayload(request.headers, body);
  // A batch of several notifications (Graph's): each event keeps its own part where the provider splits them.
  const payloads = body !== null && webhooks.payloadsOf ? webhooks.payloadsOf(body, events) : events.map(() => payload);
  return {
    accepted: events.map((delivery, index) =>
      accepted(received, definition.id, webhooks.scheme, delivery, payloads[index], {
        route,
        environment: null,
        fallbackKey: () => bodyHash(Buffer.from(JSON.stringify(payloads[index]))),
        ignore: found.channel.status === 'active' ? undefined : 'The push channel was stopped; nothing to do.',
      }),
    ),
  };
}

// ---------------------------------------------------------------------------------------------
// Per-connection generic endpoint: /api/webhooks/connections/<connectionId>

async function fromConnectionEndpoint(db: Db, request: Request, connectionId: string, receivedAt: Date, options: ReceiveOptions): Promise<Verdict> {
  const connection = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(connectionId)
    ? (await asService(db, (tx) => tx.select().from(connections).where(eq(connections.id, connectionId))))[0]
    : undefined;
  if (!connection) throw new WebhookRefusal('not_found', 'There is no webhook endpoint at this address.');
  requireJson(request);
  const received = await receive(request, receivedAt, options, null);
  const scheme = STANDARD_WEBHOOKS_SCHEME;
  const route = { connectionId };
  const secrets = await asService(db, (tx) => activeSigningSecrets(tx, connectionId));
  let reason = 'this connection has no signing secret yet; create one on its Webhooks page';
  let ok = false;
  for (const secret of secrets) {
    const result = verifyWebhook(standardWebhooksSignature, { ...verifyInput(received), secret });
    if (result.ok) ok = true;
    else if (secret === secrets[0]) reason = result.reason;
  }
  if (!ok) return { rejected: rejectionOf(received, connection.provider, scheme, reason, route) };
  const body = jsonBody(received.raw);
  const webhookId = request.headers.get('webhook-id')!.trim();
  const delivery = parseStandardDelivery(body, webhookId, connection.resources);
  return {
    accepted: [accepted(received, connection.provider, scheme, delivery, body, { route, environment: null, fallbackKey: () => bodyHash(received.raw) })],
  };
}

// ---------------------------------------------------------------------------------------------

async function receive(request: Request, receivedAt: Date, options: ReceiveOptions, fixedUrl: string | null): Promise<Received> {
  const raw = await readRawBody(request);
  const url = fixedUrl ?? signedRequestUrl(request);
  return { request, raw, receivedAt, now: options.now ?? new Date(), url, headers: redactHeaders(request.headers) };
}

function verifyInput(received: Received) {
  return { rawBody: received.raw, headers: received.request.headers, url: received.url, method: received.request.method, now: received.now };
}

function parse(provider: WebhookProvider, input: { body: unknown; headers: Headers }): ParsedDelivery[] {
  try {
    return provider.webhooks.parse(input);
  } catch (error) {
    if (error instanceof ZodError) {
      throw new WebhookRefusal('bad_request', `This is not a ${provider.definition.name} webhook delivery: ${describeZodError(error).slice(0, 300)}`);
    }
    throw error;
  }
}

function accepted(
  received: Received,
  provider: string,
  scheme: string,
  delivery: ParsedDelivery,
  payload: unknown,
  extra: {
    route: IncomingEvent['route'];
    environment: IncomingEvent['environment'];
    /** The deduplication key of an event without an id (hashed only then: most senders name their events). */
    fallbackKey: () => string;
    ignore?: string;
  },
): IncomingEvent {
  const prefix = scheme === STANDARD_WEBHOOKS_SCHEME ? 'std:' : '';
  return {
    provider,
    scheme,
    eventKey: delivery.eventId ? `${prefix}${delivery.eventId}` : `sha256:${extra.fallbackKey()}`,
    eventId: delivery.eventId,
    eventType: delivery.eventType.slice(0, 200),
    verification: 'verified',
    verificationReason: null,
    environment: extra.environment,
    route: extra.route,
    accountId: delivery.accountId || null,
    resource: delivery.resource,
    change: delivery.change.kind,
    headers: received.headers,
    payload,
    url: redactUrl(received.url),
    method: received.request.method,
    receivedAt: received.receivedAt,
    occurredAt: delivery.occurredAt,
    ignore: extra.ignore,
  };
}

function rejection(received: Received, provider: WebhookProvider, reason: string, route: IncomingEvent['route']): IncomingEvent {
  const { definition, webhooks } = provider;
  return rejectionOf(received, definition.id, webhooks.scheme, reason, route);
}

function rejectionOf(
  received: Received,
  provider: string,
  scheme: string,
  reason: string,
  route: IncomingEvent['route'],
): IncomingEvent {
  // Keyed by scheme and hour, not by what was sent: however many distinct forgeries arrive, each
  // workspace they claim (or nobody) gets one row an hour, counting them (store.ts).
  return {
    provider,
    scheme,
    eventKey: rejectionBucket(scheme, received.receivedAt),
    eventId: null,
    eventType: null,
    verification: 'failed',
    verificationReason: reason,
    environment: null,
    route,
    accountId: route && 'accountId' in route ? route.accountId : null,
    resource: null,
    change: null,
    headers: received.headers,
    payload: null,
    url: redactUrl(received.url),
    method: received.request.method,
    receivedAt: received.receivedAt,
    occurredAt: null,
  };
}

/** Rejected deliveries are counted per this period (and scheme, provider and claimed connection). */
export const REJECTION_BUCKET_MS = 60 * 60 * 1000;

export function rejectionBucket(scheme: string, at: Date): string {
  const start = new Date(Math.floor(at.getTime() / REJECTION_BUCKET_MS) * REJECTION_BUCKET_MS);
  return `${scheme}:${start.toISOString()}`;
}

/** Whose workspace an unverified delivery claims to be for, so its admins see the rejection. */
function claimedAccount(provider: WebhookProvider, raw: Buffer): string | null {
  try {
    const [first] = provider.webhooks.parse({ body: JSON.parse(raw.toString('utf8')), headers: new Headers() });
    return first?.accountId.slice(0, 100) ?? null;
  } catch {
    return null;
  }
}

const bodyHash = (bytes: Buffer) => crypto.createHash('sha256').update(bytes).digest('hex');

/** PostgreSQL text and jsonb cannot hold U+0000; a sender's stray one must not fail the batch. */
function jsonBody(raw: Buffer): unknown {
  const body = parseJsonBody(raw);
  return raw.includes('\\u0000') ? withoutNul(body) : body;
}

/** A form-encoded body as its fields (the last of a repeated name wins), NUL-free like jsonBody. */
function formBody(raw: Buffer): Record<string, string> {
  return withoutNul(Object.fromEntries(new URLSearchParams(raw.toString('utf8')))) as Record<string, string>;
}

function withoutNul(value: unknown): unknown {
  if (typeof value === 'string') return value.includes('\u0000') ? value.replaceAll('\u0000', '\uFFFD') : value;
  if (Array.isArray(value)) return value.map(withoutNul);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, item]) => [withoutNul(key) as string, withoutNul(item)]));
  }
  return value;
}
