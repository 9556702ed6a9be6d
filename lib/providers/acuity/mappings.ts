// Default field mappings for Acuity. Appointment times come with a numeric offset
// ("2016-02-03T14:00:00-0800"), normalised to UTC instants; the appointment type is the title.
import type { MappingDefinition } from '../../mapping/language';

export const defaultMappings: Record<string, MappingDefinition> = {
  appointments: {
    version: 1,
    model: 'Appointment',
    rows: [
      { id: 'external-id', target: 'externalId', source: 'id' },
      { id: 'title', target: 'title', source: 'type', transforms: [{ op: 'trim' }], default: 'Acuity appointment' },
      { id: 'starts-at', target: 'startsAt', source: 'datetime', transforms: [{ op: 'parseDate', format: 'iso' }] },
      { id: 'duration', target: 'durationMinutes', source: 'duration', transforms: [{ op: 'toNumber' }] },
      { id: 'time-zone', target: 'timeZone', source: 'timezone' },
      { id: 'status', target: 'status', source: 'canceled', transforms: [{ op: 'mapValues', table: { true: 'cancelled', false: 'booked' } }] },
      { id: 'location', target: 'location', source: 'location', transforms: [{ op: 'trim' }] },
      { id: 'customer-email', target: 'customerEmail', source: 'email', transforms: [{ op: 'normaliseEmail' }] },
      { id: 'staff', target: 'staffName', source: 'calendar', transforms: [{ op: 'trim' }] },
      { id: 'service', target: 'serviceName', source: 'type', transforms: [{ op: 'trim' }] },
      { id: 'price', target: 'price', source: 'price', transforms: [{ op: 'toNumber' }] },
      { id: 'created-at', target: 'createdAt', source: 'datetimeCreated', transforms: [{ op: 'parseDate', format: 'iso' }] },
    ],
  },
  clients: {
    version: 1,
    model: 'Contact',
    rows: [
      { id: 'first-name', target: 'firstName', source: 'firstName', transforms: [{ op: 'trim' }] },
      { id: 'last-name', target: 'lastName', source: 'lastName', transforms: [{ op: 'trim' }] },
      { id: 'full-name', target: 'fullName', source: { concat: ['firstName', 'lastName'] } },
      { id: 'email', target: 'email', source: 'email', transforms: [{ op: 'normaliseEmail' }] },
      { id: 'phone', target: 'phone', source: 'phone', transforms: [{ op: 'phoneE164' }] },
      { id: 'notes', target: 'notes', source: 'notes', transforms: [{ op: 'trim' }] },
    ],
  },
};
