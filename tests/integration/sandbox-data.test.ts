// The sandbox's provider data endpoints: full listings page through exactly the dataset, incremental
// listings return exactly what changed (tombstones where the provider has them), each provider's
// paging quirks and limits, injected faults, and the mutation control API.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { drain, listingClients, type ListingClient } from '../sandbox/data-clients';
import {
  ACCOUNTS,
  DATA_KEYS,
  dataCountsOf,
  issueAccessToken,
  mutateData,
  sandboxUrlOf,
  startSandbox,
  type DataKey,
  type ProviderId,
  type Sandbox,
} from '../sandbox/server';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(() => sandbox.close());

const N = 250;
let tokens: Partial<Record<ProviderId, string>>;
beforeEach(() => {
  sandbox.reset();
  sandbox.setKnobs({ dataset: Object.fromEntries(DATA_KEYS.map((key) => [key, N])) });
  tokens = {};
});
const token = (provider: ProviderId) => (tokens[provider] ??= issueAccessToken(sandbox, { provider }));
const clients = (pageSize = 100) => listingClients({ base: sandbox.url, token, pageSize });

/** Provider JSON, loosely typed: these are tests poking at wire formats. */
type Json = Record<string, any>;
const sb = (realUrl: string) => sandboxUrlOf(sandbox.url, realUrl);
async function call(realUrl: string, init: { token?: string; method?: string; json?: unknown; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...init.headers };
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(sb(realUrl), { method: init.method ?? 'GET', headers, body: init.json === undefined ? undefined : JSON.stringify(init.json) });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Json };
}
const split = (key: DataKey) => {
  const [provider, resource] = key.split('.') as [ProviderId, string];
  return { provider, resource };
};

/** Where deletions show up; Square customers just vanish. */
const TOMBSTONES: Record<DataKey, boolean> = {
  'google-calendar.events': true,
  'salesforce.contacts': true,
  'salesforce.opportunities': true,
  'hubspot.contacts': true,
  'hubspot.deals': true,
  'square.customers': false,
  'square.bookings': true,
  'fresha.clients': true,
  'fresha.appointments': true,
};
/**
 * Page sizes that make several pages of 250: Salesforce's batchSize floor is 200, and bookings
 * are walked in 31-day windows of only a dozen or so bookings each.
 */
const PAGE_SIZE = {
  ...Object.fromEntries(DATA_KEYS.map((key) => [key, 60])),
  'salesforce.contacts': 200,
  'salesforce.opportunities': 200,
  'square.bookings': 5,
} as Record<DataKey, number>;
/** Google ids are per calendar: the clients prefix them with it. */
const bareId = (id: string) => id.split('/').pop() as string;

