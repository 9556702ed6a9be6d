// Minimal reference clients for the sandbox's data endpoints, one per dataset: each pages through a
// full listing and an incremental one the way a sync engine would, one page per step(), so tests
// can interleave mutations and faults. Records come back as { id, deleted } plus the raw item.
import type { ProviderId } from './accounts';
import type { DataKey } from './state';

/** Provider JSON, loosely typed: these are tests poking at wire formats. */
type Json = Record<string, any>;

export interface Listed {
  id: string;
  deleted: boolean;
  raw: Json;
}

export interface Step {
  status: number;
  headers: Headers;
  body: Json;
  records: Listed[];
  /** The next page's state; undefined when the listing is complete (or the step failed). */
  next?: Json;
  /** On the last page: where the next incremental listing starts. */
  cursor?: Json;
}

export interface ListingClient {
  key: DataKey;
  provider: ProviderId;
  /** First page state: a full listing, or an incremental one from a previous cursor. */
  start(cursor?: Json): Json;
  step(state: Json): Promise<Step>;
}

export interface ClientOptions {
  /** Sandbox base URL, e.g. http://127.0.0.1:4010 */
  base: string;
  /** The access token to send; an empty string sends no Authorization header. */
  token(provider: ProviderId): string;
  pageSize?: number;
}

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const maxMs = (values: (string | undefined)[], floor = 0) => values.reduce((max, v) => Math.max(max, v ? Date.parse(v.replace(/\+0000$/, 'Z')) : 0), floor);

