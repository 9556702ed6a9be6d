// The sandbox's Google Calendar data endpoints: the shared dataset checks (tests/support/sandbox-data.ts)
// for events, then Google's own: three calendars, sync tokens and their 410, tombstones.
// (Moved from tests/integration/sandbox-data.test.ts.)
import { describe, expect, it } from 'vitest';
import { ACCOUNTS, issueAccessToken, mutateData } from '@/tests/sandbox/server';
import { dataKit, describeDataset, type Json } from '@/tests/support/sandbox-data';

const kit = dataKit();
const { call, token } = kit;

describeDataset(kit, 'google-calendar.events', { pageSize: 60, tombstones: true });

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
    const { updated, deleted } = mutateData(kit.sandbox, { provider: 'google-calendar', resource: 'events', update: ['evt000000001'], delete: ['evt000000002'] });
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
    kit.sandbox.setKnobs({ expireSyncTokens: true });
    const expired = await events('primary', { syncToken });
    expect(expired.status).toBe(410);
    expect(expired.body).toEqual(GONE);
    kit.sandbox.setKnobs({ expireSyncTokens: null });
    expect((await events('primary', { syncToken })).status).toBe(200);

    const team = ((await call(`${API}/users/me/calendarList`, { token: token('google-calendar') })).body.items as Json[])[1].id as string;
    expect((await events(team, { syncToken })).status).toBe(410);
    const grace = issueAccessToken(kit.sandbox, { provider: 'google-calendar', account: ACCOUNTS['google-calendar'][1].id });
    expect((await events('primary', { syncToken }, grace)).status).toBe(410);
    expect((await events('primary', { syncToken: 'garbage' })).status).toBe(410);
    const clash = await events('primary', { syncToken, timeMin: '2026-01-01T00:00:00Z' });
    expect(clash.status).toBe(400);
    expect(clash.body.error.code).toBe(400);
  });

  it('refuses a token without a calendar scope, and an unknown calendar', async () => {
    const noScope = issueAccessToken(kit.sandbox, { provider: 'google-calendar', scopes: ['openid', 'email'] });
    expect((await events('primary', {}, noScope)).status).toBe(403);
    expect((await events('nobody@group.calendar.google.com', {})).status).toBe(404);
  });
});
