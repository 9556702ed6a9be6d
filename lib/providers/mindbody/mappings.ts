// Default field mappings for Mindbody: Client (Contact), Appointment and class Visit (both
// Appointment). Field names from Mindbody's v6 models ✔ (Client, Appointment, Visit; see api.ts and
// resources.ts); times from the IntegrationHub instants the syncs add (mapping.ts), since
// Mindbody's own are site-local without an offset. Statuses as mapping.ts reads them.
import type { MappingDefinition } from '../../mapping/language';

const APPOINTMENT_STATUSES = {
  booked: 'booked',
  confirmed: 'confirmed',
  arrived: 'arrived',
  completed: 'completed',
  noshow: 'no_show',
  cancelled: 'cancelled',
  latecancelled: 'cancelled',
  requested: 'pending',
};

const hubTimes = [
  { id: 'starts-at', target: 'startsAt', source: 'IntegrationHub.startsAt' },
  { id: 'ends-at', target: 'endsAt', source: 'IntegrationHub.endsAt' },
  { id: 'time-zone', target: 'timeZone', source: 'IntegrationHub.timeZone' },
] as const;

export const defaultMappings: Record<string, MappingDefinition> = {
  clients: {
    version: 1,
    model: 'Contact',
    rows: [
      { id: 'external-id', target: 'externalId', source: 'Id' },
      { id: 'first-name', target: 'firstName', source: 'FirstName', transforms: [{ op: 'trim' }] },
      { id: 'last-name', target: 'lastName', source: 'LastName', transforms: [{ op: 'trim' }] },
      { id: 'full-name', target: 'fullName', source: { concat: ['FirstName', 'LastName'] } },
      { id: 'email', target: 'email', source: 'Email', transforms: [{ op: 'normaliseEmail' }] },
      { id: 'phone', target: 'phone', source: { coalesce: ['MobilePhone', 'HomePhone', 'WorkPhone'] }, transforms: [{ op: 'phoneE164' }] },
      { id: 'notes', target: 'notes', source: 'Notes' },
      // "UTC date and time" ✔, written with or without its Z.
      { id: 'updated-at', target: 'updatedAt', source: 'LastModifiedDateTime', transforms: [{ op: 'parseDate', format: 'iso', timeZone: 'UTC' }] },
    ],
  },
  appointments: {
    version: 1,
    model: 'Appointment',
    rows: [
      { id: 'external-id', target: 'externalId', source: 'Id' },
      // Appointment names only its SessionTypeId ✔: the title is the session type's name where an
      // answer includes it, else "Appointment".
      { id: 'title', target: 'title', source: 'SessionType.Name', transforms: [{ op: 'trim' }], default: 'Appointment' },
      { id: 'description', target: 'description', source: 'Notes' },
      ...hubTimes,
      { id: 'duration', target: 'durationMinutes', source: 'Duration' },
      { id: 'status', target: 'status', source: 'Status', transforms: [{ op: 'mapValues', table: APPOINTMENT_STATUSES, ignoreCase: true }] },
      { id: 'client', target: 'customerExternalId', source: 'ClientId' },
    ],
  },
  class_visits: {
    version: 1,
    model: 'Appointment',
    rows: [
      { id: 'external-id', target: 'externalId', source: 'Id' },
      { id: 'title', target: 'title', source: 'Name', transforms: [{ op: 'trim' }], default: 'Class' },
      { id: 'service', target: 'serviceName', source: 'Name' },
      ...hubTimes,
      // Signed in: the client came; late-cancelled: they did not (Visit ✔).
      { id: 'status', target: 'status', source: 'SignedIn', transforms: [{ op: 'mapValues', table: { true: 'arrived', false: 'booked' } }] },
      { id: 'client', target: 'customerExternalId', source: 'ClientId' },
    ],
  },
};