describe.each(DATA_KEYS)('sandbox data: %s', (key) => {
  const client = (): ListingClient => clients(PAGE_SIZE[key])[key];

  it(`lists exactly ${N} unique records over several pages`, async () => {
    const listed = await drain(client());
    const ids = listed.records.map((r) => r.id);
    expect(new Set(ids).size).toBe(N);
    expect(ids.length).toBe(N);
    expect(listed.pages).toBeGreaterThan(key === 'square.bookings' ? 6 : 1);
    expect(listed.records.every((r) => !r.deleted)).toBe(true);
    expect(sandbox.stats().dataRequests[key]).toBe(listed.pages);
  });

  it('lists exactly the created, updated and deleted records incrementally', async () => {
    const full = await drain(client());
    const changed = mutateData(sandbox, { ...split(key), create: 2, update: 3, delete: 2 });
    expect(changed.created).toHaveLength(2);
    const incremental = await drain(client(), full.cursor);
    const live = incremental.records.filter((r) => !r.deleted).map((r) => bareId(r.id));
    const gone = incremental.records.filter((r) => r.deleted).map((r) => bareId(r.id));
    // Bookings are listed by start time: a new one may start beyond the window walked.
    const created = key === 'square.bookings' ? live.filter((id) => changed.created.includes(id)) : changed.created;
    expect(live.sort()).toEqual([...created, ...changed.updated].sort());
    expect(gone.sort()).toEqual(TOMBSTONES[key] ? [...changed.deleted].sort() : []);

    const again = await drain(client());
    expect(again.records.filter((r) => !r.deleted).length).toBe(N - 2 + created.length);
    expect(dataCountsOf(sandbox, split(key))).toEqual({ live: N, deleted: 2 });
  });

  it('keeps a listing stable while records change between its pages', async () => {
    const c = client();
    let step = await c.step(c.start());
    const seen = step.records.map((r) => bareId(r.id));
    const { created } = mutateData(sandbox, { ...split(key), update: 5, create: 3 });
    while (step.next) {
      step = await c.step(step.next);
      seen.push(...step.records.map((r) => bareId(r.id)));
    }
    // No record is skipped or repeated. Records created after the listing began are not part of
    // it, except in the bookings walk, where every window is a listing of its own.
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => !created.includes(id)).length).toBe(N);
    if (key !== 'square.bookings') expect(seen.length).toBe(N);
  });

  it('fails page 2 once with failPage, then serves it on retry', async () => {
    sandbox.setKnobs({ failPage: { ...split(key), page: 2, status: 503 } });
    const c = client();
    const first = await c.step(c.start());
    expect(first.status).toBe(200);
    const failed = await c.step(first.next!);
    expect(failed.status).toBe(503);
    expect(sandbox.knobs.failPage).toBeUndefined();
    expect((await c.step(first.next!)).status).toBe(200);
    expect(sandbox.stats().dataRequests[key]).toBe(3);
  });

  it('rate-limits page 2 twice with rateLimitPage (429 + Retry-After), then serves it', async () => {
    sandbox.setKnobs({ rateLimitPage: { ...split(key), page: 2, retryAfterSeconds: 7, times: 2 } });
    const c = client();
    const first = await c.step(c.start());
    for (let attempt = 0; attempt < 2; attempt++) {
      const limited = await c.step(first.next!);
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('7');
    }
    expect((await c.step(first.next!)).status).toBe(200);
  });

  it('answers 401 without a token, and with an unknown or expired one', async () => {
    const { provider } = split(key);
    const expired = issueAccessToken(sandbox, { provider, ttlSeconds: 0 });
    for (const sent of ['', `sbx_at_${provider}_not-a-token`, expired]) {
      const c = listingClients({ base: sandbox.url, token: () => sent })[key];
      expect((await c.step(c.start())).status).toBe(401);
    }
    expect(sandbox.stats().dataRequests[key]).toBe(0);
  });

  it('generates the same records for the same index, and sizes datasets by the knob', async () => {
    // Timestamps are relative to when the dataset was built; everything else is fixed by the index.
    const stripTimes = ({ etag: _etag, ...raw }: Json) => JSON.stringify(raw).replace(/\d{4}-\d{2}-\d{2}T[\d:.]+(Z|\+0000)/g, '');
    const firstPage = async () => new Map((await client().step(client().start())).records.map((r) => [r.id, stripTimes(r.raw)]));
    const before = await firstPage();
    sandbox.reset();
    tokens = {};
    // References (a booking's customer) depend on the other dataset's size: keep every size.
    sandbox.setKnobs({ dataset: Object.fromEntries(DATA_KEYS.map((k) => [k, N])) });
    const after = await firstPage();
    const common = [...before.keys()].filter((id) => after.has(id));
    expect(common.length).toBeGreaterThanOrEqual(Math.min(before.size, 5));
    for (const id of common) expect(after.get(id)).toBe(before.get(id));

    sandbox.setKnobs({ dataset: { [key]: 7 } });
    expect(dataCountsOf(sandbox, split(key))).toEqual({ live: 7, deleted: 0 });
  });
});

