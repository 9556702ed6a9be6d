// Google Calendar push channels: events.watch opens one on a calendar and confirms it with a
// "sync" message; channels.stop ends it. Deliveries are notifications with headers and no body
// (webhooks.ts), authenticated by the channel token the app chose, not by a signature.
import crypto from 'node:crypto';
import { z } from 'zod';
import { isoMs } from '../../data-faults';
import { json, readJson, type Route } from '../../http';
import { authenticate } from '../../oauth';
import type { SandboxState } from '../../state';
import { post, type Answer } from '../../webhook-delivery';
import { calendarsOf } from './events';
import { apiError, unauthenticated } from './oauth';
import { PROFILE } from './accounts';

const DEFAULT_TTL_SECONDS = 7 * 24 * 3600;

export interface Channel {
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

export function bookOf(state: SandboxState): Book {
  let book = BOOKS.get(state);
  if (!book || book.generation !== state.stats) {
    book = { generation: state.stats, channels: new Map(), watches: 0, stops: 0 };
    BOOKS.set(state, book);
  }
  return book;
}

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
    const auth = authenticate(ctx, PROFILE.id);
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
    const auth = authenticate(ctx, PROFILE.id);
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

export const channelRoutes: Route[] = [watchRoute, stopRoute];

export const resourceUri = (channel: Channel) =>
  `https://www.googleapis.com/calendar/v3/calendars/${encodeURIComponent(channel.calendarId)}/events?alt=json`;

/** The headers of a Google push notification (it has no body). */
export function googleChannelHeaders(options: {
  channelId: string;
  token?: string;
  resourceState: 'sync' | 'exists' | 'not_exists';
  messageNumber: number;
  resourceId: string;
  expiration?: Date;
  resourceUri?: string;
}): Record<string, string> {
  return {
    'X-Goog-Channel-ID': options.channelId,
    ...(options.token !== undefined ? { 'X-Goog-Channel-Token': options.token } : {}),
    // Human-readable, as Google sends it: "Tue, 19 Nov 2013 01:13:52 GMT".
    ...(options.expiration ? { 'X-Goog-Channel-Expiration': options.expiration.toUTCString() } : {}),
    'X-Goog-Resource-ID': options.resourceId,
    ...(options.resourceUri ? { 'X-Goog-Resource-URI': options.resourceUri } : {}),
    'X-Goog-Resource-State': options.resourceState,
    'X-Goog-Message-Number': String(options.messageNumber),
  };
}

/** The channel's next notification's headers (each takes the next message number). */
export function notificationHeaders(channel: Channel, state: 'sync' | 'exists' | 'not_exists', token?: string): Record<string, string> {
  channel.messageNumber += 1;
  return googleChannelHeaders({
    channelId: channel.id,
    token: token ?? channel.token,
    resourceState: state,
    messageNumber: channel.messageNumber,
    resourceId: channel.resourceId,
    expiration: new Date(channel.expiration),
    resourceUri: resourceUri(channel),
  });
}

export function push(channel: Channel, state: 'sync' | 'exists' | 'not_exists', options: { url?: string; token?: string } = {}): Promise<Answer> {
  return post(options.url ?? channel.address, notificationHeaders(channel, state, options.token), '');
}

/** GET /_sandbox/webhooks/channels: the channels (tokens withheld) and how many watch and stop calls came. */
export function channelsReadout(state: SandboxState) {
  const book = bookOf(state);
  const channels = [...book.channels.values()].map(({ token: _token, ...channel }) => ({ ...channel, expiration: isoMs(channel.expiration) }));
  return { channels, watches: book.watches, stops: book.stops };
}