export function listingClients(options: ClientOptions): Record<DataKey, ListingClient> {
  const size = options.pageSize ?? 100;
  async function call(provider: ProviderId, realUrl: string, init: { method?: string; json?: unknown; headers?: Record<string, string> } = {}) {
    const url = new URL(realUrl);
    const token = options.token(provider);
    const headers: Record<string, string> = { ...(token ? { authorization: `Bearer ${token}` } : {}), ...init.headers };
    if (provider === 'square') headers['square-version'] = '2025-10-16';
    if (init.json !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${options.base}/${url.host}${url.pathname}${url.search}`, {
      method: init.method ?? 'GET',
      headers,
      body: init.json === undefined ? undefined : JSON.stringify(init.json),
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Json };
  }
  const failed = (r: Awaited<ReturnType<typeof call>>): Step => ({ ...r, records: [] });

  const google: ListingClient = {
    key: 'google-calendar.events',
    provider: 'google-calendar',
    start: (cursor) => ({ calendars: null, index: 0, syncTokens: cursor?.syncTokens ?? {}, issued: {} }),
    async step(state) {
      let calendars = state.calendars as string[] | null;
      if (!calendars) {
        const list = await call('google-calendar', 'https://www.googleapis.com/calendar/v3/users/me/calendarList');
        if (list.status !== 200) return failed(list);
        calendars = (list.body.items as Json[]).map((c) => c.id as string);
      }
      const calendar = calendars[state.index];
      const query = new URLSearchParams({ maxResults: String(size) });
      if (state.pageToken) query.set('pageToken', state.pageToken);
      if (state.syncTokens[calendar]) query.set('syncToken', state.syncTokens[calendar]);
      const r = await call('google-calendar', `https://www.googleapis.com/calendar/v3/calendars/${encodeURIComponent(calendar)}/events?${query}`);
      if (r.status !== 200) return failed(r);
      const records = (r.body.items as Json[]).map((e) => ({ id: `${calendar}/${e.id}`, deleted: e.status === 'cancelled', raw: e }));
      if (r.body.nextPageToken) return { ...r, records, next: { ...state, calendars, pageToken: r.body.nextPageToken } };
      const issued = { ...state.issued, [calendar]: r.body.nextSyncToken };
      if (state.index + 1 < calendars.length) return { ...r, records, next: { ...state, calendars, index: state.index + 1, pageToken: undefined, issued } };
      return { ...r, records, cursor: { syncTokens: issued } };
    },
  };

  function salesforce(key: DataKey, object: string, fields: string): ListingClient {
    const instance = 'https://acme-sandbox.my.salesforce.com';
    return {
      key,
      provider: 'salesforce',
      start: (cursor) => ({ since: cursor?.since, newest: cursor?.since }),
      async step(state) {
        const where = state.since ? ` WHERE SystemModstamp > ${state.since}` : '';
        const soql = `SELECT Id, ${fields}, SystemModstamp, IsDeleted FROM ${object}${where} ORDER BY SystemModstamp ASC, Id ASC`;
        const url = state.nextRecordsUrl
          ? `${instance}${state.nextRecordsUrl}`
          : `${instance}/services/data/v62.0/${state.since ? 'queryAll' : 'query'}?q=${encodeURIComponent(soql)}`;
        const r = await call('salesforce', url, { headers: { 'sforce-query-options': `batchSize=${Math.max(size, 200)}` } });
        if (r.status !== 200) return failed(r);
        const records = (r.body.records as Json[]).map((row) => ({ id: row.Id as string, deleted: row.IsDeleted === true, raw: row }));
        const newest = iso(maxMs([state.newest, ...records.map((x) => x.raw.SystemModstamp as string)]));
        if (!r.body.done) return { ...r, records, next: { ...state, nextRecordsUrl: r.body.nextRecordsUrl, newest } };
        return { ...r, records, cursor: { since: newest } };
      },
    };
  }

  function hubspot(key: DataKey, type: string, modified: string): ListingClient {
    const api = `https://api.hubapi.com/crm/v3/objects/${type}`;
    return {
      key,
      provider: 'hubspot',
      start: (cursor) => ({ phase: cursor ? 'search' : 'list', since: cursor?.since, newest: cursor?.since ?? 0 }),
      async step(state) {
        const phase = state.phase as 'list' | 'search' | 'archived';
        const r =
          phase === 'search'
            ? await call('hubspot', `${api}/search`, {
                method: 'POST',
                json: {
                  filterGroups: [{ filters: [{ propertyName: modified, operator: 'GT', value: String(state.since) }] }],
                  sorts: [{ propertyName: modified, direction: 'ASCENDING' }],
                  limit: Math.min(size, 200),
                  ...(state.after ? { after: state.after } : {}),
                },
              })
            : await call('hubspot', `${api}?${new URLSearchParams({ limit: String(Math.min(size, 100)), archived: String(phase === 'archived'), ...(state.after ? { after: state.after } : {}) })}`);
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
  }

  const squareCustomers: ListingClient = {
    key: 'square.customers',
    provider: 'square',
    start: (cursor) => ({ since: cursor?.since, newest: cursor?.since ?? 0 }),
    async step(state) {
      const r = state.since
        ? await call('square', 'https://connect.squareup.com/v2/customers/search', {
            method: 'POST',
            json: { query: { filter: { updated_at: { start_at: iso(state.since + 1) } }, sort: { field: 'CREATED_AT', order: 'ASC' } }, limit: Math.min(size, 100), ...(state.cursor ? { cursor: state.cursor } : {}) },
          })
        : await call('square', `https://connect.squareup.com/v2/customers?${new URLSearchParams({ limit: String(Math.min(size, 100)), ...(state.cursor ? { cursor: state.cursor } : {}) })}`);
      if (r.status !== 200) return failed(r);
      const records = ((r.body.customers ?? []) as Json[]).map((c) => ({ id: c.id as string, deleted: false, raw: c }));
      const newest = maxMs(records.map((x) => x.raw.updated_at), state.newest);
      if (r.body.cursor) return { ...r, records, next: { ...state, cursor: r.body.cursor, newest } };
      return { ...r, records, cursor: { since: newest } };
    },
  };

  /** Bookings have no incremental query: walk 31-day windows over ±91 days, keep what changed. */
  const squareBookings: ListingClient = {
    key: 'square.bookings',
    provider: 'square',
    start: (cursor) => ({ since: cursor?.since ?? null, from: Date.now() - 91 * DAY, end: Date.now() + 91 * DAY, newest: cursor?.since ?? 0 }),
    async step(state) {
      const to = Math.min(state.from + 31 * DAY, state.end);
      const query = new URLSearchParams({ limit: String(size), start_at_min: iso(state.from), start_at_max: iso(to), ...(state.cursor ? { cursor: state.cursor } : {}) });
      const r = await call('square', `https://connect.squareup.com/v2/bookings?${query}`);
      if (r.status !== 200) return failed(r);
      const all = (r.body.bookings as Json[]).map((b) => ({ id: b.id as string, deleted: b.status === 'CANCELLED_BY_SELLER', raw: b }));
      const records = state.since === null ? all : all.filter((b) => Date.parse(b.raw.updated_at) > state.since);
      const newest = maxMs(all.map((b) => b.raw.updated_at), state.newest);
      if (r.body.cursor) return { ...r, records, next: { ...state, cursor: r.body.cursor, newest } };
      if (to < state.end) return { ...r, records, next: { ...state, from: to, cursor: undefined, newest } };
      return { ...r, records, cursor: { since: newest } };
    },
  };

  function fresha(key: DataKey, resource: string): ListingClient {
    return {
      key,
      provider: 'fresha',
      start: (cursor) => ({ since: cursor?.since, newest: cursor?.since ?? 0 }),
      async step(state) {
        const query = new URLSearchParams({ 'page[size]': String(Math.min(size, 100)) });
        if (state.after) query.set('page[after]', state.after);
        if (state.since) query.set('updated_since', iso(state.since + 1));
        const r = await call('fresha', `https://api.fresha.com/v2/${resource}?${query}`);
        if (r.status !== 200) return failed(r);
        const records = (r.body.data as Json[]).map((x) => ({ id: x.id as string, deleted: Boolean(x.attributes.deleted_at), raw: x }));
        const newest = maxMs(records.map((x) => x.raw.attributes.updated_at), state.newest);
        if (r.body.meta.next_cursor) return { ...r, records, next: { ...state, after: r.body.meta.next_cursor, newest } };
        return { ...r, records, cursor: { since: newest } };
      },
    };
  }

  return {
    'google-calendar.events': google,
    'salesforce.contacts': salesforce('salesforce.contacts', 'Contact', 'FirstName, LastName, Email, Phone, Title'),
    'salesforce.opportunities': salesforce('salesforce.opportunities', 'Opportunity', 'Name, Amount, StageName, CloseDate'),
    'hubspot.contacts': hubspot('hubspot.contacts', 'contacts', 'lastmodifieddate'),
    'hubspot.deals': hubspot('hubspot.deals', 'deals', 'hs_lastmodifieddate'),
    'square.customers': squareCustomers,
    'square.bookings': squareBookings,
    'fresha.clients': fresha('fresha.clients', 'clients'),
    'fresha.appointments': fresha('fresha.appointments', 'appointments'),
  };
}

/** Runs a listing to the end; any non-200 page throws. */
export async function drain(client: ListingClient, cursor?: Json): Promise<{ records: Listed[]; pages: number; cursor: Json }> {
  const records: Listed[] = [];
  let state: Json | undefined = client.start(cursor);
  let pages = 0;
  for (;;) {
    const step = await client.step(state as Json);
    pages += 1;
    if (step.status !== 200) throw new Error(`${client.key} page ${pages}: HTTP ${step.status} ${JSON.stringify(step.body).slice(0, 300)}`);
    records.push(...step.records);
    if (!step.next) return { records, pages, cursor: step.cursor ?? {} };
    state = step.next;
  }
}