describe('sandbox data: Google Calendar specifics', () => {
  const API = 'https://www.googleapis.com/calendar/v3';
  const events = (calendar: string, query: Record<string, string>, as = token('google-calendar')) =>
    call(`${API}/calendars/${encodeURIComponent(calendar)}/events?${new URLSearchParams(query)}`, { token: as });
  const GONE = {
    error: {
      code: 410,
      message: 'Sync token is no longer valid, a full sync is required.',
      errors: [{ domain: 'calendar', reason: 'fullSyncRequired', message: 'Sync token is no longer valid, a full sync is required.' }],
      status: 'GONE',
    },
  };
  async function fullPages(calendar: string, maxResults = 50) {
    const pages: Json[] = [];
    let pageToken: string | undefined;
    do {
      const r = await events(calendar, { maxResults: String(maxResults), ...(pageToken ? { pageToken } : {}) });
      expect(r.status).toBe(200);
      pages.push(r.body);
      pageToken = r.body.nextPageToken;
    } while (pageToken);
    return pages;
  }

  it('lists three calendars and splits the events 60/30/10 across them', async () => {
    const list = await call(`${API}/users/me/calendarList`, { token: token('google-calendar') });
    expect(list.body.kind).toBe('calendar#calendarList');
    const [primary, team, holidays] = list.body.items as Json[];
    expect(primary).toMatchObject({ id: 'ada@sandbox.example', primary: true, accessRole: 'owner' });
    expect(team.id).toMatch(/^team-[0-9a-f]{8}@group\.calendar\.google\.com$/);
    expect(holidays.id).toMatch(/^holidays-[0-9a-f]{8}@group\.calendar\.google\.com$/);
    expect(list.body.nextSyncToken).toEqual(expect.any(String));
    const sizes = [];
    for (const calendar of [primary, team, holidays]) sizes.push((await fullPages(calendar.id as string, 2500)).flatMap((p) => p.items).length);
    expect(sizes).toEqual([150, 75, 25]);
  });

  it('gives nextSyncToken on the last page only, and the event shape', async () => {
    const pages = await fullPages('primary');
    expect(pages).toHaveLength(3);
    for (const page of pages.slice(0, -1)) {
      expect(page.nextPageToken).toEqual(expect.any(String));
      expect(page.nextSyncToken).toBeUndefined();
    }
    expect(pages[2].nextPageToken).toBeUndefined();
    expect(pages[2].nextSyncToken).toEqual(expect.any(String));
    expect(pages[0]).toMatchObject({ kind: 'calendar#events', summary: 'ada@sandbox.example', timeZone: 'Europe/London' });
    expect(pages[0].items[0]).toMatchObject({
      kind: 'calendar#event',
      id: 'evt000000000',
      status: 'confirmed',
      creator: { email: 'ada@sandbox.example' },
      organizer: { email: 'ada@sandbox.example' },
      start: { dateTime: expect.stringMatching(/Z$/), timeZone: 'Europe/London' },
      iCalUID: 'evt000000000@google.com',
    });
  });

  it('replays changes with the sync token, cancelled events as minimal tombstones', async () => {
    const syncToken = (await fullPages('primary')).at(-1)!.nextSyncToken as string;
    const { updated, deleted } = mutateData(sandbox, { provider: 'google-calendar', resource: 'events', update: ['evt000000001'], delete: ['evt000000002'] });
    const changes = await events('primary', { syncToken });
    expect(changes.status).toBe(200);
    expect(changes.body.items).toHaveLength(2);
    expect(changes.body.items[0]).toMatchObject({ id: updated[0], status: 'confirmed', summary: expect.stringMatching(/\(moved\)$/) });
    expect(changes.body.items[1]).toEqual({ kind: 'calendar#event', etag: expect.any(String), id: deleted[0], status: 'cancelled' });
    expect((await events('primary', { syncToken: changes.body.nextSyncToken })).body.items).toEqual([]);
    // A full listing leaves cancelled events out unless showDeleted=true.
    const ids = async (query: Record<string, string>) => ((await events('primary', { maxResults: '2500', ...query })).body.items as Json[]).map((e) => e.id);
    expect(await ids({})).not.toContain(deleted[0]);
    expect(await ids({ showDeleted: 'true' })).toContain(deleted[0]);
  });

  it('answers 410 for expired tokens and tokens of another calendar or account; 400 beside timeMin', async () => {
    const syncToken = (await fullPages('primary')).at(-1)!.nextSyncToken as string;
    sandbox.setKnobs({ expireSyncTokens: true });
    const expired = await events('primary', { syncToken });
    expect(expired.status).toBe(410);
    expect(expired.body).toEqual(GONE);
    sandbox.setKnobs({ expireSyncTokens: null });
    expect((await events('primary', { syncToken })).status).toBe(200);

    const team = ((await call(`${API}/users/me/calendarList`, { token: token('google-calendar') })).body.items as Json[])[1].id as string;
    expect((await events(team, { syncToken })).status).toBe(410);
    const grace = issueAccessToken(sandbox, { provider: 'google-calendar', account: ACCOUNTS['google-calendar'][1].id });
    expect((await events('primary', { syncToken }, grace)).status).toBe(410);
    expect((await events('primary', { syncToken: 'garbage' })).status).toBe(410);
    const clash = await events('primary', { syncToken, timeMin: '2026-01-01T00:00:00Z' });
    expect(clash.status).toBe(400);
    expect(clash.body.error.code).toBe(400);
  });

  it('refuses a token without a calendar scope, and an unknown calendar', async () => {
    const noScope = issueAccessToken(sandbox, { provider: 'google-calendar', scopes: ['openid', 'email'] });
    expect((await events('primary', {}, noScope)).status).toBe(403);
    expect((await events('nobody@group.calendar.google.com', {})).status).toBe(404);
  });
});

