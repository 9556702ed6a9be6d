// Google Calendar events from every calendar in the user's list. Full listings page each
// calendar with pageToken and keep the nextSyncToken Google returns on the last page; incremental
// listings replay each calendar's syncToken (cancelled events are tombstones). A 410 means the
// token expired: the engine drops the cursor and lists everything again.
import { z } from 'zod';
import { CursorExpiredError, ProviderHttpError } from '../errors';
import type { ProviderClient } from '../client';
import type { FetchedRecord, PageRequest, PageResult, SyncResource } from '../types';

const API = 'https://www.googleapis.com/calendar/v3';
const PAGE_SIZE = 250;

const calendarList = z.object({ items: z.array(z.object({ id: z.string() })), nextPageToken: z.string().optional() });
const eventList = z.object({
  items: z.array(z.object({ id: z.string(), status: z.string().optional() }).passthrough()),
  nextPageToken: z.string().optional(),
  nextSyncToken: z.string().optional(),
});
const cursorSchema = z.object({ syncTokens: z.record(z.string(), z.string()) });
const pageState = z.object({
  calendars: z.array(z.string()),
  index: z.number().int(),
  pageToken: z.string().optional(),
  syncTokens: z.record(z.string(), z.string()),
});
type PageState = z.infer<typeof pageState>;

/** Every calendar in the user's list (the sync reads them all; push channels watch each one). */
export async function listCalendars(client: ProviderClient): Promise<string[]> {
  const ids: string[] = [];
  let pageToken: string | undefined;
  do {
    const query = new URLSearchParams({ maxResults: '250', ...(pageToken ? { pageToken } : {}) });
    const { body } = await client.request(`${API}/users/me/calendarList?${query}`);
    const page = calendarList.parse(body);
    ids.push(...page.items.map((c) => c.id));
    pageToken = page.nextPageToken;
  } while (pageToken);
  return ids;
}

/**
 * The sync reads the calendar list and every calendar's events: calendar.readonly ("See and
 * download any calendar you can access", https://developers.google.com/calendar/api/auth) covers
 * both. calendar.events alone would not list calendars, so it is not enough for this resource.
 */
export const CALENDAR_READ_SCOPE = 'https://www.googleapis.com/auth/calendar.readonly';

export const googleCalendarEvents: SyncResource = {
  id: 'events',
  label: 'Events',
  requiredScopes: [CALENDAR_READ_SCOPE],
  async fetchPage(client, request: PageRequest): Promise<PageResult> {
    const previous = request.listing === 'incremental' ? cursorSchema.parse(request.cursor).syncTokens : {};
    const state: PageState = request.page
      ? pageState.parse(request.page)
      : { calendars: await listCalendars(client), index: 0, syncTokens: {} };
    const calendarId = state.calendars[state.index];
    if (calendarId === undefined) return { records: [], next: null, cursor: { syncTokens: state.syncTokens } };

    const syncToken = previous[calendarId];
    const query = new URLSearchParams({ maxResults: String(PAGE_SIZE), singleEvents: 'true' });
    if (state.pageToken) query.set('pageToken', state.pageToken);
    if (syncToken) query.set('syncToken', syncToken);
    else query.set('showDeleted', 'false');
    let body: unknown;
    try {
      ({ body } = await client.request(`${API}/calendars/${encodeURIComponent(calendarId)}/events?${query}`));
    } catch (error) {
      if (error instanceof ProviderHttpError && error.status === 410) throw new CursorExpiredError(error.providerMessage);
      throw error;
    }
    const page = eventList.parse(body);
    const records: FetchedRecord[] = page.items.map((event) => ({
      // Event ids are unique per calendar only.
      externalId: `${calendarId}/${event.id}`,
      data: { calendarId, ...event },
      deleted: event.status === 'cancelled',
    }));
    if (page.nextPageToken) return { records, next: { ...state, pageToken: page.nextPageToken } };
    const syncTokens = page.nextSyncToken ? { ...state.syncTokens, [calendarId]: page.nextSyncToken } : state.syncTokens;
    const next = { ...state, index: state.index + 1, pageToken: undefined, syncTokens };
    if (next.index < state.calendars.length) return { records, next };
    return { records, next: null, cursor: { syncTokens } };
  },
};
