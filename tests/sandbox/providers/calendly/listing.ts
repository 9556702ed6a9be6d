// The reference clients: scheduled events page by page, and the invitees of each event. Calendly
// has no updated-since filter, so an incremental listing re-lists everything and keeps what changed
// after the cursor (the newest updated_at the previous listing saw) — as the app's sync does.
import { failed, maxMs, type Json, type Listed, type ListingApi, type ListingClient } from '../../listing';
import { API, PROFILE } from './accounts';

const changed = (records: Listed[], since: number | undefined) => (since === undefined ? records : records.filter((r) => Date.parse(r.raw.updated_at) > since));
const uuid = (uri: string) => uri.split('/').at(-1) as string;
const listed = (items: Json[]): Listed[] => items.map((x) => ({ id: uuid(x.uri), deleted: x.status === 'canceled', raw: x }));

export function eventsClient({ call, size }: ListingApi): ListingClient {
  return {
    key: `${PROFILE.id}.scheduled_events`,
    provider: PROFILE.id,
    start: (cursor) => ({ since: cursor?.newest, newest: cursor?.newest ?? 0 }),
    async step(state) {
      if (!state.user) {
        const me = await call(`${API}/users/me`);
        if (me.status !== 200) return failed(me);
        state = { ...state, user: me.body.resource.uri };
      }
      const query = new URLSearchParams({ user: state.user, count: String(Math.min(size, 100)) });
      if (state.token) query.set('page_token', state.token);
      const r = await call(`${API}/scheduled_events?${query}`);
      if (r.status !== 200) return failed(r);
      const all = listed(r.body.collection);
      const newest = maxMs(all.map((x) => x.raw.updated_at), state.newest);
      const records = changed(all, state.since);
      if (r.body.pagination.next_page_token) return { ...r, records, next: { ...state, token: r.body.pagination.next_page_token, newest } };
      return { ...r, records, cursor: { newest } };
    },
  };
}

export function inviteesClient({ call, size }: ListingApi): ListingClient {
  return {
    key: `${PROFILE.id}.invitees`,
    provider: PROFILE.id,
    start: (cursor) => ({ since: cursor?.newest, newest: cursor?.newest ?? 0 }),
    async step(state) {
      let events: string[] | undefined = state.events;
      if (!events) {
        // Every event first (all pages), then each one's invitees.
        const me = await call(`${API}/users/me`);
        if (me.status !== 200) return failed(me);
        events = [];
        let token: string | undefined;
        do {
          const query = new URLSearchParams({ user: me.body.resource.uri, count: '100', ...(token ? { page_token: token } : {}) });
          const r = await call(`${API}/scheduled_events?${query}`);
          if (r.status !== 200) return failed(r);
          events.push(...(r.body.collection as Json[]).map((e) => uuid(e.uri)));
          token = r.body.pagination.next_page_token ?? undefined;
        } while (token);
        state = { ...state, events, index: 0 };
      }
      if (state.index >= events.length) return { status: 200, headers: new Headers(), body: {}, records: [], cursor: { newest: state.newest } };
      const query = new URLSearchParams({ count: String(Math.min(size, 100)) });
      if (state.token) query.set('page_token', state.token);
      const r = await call(`${API}/scheduled_events/${events[state.index]}/invitees?${query}`);
      if (r.status !== 200) return failed(r);
      const all = listed(r.body.collection);
      const newest = maxMs(all.map((x) => x.raw.updated_at), state.newest);
      const records = changed(all, state.since);
      if (r.body.pagination.next_page_token) return { ...r, records, next: { ...state, token: r.body.pagination.next_page_token, newest } };
      if (state.index + 1 < events.length) return { ...r, records, next: { ...state, index: state.index + 1, token: undefined, newest } };
      return { ...r, records, cursor: { newest } };
    },
  };
}
