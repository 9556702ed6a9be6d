// The reference clients of Mindbody's datasets, paging as the app's syncs do (request.limit /
// request.offset and PaginationResponse), for the first sandbox site:
//  - clients: every client, inactive ones included; incrementally request.lastModifiedDate.
//  - appointments: staff appointments over the rolling window of site-local dates. Mindbody has
//    no modified-since filter, so an incremental listing lists the window again and keeps what
//    differs from what the cursor remembers (as the sync's content hashes do).
//  - class_visits: the window's classes, then each class's visits (request.lastModifiedDate).
import crypto from 'node:crypto';
import { Temporal } from 'temporal-polyfill';
import { failed, type Json, type ListingApi, type ListingClient, type Listed } from '../../listing';
import { PROFILE } from './accounts';
import { MINDBODY_SANDBOX_KEY } from './site';

const BASE = 'https://api.mindbodyonline.com/public/v6';
const SITE = PROFILE.accounts[0];
const WINDOW_BACK_DAYS = 91;
const WINDOW_DAYS = 183;
const CHUNK_DAYS = 31;
const SKEW_MS = 5 * 60_000;

const siteHeaders = (token?: string): Record<string, string> => ({ 'Api-Key': MINDBODY_SANDBOX_KEY, SiteId: String(SITE.siteId), ...(token ? { Authorization: token } : {}) });

async function staffToken(api: ListingApi): Promise<string> {
  const r = await api.call(`${BASE}/usertoken/issue`, { method: 'POST', headers: siteHeaders(), json: { Username: SITE.staffUsername, Password: SITE.staffPassword } });
  return r.body.AccessToken as string;
}

const hash = (raw: Json) => crypto.createHash('sha256').update(JSON.stringify(raw)).digest('base64url').slice(0, 16);

/** The i-th piece of the window (local dates), or null past its end. */
function chunk(from: string, index: number): { start: string; end: string } | null {
  const first = Temporal.PlainDate.from(from);
  const last = first.add({ days: WINDOW_DAYS - 1 });
  const start = first.add({ days: index * CHUNK_DAYS });
  if (Temporal.PlainDate.compare(start, last) > 0) return null;
  const end = start.add({ days: CHUNK_DAYS - 1 });
  return { start: start.toString(), end: (Temporal.PlainDate.compare(end, last) > 0 ? last : end).toString() };
}

const windowStart = () => Temporal.Now.plainDateISO(SITE.timeZone).subtract({ days: WINDOW_BACK_DAYS }).toString();

export function clientsClient(api: ListingApi): ListingClient {
  return {
    key: `${PROFILE.id}.clients`,
    provider: PROFILE.id,
    start: (cursor) => ({ offset: 0, since: cursor?.since, startedAt: Date.now() }),
    async step(state) {
      const query = new URLSearchParams({ 'request.limit': String(Math.min(api.size, 200)), 'request.offset': String(state.offset), 'request.includeInactive': 'true' });
      if (state.since) query.set('request.lastModifiedDate', new Date(state.since).toISOString());
      const r = await api.call(`${BASE}/client/clients?${query}`, { headers: siteHeaders() });
      if (r.status !== 200) return failed(r);
      const records: Listed[] = (r.body.Clients as Json[]).map((c) => ({ id: String(c.Id), deleted: c.Active === false, raw: c }));
      const offset = state.offset + records.length;
      if (records.length > 0 && offset < r.body.PaginationResponse.TotalResults) return { ...r, records, next: { ...state, offset } };
      return { ...r, records, cursor: { since: state.startedAt - SKEW_MS } };
    },
  };
}

export function appointmentsClient(api: ListingApi): ListingClient {
  return {
    key: `${PROFILE.id}.appointments`,
    provider: PROFILE.id,
    start: (cursor) => ({ from: windowStart(), chunk: 0, offset: 0, seen: cursor?.seen ?? null, hashes: {} }),
    async step(state) {
      const token = state.token ?? (await staffToken(api));
      const piece = chunk(state.from, state.chunk)!;
      const query = new URLSearchParams({ 'request.startDate': piece.start, 'request.endDate': piece.end, 'request.limit': String(Math.min(api.size, 200)), 'request.offset': String(state.offset) });
      const r = await api.call(`${BASE}/appointment/staffappointments?${query}`, { headers: siteHeaders(token) });
      if (r.status !== 200) return failed(r);
      const listed = r.body.Appointments as Json[];
      const hashes: Record<string, string> = { ...state.hashes };
      const records: Listed[] = [];
      for (const a of listed) {
        const id = String(a.Id);
        hashes[id] = hash(a);
        // Cancelled appointments stay listed: a status, not a deletion.
        if (!state.seen || state.seen[id] !== hashes[id]) records.push({ id, deleted: a.Status === 'Cancelled', raw: a });
      }
      const offset = state.offset + listed.length;
      const next = { ...state, token, hashes };
      if (listed.length > 0 && offset < r.body.PaginationResponse.TotalResults) return { ...r, records, next: { ...next, offset } };
      if (chunk(state.from, state.chunk + 1)) return { ...r, records, next: { ...next, chunk: state.chunk + 1, offset: 0 } };
      return { ...r, records, cursor: { seen: hashes } };
    },
  };
}

export function classVisitsClient(api: ListingApi): ListingClient {
  return {
    key: `${PROFILE.id}.class_visits`,
    provider: PROFILE.id,
    start: (cursor) => ({ from: windowStart(), chunk: 0, offset: 0, since: cursor?.since, startedAt: Date.now() }),
    async step(state) {
      const token = state.token ?? (await staffToken(api));
      const piece = chunk(state.from, state.chunk)!;
      const end = Temporal.PlainDate.from(piece.end).add({ days: 1 }).toString();
      const query = new URLSearchParams({ 'request.startDateTime': `${piece.start}T00:00:00`, 'request.endDateTime': `${end}T00:00:00`, 'request.limit': '25', 'request.offset': String(state.offset) });
      const r = await api.call(`${BASE}/class/classes?${query}`, { headers: siteHeaders(token) });
      if (r.status !== 200) return failed(r);
      const classes = r.body.Classes as Json[];
      const records: Listed[] = [];
      for (const c of classes) {
        const visitsQuery = new URLSearchParams({ 'request.classID': String(c.Id) });
        if (state.since) visitsQuery.set('request.lastModifiedDate', new Date(state.since).toISOString());
        const v = await api.call(`${BASE}/class/classvisits?${visitsQuery}`, { headers: siteHeaders(token) });
        if (v.status !== 200) return failed(v);
        for (const visit of v.body.Class.Visits as Json[]) records.push({ id: String(visit.Id), deleted: false, raw: visit });
      }
      const offset = state.offset + classes.length;
      const next = { ...state, token };
      if (classes.length > 0 && offset < r.body.PaginationResponse.TotalResults) return { ...r, records, next: { ...next, offset } };
      if (chunk(state.from, state.chunk + 1)) return { ...r, records, next: { ...next, chunk: state.chunk + 1, offset: 0 } };
      return { ...r, records, cursor: { since: state.startedAt - SKEW_MS } };
    },
  };
}
