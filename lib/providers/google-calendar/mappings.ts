// Default field mappings for Google Calendar. Records are events as the Calendar API returns them
// plus the calendarId the sync adds; timed events have start.dateTime, all-day ones start.date.
import type { MappingDefinition } from '../../mapping/language';

export const defaultMappings: Record<string, MappingDefinition> = {
  events: {
    version: 1,
    model: 'Appointment',
    rows: [
      // The sync's external id: event ids are unique per calendar only.
      { id: 'external-id', target: 'externalId', source: { concat: ['calendarId', 'id'], separator: '/' } },
      { id: 'title', target: 'title', source: 'summary', transforms: [{ op: 'trim' }], default: '(No title)' },
      { id: 'description', target: 'description', source: 'description' },
      { id: 'starts-at', target: 'startsAt', source: { coalesce: ['start.dateTime', 'start.date'] } },
      { id: 'ends-at', target: 'endsAt', source: { coalesce: ['end.dateTime', 'end.date'] } },
      { id: 'time-zone', target: 'timeZone', source: 'start.timeZone' },
      {
        id: 'status',
        target: 'status',
        source: 'status',
        transforms: [{ op: 'mapValues', table: { confirmed: 'confirmed', tentative: 'pending', cancelled: 'cancelled' } }],
      },
      { id: 'location', target: 'location', source: 'location', transforms: [{ op: 'trim' }] },
      { id: 'attendees', target: 'attendees', source: 'attendees', transforms: [{ op: 'pluck', path: 'email' }, { op: 'normaliseEmail' }] },
      { id: 'created-at', target: 'createdAt', source: 'created' },
      { id: 'updated-at', target: 'updatedAt', source: 'updated' },
    ],
  },
};