describe('sandbox data: Salesforce specifics', () => {
  const INSTANCE = 'https://acme-sandbox.my.salesforce.com';
  const query = (soql: string, headers: Record<string, string> = {}, endpoint = 'query') =>
    call(`${INSTANCE}/services/data/v62.0/${endpoint}?q=${encodeURIComponent(soql)}`, { token: token('salesforce'), headers });
  const contacts = (where = '') => `SELECT Id, LastName, Email FROM Contact${where} ORDER BY SystemModstamp ASC, Id ASC`;

  it('honours Sforce-Query-Options batchSize and continues through nextRecordsUrl', async () => {
    const first = await query(contacts(), { 'sforce-query-options': 'batchSize=200' });
    expect(first.body).toMatchObject({ totalSize: N, done: false, nextRecordsUrl: expect.stringMatching(/^\/services\/data\/v62\.0\/query\/01g\w+-200$/) });
    expect(first.body.records).toHaveLength(200);
    expect(first.body.records[0]).toEqual({
      attributes: { type: 'Contact', url: `/services/data/v62.0/sobjects/Contact/${first.body.records[0].Id}` },
      Id: expect.stringMatching(/^003SBX\w{12}$/),
      LastName: expect.any(String),
      Email: expect.any(String),
    });
    const rest = await call(`${INSTANCE}${first.body.nextRecordsUrl}`, { token: token('salesforce') });
    expect(rest.body).toMatchObject({ totalSize: N, done: true });
    expect(rest.body.records).toHaveLength(50);
    expect(rest.body.nextRecordsUrl).toBeUndefined();
    expect((await query(contacts())).body.records).toHaveLength(N);
    expect((await call(`${INSTANCE}/services/data/v62.0/query/01gSBX999999999999-200`, { token: token('salesforce') })).body).toEqual([
      { message: 'invalid query locator', errorCode: 'INVALID_QUERY_LOCATOR' },
    ]);
  });

  it('parses SOQL string literals strictly: an unescaped quote is MALFORMED_QUERY', async () => {
    const all = (await query(contacts())).body.records as Json[];
    const obriens = all.filter((c) => c.LastName === "O'Brien").length;
    expect(obriens).toBeGreaterThan(0);
    const bad = await query(contacts(" WHERE LastName = 'O'Brien'"));
    expect(bad.status).toBe(400);
    expect(bad.body[0].errorCode).toBe('MALFORMED_QUERY');
    const escaped = await query(contacts(" WHERE LastName = 'O\\'Brien'"));
    expect(escaped.status).toBe(200);
    expect(escaped.body.totalSize).toBe(obriens);
    expect((await query(contacts(" WHERE Email = 'x\\qy'"))).body[0].errorCode).toBe('MALFORMED_QUERY');
    expect((await query('SELECT Id FROM Contact')).body[0].errorCode).toBe('MALFORMED_QUERY');
    expect((await query('SELECT Id FROM Contact ORDER BY SystemModstamp ASC, Id ASC; DELETE')).body[0].errorCode).toBe('MALFORMED_QUERY');
  });

  it('answers INVALID_FIELD for unknown fields and quoted datetimes; filters on SystemModstamp', async () => {
    expect((await query('SELECT Id, Nope FROM Contact ORDER BY SystemModstamp ASC, Id ASC')).body[0].errorCode).toBe('INVALID_FIELD');
    expect((await query(contacts(" WHERE SystemModstamp > '2026-01-01T00:00:00Z'"))).body[0].errorCode).toBe('INVALID_FIELD');
    const records = (await query(contacts())).body.records as Json[];
    const cut = ((await query(`SELECT Id, SystemModstamp FROM Contact ORDER BY SystemModstamp ASC, Id ASC`)).body.records as Json[])[99].SystemModstamp as string;
    const since = new Date(cut.replace('+0000', 'Z')).toISOString();
    const after = await query(contacts(` WHERE SystemModstamp > ${since}`));
    expect(after.body.records.map((r: Json) => r.Id)).toEqual(records.slice(100).map((r) => r.Id));
    const offset = since.replace('Z', '+00:00');
    expect((await query(contacts(` WHERE SystemModstamp >= ${offset}`))).body.totalSize).toBe(N - 99);
  });

  it('returns deleted rows (IsDeleted) from queryAll only', async () => {
    const { deleted } = mutateData(sandbox, { provider: 'salesforce', resource: 'opportunities', delete: 3 });
    const soql = 'SELECT Id, Name, Amount, StageName, CloseDate, Probability, IsDeleted FROM Opportunity ORDER BY SystemModstamp ASC, Id ASC';
    expect((await query(soql)).body.totalSize).toBe(N - 3);
    const all = await query(soql, {}, 'queryAll');
    expect(all.body.totalSize).toBe(N);
    const tail = (all.body.records as Json[]).slice(-3);
    expect(tail.map((r) => r.Id)).toEqual(deleted);
    expect(tail.every((r) => r.IsDeleted === true)).toBe(true);
    expect(tail[0]).toMatchObject({ Id: expect.stringMatching(/^006SBX/), CloseDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), Amount: expect.any(Number) });
  });

  it('answers 401 INVALID_SESSION_ID on another org instance', async () => {
    const other = await call(`https://globex-sandbox.my.salesforce.com/services/data/v62.0/query?q=${encodeURIComponent(contacts())}`, { token: token('salesforce') });
    expect(other.status).toBe(401);
    expect(other.body).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
  });
});

