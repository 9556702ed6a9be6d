// Default field mappings for Outlook. Records are Graph events (https://learn.microsoft.com/graph/api/resources/event)
// plus the calendarId the sync adds. The sync asks for UTC (Prefer: outlook.timezone="UTC"), and
// Graph writes dateTime without an offset ("2027-03-01T09:00:00.0000000"), so the zone is given here.
// No time-zone row: originalStartTimeZone is often a Windows zone name ("Pacific Standard Time"), not IANA.
import type { MappingDefinition } from '../../mapping/language';

export const defaultMappings: Record<string, MappingDefinition> = {
  events: {
    version: 1,
    model: 'Appointment',
    rows: [
      { id: 'external-id', target: 'externalId', source: 'id' },
      { id: 'title', target: 'title', source: 'subject', transforms: [{ op: 'trim' }], default: '(No title)' },
      { id: 'description', target: 'description', source: 'bodyPreview', transforms: [{ op: 'trim' }] },
      { id: 'starts-at', target: 'startsAt', source: 'start.dateTime', transforms: [{ op: 'parseDate', format: 'iso', timeZone: 'UTC' }] },
      { id: 'ends-at', target: 'endsAt', source: 'end.dateTime', transforms: [{ op: 'parseDate', format: 'iso', timeZone: 'UTC' }] },
      {
        id: 'status',
        target: 'status',
        source: 'isCancelled',
        transforms: [{ op: 'mapValues', table: { true: 'cancelled', false: 'confirmed' } }],
      },
      { id: 'location', target: 'location', source: 'location.displayName', transforms: [{ op: 'trim' }] },
      { id: 'attendees', target: 'attendees', source: 'attendees', transforms: [{ op: 'pluck', path: 'emailAddress.address' }, { op: 'normaliseEmail' }] },
      { id: 'created-at', target: 'createdAt', source: 'createdDateTime' },
      { id: 'updated-at', target: 'updatedAt', source: 'lastModifiedDateTime' },
    ],
  },
};
