// The sandbox's Outlook data endpoints: the shared dataset checks (tests/support/sandbox-data.ts)
// for events, then Graph's own: two calendars, calendarView/delta with nextLink and deltaLink, the
// window the first call fixes, removed events, and 410 syncStateNotFound for a lost delta state.
import { describe, expect, it } from 'vitest';
import { mutateData } from '@/tests/sandbox/server';
import { dataKit, describeDataset, type Json } from '@/tests/support/sandbox-data';

const kit = dataKit();
const { call, token } = kit;

describeDataset(kit, 'outlook.events', { pageSize: 60, tombstones: true });

describe('sandbox data: Outlook specifics', () => {
  const API = 'https://graph.microsoft.com/v1.0';
  const DAY = 86_400_000;
  const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
  const window = { startDateTime: iso(Date.now() - 365 * DAY), endDateTime: iso(Date.now() + 365 * DAY) };
  const get = (url: string, size = 50) => call(url, { token: token('outlook'), headers: { prefer: `odata.maxpagesize=${size}` } });

  async function calendars(): Promise<Json[]> {
    const list = await call(`${API}/me/calendars`, { token: token('outlook') });
    expect(list.status).toBe(200);
    return list.body.value as Json[];
  }

  async function drain(first: string, size = 50) {
    const pages: Json[] = [];
    let url: string | undefined = first;
    while (url) {
      const r = await get(url, size);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      pages.push(r.body);
      url = r.body['@odata.nextLink'];
    }
    return pages;
  }

  it('lists two calendars and splits the events 80/20 across them; nextLink on every page but the last, which has the deltaLink', async () => {
    const [main, team] = await calendars();
    expect(main).toMatchObject({ name: 'Calendar', isDefaultCalendar: true });
    expect(team).toMatchObject({ name: 'Team', isDefaultCalendar: false });
    const pages = await drain(`${API}/me/calendars/${main.id}/calendarView/delta?${new URLSearchParams(window)}`);
    expect(pages.flatMap((p) => p.value)).toHaveLength(200);
    for (const page of pages.slice(0, -1)) expect(page['@odata.deltaLink']).toBeUndefined();
    expect(pages.at(-1)!['@odata.deltaLink']).toMatch(/^https:\/\/graph\.microsoft\.com\/v1\.0\/me\/calendars\/.+\/calendarView\/delta\?\$deltatoken=/);
    expect(pages[0].value[0]).toMatchObject({ '@odata.type': '#microsoft.graph.event', subject: expect.any(String), start: { timeZone: 'UTC' }, isCancelled: false });
    expect(pages[0].value[0].start.dateTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}$/);
    const teamPages = await drain(`${API}/me/calendars/${team.id}/calendarView/delta?${new URLSearchParams(window)}`);
    expect(teamPages.flatMap((p) => p.value)).toHaveLength(50);
  });

  it('needs a window on the first call, keeps it in the links, and lists only what overlaps it', async () => {
    const [main] = await calendars();
    const bare = await get(`${API}/me/calendars/${main.id}/calendarView/delta`);
    expect(bare).toMatchObject({ status: 400, body: { error: { code: 'ErrorInvalidParameter' } } });
    const narrow = { startDateTime: iso(Date.now()), endDateTime: iso(Date.now() + 365 * DAY) };
    const future = (await drain(`${API}/me/calendars/${main.id}/calendarView/delta?${new URLSearchParams(narrow)}`)).flatMap((p) => p.value);
    expect(future.length).toBeGreaterThan(0);
    expect(future.length).toBeLessThan(200);
    expect(future.every((e: Json) => Date.parse(`${e.end.dateTime.slice(0, 23)}Z`) > Date.parse(narrow.startDateTime))).toBe(true);
  });

  it('replays changes from the deltaLink, deletions as @removed, and answers 410 syncStateNotFound for a lost state', async () => {
    const [main] = await calendars();
    const pages = await drain(`${API}/me/calendars/${main.id}/calendarView/delta?${new URLSearchParams(window)}`, 1000);
    const deltaLink = pages.at(-1)!['@odata.deltaLink'] as string;
    const ids = (pages[0].value as Json[]).map((e) => e.id as string);
    mutateData(kit.sandbox, { provider: 'outlook', resource: 'events', update: [ids[0]], delete: [ids[1]] });
    const changes = (await drain(deltaLink)).flatMap((p) => p.value) as Json[];
    expect(changes.find((e) => e.id === ids[0])).toMatchObject({ subject: expect.stringMatching(/\(moved\)$/) });
    expect(changes.find((e) => e.id === ids[1])).toEqual({ '@odata.type': '#microsoft.graph.event', id: ids[1], '@removed': { reason: 'deleted' } });

    kit.sandbox.setKnobs({ expireSyncTokens: true });
    const gone = await get(deltaLink);
    expect(gone).toMatchObject({ status: 410, body: { error: { code: 'syncStateNotFound' } } });
    kit.sandbox.setKnobs({ expireSyncTokens: null });
    // A delta link of one calendar is no good for another.
    const [, team] = await calendars();
    const foreign = deltaLink.replace(encodeURIComponent(main.id as string), encodeURIComponent(team.id as string)).replace(main.id as string, team.id as string);
    expect((await get(foreign)).status).toBe(410);
  });
});
