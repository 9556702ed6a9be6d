// The reference client for Outlook events: the calendars, then each calendar's calendarView/delta
// over the window the app syncs (180 days back, 365 ahead, from the start of today, UTC), following
// nextLinks to a deltaLink per calendar; an incremental listing replays the deltaLinks.
import { DAY, failed, iso, type Json, type ListingApi, type ListingClient } from '../../listing';
import { PROFILE } from './accounts';

const GRAPH = 'https://graph.microsoft.com/v1.0';

export function eventsClient({ call, size }: ListingApi): ListingClient {
  const headers = { prefer: `outlook.timezone="UTC", odata.maxpagesize=${size}` };
  return {
    key: `${PROFILE.id}.events`,
    provider: PROFILE.id,
    start: (cursor) => ({ calendars: null, index: 0, deltaLinks: cursor?.deltaLinks ?? {}, issued: {} }),
    async step(state) {
      let calendars = state.calendars as string[] | null;
      if (!calendars) {
        const list = await call(`${GRAPH}/me/calendars?$top=100`);
        if (list.status !== 200) return failed(list);
        calendars = (list.body.value as Json[]).map((c) => c.id as string);
      }
      const calendar = calendars[state.index];
      const day = Math.floor(Date.now() / DAY) * DAY;
      const window = new URLSearchParams({ startDateTime: iso(day - 180 * DAY).replace('.000Z', 'Z'), endDateTime: iso(day + 365 * DAY).replace('.000Z', 'Z') });
      const url = state.link ?? state.deltaLinks[calendar] ?? `${GRAPH}/me/calendars/${encodeURIComponent(calendar)}/calendarView/delta?${window}`;
      const r = await call(url, { headers });
      if (r.status !== 200) return failed(r);
      const records = (r.body.value as Json[]).map((e) => ({ id: e.id as string, deleted: e['@removed'] !== undefined, raw: e }));
      if (r.body['@odata.nextLink']) return { ...r, records, next: { ...state, calendars, link: r.body['@odata.nextLink'] } };
      const issued = { ...state.issued, [calendar]: r.body['@odata.deltaLink'] };
      if (state.index + 1 < calendars.length) return { ...r, records, next: { ...state, calendars, index: state.index + 1, link: undefined, issued } };
      return { ...r, records, cursor: { deltaLinks: issued } };
    },
  };
}
