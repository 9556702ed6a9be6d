// Calendly scheduled events and their invitees.
//
// Calendly has no "updated since" filter: GET /scheduled_events filters by start time, status and
// invitee email only (https://developer.calendly.com/api-docs/calendly-api/scheduled-events/list-events),
// and invitees are listed per event (GET /scheduled_events/{uuid}/invitees). So an incremental
// listing re-scans a window — every event starting from LOOKBACK_DAYS before now, plus the invitees
// of those events — and keeps what changed since the cursor (updated_at at or after the newest one
// the last listing saw; the sync's content hash drops anything unchanged). Webhooks (invitee.created,
// invitee.canceled) make that re-scan happen within seconds of a booking; a full listing (no window)
// settles anything older. A cancellation keeps the event or invitee listed with status "canceled",
// so deletions arrive as status changes, never as tombstones.
import { z } from 'zod';
import type { FetchedRecord, PageRequest, PageResult, ProviderClient, SyncResource } from '../types';
import { calendly, calendlyObject, collectionOf, connectedUser, PAGE_SIZE, uuidOf, type CalendlyObject } from './api';

/** Events that started longer ago than this are not re-scanned by incremental listings. */
export const LOOKBACK_DAYS = 180;
const DAY_MS = 24 * 60 * 60 * 1000;

const eventList = collectionOf(calendlyObject);
const cursorSchema = z.object({ newest: z.number() });

/** The newest updated_at among the records, at least `floor` (ms). */
function newestOf(records: CalendlyObject[], floor: number): number {
  return records.reduce((max, record) => Math.max(max, Date.parse(record.updated_at) || 0), floor);
}

function changedSince(records: CalendlyObject[], since: number | null): CalendlyObject[] {
  return since === null ? records : records.filter((record) => Date.parse(record.updated_at) >= since);
}

/** One page of the user's scheduled events (all statuses), within the incremental window if any. */
async function eventsPage(client: ProviderClient, user: string, pageToken: string | undefined, windowStart: number | null) {
  const query = new URLSearchParams({ user, count: String(PAGE_SIZE), sort: 'start_time:asc' });
  if (windowStart !== null) query.set('min_start_time', new Date(windowStart).toISOString());
  if (pageToken) query.set('page_token', pageToken);
  return eventList.parse(await calendly(client, `/scheduled_events?${query}`));
}

const toRecord = (record: CalendlyObject): FetchedRecord => ({ externalId: uuidOf(record.uri), data: record });

const sinceOf = (request: PageRequest) => (request.listing === 'incremental' ? cursorSchema.parse(request.cursor).newest : null);
const windowOf = (request: PageRequest) => (request.listing === 'incremental' ? request.now.getTime() - LOOKBACK_DAYS * DAY_MS : null);

const eventsState = z.object({ user: z.string(), pageToken: z.string().optional(), newest: z.number() });

export const scheduledEvents: SyncResource = {
  id: 'scheduled_events',
  label: 'Scheduled events',
  async fetchPage(client, request): Promise<PageResult> {
    const since = sinceOf(request);
    const state = request.page ? eventsState.parse(request.page) : { user: (await connectedUser(client)).uri, newest: since ?? 0 };
    const page = await eventsPage(client, state.user, state.pageToken, windowOf(request));
    const newest = newestOf(page.collection, state.newest);
    const records = changedSince(page.collection, since).map(toRecord);
    const token = page.pagination.next_page_token;
    if (token) return { records, next: { ...state, pageToken: token, newest } };
    return { records, next: null, cursor: { newest } };
  },
};

const inviteesState = z.object({
  user: z.string(),
  /** The events page being walked, and the token of the page after it. */
  events: z.array(z.string()),
  eventsToken: z.string().nullable(),
  index: z.number().int(),
  pageToken: z.string().optional(),
  newest: z.number(),
});
type InviteesState = z.infer<typeof inviteesState>;

export const invitees: SyncResource = {
  id: 'invitees',
  label: 'Invitees',
  async fetchPage(client, request): Promise<PageResult> {
    const since = sinceOf(request);
    let state: InviteesState;
    if (request.page) state = inviteesState.parse(request.page);
    else {
      const user = (await connectedUser(client)).uri;
      const first = await eventsPage(client, user, undefined, windowOf(request));
      state = { user, events: first.collection.map((e) => uuidOf(e.uri)), eventsToken: first.pagination.next_page_token ?? null, index: 0, newest: since ?? 0 };
    }
    // Past the end of this events page: fetch the next one (a page with no events is a page with no records).
    if (state.index >= state.events.length) {
      if (!state.eventsToken) return { records: [], next: null, cursor: { newest: state.newest } };
      const more = await eventsPage(client, state.user, state.eventsToken, windowOf(request));
      const next = { ...state, events: more.collection.map((e) => uuidOf(e.uri)), eventsToken: more.pagination.next_page_token ?? null, index: 0, pageToken: undefined };
      return { records: [], next };
    }
    const query = new URLSearchParams({ count: String(PAGE_SIZE) });
    if (state.pageToken) query.set('page_token', state.pageToken);
    const page = eventList.parse(await calendly(client, `/scheduled_events/${encodeURIComponent(state.events[state.index])}/invitees?${query}`));
    const newest = newestOf(page.collection, state.newest);
    const records = changedSince(page.collection, since).map(toRecord);
    const token = page.pagination.next_page_token;
    if (token) return { records, next: { ...state, pageToken: token, newest } };
    const next = { ...state, index: state.index + 1, pageToken: undefined, newest };
    if (next.index < next.events.length || next.eventsToken) return { records, next };
    return { records, next: null, cursor: { newest } };
  },
};
