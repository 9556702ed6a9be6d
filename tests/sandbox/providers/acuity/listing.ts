// The reference clients. Acuity lists appointments by date (no modification filter, no cursor) and
// clients all at once (no id), so an incremental listing re-lists everything and keeps what differs
// from what the previous listing saw — the cursor holds a digest of each record, as the app's sync
// keeps a content hash.
import crypto from 'node:crypto';
import { failed, type Json, type Listed, type ListingApi, type ListingClient } from '../../listing';
import { PROFILE } from './accounts';

const API = 'https://acuityscheduling.com/api/v1';
const digest = (raw: Json) => crypto.createHash('sha256').update(JSON.stringify(raw)).digest('base64url').slice(0, 16);

function changedSince(records: Listed[], seen: Record<string, string> | undefined): Listed[] {
  return seen ? records.filter((r) => seen[r.id] !== digest(r.raw)) : records;
}

function client(resource: 'appointments' | 'clients', path: string, toListed: (items: Json[]) => Listed[]) {
  return ({ call }: ListingApi): ListingClient => ({
    key: `${PROFILE.id}.${resource}`,
    provider: PROFILE.id,
    start: (cursor) => ({ seen: cursor?.seen }),
    async step(state) {
      const r = await call(`${API}${path}`);
      if (r.status !== 200) return failed(r);
      const all = toListed(r.body as unknown as Json[]);
      const seen = Object.fromEntries(all.map((x) => [x.id, digest(x.raw)]));
      return { ...r, records: changedSince(all, state.seen), cursor: { seen } };
    },
  });
}

export const appointmentsClient = client('appointments', '/appointments?minDate=2000-01-01&maxDate=2100-01-01&max=100000&showall=true&direction=ASC', (items) =>
  items.map((x) => ({ id: String(x.id), deleted: Boolean(x.canceled), raw: x })),
);
export const clientsClient = client('clients', '/clients', (items) => items.map((x) => ({ id: String(x.email).toLowerCase(), deleted: false, raw: x })));