describe('sandbox data: HubSpot specifics', () => {
  const API = 'https://api.hubapi.com/crm/v3/objects';
  const search = (type: string, body: Json) => call(`${API}/${type}/search`, { token: token('hubspot'), method: 'POST', json: body });

  it('refuses to page the search API past 10,000 results; hs_object_id paging goes on', async () => {
    sandbox.setKnobs({ dataset: { 'hubspot.contacts': 10_050 } });
    const body = {
      filterGroups: [{ filters: [{ propertyName: 'lastmodifieddate', operator: 'GTE', value: '0' }] }],
      sorts: [{ propertyName: 'lastmodifieddate', direction: 'ASCENDING' }],
      properties: ['email'],
      limit: 200,
    };
    const first = await search('contacts', body);
    expect(first.body).toMatchObject({ total: 10_050, paging: { next: { after: '200' } } });
    // As HubSpot's search reference shows: results carry archived like list results do.
    expect(first.body.results[0]).toMatchObject({ archived: false });
    const near = await search('contacts', { ...body, after: '9800' });
    expect(near.body.paging.next.after).toBe('10000');
    const past = await search('contacts', { ...body, after: '10000' });
    expect(past.status).toBe(400);
    expect(past.body).toEqual({ status: 'error', message: 'Cannot page past 10000 results', category: 'VALIDATION_ERROR', correlationId: expect.any(String) });
    const lastId = near.body.results.at(-1).id as string;
    const byId = await search('contacts', {
      filterGroups: [{ filters: [{ propertyName: 'hs_object_id', operator: 'GT', value: lastId }] }],
      sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }],
      limit: 200,
    });
    expect(byId.body.total).toBe(50);
    expect(byId.body.results[0].id).toBe(String(Number(lastId) + 1));
  });

  it('lists requested properties plus the system ones, and deleted records with archived=true', async () => {
    const { deleted } = mutateData(sandbox, { provider: 'hubspot', resource: 'deals', delete: 2 });
    const live = await call(`${API}/deals?limit=100&properties=dealname,amount,nonexistent`, { token: token('hubspot') });
    expect(live.body.results[0]).toEqual({
      id: '2000000003',
      properties: { dealname: expect.any(String), amount: expect.stringMatching(/^\d+(\.\d+)?$/), createdate: expect.any(String), hs_lastmodifieddate: expect.any(String), hs_object_id: '2000000003' },
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      archived: false,
    });
    expect(live.body.paging.next.link).toContain('https://api.hubapi.com/crm/v3/objects/deals?');
    const archived = await call(`${API}/deals?archived=true`, { token: token('hubspot') });
    expect(archived.body.results.map((r: Json) => r.id)).toEqual(deleted);
    expect(archived.body.results[0]).toMatchObject({ archived: true, archivedAt: expect.any(String) });
    expect((await call(`${API}/deals?limit=101`, { token: token('hubspot') })).status).toBe(400);
  });

  it('sends the rate-limit headers on 429 and needs the object scope', async () => {
    sandbox.setKnobs({ rateLimitPage: { provider: 'hubspot', resource: 'contacts', page: 1, retryAfterSeconds: 1 } });
    const limited = await call(`${API}/contacts`, { token: token('hubspot') });
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ status: 'error', errorType: 'RATE_LIMIT', policyName: 'SECONDLY', message: 'You have reached your secondly limit.' });
    for (const name of ['interval-milliseconds', 'max', 'remaining']) expect(limited.headers.get(`x-hubspot-ratelimit-${name}`)).toMatch(/^\d+$/);
    const contactsOnly = issueAccessToken(sandbox, { provider: 'hubspot', scopes: ['oauth', 'crm.objects.contacts.read'] });
    expect((await call(`${API}/deals`, { token: contactsOnly })).status).toBe(403);
    const missing = await call(`${API}/contacts`);
    expect(missing.body).toMatchObject({ status: 'error', category: 'INVALID_AUTHENTICATION' });
  });
});

