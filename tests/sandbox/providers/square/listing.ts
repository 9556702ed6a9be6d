// The reference clients: customers (list, then search on updated_at from the cursor) and bookings,
// which have no incremental query: walk 31-day windows over ±91 days and keep what changed.
import { DAY, failed, iso, maxMs, type Json, type ListingApi, type ListingClient } from '../../listing';
import { PROFILE } from './accounts';

export function customersClient({ call, size }: ListingApi): ListingClient {
  return {
    key: `${PROFILE.id}.customers`,
    provider: PROFILE.id,
    start: (cursor) => ({ since: cursor?.since, newest: cursor?.since ?? 0 }),
    async step(state) {
      const r = state.since
        ? await call('https://connect.squareup.com/v2/customers/search', {
            method: 'POST',
            json: { query: { filter: { updated_at: { start_at: iso(state.since + 1) } }, sort: { field: 'CREATED_AT', order: 'ASC' } }, limit: Math.min(size, 100), ...(state.cursor ? { cursor: state.cursor } : {}) },
          })
        : await call(`https://connect.squareup.com/v2/customers?${new URLSearchParams({ limit: String(Math.min(size, 100)), ...(state.cursor ? { cursor: state.cursor } : {}) })}`);
      if (r.status !== 200) return failed(r);
      const records = ((r.body.customers ?? []) as Json[]).map((c) => ({ id: c.id as string, deleted: false, raw: c }));
      const newest = maxMs(records.map((x) => x.raw.updated_at), state.newest);
      if (r.body.cursor) return { ...r, records, next: { ...state, cursor: r.body.cursor, newest } };
      return { ...r, records, cursor: { since: newest } };
    },
  };
}

export function bookingsClient({ call, size }: ListingApi): ListingClient {
  return {
    key: `${PROFILE.id}.bookings`,
    provider: PROFILE.id,
    start: (cursor) => ({ since: cursor?.since ?? null, from: Date.now() - 91 * DAY, end: Date.now() + 91 * DAY, newest: cursor?.since ?? 0 }),
    async step(state) {
      const to = Math.min(state.from + 31 * DAY, state.end);
      const query = new URLSearchParams({ limit: String(size), start_at_min: iso(state.from), start_at_max: iso(to), ...(state.cursor ? { cursor: state.cursor } : {}) });
      const r = await call(`https://connect.squareup.com/v2/bookings?${query}`);
      if (r.status !== 200) return failed(r);
      const all = (r.body.bookings as Json[]).map((b) => ({ id: b.id as string, deleted: b.status === 'CANCELLED_BY_SELLER', raw: b }));
      const records = state.since === null ? all : all.filter((b) => Date.parse(b.raw.updated_at) > state.since);
      const newest = maxMs(all.map((b) => b.raw.updated_at), state.newest);
      if (r.body.cursor) return { ...r, records, next: { ...state, cursor: r.body.cursor, newest } };
      if (to < state.end) return { ...r, records, next: { ...state, from: to, cursor: undefined, newest } };
      return { ...r, records, cursor: { since: newest } };
    },
  };
}
