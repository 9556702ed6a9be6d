// The reference client for a CRM object: the list API for a full listing; for an incremental one,
// the search API on the modification date, then the archived (deleted) list since the cursor.
import { failed, maxMs, type Json, type ListingApi, type ListingClient } from '../../listing';
import { PROFILE } from './accounts';

export function crmObjectClient(type: 'contacts' | 'deals', modified: string) {
  return ({ call, size }: ListingApi): ListingClient => {
    const api = `https://api.hubapi.com/crm/v3/objects/${type}`;
    return {
      key: `${PROFILE.id}.${type}`,
      provider: PROFILE.id,
      start: (cursor) => ({ phase: cursor ? 'search' : 'list', since: cursor?.since, newest: cursor?.since ?? 0 }),
      async step(state) {
        const phase = state.phase as 'list' | 'search' | 'archived';
        const r =
          phase === 'search'
            ? await call(`${api}/search`, {
                method: 'POST',
                json: {
                  filterGroups: [{ filters: [{ propertyName: modified, operator: 'GT', value: String(state.since) }] }],
                  sorts: [{ propertyName: modified, direction: 'ASCENDING' }],
                  limit: Math.min(size, 200),
                  ...(state.after ? { after: state.after } : {}),
                },
              })
            : await call(`${api}?${new URLSearchParams({ limit: String(Math.min(size, 100)), archived: String(phase === 'archived'), ...(state.after ? { after: state.after } : {}) })}`);
        if (r.status !== 200) return failed(r);
        const results = (r.body.results as Json[]).filter((x) => phase !== 'archived' || Date.parse(x.archivedAt) > state.since);
        const records = results.map((x) => ({ id: x.id as string, deleted: phase === 'archived', raw: x }));
        const newest = maxMs([...results.map((x) => x.updatedAt as string)], state.newest);
        const after = r.body.paging?.next?.after;
        if (after) return { ...r, records, next: { ...state, after, newest } };
        if (phase === 'search') return { ...r, records, next: { ...state, phase: 'archived', after: undefined, newest } };
        return { ...r, records, cursor: { since: newest } };
      },
    };
  };
}
