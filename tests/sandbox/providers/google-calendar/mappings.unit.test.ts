// Google Calendar's default mapping on events built as the sandbox builds them, stored with the
// calendar they came from. (Moved from tests/unit/mapping/defaults.test.ts.)
import { describe, expect, it } from 'vitest';
import { applyMapping, compileMapping } from '@/lib/mapping';
import { dataset, mapAll, mappingOf, SIZE, type Fields } from '@/tests/support/default-mappings';
import { calendarOfEvent, calendarsOf, googleEventsSpec, renderEvent } from './events';

describe('default mappings', () => {
  it('Google Calendar events → Appointment (timed and all-day)', () => {
    const account = 'ada@sandbox.example';
    const data = dataset(googleEventsSpec, account);
    const calendars = calendarsOf(account);
    const records = Array.from({ length: SIZE }, (_, index) => {
      const calendar = calendarOfEvent(index, calendars);
      // The sync stores each event with the calendar it came from.
      const event = { calendarId: calendar.id, ...renderEvent(data, index, calendar) } as Fields;
      return { data: event, fields: event, index };
    });
    for (const { output, fields } of mapAll('google-calendar', 'events', 'Appointment', records)) {
      const start = fields.start as { dateTime: string; timeZone: string };
      const end = fields.end as { dateTime: string };
      const attendees = (fields.attendees as { email: string }[]).map((a) => a.email);
      expect(output).toEqual({
        externalId: `${fields.calendarId}/${fields.id}`,
        title: fields.summary,
        description: fields.description,
        startsAt: new Date(start.dateTime).toISOString(),
        endsAt: new Date(end.dateTime).toISOString(),
        timeZone: 'Europe/London',
        status: 'confirmed',
        ...(fields.location ? { location: fields.location } : {}),
        ...(attendees.length > 0 ? { attendees } : {}),
        createdAt: fields.created,
        updatedAt: fields.updated,
      });
    }
    // All-day events carry dates, untitled events have no summary: both still map.
    const allDay = { calendarId: account, id: 'evt1', status: 'tentative', start: { date: '2026-12-25' }, end: { date: '2026-12-26' } };
    expect(applyMapping(compileMapping(mappingOf('google-calendar', 'events')), allDay)).toEqual({
      output: {
        externalId: `${account}/evt1`,
        title: '(No title)',
        startsAt: '2026-12-25T00:00:00.000Z',
        endsAt: '2026-12-26T00:00:00.000Z',
        status: 'pending',
      },
      errors: [],
    });
  });
});
