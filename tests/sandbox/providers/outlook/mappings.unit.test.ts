// Outlook's default mapping on events built as the sandbox builds them (Graph's event resource,
// UTC wall times without an offset), and on a cancelled event.
import { describe, expect, it } from 'vitest';
import { applyMapping, compileMapping } from '@/lib/mapping';
import { dataset, mapAll, mappingOf, SIZE, type Fields } from '@/tests/support/default-mappings';
import { PROFILE } from './accounts';
import { calendarOf, calendarsOf, outlookEventsSpec, renderEvent } from './events';

describe('default mappings', () => {
  it('Outlook events → Appointment', () => {
    const account = PROFILE.accounts[0].id;
    const data = dataset(outlookEventsSpec, account);
    const calendars = calendarsOf(account);
    const records = Array.from({ length: SIZE }, (_, index) => {
      const event = { calendarId: calendarOf(data, index, calendars).id, ...renderEvent(data, index) } as Fields;
      return { data: event, fields: event, index };
    });
    for (const { output, fields } of mapAll('outlook', 'events', 'Appointment', records)) {
      const utc = (time: unknown) => new Date(`${(time as { dateTime: string }).dateTime.slice(0, 23)}Z`).toISOString();
      const attendees = (fields.attendees as { emailAddress: { address: string } }[]).map((a) => a.emailAddress.address.toLowerCase());
      expect(output).toEqual({
        externalId: fields.id,
        title: fields.subject,
        description: fields.bodyPreview,
        startsAt: utc(fields.start),
        endsAt: utc(fields.end),
        status: 'confirmed',
        location: (fields.location as { displayName: string }).displayName,
        ...(attendees.length > 0 ? { attendees } : {}),
        createdAt: fields.createdDateTime,
        updatedAt: fields.lastModifiedDateTime,
      });
    }
  });

  it('maps a cancelled, untitled event', () => {
    const event = { id: 'AAMk1', isCancelled: true, start: { dateTime: '2027-03-01T09:00:00.0000000', timeZone: 'UTC' }, end: { dateTime: '2027-03-01T09:30:00.0000000', timeZone: 'UTC' } };
    expect(applyMapping(compileMapping(mappingOf('outlook', 'events')), event)).toEqual({
      output: { externalId: 'AAMk1', title: '(No title)', startsAt: '2027-03-01T09:00:00.000Z', endsAt: '2027-03-01T09:30:00.000Z', status: 'cancelled' },
      errors: [],
    });
  });
});