describe('sandbox data: Square specifics', () => {
  const API = 'https://connect.squareup.com/v2';
  const square = (path: string, init: { method?: string; json?: unknown; headers?: Record<string, string> } = {}) =>
    call(`${API}${path}`, { token: token('square'), ...init, headers: { 'square-version': '2025-10-16', ...init.headers } });
  const DAY = 86_400_000;

  it('lists bookings only in windows of at most 31 days (default: the next 31 days)', async () => {
    const from = Date.now() - 10 * DAY;
    const window = (days: number) => square(`/bookings?${new URLSearchParams({ start_at_min: new Date(from).toISOString(), start_at_max: new Date(from + days * DAY).toISOString() })}`);
    const tooWide = await window(32);
    expect(tooWide.status).toBe(400);
    expect(tooWide.body.errors[0]).toMatchObject({ category: 'INVALID_REQUEST_ERROR', code: 'BAD_REQUEST', detail: expect.stringContaining('31 days') });
    const ok = await window(31);
    expect(ok.status).toBe(200);
    expect(ok.body.errors).toEqual([]);
    for (const booking of ok.body.bookings as Json[]) {
      const start = Date.parse(booking.start_at);
      expect(start).toBeGreaterThanOrEqual(from);
      expect(start).toBeLessThan(from + 31 * DAY);
      expect(booking).toMatchObject({ location_id: 'LSBX0000000001', appointment_segments: [{ duration_minutes: expect.any(Number) }] });
    }
    const byDefault = await square('/bookings');
    expect(byDefault.status).toBe(200);
    for (const booking of byDefault.body.bookings as Json[]) expect(Date.parse(booking.start_at)).toBeGreaterThanOrEqual(Date.now() - 60_000);
  });

  it('turns a deleted booking CANCELLED_BY_SELLER and drops deleted customers', async () => {
    const listed = await drain(clients(100)['square.bookings']);
    const target = listed.records[0].id;
    mutateData(sandbox, { provider: 'square', resource: 'bookings', delete: [target] });
    const after = await drain(clients(100)['square.bookings']);
    expect(after.records.find((r) => r.id === target)!.raw).toMatchObject({ status: 'CANCELLED_BY_SELLER', version: 1 });

    const { deleted, updated } = mutateData(sandbox, { provider: 'square', resource: 'customers', update: 1, delete: 1 });
    const customers = (await drain(clients(100)['square.customers'])).records.map((r) => r.id);
    expect(customers).not.toContain(deleted[0]);
    expect(customers).toHaveLength(N - 1);
    const since = new Date(Date.now() - 60_000).toISOString();
    const found = await square('/customers/search', { method: 'POST', json: { query: { filter: { updated_at: { start_at: since } }, sort: { field: 'CREATED_AT', order: 'ASC' } } } });
    expect(found.body.customers.map((c: Json) => c.id)).toEqual(updated);
    expect(found.body.customers[0]).toMatchObject({ version: 1, note: expect.any(String) });
  });

  it('checks Square-Version, limits and cursors', async () => {
    expect((await call(`${API}/customers`, { token: token('square') })).body.errors[0].code).toBe('MISSING_REQUIRED_PARAMETER');
    expect((await square('/customers?limit=101')).body.errors[0]).toMatchObject({ code: 'VALUE_TOO_HIGH', field: 'limit' });
    expect((await square('/customers?cursor=nonsense')).body.errors[0].code).toBe('INVALID_CURSOR');
    sandbox.setKnobs({ rateLimitPage: { provider: 'square', resource: 'customers', page: 1, retryAfterSeconds: 2 } });
    const limited = await square('/customers');
    expect(limited.status).toBe(429);
    expect(limited.body.errors[0]).toMatchObject({ category: 'RATE_LIMIT_ERROR', code: 'RATE_LIMITED' });
  });
});

