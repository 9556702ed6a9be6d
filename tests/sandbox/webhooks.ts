// Webhooks in the sandbox. Google's push channels (events.watch opens one on a calendar and
// confirms it with a "sync" message; channels.stop ends it), and the control API that makes a
// provider send a delivery: POST /_sandbox/webhooks/deliver changes the provider's data (or takes
// the events as given), signs the delivery exactly as that provider signs it (webhook-signing.ts)
// and posts it to the app, answering with what the app answered. GET /_sandbox/webhooks/channels
// lists the channels and counts watch and stop calls.
import crypto from 'node:crypto';
import { z } from 'zod';
import { ACCOUNTS, sandboxClient } from './accounts';
import { applyMutation, DataControlError, type DataMutationResult } from './data-control';
import { getDataset } from './data';
import { isoMs } from './data-faults';
import { json, readJson, type Reply, type Route } from './http';
import { authenticate } from './oauth';
import { calendarsOf } from './providers/google-calendar-events';
import { apiError, unauthenticated } from './providers/google-calendar';
import { squareDataSpecs } from './providers/square-data';
import type { SandboxState } from './state';
import { googleChannelHeaders, hubspotEvents, signHubspotV3, signSquare, signStandardWebhooks, squareEvent, type HubspotEventInput } from './webhook-signing';

/** The signature key of the sandbox's Square webhook subscription (lib/webhooks/app-secrets.ts has the same). */
export const SANDBOX_SQUARE_SIGNATURE_KEY = 'sandbox-square-webhook-signature-key';
const DEFAULT_TTL_SECONDS = 7 * 24 * 3600;

interface Channel {
  id: string;
  token: string | undefined;
  address: string;
  account: string;
  calendarId: string;
  resourceId: string;
  expiration: number;
  messageNumber: number;
  stopped: boolean;
}

interface Book {
  /** state.stats is replaced by reset(): a new object means the sandbox was reset. */
  generation: object;
  channels: Map<string, Channel>;
  watches: number;
  stops: number;
}

const BOOKS = new WeakMap<SandboxState, Book>();

function bookOf(state: SandboxState): Book {
  let book = BOOKS.get(state);
  if (!book || book.generation !== state.stats) {
    book = { generation: state.stats, channels: new Map(), watches: 0, stops: 0 };
    BOOKS.set(state, book);
  }
  return book;
}

// ---------------------------------------------------------------------------------------------
// Google Calendar: events.watch and channels.stop

const watchBody = z.object({
  id: z.string().regex(/^[A-Za-z0-9\-_+/=]{1,64}$/),
  type: z.enum(['web_hook', 'webhook']),
  address: z.string().url(),
  token: z.string().max(256).optional(),
  params: z.object({ ttl: z.string().regex(/^\d+$/).optional() }).optional(),
});

const badRequest = (message: string, reason = 'invalid') => apiError(400, message, reason);

/** Real Google posts only to public HTTPS; the sandbox also reaches this machine over HTTP. */
function reachable(address: string): boolean {
  const url = new URL(address);
  return url.protocol === 'https:' || (url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname));
}

const watchRoute: Route = {
  method: 'POST',
  hosts: ['www.googleapis.com'],
  path: '/calendar/v3/calendars/{calendarId}/events/watch',
  pattern: /^\/calendar\/v3\/calendars\/(?<calendarId>[^/]+)\/events\/watch$/,
  handle(ctx) {
    const auth = authenticate(ctx, 'google-calendar');
    if (!auth.ok) return unauthenticated();
    const calendarId = ctx.params.calendarId;
    if (!calendarsOf(auth.grant.accountId).some((calendar) => calendar.id === calendarId)) return apiError(404, 'Not Found', 'notFound');
    const body = readJson(ctx);
    if (!body.ok) return badRequest(body.reason, 'parseError');
    const request = watchBody.safeParse(body.value);
    if (!request.success) return badRequest(`Invalid channel: ${request.error.issues.map((i) => i.path.join('.')).join(', ')}`);
    if (!reachable(request.data.address)) return badRequest(`WebHook callback must be HTTPS: ${request.data.address}`, 'push.webhookUrlNotHttps');
    const book = bookOf(ctx.state);
    if (book.channels.has(request.data.id)) return badRequest(`Channel id ${request.data.id} not unique`, 'channelIdNotUnique');
    const ttl = Number(request.data.params?.ttl ?? DEFAULT_TTL_SECONDS);
    const channel: Channel = {
      id: request.data.id,
      token: request.data.token,
      address: request.data.address,
      account: auth.grant.accountId,
      calendarId,
      resourceId: crypto.randomBytes(12).toString('base64url'),
      expiration: Date.now() + Math.min(ttl, DEFAULT_TTL_SECONDS) * 1000,
      messageNumber: 0,
      stopped: false,
    };
    book.channels.set(channel.id, channel);
    book.watches += 1;
    // Google confirms a new channel with a "sync" message right away.
    setImmediate(() => void push(channel, 'sync').catch(() => undefined));
    return json(200, {
      kind: 'api#channel',
      id: channel.id,
      resourceId: channel.resourceId,
      resourceUri: resourceUri(channel),
      ...(channel.token !== undefined ? { token: channel.token } : {}),
      expiration: String(channel.expiration),
    });
  },
};

