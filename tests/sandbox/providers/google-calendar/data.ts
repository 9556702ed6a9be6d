// Google Calendar API v3 lists: calendarList and events, paged by pageToken, with nextSyncToken on
// the last page only. A syncToken replays what changed since it was issued, cancelled events
// included; a token from another calendar or account, or any token while the expireSyncTokens
// knob is on, answers 410 fullSyncRequired.
import { getDataset, type Dataset } from '../../data';
import { intParam, isoMs, pageGate, parseTimestamp, type FaultReplies } from '../../data-faults';
import { bindingOf, decodeCursor, encodeCursor, pageFrom, startListing, type ListingParams, type ViewQuery } from '../../data-view';
import { json, type Reply, type RequestContext, type Route } from '../../http';
import { authenticate } from '../../oauth';
import { calendarsOf, googleEventsSpec, inCalendar as holds, renderEvent, TIME_ZONE_NAME, type Calendar } from './events';
import { apiError, CALENDAR_SCOPE, unauthenticated } from './oauth';

const HOST = 'www.googleapis.com';
const GONE_MESSAGE = 'Sync token is no longer valid, a full sync is required.';
/** Google refuses these beside a syncToken: the token alone defines the result set. */
const NOT_WITH_SYNC_TOKEN = ['iCalUID', 'orderBy', 'privateExtendedProperty', 'q', 'sharedExtendedProperty', 'timeMin', 'timeMax', 'updatedMin'];

const gone = () =>
  json(410, { error: { code: 410, message: GONE_MESSAGE, errors: [{ domain: 'calendar', reason: 'fullSyncRequired', message: GONE_MESSAGE }], status: 'GONE' } });
const invalid = (message: string, location: string) =>
  json(400, {
    error: { code: 400, message, errors: [{ domain: 'global', reason: 'invalid', message, locationType: 'parameter', location }], status: 'INVALID_ARGUMENT' },
  });

const faults: FaultReplies = {
  failed: (status) => apiError(status, 'Backend Error', 'backendError'),
  // Google's quota errors come as 403 or 429 with this body; the knob uses 429 (+ Retry-After).
  rateLimited: () =>
    json(429, {
      error: {
        code: 429,
        message: 'Rate Limit Exceeded',
        errors: [{ domain: 'usageLimits', reason: 'rateLimitExceeded', message: 'Rate Limit Exceeded' }],
        status: 'RESOURCE_EXHAUSTED',
      },
    }),
};

export function authorize(ctx: RequestContext): { ok: true; account: string; scopes: string[] } | { ok: false; reply: Reply } {
  const auth = authenticate(ctx, 'google-calendar');
  if (!auth.ok) return { ok: false, reply: unauthenticated() };
  if (!auth.grant.scopes.some((scope) => scope.startsWith(CALENDAR_SCOPE))) {
    return { ok: false, reply: apiError(403, 'Request had insufficient authentication scopes.', 'insufficientPermissions') };
  }
  return { ok: true, account: auth.grant.accountId, scopes: auth.grant.scopes };
}

const syncBinding = (account: string, scope: string) => bindingOf('google-sync', account, scope);
const issueSyncToken = (account: string, scope: string, snapshot: number) =>
  encodeCursor(syncBinding(account, scope), { snapshot, position: { part: 0, at: 0 }, page: 1, params: {} });

const calendarListRoute: Route = {
  method: 'GET',
  hosts: [HOST],
  path: '/calendar/v3/users/me/calendarList',
  handle(ctx) {
    const auth = authorize(ctx);
    if (!auth.ok) return auth.reply;
    const limit = intParam(ctx.query.get('maxResults'), 1, Number.MAX_SAFE_INTEGER);
    if (limit === null) return invalid('Invalid value for maxResults', 'maxResults');
    const syncToken = ctx.query.get('syncToken');
    if (syncToken && (ctx.state.knobs.expireSyncTokens || !decodeCursor(syncBinding(auth.account, 'calendarList'), syncToken))) return gone();
    const binding = bindingOf('google-calendarList', auth.account);
    const started = startListing(() => ctx.state.data.snapshot(), binding, ctx.query.get('pageToken'), {});
    if (!started.ok) return invalid('Invalid page token value', 'pageToken');
    const { cursor } = started;
    const refused = pageGate(ctx.state, 'google-calendar.calendars', cursor.page, faults);
    if (refused) return refused;
    // The three calendars never change, so a sync token replay lists nothing.
    const all = syncToken ? [] : calendarsOf(auth.account);
    const offset = Math.max(cursor.position.at, 0);
    const end = offset + Math.min(limit ?? 100, 250);
    const nextPageToken = end < all.length ? encodeCursor(binding, { ...cursor, position: { part: 0, at: end }, page: cursor.page + 1 }) : undefined;
    return json(200, {
      kind: 'calendar#calendarList',
      etag: `"${cursor.snapshot}"`,
      ...(nextPageToken ? { nextPageToken } : { nextSyncToken: issueSyncToken(auth.account, 'calendarList', cursor.snapshot) }),
      items: all.slice(offset, end).map((calendar) => ({
        kind: 'calendar#calendarListEntry',
        etag: `"${calendar.slots.length}"`,
        id: calendar.id,
        summary: calendar.summary,
        timeZone: TIME_ZONE_NAME,
        accessRole: calendar.accessRole,
        selected: true,
        ...(calendar.primary ? { primary: true } : {}),
      })),
    });
  },
};