describe('sandbox data: Fresha specifics', () => {
  const clientsUrl = (query: Record<string, string>) => `https://api.fresha.com/v2/clients?${new URLSearchParams(query)}`;

  it('omits deleted clients from a full listing and returns them with deleted_at since a time', async () => {
    const before = new Date(Date.now() - 1000).toISOString();
    const { deleted, updated } = mutateData(sandbox, { provider: 'fresha', resource: 'clients', update: 1, delete: 1 });
    const full = await call(clientsUrl({ 'page[size]': '100' }), { token: token('fresha') });
    expect(full.body.data.map((c: Json) => c.id)).not.toContain(deleted[0]);
    expect(full.body).toMatchObject({ meta: { next_cursor: expect.any(String) }, links: { next: expect.stringContaining('page%5Bafter%5D=') } });
    expect(full.body.data[0]).toMatchObject({ type: 'client', attributes: { first_name: expect.any(String), deleted_at: null } });
    const since = await call(clientsUrl({ updated_since: before }), { token: token('fresha') });
    expect(since.body.data.map((c: Json) => c.id)).toEqual([...updated, ...deleted]);
    expect(since.body.data[1].attributes.deleted_at).toEqual(expect.any(String));
    expect(since.body.meta.next_cursor).toBeUndefined();
    expect((await call(clientsUrl({ 'page[size]': '101' }), { token: token('fresha') })).status).toBe(400);
  });

  it('shapes rate limits as JSON:API errors', async () => {
    sandbox.setKnobs({ rateLimitPage: { provider: 'fresha', resource: 'appointments', page: 1, retryAfterSeconds: 3 } });
    const limited = await call('https://api.fresha.com/v2/appointments', { token: token('fresha') });
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ errors: [{ status: '429', code: 'rate_limited', title: expect.any(String) }] });
    const ok = await call('https://api.fresha.com/v2/appointments?page[size]=1', { token: token('fresha') });
    expect(ok.body.data[0]).toMatchObject({ type: 'appointment', attributes: { price: { currency: 'GBP' }, starts_at: expect.any(String), client_id: expect.any(String) } });
  });
});

