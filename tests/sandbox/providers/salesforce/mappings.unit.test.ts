// Salesforce's default mappings on contacts and opportunities built as the sandbox builds them,
// rendered as its SOQL queries answer. (Moved from tests/unit/mapping/defaults.test.ts.)
import { describe, expect, it } from 'vitest';
import type { ResourceSpec } from '@/tests/sandbox/data';
import { dataset, iso, mapAll, SIZE, type Fields } from '@/tests/support/default-mappings';
import { salesforceDataSpecs } from './data';

describe('default mappings', () => {
  const sfDateTime = (ms: number) => iso(ms).replace('Z', '+0000');
  function salesforceRecords(spec: ResourceSpec, object: string, names: string[]) {
    const data = dataset(spec, '00DSBX0000000001');
    return Array.from({ length: SIZE }, (_, index) => {
      const fields = data.fields(index);
      const id = data.idOf(index);
      const record: Fields = { attributes: { type: object, url: `/services/data/v62.0/sobjects/${object}/${id}` }, Id: id };
      record.SystemModstamp = sfDateTime(data.updatedAt[index]);
      record.IsDeleted = false;
      for (const name of names) record[name] = fields[name];
      record.CreatedDate = sfDateTime(data.createdAt[index]);
      record.LastModifiedDate = sfDateTime(data.updatedAt[index]);
      return { data: record, fields: { ...fields, id, created: iso(data.createdAt[index]), updated: iso(data.updatedAt[index]) }, index };
    });
  }

  it('Salesforce contacts → Contact', () => {
    const records = salesforceRecords(salesforceDataSpecs.contacts, 'Contact', ['FirstName', 'LastName', 'Email', 'Phone', 'Title', 'AccountId']);
    for (const { output, fields } of mapAll('salesforce', 'contacts', 'Contact', records)) {
      expect(output).toEqual({
        externalId: fields.id,
        firstName: fields.FirstName,
        lastName: fields.LastName,
        fullName: `${fields.FirstName} ${fields.LastName}`,
        email: fields.Email,
        phone: String(fields.Phone).replace(/ /g, ''),
        jobTitle: fields.Title,
        companyExternalId: fields.AccountId,
        createdAt: fields.created,
        updatedAt: fields.updated,
      });
      expect(output.companyExternalId).toMatch(/^001SBX/);
    }
  });

  it('Salesforce opportunities → Deal', () => {
    const records = salesforceRecords(salesforceDataSpecs.opportunities, 'Opportunity', ['Name', 'Amount', 'StageName', 'CloseDate', 'Probability', 'AccountId']);
    for (const { output, fields } of mapAll('salesforce', 'opportunities', 'Deal', records)) {
      expect(output).toEqual({
        externalId: fields.id,
        name: fields.Name,
        amount: fields.Amount,
        stage: fields.StageName,
        status: fields.StageName === 'Closed Won' ? 'won' : fields.StageName === 'Closed Lost' ? 'lost' : 'open',
        probability: fields.Probability,
        closeDate: fields.CloseDate,
        companyExternalId: fields.AccountId,
        createdAt: fields.created,
        updatedAt: fields.updated,
      });
    }
  });
});
