// The reference client: page[after] through a full listing; updated_since (deleted records
// included) for an incremental one.
import { failed, iso, maxMs, type Json, type ListingApi, type ListingClient } from '../../listing';
import { PROFILE } from './accounts';

export function resourceClient(resource: 'clients' | 'appointments') {
  return ({ call, size }: ListingApi): ListingClient => ({
    key: `${PROFILE.id}.${resource}`,
    provider: PROFILE.id,
    start: (cursor) => ({ since: cursor?.since, newest: cursor?.since ?? 0 }),
    async step(state) {
      const query = new URLSearchParams({ 'page[size]': String(Math.min(size, 100)) });
      if (state.after) query.set('page[after]', state.after);
      if (state.since) query.set('updated_since', iso(state.since + 1));
      const r = await call(`https://api.fresha.com/v2/${resource}?${query}`);
      if (r.status !== 200) return failed(r);
      const records = (r.body.data as Json[]).map((x) => ({ id: x.id as string, deleted: Boolean(x.attributes.deleted_at), raw: x }));
      const newest = maxMs(records.map((x) => x.raw.attributes.updated_at), state.newest);
      if (r.body.meta.next_cursor) return { ...r, records, next: { ...state, after: r.body.meta.next_cursor, newest } };
      return { ...r, records, cursor: { since: newest } };
    },
  });
}
