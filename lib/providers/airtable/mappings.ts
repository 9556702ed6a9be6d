// The default mapping for Airtable records. Airtable tables are whatever their makers built, so no
// mapping fits every table; this one reads the column names a contacts table usually has (Name,
// Email, Phone, Company, Status, Notes, in either case) onto a Contact. A record with neither an
// email nor a phone fails the Contact's validation and is kept raw with its errors, so a table of
// something else (projects, inventory) syncs and shows in the records browser without polluting
// contacts; the mapping editor offers that table's own columns to map it properly.
import type { MappingDefinition } from '../../mapping/language';

export const defaultMappings: Record<string, MappingDefinition> = {
  records: {
    version: 1,
    model: 'Contact',
    rows: [
      { id: 'external-id', target: 'externalId', source: 'id' },
      { id: 'full-name', target: 'fullName', source: { coalesce: ['fields.Name', 'fields.name'] }, transforms: [{ op: 'trim' }] },
      { id: 'email', target: 'email', source: { coalesce: ['fields.Email', 'fields.email'] }, transforms: [{ op: 'normaliseEmail' }] },
      { id: 'phone', target: 'phone', source: { coalesce: ['fields.Phone', 'fields.phone'] }, transforms: [{ op: 'phoneE164' }] },
      { id: 'company', target: 'company', source: { coalesce: ['fields.Company', 'fields.company'] }, transforms: [{ op: 'trim' }] },
      {
        id: 'lifecycle-stage',
        target: 'lifecycleStage',
        source: { coalesce: ['fields.Status', 'fields.status'] },
        transforms: [{ op: 'mapValues', table: { lead: 'lead', customer: 'customer', subscriber: 'subscriber', opportunity: 'opportunity' }, fallback: 'other', ignoreCase: true }],
      },
      { id: 'notes', target: 'notes', source: { coalesce: ['fields.Notes', 'fields.notes'] } },
      { id: 'created-at', target: 'createdAt', source: 'createdTime' },
    ],
  },
};
