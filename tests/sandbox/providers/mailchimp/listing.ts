// The reference client for members, paging as a sync engine would: every audience of the token's
// account (the first sandbox account), count/offset pages of members, and for an incremental listing
// since_last_changed per audience from the time the previous listing started (less a second:
// Mailchimp stamps last_changed to the second). Records are "<list id>/<member id>"; an archived
// member is listed with its status changed.
import { failed, type Json, type Listed, type ListingApi, type ListingClient } from '../../listing';
import { apiHost, PROFILE } from './accounts';
import { mailchimpTime } from './audiences';

const API = `https://${apiHost(PROFILE.accounts[0])}/3.0`;

export function membersClient({ call, size }: ListingApi): ListingClient {
  return {
    key: `${PROFILE.id}.members`,
    provider: PROFILE.id,
    start: (cursor) => ({ since: cursor?.since ?? {}, startedAt: Date.now(), lists: null, index: 0, offset: 0 }),
    async step(state) {
      let lists = state.lists as string[] | null;
      if (!lists) {
        const r = await call(`${API}/lists?count=1000&offset=0`);
        if (r.status !== 200) return failed(r);
        lists = (r.body.lists as Json[]).map((list) => String(list.id));
      }
      const since = mailchimpTime(state.startedAt - 1000);
      const listId = lists[state.index];
      const cursor = { since: Object.fromEntries(lists.map((id) => [id, since])) };
      if (listId === undefined) return { status: 200, headers: new Headers(), body: {}, records: [], cursor };
      const query = new URLSearchParams({ count: String(size), offset: String(state.offset) });
      if (state.since[listId]) query.set('since_last_changed', state.since[listId]);
      const r = await call(`${API}/lists/${listId}/members?${query}`);
      if (r.status !== 200) return failed(r);
      const members = r.body.members as Json[];
      const records: Listed[] = members.map((member) => ({ id: `${listId}/${member.id}`, deleted: member.status === 'archived', raw: member }));
      const offset = state.offset + members.length;
      if (members.length > 0 && offset < r.body.total_items) return { ...r, records, next: { ...state, lists, offset } };
      const next = { ...state, lists, index: state.index + 1, offset: 0 };
      if (next.index < lists.length) return { ...r, records, next };
      return { ...r, records, cursor };
    },
  };
}
