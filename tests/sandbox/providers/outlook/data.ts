// Microsoft Graph reads for Outlook: the calendars, calendarView/delta per calendar
// (https://learn.microsoft.com/graph/api/event-delta), calendarView, and single events.
// Delta: the first request fixes startDateTime/endDateTime; pages follow @odata.nextLink
// ($skiptoken) and the last one carries @odata.deltaLink ($deltatoken), which replays every change
// since the listing began, deletions as { id, "@removed": { reason: "deleted" } }. A delta token of
// another calendar or account, or any while the expireSyncTokens knob is on, answers 410 Gone with
// syncStateNotFound. Page size: the `Prefer: odata.maxpagesize` header (Graph's default here, 10).
import { getDataset, type Dataset } from '../../data';
import { intParam, pageGate, parseTimestamp } from '../../data-faults';
import { bindingOf, decodeCursor, encodeCursor, pageFrom, startListing, type ViewQuery } from '../../data-view';
import { json, type Reply, type RequestContext, type Route } from '../../http';
import { calendarOf, calendarsOf, endOf, inCalendar, outlookEventsSpec, renderEvent, startOf, type Calendar } from './events';
import { authorize, faults, GRAPH_HOST, graphError } from './graph';

const API = `https://${GRAPH_HOST}/v1.0`;
const DEFAULT_PAGE = 10;
const MAX_PAGE = 1000;

export const eventsOf = (ctx: RequestContext, account: string) => getDataset(ctx.state, outlookEventsSpec, account);

/** Prefer: odata.maxpagesize=N (among other preferences), bounded as Graph bounds it. */
function pageSize(ctx: RequestContext): number {
  const prefer = String(ctx.headers.prefer ?? '');
  const match = /odata\.maxpagesize\s*=\s*(\d+)/i.exec(prefer);
  return match ? Math.max(1, Math.min(Number(match[1]), MAX_PAGE)) : DEFAULT_PAGE;
}

function findCalendar(ctx: RequestContext, account: string): Calendar | Reply {
  const calendar = calendarsOf(account).find((c) => c.id === ctx.params.calendarId);
  return calendar ?? graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
}

const renderCalendar = (calendar: Calendar) => ({
  id: calendar.id,
  name: calendar.name,
  color: 'auto',
  isDefaultCalendar: calendar.isDefaultCalendar,
  canEdit: calendar.canEdit,
  canShare: true,
  canViewPrivateItems: true,
  owner: null,
});

const gone = () => graphError(410, 'syncStateNotFound', 'The sync state generation is not found. The delta token is expired and data must be synchronized again.');

const deltaBinding = (account: string, calendarId: string) => bindingOf('outlook-delta', account, calendarId);
const pageBinding = (account: string, calendarId: string) => bindingOf('outlook-events', account, calendarId);

const overlaps = (dataset: Dataset, index: number, from: number, to: number) => startOf(dataset, index) < to && endOf(dataset, index) > from;

function deltaRoute(): Route {
  return {
    method: 'GET',
    hosts: [GRAPH_HOST],
    path: '/v1.0/me/calendars/{calendarId}/calendarView/delta',
    pattern: /^\/v1\.0\/me\/calendars\/(?<calendarId>[^/]+)\/calendarView\/delta$/,
    handle(ctx) {
      const auth = authorize(ctx);
      if (!auth.ok) return auth.reply;
      const calendar = findCalendar(ctx, auth.account);
      if ('status' in calendar) return calendar;
      const calendars = calendarsOf(auth.account);
      const dataset = eventsOf(ctx, auth.account);
      const deltaToken = ctx.query.get('$deltatoken');
      const skipToken = ctx.query.get('$skiptoken');
      let params: Record<string, number | null>;
      if (deltaToken) {
        const synced = ctx.state.knobs.expireSyncTokens ? undefined : decodeCursor(deltaBinding(auth.account, calendar.id), deltaToken);
        if (!synced) return gone();
        params = { since: synced.snapshot, from: synced.params.from as number, to: synced.params.to as number };
      } else if (!skipToken) {
        const from = parseTimestamp(ctx.query.get('startDateTime') ?? '');
        const to = parseTimestamp(ctx.query.get('endDateTime') ?? '');
        if (from === undefined || to === undefined || to <= from) {
          return graphError(400, 'ErrorInvalidParameter', 'This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.');
        }
        params = { since: null, from, to };
      } else params = {};
      const binding = pageBinding(auth.account, calendar.id);
      const started = startListing(() => ctx.state.data.snapshot(), binding, skipToken, params);
      if (!started.ok) return graphError(400, 'ErrorInvalidSkipToken', 'The skip token is invalid.');
      const { cursor } = started;
      if (typeof cursor.params.since === 'number' && ctx.state.knobs.expireSyncTokens) return gone();
      const refused = pageGate(ctx.state, 'outlook.events', cursor.page, faults);
      if (refused) return refused;
      const { since, from, to } = cursor.params as { since: number | null; from: number; to: number };
      const inCal = (index: number) => inCalendar(dataset, index, calendar, calendars);
      const query: ViewQuery =
        typeof since === 'number'
          ? { order: 'modified', snapshot: cursor.snapshot, include: 'all', min: { value: since, inclusive: false }, where: inCal }
          : { order: 'id', snapshot: cursor.snapshot, include: 'live', where: (index) => inCal(index) && overlaps(dataset, index, from, to) };
      const page = pageFrom(dataset, query, cursor, pageSize(ctx), binding);
      const base = `${API}/me/calendars/${encodeURIComponent(calendar.id)}/calendarView/delta`;
      const value = page.indices.map((index) => {
        const gone = dataset.isDeleted(index) || !overlaps(dataset, index, from, to);
        // Graph lists an event that left the window, or was deleted, as removed.
        if (gone) return { '@odata.type': '#microsoft.graph.event', id: dataset.idOf(index), '@removed': { reason: dataset.isDeleted(index) ? 'deleted' : 'changed' } };
        return { '@odata.type': '#microsoft.graph.event', ...renderEvent(dataset, index) };
      });
      const link = page.nextToken
        ? { '@odata.nextLink': `${base}?$skiptoken=${page.nextToken}` }
        : {
            '@odata.deltaLink': `${base}?$deltatoken=${encodeCursor(deltaBinding(auth.account, calendar.id), { snapshot: cursor.snapshot, position: { part: 0, at: 0 }, page: 1, params: { from, to } })}`,
          };
      return json(200, { '@odata.context': `${API}/$metadata#Collection(event)`, ...link, value });
    },
  };
}

