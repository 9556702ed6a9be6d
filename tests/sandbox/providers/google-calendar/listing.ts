// The reference client for the events: the calendar list first, then each calendar's events with
// their own sync token, so an incremental listing starts from one token per calendar.
import { failed, type Json, type ListingApi, type ListingClient } from '../../listing';
import { PROFILE } from './accounts';

export function eventsClient({ call, size }: ListingApi): ListingClient {
  return {
    key: `${PROFILE.id}.events`,
    provider: PROFILE.id,
    start: (cursor) => ({ calendars: null, index: 0, syncTokens: cursor?.syncTokens ?? {}, issued: {} }),
    async step(state) {
      let calendars = state.calendars as string[] | null;
      if (!calendars) {
        const list = await call('https://www.googleapis.com/calendar/v3/users/me/calendarList');
        if (list.status !== 200) return failed(list);
        calendars = (list.body.items as Json[]).map((c) => c.id as string);
      }
      const calendar = calendars[state.index];
      const query = new URLSearchParams({ maxResults: String(size) });
      if (state.pageToken) query.set('pageToken', state.pageToken);
      if (state.syncTokens[calendar]) query.set('syncToken', state.syncTokens[calendar]);
      const r = await call(`https://www.googleapis.com/calendar/v3/calendars/${encodeURIComponent(calendar)}/events?${query}`);
      if (r.status !== 200) return failed(r);
      const records = (r.body.items as Json[]).map((e) => ({ id: `${calendar}/${e.id}`, deleted: e.status === 'cancelled', raw: e }));
      if (r.body.nextPageToken) return { ...r, records, next: { ...state, calendars, pageToken: r.body.nextPageToken } };
      const issued = { ...state.issued, [calendar]: r.body.nextSyncToken };
      if (state.index + 1 < calendars.length) return { ...r, records, next: { ...state, calendars, index: state.index + 1, pageToken: undefined, issued } };
      return { ...r, records, cursor: { syncTokens: issued } };
    },
  };
}
