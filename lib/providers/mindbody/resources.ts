// Mindbody's synced resources through the Public API v6, paged with request.limit/request.offset
// and PaginationResponse.TotalResults ✔ (sources in api.ts; the class API from
// github.com/api-evangelist/mindbody openapi/mindbody-class-api-openapi.yml ✔).
//  - clients: GET /client/clients with request.includeInactive=true ✔, so a client the business
//    deactivates is seen as Active false (Mindbody deletes no clients); incremental listings pass
//    request.lastModifiedDate ("modified on or after this date" ✔) from the previous listing's
//    start, less a margin for clock skew.
//  - appointments: GET /appointment/staffappointments over a rolling window of site-local dates
//    (91 days back, 91 ahead), asked for 31 days at a time. Mindbody offers no modified-since
//    filter for appointments ~, so an incremental listing lists the window again: the sync's
//    content hashes make unchanged appointments cost nothing, and cancellations show as Status
//    "Cancelled". An appointment that leaves the window is not listed again, so a full sync counts
//    it as deleted.
//  - class_visits: the classes in the same window (GET /class/classes ✔, 25 per page), and each
//    class's visits (GET /class/classvisits?request.classID ✔, with request.lastModifiedDate on
//    incremental listings ✔): one page is one page of classes and a call per class. A visit
//    removed from its class is no longer listed (a full sync finds it gone).
// Appointments and visits are stored with their times as instants (mapping.ts, withSiteTimes).
// A staff user token is needed for appointments and visits ✔ (and sent for clients when the
// connection has a staff login); without a staff login those two list nothing.
import { Temporal } from 'temporal-polyfill';
import { z } from 'zod';
import type { PageRequest, PageResult, ProviderClient, SyncResource } from '../types';
import { localDate, mindbodyRequest, PAGE_LIMIT, pagination, siteTimeZone, staffLoginOf } from './api';
import { withSiteTimes } from './mapping';

/** Listings start this long before the previous one did: Mindbody's clock is not ours. */
const CLOCK_SKEW_MS = 5 * 60_000;
export const WINDOW_BACK_DAYS = 91;
export const WINDOW_AHEAD_DAYS = 91;
/** Days per request (the window is asked for in pieces). */
const CHUNK_DAYS = 31;
const CLASSES_PER_PAGE = 25;

const withId = z.object({ Id: z.union([z.number(), z.string().min(1)]) }).passthrough();
const listPage = z.object({ PaginationResponse: pagination.nullish() }).passthrough();

/** A v6 list answer's items (each with an Id) under `key`, and its TotalResults. */
function listOf(body: unknown, key: string) {
  const page = listPage.parse(body);
  return { items: z.array(withId).nullish().parse(page[key]) ?? [], total: page.PaginationResponse?.TotalResults };
}
const sinceCursor = z.object({ since: z.number() });

/**
 * Without a staff login there is no staff user token, and Mindbody lists no appointments or
 * visits: the listing is empty (the connect form says a login is needed for them) rather than a
 * failure that would fail every sync of a connection whose clients sync fine.
 */
const withoutStaffLogin = (client: ProviderClient, cursor: unknown): PageResult | null => (staffLoginOf(client) ? null : { records: [], next: null, cursor });

const clients: SyncResource = {
  id: 'clients',
  label: 'Clients',
  async fetchPage(client, request): Promise<PageResult> {
    const state = request.page ? z.object({ offset: z.number(), startedAt: z.number() }).parse(request.page) : { offset: 0, startedAt: request.now.getTime() };
    const query = new URLSearchParams({ 'request.limit': String(PAGE_LIMIT), 'request.offset': String(state.offset), 'request.includeInactive': 'true' });
    if (request.listing === 'incremental') query.set('request.lastModifiedDate', new Date(sinceCursor.parse(request.cursor).since).toISOString());
    const { items, total } = listOf(await mindbodyRequest(client, `/client/clients?${query}`, { staff: staffLoginOf(client) !== null }), 'Clients');
    const records = items.map((item) => ({ externalId: String(item.Id), data: item }));
    const offset = state.offset + items.length;
    if (items.length > 0 && total !== undefined && offset < total) return { records, next: { ...state, offset } };
    return { records, next: null, cursor: { since: state.startedAt - CLOCK_SKEW_MS } };
  },
};

/** Where a listing over the window is: the zone, the window's first local date, the piece and the offset in it. */
const windowState = z.object({ zone: z.string(), from: z.string(), chunk: z.number().int().min(0), offset: z.number().int().min(0), startedAt: z.number() });
type WindowState = z.infer<typeof windowState>;

