// Default field mappings for Calendly. Scheduled events are appointments (the event type's name is
// the title; hosts are the event memberships); invitees are the people who booked them.
import type { MappingDefinition } from '../../mapping/language';

export const defaultMappings: Record<string, MappingDefinition> = {
  scheduled_events: {
    version: 1,
    model: 'Appointment',
    rows: [
      { id: 'external-id', target: 'externalId', source: 'uri' },
      { id: 'title', target: 'title', source: 'name', transforms: [{ op: 'trim' }], default: 'Calendly event' },
      { id: 'starts-at', target: 'startsAt', source: 'start_time' },
      { id: 'ends-at', target: 'endsAt', source: 'end_time' },
      {
        id: 'status',
        target: 'status',
        source: 'status',
        transforms: [{ op: 'mapValues', table: { active: 'confirmed', canceled: 'cancelled' } }],
      },
      { id: 'location', target: 'location', source: { coalesce: ['location.location', 'location.join_url'] }, transforms: [{ op: 'trim' }] },
      { id: 'staff', target: 'staffName', source: 'event_memberships[0].user_name', transforms: [{ op: 'trim' }] },
      { id: 'attendees', target: 'attendees', source: 'event_guests', transforms: [{ op: 'pluck', path: 'email' }, { op: 'normaliseEmail' }] },
      { id: 'created-at', target: 'createdAt', source: 'created_at' },
      { id: 'updated-at', target: 'updatedAt', source: 'updated_at' },
    ],
  },
  invitees: {
    version: 1,
    model: 'Contact',
    rows: [
      { id: 'external-id', target: 'externalId', source: 'uri' },
      { id: 'first-name', target: 'firstName', source: 'first_name', transforms: [{ op: 'trim' }] },
      { id: 'last-name', target: 'lastName', source: 'last_name', transforms: [{ op: 'trim' }] },
      { id: 'full-name', target: 'fullName', source: 'name', transforms: [{ op: 'trim' }] },
      { id: 'email', target: 'email', source: 'email', transforms: [{ op: 'normaliseEmail' }] },
      { id: 'phone', target: 'phone', source: 'text_reminder_number', transforms: [{ op: 'phoneE164' }] },
      { id: 'created-at', target: 'createdAt', source: 'created_at' },
      { id: 'updated-at', target: 'updatedAt', source: 'updated_at' },
    ],
  },
};