describe('sandbox data: control API', () => {
  const control = (method: string, path: string, body?: unknown) =>
    fetch(`${sandbox.url}/_sandbox/${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

  it('mutates over HTTP, counts, and refuses what it cannot do', async () => {
    const res = await control('POST', 'data', { provider: 'hubspot', account: '4242002', resource: 'contacts', create: 1, update: ['1000000005'], delete: 2 });
    expect(await res.json()).toEqual({ created: ['1000000251'], updated: ['1000000005'], deleted: ['1000000001', '1000000002'] });
    expect(await (await control('GET', 'data?provider=hubspot&resource=contacts&account=4242002')).json()).toEqual({ live: 249, deleted: 2 });
    expect(await (await control('GET', 'data?provider=hubspot&resource=contacts')).json()).toEqual({ live: N, deleted: 0 });
    for (const bad of [
      { provider: 'hubspot', resource: 'tickets', update: 1 },
      { provider: 'hubspot', resource: 'contacts', update: ['999'] },
      { provider: 'hubspot', resource: 'contacts', delete: N + 1 },
      { provider: 'hubspot', resource: 'contacts', account: 'nobody', create: 1 },
      { provider: 'hubspot', resource: 'contacts', frobnicate: 1 },
    ]) {
      expect((await control('POST', 'data', bad)).status).toBe(400);
    }
    const knob = (body: Json) => control('POST', 'knobs', body);
    expect((await knob({ failPage: { provider: 'hubspot', resource: 'tickets', page: 1, status: 500 } })).status).toBe(400);
    expect((await knob({ failPage: { provider: 'hubspot', resource: 'contacts', page: 0, status: 500 } })).status).toBe(400);
    expect((await knob({ dataset: { 'hubspot.tickets': 5 } })).status).toBe(400);
    expect((await knob({ rateLimitPage: { provider: 'square', resource: 'bookings', page: 3, retryAfterSeconds: 1 }, expireSyncTokens: true })).status).toBe(200);
    expect(sandbox.knobs).toMatchObject({ rateLimitPage: { page: 3 }, expireSyncTokens: true });
    const stats = (await (await control('GET', 'stats')).json()) as Json;
    expect(stats.dataRequests).toMatchObject({ 'hubspot.contacts': 0, 'google-calendar.calendars': 0 });
  });

  it('orders mutations made within one millisecond', async () => {
    const a = mutateData(sandbox, { provider: 'hubspot', resource: 'contacts', update: ['1000000010'] });
    const b = mutateData(sandbox, { provider: 'hubspot', resource: 'contacts', update: ['1000000009'] });
    const listed = await call('https://api.hubapi.com/crm/v3/objects/contacts?limit=10', { token: token('hubspot') });
    const stamp = (id: string) => Date.parse((listed.body.results as Json[]).find((r) => r.id === id)!.updatedAt);
    expect(stamp(b.updated[0])).toBeGreaterThan(stamp(a.updated[0]));
  });
});

describe('sandbox data: scale', () => {
  it('serves 100,000 HubSpot contacts lazily, a page of 100 in well under 10 ms', async () => {
    sandbox.setKnobs({ dataset: { 'hubspot.contacts': 100_000 } });
    const c = clients(100)['hubspot.contacts'];
    let step = await c.step(c.start());
    const pages = 200;
    const started = performance.now();
    for (let n = 0; n < pages && step.next; n++) step = await c.step(step.next);
    const perPage = (performance.now() - started) / pages;
    expect(perPage).toBeLessThan(10);
    expect(step.records.at(-1)!.id).toBe(String(1_000_000_001 + 100 * (pages + 1) - 1));
    expect(dataCountsOf(sandbox, { provider: 'hubspot', resource: 'contacts' })).toEqual({ live: 100_000, deleted: 0 });
  });
});
