// HubSpot's default mappings on contacts and deals built as the sandbox builds them, rendered as
// HubSpot's CRM API answers. (Moved from tests/unit/mapping/defaults.test.ts.)
import { describe, expect, it } from 'vitest';
import { dataset, iso, mapAll, SIZE } from '@/tests/support/default-mappings';
import { hubspotDataSpecs } from './data';

describe('default mappings', () => {
  it('HubSpot contacts → Contact', () => {
    const data = dataset(hubspotDataSpecs.contacts, '4242001');
    const records = Array.from({ length: SIZE }, (_, index) => {
      const fields = data.fields(index);
      const id = data.idOf(index);
      const [created, updated] = [iso(data.createdAt[index]), iso(data.updatedAt[index])];
      const properties = { ...fields, createdate: created, lastmodifieddate: updated, hs_object_id: id };
      return { data: { id, properties, createdAt: created, updatedAt: updated, archived: false }, fields: { ...fields, created, updated }, index };
    });
    const stages: Record<string, string> = { marketingqualifiedlead: 'marketing_qualified', salesqualifiedlead: 'sales_qualified' };
    for (const { output, fields, index } of mapAll('hubspot', 'contacts', 'Contact', records)) {
      expect(output).toEqual({
        externalId: data.idOf(index),
        firstName: fields.firstname,
        lastName: fields.lastname,
        fullName: `${fields.firstname} ${fields.lastname}`,
        email: fields.email,
        phone: String(fields.phone).replace(/ /g, ''),
        company: fields.company,
        jobTitle: fields.jobtitle,
        lifecycleStage: stages[fields.lifecyclestage as string] ?? fields.lifecyclestage,
        createdAt: fields.created,
        updatedAt: fields.updated,
      });
    }
  });

  it('HubSpot deals → Deal', () => {
    const data = dataset(hubspotDataSpecs.deals, '4242001');
    const records = Array.from({ length: SIZE }, (_, index) => {
      const fields = data.fields(index);
      const id = data.idOf(index);
      const [created, updated] = [iso(data.createdAt[index]), iso(data.updatedAt[index])];
      const properties = { ...fields, createdate: created, hs_lastmodifieddate: updated, hs_object_id: id };
      return { data: { id, properties, createdAt: created, updatedAt: updated, archived: false }, fields, index };
    });
    for (const { output, fields } of mapAll('hubspot', 'deals', 'Deal', records)) {
      expect(output).toMatchObject({
        name: fields.dealname,
        amount: Number(fields.amount),
        stage: fields.dealstage,
        status: fields.dealstage === 'closedwon' ? 'won' : fields.dealstage === 'closedlost' ? 'lost' : 'open',
        pipeline: 'default',
        closeDate: String(fields.closedate).slice(0, 10),
      });
      expect(typeof output.amount).toBe('number');
    }
  });
});
