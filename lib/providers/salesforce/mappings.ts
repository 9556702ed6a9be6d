// Default field mappings for Salesforce objects. Salesforce sends typed JSON (numbers, booleans,
// "2026-11-01T10:00:00.000+0000" datetimes, "2026-11-01" dates), so little needs converting.
import type { MappingDefinition } from '../../mapping/language';

export const defaultMappings: Record<string, MappingDefinition> = {
  contacts: {
    version: 1,
    model: 'Contact',
    rows: [
      { id: 'external-id', target: 'externalId', source: 'Id' },
      { id: 'first-name', target: 'firstName', source: 'FirstName', transforms: [{ op: 'trim' }] },
      { id: 'last-name', target: 'lastName', source: 'LastName', transforms: [{ op: 'trim' }] },
      { id: 'full-name', target: 'fullName', source: { concat: ['FirstName', 'LastName'] } },
      { id: 'email', target: 'email', source: 'Email', transforms: [{ op: 'normaliseEmail' }] },
      { id: 'phone', target: 'phone', source: 'Phone', transforms: [{ op: 'phoneE164' }] },
      { id: 'job-title', target: 'jobTitle', source: 'Title', transforms: [{ op: 'trim' }] },
      { id: 'account', target: 'companyExternalId', source: 'AccountId' },
      { id: 'created-at', target: 'createdAt', source: 'CreatedDate' },
      { id: 'updated-at', target: 'updatedAt', source: { coalesce: ['LastModifiedDate', 'SystemModstamp'] } },
    ],
  },
  opportunities: {
    version: 1,
    model: 'Deal',
    rows: [
      { id: 'external-id', target: 'externalId', source: 'Id' },
      { id: 'name', target: 'name', source: 'Name', transforms: [{ op: 'trim' }] },
      { id: 'amount', target: 'amount', source: 'Amount' },
      { id: 'stage', target: 'stage', source: 'StageName' },
      {
        id: 'status',
        target: 'status',
        source: 'StageName',
        transforms: [{ op: 'mapValues', table: { 'Closed Won': 'won', 'Closed Lost': 'lost' }, fallback: 'open' }],
      },
      { id: 'probability', target: 'probability', source: 'Probability' },
      { id: 'close-date', target: 'closeDate', source: 'CloseDate' },
      { id: 'account', target: 'companyExternalId', source: 'AccountId' },
      { id: 'created-at', target: 'createdAt', source: 'CreatedDate' },
      { id: 'updated-at', target: 'updatedAt', source: { coalesce: ['LastModifiedDate', 'SystemModstamp'] } },
    ],
  },
};
