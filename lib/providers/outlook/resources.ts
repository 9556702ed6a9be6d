// Outlook calendars and their events, through calendarView/delta per calendar over a rolling window.
// https://learn.microsoft.com/graph/api/event-delta: the first call fixes startDateTime and
// endDateTime; every later page follows @odata.nextLink verbatim until a page carries
// @odata.deltaLink, which is the calendar's cursor; replaying it lists what changed, deletions (and
// events that left the window) as { id, "@removed": { reason } }. $select is not supported on delta.
// The window rolls: once the stored one has drifted WINDOW_DRIFT_DAYS from where it would start
// today, the cursor counts as expired and the engine lists everything again over a fresh window
// (the same path as Graph forgetting a delta state, see graph.ts).
import { z } from 'zod';
import type { ProviderClient } from '../client';
import { CursorExpiredError } from '../errors';
import type { FetchedRecord, PageRequest, PageResult, SyncResource } from '../types';
import { GRAPH, isSyncStateGone } from './graph';

const DAY_MS = 24 * 60 * 60 * 1000;
export const WINDOW_PAST_DAYS = 180;
export const WINDOW_FUTURE_DAYS = 365;
const WINDOW_DRIFT_DAYS = 30;
const PAGE_SIZE = 100;

/** Times come back in UTC (the default, asked for explicitly) and page sizes as we ask. */
export const GRAPH_PREFER = `outlook.timezone="UTC", odata.maxpagesize=${PAGE_SIZE}`;

const calendarPage = z.object({
  value: z.array(z.object({ id: z.string().min(1) }).passthrough()),
  '@odata.nextLink': z.string().optional(),
});
const deltaPage = z.object({
  value: z.array(z.object({ id: z.string().min(1), '@removed': z.object({ reason: z.string().optional() }).passthrough().optional() }).passthrough()),
  '@odata.nextLink': z.string().optional(),
  '@odata.deltaLink': z.string().optional(),
});
const window = z.object({ start: z.string(), end: z.string() });
const cursorSchema = z.object({ window, deltaLinks: z.record(z.string(), z.string()) });
const pageState = z.object({
  calendars: z.array(z.string()),
  index: z.number().int(),
  link: z.string().optional(),
  window,
  deltaLinks: z.record(z.string(), z.string()),
});
type PageState = z.infer<typeof pageState>;

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function windowAt(now: Date): { start: string; end: string } {
  const day = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  return { start: iso(day - WINDOW_PAST_DAYS * DAY_MS), end: iso(day + WINDOW_FUTURE_DAYS * DAY_MS) };
}

/** Every calendar of the signed-in user (the sync reads each; a subscription watches each). */
export async function listCalendars(client: ProviderClient): Promise<string[]> {
  const ids: string[] = [];
  let url: string | undefined = `${GRAPH}/me/calendars?$select=id,name&$top=100`;
  while (url) {
    const { body } = await client.request(url);
    const page = calendarPage.parse(body);
    ids.push(...page.value.map((c) => c.id));
    url = page['@odata.nextLink'];
  }
  return ids;
}

export const deltaUrl = (calendarId: string, span: { start: string; end: string }) =>
  `${GRAPH}/me/calendars/${encodeURIComponent(calendarId)}/calendarView/delta?${new URLSearchParams({ startDateTime: span.start, endDateTime: span.end })}`;

export const outlookEvents: SyncResource = {
  id: 'events',
  label: 'Events',
  async fetchPage(client, request: PageRequest): Promise<PageResult> {
    const cursor = request.listing === 'incremental' ? cursorSchema.parse(request.cursor) : null;
    if (cursor && !request.page) {
      const drift = Date.parse(windowAt(request.now).start) - Date.parse(cursor.window.start);
      if (drift >= WINDOW_DRIFT_DAYS * DAY_MS) throw new CursorExpiredError('The sync window moved on; listing the new window in full.');
    }
    const state: PageState = request.page
      ? pageState.parse(request.page)
      : { calendars: await listCalendars(client), index: 0, window: cursor?.window ?? windowAt(request.now), deltaLinks: {} };
    const calendarId = state.calendars[state.index];
    if (calendarId === undefined) return { records: [], next: null, cursor: { window: state.window, deltaLinks: state.deltaLinks } };

    // A calendar that is new since the last listing has no delta link yet: it starts over the same window.
    const url = state.link ?? cursor?.deltaLinks[calendarId] ?? deltaUrl(calendarId, state.window);
    let body: unknown;
    try {
      ({ body } = await client.request(url, { headers: { prefer: GRAPH_PREFER } }));
    } catch (error) {
      if (isSyncStateGone(error)) throw new CursorExpiredError('Microsoft Graph no longer has this delta state; a full sync is required.');
      throw error;
    }
    const page = deltaPage.parse(body);
    const records: FetchedRecord[] = page.value.map((event) => {
      // Event ids are unique in the mailbox; the calendar is kept beside them for mappings and writes.
      if (event['@removed']) return { externalId: event.id, data: { calendarId, ...event }, deleted: true };
      return { externalId: event.id, data: { calendarId, ...event } };
    });
    const nextLink = page['@odata.nextLink'];
    if (nextLink) return { records, next: { ...state, link: nextLink } };
    const deltaLinks = page['@odata.deltaLink'] ? { ...state.deltaLinks, [calendarId]: page['@odata.deltaLink'] } : state.deltaLinks;
    const next = { ...state, index: state.index + 1, link: undefined, deltaLinks };
    if (next.index < state.calendars.length) return { records, next };
    return { records, next: null, cursor: { window: state.window, deltaLinks } };
  },
};
