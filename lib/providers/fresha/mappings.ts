// Default field mappings for Fresha (unverified API): JSON:API documents whose fields sit under
// `attributes`; prices are decimal strings with their currency beside them.
import type { MappingDefinition } from '../../mapping/language';

export const defaultMappings: Record<string, MappingDefinition> = {
  clients: {
    version: 1,
    model: 'Contact',
    rows: [
      { id: 'external-id', target: 'externalId', source: 'id' },
      { id: 'first-name', target: 'firstName', source: 'attributes.first_name', transforms: [{ op: 'trim' }] },
      { id: 'last-name', target: 'lastName', source: 'attributes.last_name', transforms: [{ op: 'trim' }] },
      { id: 'full-name', target: 'fullName', source: { concat: ['attributes.first_name', 'attributes.last_name'] } },
      { id: 'email', target: 'email', source: 'attributes.email', transforms: [{ op: 'normaliseEmail' }] },
      { id: 'phone', target: 'phone', source: 'attributes.phone', transforms: [{ op: 'phoneE164' }] },
      { id: 'notes', target: 'notes', source: 'attributes.notes' },
      { id: 'created-at', target: 'createdAt', source: 'attributes.created_at' },
      { id: 'updated-at', target: 'updatedAt', source: 'attributes.updated_at' },
    ],
  },
  appointments: {
    version: 1,
    model: 'Appointment',
    rows: [
      { id: 'external-id', target: 'externalId', source: 'id' },
      { id: 'title', target: 'title', source: 'attributes.service_name', transforms: [{ op: 'trim' }], default: 'Appointment' },
      { id: 'service', target: 'serviceName', source: 'attributes.service_name' },
      { id: 'staff', target: 'staffName', source: 'attributes.staff_name' },
      { id: 'starts-at', target: 'startsAt', source: 'attributes.starts_at' },
      { id: 'ends-at', target: 'endsAt', source: 'attributes.ends_at' },
      {
        id: 'status',
        target: 'status',
        source: 'attributes.status',
        transforms: [
          {
            op: 'mapValues',
            table: { booked: 'booked', confirmed: 'confirmed', arrived: 'arrived', completed: 'completed', cancelled: 'cancelled', no_show: 'no_show' },
          },
        ],
      },
      { id: 'client', target: 'customerExternalId', source: 'attributes.client_id' },
      { id: 'price', target: 'price', source: 'attributes.price.amount', transforms: [{ op: 'toNumber' }] },
      { id: 'currency', target: 'currency', source: 'attributes.price.currency', transforms: [{ op: 'upper' }] },
      { id: 'created-at', target: 'createdAt', source: 'attributes.created_at' },
      { id: 'updated-at', target: 'updatedAt', source: 'attributes.updated_at' },
    ],
  },
};
