// The reference client for messages, as a sync engine would page them: a full listing takes the
// mailbox's historyId first, then pages messages.list and gets each message's metadata; an
// incremental one pages history.list from the historyId and gets what was added or relabelled.
import { failed, type Json, type Listed, type ListingApi, type ListingClient } from '../../listing';
import { PROFILE } from './accounts';

const API = 'https://gmail.googleapis.com/gmail/v1/users/me';

export function messagesClient({ call, size }: ListingApi): ListingClient {
  const get = async (id: string) => call(`${API}/messages/${id}?format=metadata&metadataHeaders=Subject`);
  return {
    key: `${PROFILE.id}.messages`,
    provider: PROFILE.id,
    start: (cursor) => ({ since: cursor?.historyId ?? null }),
    async step(state) {
      if (state.since === null) {
        let historyId = state.historyId;
        if (!historyId) {
          const profile = await call(`${API}/profile`);
          if (profile.status !== 200) return failed(profile);
          historyId = profile.body.historyId;
        }
        const query = new URLSearchParams({ maxResults: String(Math.min(size, 500)) });
        if (state.pageToken) query.set('pageToken', state.pageToken);
        const r = await call(`${API}/messages?${query}`);
        if (r.status !== 200) return failed(r);
        const records: Listed[] = [];
        for (const ref of (r.body.messages ?? []) as Json[]) {
          const m = await get(ref.id);
          if (m.status === 200) records.push({ id: ref.id, deleted: false, raw: m.body });
        }
        if (r.body.nextPageToken) return { ...r, records, next: { ...state, historyId, pageToken: r.body.nextPageToken } };
        return { ...r, records, cursor: { historyId } };
      }
      const query = new URLSearchParams({ startHistoryId: state.since, maxResults: String(Math.min(size, 500)) });
      for (const type of ['messageAdded', 'messageDeleted', 'labelAdded', 'labelRemoved']) query.append('historyTypes', type);
      if (state.pageToken) query.set('pageToken', state.pageToken);
      const r = await call(`${API}/history?${query}`);
      if (r.status !== 200) return failed(r);
      const records: Listed[] = [];
      for (const entry of (r.body.history ?? []) as Json[]) {
        for (const { message } of (entry.messagesDeleted ?? []) as Json[]) records.push({ id: message.id, deleted: true, raw: message });
        for (const { message } of [...(entry.messagesAdded ?? []), ...(entry.labelsAdded ?? []), ...(entry.labelsRemoved ?? [])] as Json[]) {
          const m = await get(message.id);
          records.push(m.status === 200 ? { id: message.id, deleted: false, raw: m.body } : { id: message.id, deleted: true, raw: message });
        }
      }
      if (r.body.nextPageToken) return { ...r, records, next: { ...state, pageToken: r.body.nextPageToken } };
      return { ...r, records, cursor: { historyId: r.body.historyId } };
    },
  };
}
