// Default field mappings for HubSpot resources. Property values arrive as strings (HubSpot's own
// representation), so numbers and stages are converted here; admins edit copies of these.
import type { MappingDefinition } from '../../mapping/language';

export const defaultMappings: Record<string, MappingDefinition> = {
  contacts: {
    version: 1,
    model: 'Contact',
    rows: [
      { id: 'external-id', target: 'externalId', source: 'id' },
      { id: 'first-name', target: 'firstName', source: 'properties.firstname', transforms: [{ op: 'trim' }] },
      { id: 'last-name', target: 'lastName', source: 'properties.lastname', transforms: [{ op: 'trim' }] },
      { id: 'full-name', target: 'fullName', source: { concat: ['properties.firstname', 'properties.lastname'] }, transforms: [{ op: 'trim' }] },
      { id: 'email', target: 'email', source: 'properties.email', transforms: [{ op: 'normaliseEmail' }] },
      { id: 'phone', target: 'phone', source: 'properties.phone', transforms: [{ op: 'phoneE164' }] },
      { id: 'company', target: 'company', source: 'properties.company', transforms: [{ op: 'trim' }] },
      { id: 'job-title', target: 'jobTitle', source: 'properties.jobtitle', transforms: [{ op: 'trim' }] },
      {
        id: 'lifecycle-stage',
        target: 'lifecycleStage',
        source: 'properties.lifecyclestage',
        transforms: [
          {
            op: 'mapValues',
            ignoreCase: true,
            table: {
              subscriber: 'subscriber',
              lead: 'lead',
              marketingqualifiedlead: 'marketing_qualified',
              salesqualifiedlead: 'sales_qualified',
              opportunity: 'opportunity',
              customer: 'customer',
              evangelist: 'evangelist',
            },
            // HubSpot portals can define their own stages (ids, not names): those become "other".
            fallback: 'other',
          },
        ],
      },
      { id: 'created-at', target: 'createdAt', source: { coalesce: ['createdAt', 'properties.createdate'] } },
      { id: 'updated-at', target: 'updatedAt', source: { coalesce: ['updatedAt', 'properties.lastmodifieddate'] } },
    ],
  },
  deals: {
    version: 1,
    model: 'Deal',
    rows: [
      { id: 'external-id', target: 'externalId', source: 'id' },
      { id: 'name', target: 'name', source: 'properties.dealname', transforms: [{ op: 'trim' }] },
      { id: 'amount', target: 'amount', source: 'properties.amount', transforms: [{ op: 'toNumber' }] },
      { id: 'stage', target: 'stage', source: 'properties.dealstage' },
      {
        id: 'status',
        target: 'status',
        source: 'properties.dealstage',
        transforms: [{ op: 'mapValues', table: { closedwon: 'won', closedlost: 'lost' }, fallback: 'open' }],
      },
      { id: 'pipeline', target: 'pipeline', source: 'properties.pipeline' },
      // HubSpot stores close dates as midnight UTC instants: the UTC date is the intended day.
      { id: 'close-date', target: 'closeDate', source: 'properties.closedate', transforms: [{ op: 'formatDate', style: 'date' }] },
      { id: 'created-at', target: 'createdAt', source: { coalesce: ['createdAt', 'properties.createdate'] } },
      { id: 'updated-at', target: 'updatedAt', source: { coalesce: ['updatedAt', 'properties.hs_lastmodifieddate'] } },
    ],
  },
};