/** Listing parameters a first page fixes and its page tokens carry (or the 400 refusing them). */
function firstPageParams(ctx: RequestContext, syncSince: number | undefined): { ok: true; params: ListingParams } | { ok: false; reply: Reply } {
  const refuse = (message: string, location: string) => ({ ok: false as const, reply: invalid(message, location) });
  const orderBy = ctx.query.get('orderBy');
  if (orderBy !== null && orderBy !== 'updated') return refuse('The sandbox supports orderBy=updated only.', 'orderBy');
  for (const name of ['q', 'iCalUID', 'privateExtendedProperty', 'sharedExtendedProperty']) {
    if (ctx.query.has(name)) return refuse(`The sandbox does not filter events by ${name}.`, name);
  }
  const times: Record<string, number | null> = { timeMin: null, timeMax: null, updatedMin: null };
  for (const name of Object.keys(times)) {
    const raw = ctx.query.get(name);
    if (raw === null) continue;
    const ms = parseTimestamp(raw);
    if (ms === undefined) return refuse(`Invalid value for ${name}: ${raw}`, name);
    times[name] = ms;
  }
  return { ok: true, params: { since: syncSince ?? null, showDeleted: ctx.query.get('showDeleted') === 'true', byUpdated: orderBy === 'updated', ...times } };
}

function eventsQuery(dataset: Dataset, calendar: Calendar, snapshot: number, params: ListingParams): ViewQuery {
  const { since, showDeleted, byUpdated, timeMin, timeMax, updatedMin } = params as Record<string, number | boolean | null>;
  const inCalendar = (index: number) => holds(dataset, index, calendar);
  const timed = typeof timeMin === 'number' || typeof timeMax === 'number';
  const where = !timed
    ? inCalendar
    : (index: number) => {
        if (!inCalendar(index)) return false;
        const fields = dataset.fields(index);
        const start = fields.start as number;
        const end = start + (fields.minutes as number) * 60_000;
        return (typeof timeMin !== 'number' || end > timeMin) && (typeof timeMax !== 'number' || start < timeMax);
      };
  if (typeof since === 'number') return { order: 'modified', snapshot, include: 'all', min: { value: since, inclusive: false }, where: inCalendar };
  return {
    order: byUpdated ? 'modified' : 'id',
    snapshot,
    // updatedMin brings deletions since then, whatever showDeleted says (as Google documents).
    include: showDeleted || typeof updatedMin === 'number' ? 'all' : 'live',
    ...(typeof updatedMin === 'number' ? { min: { value: updatedMin, inclusive: true } } : {}),
    where,
  };
}

const eventsRoute: Route = {
  method: 'GET',
  hosts: [HOST],
  path: '/calendar/v3/calendars/{calendarId}/events',
  pattern: /^\/calendar\/v3\/calendars\/(?<calendarId>[^/]+)\/events\/?$/,
  handle(ctx) {
    const auth = authorize(ctx);
    if (!auth.ok) return auth.reply;
    const calendars = calendarsOf(auth.account);
    const wanted = ctx.params.calendarId === 'primary' ? calendars[0].id : ctx.params.calendarId;
    const calendar = calendars.find((c) => c.id === wanted);
    if (!calendar) return apiError(404, 'Not Found', 'notFound');
    const limit = intParam(ctx.query.get('maxResults'), 1, Number.MAX_SAFE_INTEGER);
    if (limit === null) return invalid('Invalid value for maxResults', 'maxResults');

    const syncToken = ctx.query.get('syncToken');
    if (syncToken) {
      const clash = NOT_WITH_SYNC_TOKEN.find((name) => ctx.query.has(name));
      if (clash) return invalid(`${clash} cannot be used together with syncToken.`, clash);
      if (ctx.state.knobs.expireSyncTokens) return gone();
    }
    const synced = syncToken ? decodeCursor(syncBinding(auth.account, calendar.id), syncToken) : undefined;
    if (syncToken && !synced) return gone();
    const first = firstPageParams(ctx, synced?.snapshot);
    if (!first.ok) return first.reply;

    const binding = bindingOf('google-events', auth.account, calendar.id);
    const started = startListing(() => ctx.state.data.snapshot(), binding, ctx.query.get('pageToken'), first.params);
    if (!started.ok) return invalid('Invalid page token value', 'pageToken');
    const { cursor } = started;
    // A page of an incremental listing is as stale as the sync token it started from.
    if (typeof cursor.params.since === 'number' && ctx.state.knobs.expireSyncTokens) return gone();
    const refused = pageGate(ctx.state, 'google-calendar.events', cursor.page, faults);
    if (refused) return refused;

    const dataset = getDataset(ctx.state, googleEventsSpec, auth.account);
    const page = pageFrom(dataset, eventsQuery(dataset, calendar, cursor.snapshot, cursor.params), cursor, Math.min(limit ?? 250, 2500), binding);
    return json(200, {
      kind: 'calendar#events',
      etag: `"${cursor.snapshot * 1000}"`,
      summary: calendar.summary,
      description: '',
      updated: isoMs(cursor.snapshot),
      timeZone: TIME_ZONE_NAME,
      accessRole: calendar.accessRole,
      defaultReminders: calendar.primary ? [{ method: 'popup', minutes: 10 }] : [],
      ...(page.nextToken ? { nextPageToken: page.nextToken } : { nextSyncToken: issueSyncToken(auth.account, calendar.id, cursor.snapshot) }),
      items: page.indices.map((index) => renderEvent(dataset, index, calendar)),
    });
  },
};

export const googleCalendarDataRoutes: Route[] = [calendarListRoute, eventsRoute];
