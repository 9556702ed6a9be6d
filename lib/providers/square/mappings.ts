// Default field mappings for Square customers and bookings. A booking has no title of its own and
// its duration lives in its appointment segments; the first segment's duration gives the end.
import type { MappingDefinition } from '../../mapping/language';

export const defaultMappings: Record<string, MappingDefinition> = {
  customers: {
    version: 1,
    model: 'Contact',
    rows: [
      { id: 'external-id', target: 'externalId', source: 'id' },
      { id: 'first-name', target: 'firstName', source: 'given_name', transforms: [{ op: 'trim' }] },
      { id: 'last-name', target: 'lastName', source: 'family_name', transforms: [{ op: 'trim' }] },
      { id: 'full-name', target: 'fullName', source: { concat: ['given_name', 'family_name'] } },
      { id: 'email', target: 'email', source: 'email_address', transforms: [{ op: 'normaliseEmail' }] },
      { id: 'phone', target: 'phone', source: 'phone_number', transforms: [{ op: 'phoneE164' }] },
      { id: 'company', target: 'company', source: 'company_name', transforms: [{ op: 'trim' }] },
      { id: 'email-opt-out', target: 'emailOptOut', source: 'preferences.email_unsubscribed' },
      { id: 'notes', target: 'notes', source: 'note' },
      { id: 'created-at', target: 'createdAt', source: 'created_at' },
      { id: 'updated-at', target: 'updatedAt', source: 'updated_at' },
    ],
  },
  bookings: {
    version: 1,
    model: 'Appointment',
    rows: [
      { id: 'external-id', target: 'externalId', source: 'id' },
      { id: 'title', target: 'title', source: { const: 'Square booking' } },
      { id: 'description', target: 'description', source: 'customer_note', transforms: [{ op: 'trim' }] },
      { id: 'starts-at', target: 'startsAt', source: 'start_at' },
      {
        id: 'ends-at',
        target: 'endsAt',
        source: 'start_at',
        transforms: [{ op: 'addMinutes', path: 'appointment_segments[0].duration_minutes' }],
      },
      { id: 'duration', target: 'durationMinutes', source: 'appointment_segments[0].duration_minutes' },
      {
        id: 'status',
        target: 'status',
        source: 'status',
        transforms: [
          {
            op: 'mapValues',
            table: {
              PENDING: 'pending',
              ACCEPTED: 'confirmed',
              CANCELLED_BY_CUSTOMER: 'cancelled',
              CANCELLED_BY_SELLER: 'cancelled',
              DECLINED: 'declined',
              NO_SHOW: 'no_show',
            },
          },
        ],
      },
      { id: 'customer', target: 'customerExternalId', source: 'customer_id' },
      { id: 'created-at', target: 'createdAt', source: 'created_at' },
      { id: 'updated-at', target: 'updatedAt', source: 'updated_at' },
    ],
  },
};
