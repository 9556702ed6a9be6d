// The reference clients: users (users.list, all pages; an incremental listing keeps users whose
// `updated` is after the cursor's) and messages (every member channel's conversations.history;
// an incremental listing keeps messages posted or edited after the newest the last listing saw).
import { failed, type Json, type Listed, type ListingApi, type ListingClient } from '../../listing';
import { API, PROFILE } from './accounts';

const query = (params: Record<string, string | undefined>) =>
  new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined)).toString();

export function usersClient({ call, size }: ListingApi): ListingClient {
  return {
    key: `${PROFILE.id}.users`,
    provider: PROFILE.id,
    start: (cursor) => ({ since: cursor?.newest, newest: cursor?.newest ?? 0 }),
    async step(state) {
      const r = await call(`${API}/users.list?${query({ limit: String(Math.min(size, 1000)), cursor: state.cursor })}`);
      if (r.status !== 200 || !r.body.ok) return failed(r);
      const all: Listed[] = (r.body.members as Json[]).map((u) => ({ id: u.id, deleted: u.deleted === true, raw: u }));
      const newest = all.reduce((max, u) => Math.max(max, u.raw.updated as number), state.newest as number);
      const records = state.since === undefined ? all : all.filter((u) => (u.raw.updated as number) > state.since);
      const next = r.body.response_metadata?.next_cursor;
      if (next) return { ...r, records, next: { ...state, cursor: next, newest } };
      return { ...r, records, cursor: { newest } };
    },
  };
}

/** Newest of a message's post and edit times, in seconds. */
const changedAt = (m: Json) => Math.max(Number(m.ts), Number(m.edited?.ts ?? 0));

export function messagesClient({ call, size }: ListingApi): ListingClient {
  return {
    key: `${PROFILE.id}.messages`,
    provider: PROFILE.id,
    start: (cursor) => ({ since: cursor?.newest, newest: cursor?.newest ?? 0 }),
    async step(state) {
      let channels: string[] | undefined = state.channels;
      if (!channels) {
        const list = await call(`${API}/users.conversations?types=public_channel,private_channel&limit=200`);
        if (list.status !== 200 || !list.body.ok) return failed(list);
        channels = (list.body.channels as Json[]).map((c) => c.id as string);
        state = { ...state, channels, index: 0 };
      }
      if (state.index >= channels.length) return { status: 200, headers: new Headers(), body: {}, records: [], cursor: { newest: state.newest } };
      const channel = channels[state.index];
      const r = await call(`${API}/conversations.history?${query({ channel, limit: String(Math.min(size, 999)), cursor: state.cursor })}`);
      if (r.status !== 200 || !r.body.ok) return failed(r);
      const all: Listed[] = (r.body.messages as Json[]).map((m) => ({ id: `${channel}:${m.ts}`, deleted: false, raw: { ...m, channel } }));
      const newest = all.reduce((max, m) => Math.max(max, changedAt(m.raw)), state.newest as number);
      const records = state.since === undefined ? all : all.filter((m) => changedAt(m.raw) > state.since);
      const next = r.body.response_metadata?.next_cursor;
      if (next) return { ...r, records, next: { ...state, cursor: next, newest } };
      if (state.index + 1 < channels.length) return { ...r, records, next: { ...state, index: state.index + 1, cursor: undefined, newest } };
      return { ...r, records, cursor: { newest } };
    },
  };
}