const CHUNKS = Math.ceil((WINDOW_BACK_DAYS + WINDOW_AHEAD_DAYS + 1) / CHUNK_DAYS);

async function startWindow(client: ProviderClient, request: PageRequest): Promise<WindowState> {
  if (request.page) return windowState.parse(request.page);
  const zone = await siteTimeZone(client, undefined);
  const today = Temporal.PlainDate.from(localDate(request.now.getTime(), zone));
  return { zone, from: today.subtract({ days: WINDOW_BACK_DAYS }).toString(), chunk: 0, offset: 0, startedAt: request.now.getTime() };
}

/** The local dates [start, end] of a piece of the window. */
function chunkDates(state: WindowState): { start: Temporal.PlainDate; end: Temporal.PlainDate } {
  const first = Temporal.PlainDate.from(state.from);
  const last = first.add({ days: WINDOW_BACK_DAYS + WINDOW_AHEAD_DAYS });
  const start = first.add({ days: state.chunk * CHUNK_DAYS });
  const end = start.add({ days: CHUNK_DAYS - 1 });
  return { start, end: Temporal.PlainDate.compare(end, last) > 0 ? last : end };
}

/** The next page of a window listing: more of this piece, the next piece, or done. */
function advance(state: WindowState, listed: number, total: number | undefined, cursor: unknown): Pick<PageResult, 'next' | 'cursor'> {
  const offset = state.offset + listed;
  if (listed > 0 && total !== undefined && offset < total) return { next: { ...state, offset } };
  if (state.chunk + 1 < CHUNKS) return { next: { ...state, chunk: state.chunk + 1, offset: 0 } };
  return { next: null, cursor };
}

const appointments: SyncResource = {
  id: 'appointments',
  label: 'Appointments',
  async fetchPage(client, request): Promise<PageResult> {
    const skipped = withoutStaffLogin(client, { listedAt: request.now.getTime() });
    if (skipped) return skipped;
    const state = await startWindow(client, request);
    const { start, end } = chunkDates(state);
    const query = new URLSearchParams({
      'request.startDate': start.toString(),
      'request.endDate': end.toString(),
      'request.limit': String(PAGE_LIMIT),
      'request.offset': String(state.offset),
    });
    const { items, total } = listOf(await mindbodyRequest(client, `/appointment/staffappointments?${query}`, { staff: true }), 'Appointments');
    const records = items.map((item) => ({ externalId: String(item.Id), data: withSiteTimes(item, state.zone) }));
    // No modified filter: the cursor only records when the window was last listed.
    return { records, ...advance(state, items.length, total, { listedAt: state.startedAt }) };
  },
};

const classVisitsAnswer = z.object({ Class: z.object({ Visits: z.array(z.unknown()).nullish() }).passthrough() }).passthrough();

const classVisits: SyncResource = {
  id: 'class_visits',
  label: 'Class visits',
  async fetchPage(client, request): Promise<PageResult> {
    const skipped = withoutStaffLogin(client, { since: request.now.getTime() - CLOCK_SKEW_MS });
    if (skipped) return skipped;
    const state = await startWindow(client, request);
    const { start, end } = chunkDates(state);
    const query = new URLSearchParams({
      'request.startDateTime': `${start}T00:00:00`,
      'request.endDateTime': `${end.add({ days: 1 })}T00:00:00`,
      'request.limit': String(CLASSES_PER_PAGE),
      'request.offset': String(state.offset),
    });
    const { items: classes, total } = listOf(await mindbodyRequest(client, `/class/classes?${query}`, { staff: true }), 'Classes');
    const since = request.listing === 'incremental' ? new Date(sinceCursor.parse(request.cursor).since).toISOString() : null;
    const records = [];
    for (const item of classes) {
      const visitsQuery = new URLSearchParams({ 'request.classID': String(item.Id) });
      if (since) visitsQuery.set('request.lastModifiedDate', since);
      const answer = classVisitsAnswer.parse(await mindbodyRequest(client, `/class/classvisits?${visitsQuery}`, { staff: true }));
      for (const visit of answer.Class.Visits ?? []) records.push({ externalId: String(withId.parse(visit).Id), data: withSiteTimes(visit, state.zone) });
    }
    return { records, ...advance(state, classes.length, total, { since: state.startedAt - CLOCK_SKEW_MS }) };
  },
};

export const mindbodyResources: SyncResource[] = [clients, appointments, classVisits];