export const outlookDataRoutes: Route[] = [
  {
    method: 'GET',
    hosts: [GRAPH_HOST],
    path: '/v1.0/me/calendars',
    handle(ctx) {
      const auth = authorize(ctx);
      if (!auth.ok) return auth.reply;
      const top = intParam(ctx.query.get('$top'), 1, 1000);
      if (top === null) return graphError(400, 'ErrorInvalidParameter', 'Invalid $top.');
      const refused = pageGate(ctx.state, 'outlook.calendars', 1, faults);
      if (refused) return refused;
      return json(200, { '@odata.context': `${API}/$metadata#users('me')/calendars`, value: calendarsOf(auth.account).slice(0, top ?? 10).map(renderCalendar) });
    },
  },
  {
    method: 'GET',
    hosts: [GRAPH_HOST],
    path: '/v1.0/me/calendar',
    handle(ctx) {
      const auth = authorize(ctx);
      if (!auth.ok) return auth.reply;
      return json(200, renderCalendar(calendarsOf(auth.account)[0]));
    },
  },
  deltaRoute(),
  {
    method: 'GET',
    hosts: [GRAPH_HOST],
    path: '/v1.0/me/calendars/{calendarId}/calendarView',
    pattern: /^\/v1\.0\/me\/calendars\/(?<calendarId>[^/]+)\/calendarView$/,
    handle(ctx) {
      const auth = authorize(ctx);
      if (!auth.ok) return auth.reply;
      const calendar = findCalendar(ctx, auth.account);
      if ('status' in calendar) return calendar;
      const from = parseTimestamp(ctx.query.get('startDateTime') ?? '');
      const to = parseTimestamp(ctx.query.get('endDateTime') ?? '');
      if (from === undefined || to === undefined) return graphError(400, 'ErrorInvalidParameter', 'startDateTime and endDateTime are required.');
      const calendars = calendarsOf(auth.account);
      const dataset = eventsOf(ctx, auth.account);
      const value: unknown[] = [];
      for (let index = 0; index < dataset.count && value.length < MAX_PAGE; index++) {
        if (dataset.isDeleted(index) || !inCalendar(dataset, index, calendar, calendars) || !overlaps(dataset, index, from, to)) continue;
        value.push(renderEvent(dataset, index));
      }
      return json(200, { '@odata.context': `${API}/$metadata#Collection(event)`, value });
    },
  },
  {
    method: 'GET',
    hosts: [GRAPH_HOST],
    path: '/v1.0/me/events/{eventId}',
    pattern: /^\/v1\.0\/me\/events\/(?<eventId>[^/]+)$/,
    handle(ctx) {
      const auth = authorize(ctx);
      if (!auth.ok) return auth.reply;
      const found = liveEvent(ctx, auth.account);
      return 'reply' in found ? found.reply : json(200, renderEvent(found.dataset, found.index));
    },
  },
  {
    method: 'GET',
    hosts: [GRAPH_HOST],
    path: '/v1.0/me/events/{eventId}/calendar',
    pattern: /^\/v1\.0\/me\/events\/(?<eventId>[^/]+)\/calendar$/,
    handle(ctx) {
      const auth = authorize(ctx);
      if (!auth.ok) return auth.reply;
      const found = liveEvent(ctx, auth.account);
      return 'reply' in found ? found.reply : json(200, renderCalendar(calendarOf(found.dataset, found.index, calendarsOf(auth.account))));
    },
  },
];

/** The live event the path names; Graph answers 404 for a deleted (or cancelled) one. */
export function liveEvent(ctx: RequestContext, account: string): { dataset: Dataset; index: number } | { reply: Reply } {
  const dataset = eventsOf(ctx, account);
  const index = dataset.indexOf(ctx.params.eventId);
  if (index === undefined || dataset.isDeleted(index)) return { reply: graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.') };
  return { dataset, index };
}