const stopRoute: Route = {
  method: 'POST',
  hosts: ['www.googleapis.com'],
  path: '/calendar/v3/channels/stop',
  handle(ctx) {
    const auth = authenticate(ctx, 'google-calendar');
    if (!auth.ok) return unauthenticated();
    const body = readJson(ctx);
    if (!body.ok) return badRequest(body.reason, 'parseError');
    const { id, resourceId } = body.value as { id?: unknown; resourceId?: unknown };
    const book = bookOf(ctx.state);
    const channel = typeof id === 'string' ? book.channels.get(id) : undefined;
    if (!channel || channel.stopped || channel.resourceId !== resourceId || channel.account !== auth.grant.accountId) {
      return apiError(404, `Channel '${String(id)}' not found for project 'sandbox'`, 'notFound');
    }
    channel.stopped = true;
    book.stops += 1;
    return { status: 204, headers: {} };
  },
};

export const googleChannelRoutes: Route[] = [watchRoute, stopRoute];

const resourceUri = (channel: Channel) =>
  `https://www.googleapis.com/calendar/v3/calendars/${encodeURIComponent(channel.calendarId)}/events?alt=json`;

async function push(channel: Channel, state: 'sync' | 'exists' | 'not_exists', options: { url?: string; token?: string } = {}): Promise<Answer> {
  channel.messageNumber += 1;
  const headers = googleChannelHeaders({
    channelId: channel.id,
    token: options.token ?? channel.token,
    resourceState: state,
    messageNumber: channel.messageNumber,
    resourceId: channel.resourceId,
    expiration: new Date(channel.expiration),
    resourceUri: resourceUri(channel),
  });
  return post(options.url ?? channel.address, headers, '');
}

// ---------------------------------------------------------------------------------------------
// The control API

const mutation = z.object({
  create: z.number().int().min(0).max(1000).optional(),
  update: z.union([z.number().int().min(0).max(1000), z.array(z.string()).max(1000)]).optional(),
  delete: z.union([z.number().int().min(0).max(1000), z.array(z.string()).max(1000)]).optional(),
});
const common = {
  account: z.string().optional(),
  /** Sends the same delivery this many times (a provider retrying); signed afresh each time. */
  repeat: z.number().int().min(1).max(1000).default(1),
  /** Breaks the delivery after signing it. */
  tamper: z.enum(['body', 'signature']).optional(),
  /** Signs with this secret instead of the provider's. */
  secret: z.string().min(1).optional(),
  /** Moves the signed timestamp (HubSpot, Standard Webhooks) into the past or future. */
  timestampOffsetMs: z.number().int().optional(),
};
const deliverSchema = z.discriminatedUnion('provider', [
  z.object({
    provider: z.literal('hubspot'),
    url: z.string().url(),
    ...common,
    resource: z.enum(['contacts', 'deals']).default('contacts'),
    mutate: mutation.optional(),
    events: z.array(z.looseObject({ subscriptionType: z.string(), objectId: z.number() })).max(1000).optional(),
  }),
  z.object({
    provider: z.literal('square'),
    url: z.string().url(),
    ...common,
    mutate: mutation.optional(),
  }),
  z.object({
    provider: z.literal('google-calendar'),
    url: z.string().url().optional(),
    ...common,
    calendarId: z.string().optional(),
    mutate: mutation.optional(),
    state: z.enum(['exists', 'not_exists']).default('exists'),
    /** Sends this channel token instead of the channel's own. */
    token: z.string().optional(),
  }),
  z.object({
    provider: z.literal('standard-webhooks'),
    url: z.string().url(),
    ...common,
    secret: z.string().min(1),
    id: z.string().min(1).optional(),
    payload: z.unknown(),
  }),
]);
type Deliver = z.infer<typeof deliverSchema>;

interface Answer {
  status: number;
  body: unknown;
}

export async function webhookControl(state: SandboxState, method: string, name: string, body: Buffer): Promise<Reply> {
  const cors = { 'access-control-allow-origin': '*' };
  if (method === 'GET' && name === 'channels') {
    const book = bookOf(state);
    const channels = [...book.channels.values()].map(({ token: _token, ...channel }) => ({ ...channel, expiration: isoMs(channel.expiration) }));
    return json(200, { channels, watches: book.watches, stops: book.stops }, cors);
  }
  if (method !== 'POST' || name !== 'deliver') return json(404, { error: 'not_found', message: `No control endpoint ${method} /_sandbox/webhooks/${name}` }, cors);
  let raw: unknown;
  try {
    raw = JSON.parse(body.toString('utf8') || '{}');
  } catch {
    return json(400, { error: 'invalid_json', message: 'The delivery request is not valid JSON.' }, cors);
  }
  const request = deliverSchema.safeParse(raw);
  if (!request.success) return json(400, { error: 'invalid_delivery', issues: request.error.issues }, cors);
  try {
    return json(200, await deliver(state, request.data), cors);
  } catch (error) {
    if (error instanceof DataControlError) return json(400, { error: 'invalid_delivery', message: error.message }, cors);
    throw error;
  }
}

async function deliver(state: SandboxState, request: Deliver): Promise<{ deliveries: Answer[]; mutation?: DataMutationResult; body?: unknown }> {
  switch (request.provider) {
    case 'hubspot':
      return deliverHubspot(state, request);
    case 'square':
      return deliverSquare(state, request);
    case 'google-calendar':
      return deliverGoogle(state, request);
    case 'standard-webhooks': {
      const body = JSON.stringify(request.payload ?? {});
      const id = request.id ?? `msg_${crypto.randomBytes(12).toString('base64url')}`;
      const deliveries = await repeat(request.repeat, () => {
        const headers = signStandardWebhooks({ id, timestampSeconds: Math.floor((Date.now() + (request.timestampOffsetMs ?? 0)) / 1000), body, secret: request.secret });
        return send(request.url, headers, body, request.tamper, 'webhook-signature');
      });
      return { deliveries, body: request.payload };
    }
  }
}

type HubspotRequest = Extract<Deliver, { provider: 'hubspot' }>;

async function deliverHubspot(state: SandboxState, request: HubspotRequest) {
  const account = ACCOUNTS.hubspot.find((a) => a.id === (request.account ?? ACCOUNTS.hubspot[0].id));
  if (!account) throw new DataControlError(`No hubspot sandbox account ${request.account}`);
  const object = request.resource === 'contacts' ? 'contact' : 'deal';
  let changed: DataMutationResult | undefined;
  let inputs: HubspotEventInput[] = (request.events as HubspotEventInput[] | undefined) ?? [];
  if (request.mutate) {
    changed = applyMutation(state, { provider: 'hubspot', account: account.id, resource: request.resource, ...request.mutate });
    inputs = [
      ...changed.created.map((id) => ({ subscriptionType: `${object}.creation`, objectId: Number(id) })),
      ...changed.updated.map((id) => ({
        subscriptionType: `${object}.propertyChange`,
        objectId: Number(id),
        propertyName: object === 'contact' ? 'lifecyclestage' : 'dealstage',
        propertyValue: 'changed',
      })),
      ...changed.deleted.map((id) => ({ subscriptionType: `${object}.deletion`, objectId: Number(id) })),
    ];
  }
  const body = JSON.stringify(hubspotEvents(inputs, { portalId: account.hubId }));
  const { pathname, search, origin } = new URL(request.url);
  const deliveries = await repeat(request.repeat, () => {
    const headers = signHubspotV3({
      method: 'POST',
      uri: `${origin}${pathname}${search}`,
      body,
      secret: request.secret ?? sandboxClient('hubspot').clientSecret,
      timestampMs: Date.now() + (request.timestampOffsetMs ?? 0),
    });
    return send(request.url, headers, body, request.tamper, 'X-HubSpot-Signature-v3');
  });
  return { deliveries, mutation: changed, body: JSON.parse(body) as unknown };
}

type SquareRequest = Extract<Deliver, { provider: 'square' }>;

async function deliverSquare(state: SandboxState, request: SquareRequest) {
  const account = ACCOUNTS.square.find((a) => a.id === (request.account ?? ACCOUNTS.square[0].id));
  if (!account) throw new DataControlError(`No square sandbox account ${request.account}`);
  const changed = applyMutation(state, { provider: 'square', account: account.id, resource: 'customers', ...(request.mutate ?? {}) });
  const dataset = getDataset(state, squareDataSpecs.customers, account.id);
  const customer = (id: string) => {
    const index = dataset.indexOf(id) as number;
    // As the Customers API renders it (providers/square-data.ts), so a delivered record and a listed one hash alike.
    return {
      id,
      created_at: isoMs(dataset.createdAt[index]),
      updated_at: isoMs(dataset.updatedAt[index]),
      ...dataset.fields(index),
      preferences: { email_unsubscribed: false },
      creation_source: 'THIRD_PARTY',
      version: dataset.version[index] - 1,
    };
  };
  const events = [
    ...changed.created.map((id) => squareEvent({ merchantId: account.merchantId, type: 'customer.created', object: customer(id) })),
    ...changed.updated.map((id) => squareEvent({ merchantId: account.merchantId, type: 'customer.updated', object: customer(id) })),
    ...changed.deleted.map((id) => squareEvent({ merchantId: account.merchantId, type: 'customer.deleted', object: customer(id) })),
  ];
  const deliveries: Answer[] = [];
  for (const event of events) {
    const body = JSON.stringify(event);
    deliveries.push(
      ...(await repeat(request.repeat, () => {
        const headers = signSquare({ notificationUrl: request.url, body, signatureKey: request.secret ?? SANDBOX_SQUARE_SIGNATURE_KEY });
        return send(request.url, headers, body, request.tamper, 'x-square-hmacsha256-signature');
      })),
    );
  }
  return { deliveries, mutation: changed, body: events };
}

type GoogleRequest = Extract<Deliver, { provider: 'google-calendar' }>;

async function deliverGoogle(state: SandboxState, request: GoogleRequest) {
  const account = request.account ?? ACCOUNTS['google-calendar'][0].id;
  const changed = request.mutate ? applyMutation(state, { provider: 'google-calendar', account, resource: 'events', ...request.mutate }) : undefined;
  const channels = [...bookOf(state).channels.values()].filter(
    (c) => !c.stopped && c.account === account && (!request.calendarId || c.calendarId === request.calendarId),
  );
  const deliveries: Answer[] = [];
  for (const channel of channels) {
    deliveries.push(...(await repeat(request.repeat, () => push(channel, request.state, { url: request.url, token: request.token }))));
  }
  return { deliveries, mutation: changed };
}

async function repeat(times: number, send: () => Promise<Answer>): Promise<Answer[]> {
  const answers: Answer[] = [];
  for (let i = 0; i < times; i++) answers.push(await send());
  return answers;
}

async function send(url: string, headers: Record<string, string>, body: string, tamper: 'body' | 'signature' | undefined, signatureHeader: string): Promise<Answer> {
  const sent = { ...headers };
  if (tamper === 'signature') {
    const value = sent[signatureHeader];
    // Flip one base64 character near the start, keeping the header well-formed.
    sent[signatureHeader] = value.replace(/[A-Za-z0-9](?=[^,]*$)/, (c) => (c === 'A' ? 'B' : 'A'));
  }
  return post(url, { 'content-type': 'application/json', ...sent }, tamper === 'body' ? `${body} ` : body);
}

async function post(url: string, headers: Record<string, string>, body: string): Promise<Answer> {
  const response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(10_000) });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON: keep the text.
  }
  return { status: response.status, body: parsed };
}
