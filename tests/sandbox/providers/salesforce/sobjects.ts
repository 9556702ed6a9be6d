// Creating Contacts and Leads: POST /services/data/vXX.X/sobjects/Contact|Lead with the fields as
// JSON, answered 201 {"id", "success": true, "errors": []}. LastName is required (a Lead also needs
// Company), unknown fields are INVALID_FIELD, system fields INVALID_FIELD_FOR_INSERT_UPDATE.
//
// Duplicate rules, standing in for an org's standard ones: a Contact duplicates a live Contact
// with the same Email (ignoring case), or the same LastName and phone number (digits of Phone or
// MobilePhone); a Lead duplicates a live Lead or Contact with the same Email. A duplicate is saved
// only with `Sforce-Duplicate-Rule-Header: allowSave=true` (REST API Developer Guide, "Duplicate
// Rule Header"; every field defaults to false); otherwise 400 DUPLICATES_DETECTED, whose
// duplicate result lists the matches (DuplicateResult → MatchResult → MatchRecord.record.Id). The
// key is spelt `duplicateResut`, as responses captured from real orgs (API v54.0, v56.0) spell it.
// Creates count as the `sobjectWrites` endpoint and honour dropResponseAfterWrite.
import type { Dataset } from '../../data';
import { afterWrite, pageGate } from '../../data-faults';
import { json, readJson, type RequestContext, type Route } from '../../http';
import { INSTANCE_HOSTS } from './accounts';
import { authorize, datasetFor, faults, SCHEMA, sfError } from './data';
import type { SObject } from './soql';

const CREATEABLE: Record<'Contact' | 'Lead', string[]> = {
  Contact: ['FirstName', 'LastName', 'Email', 'Phone', 'MobilePhone', 'Title', 'Description', 'AccountId'],
  Lead: ['FirstName', 'LastName', 'Email', 'Phone', 'MobilePhone', 'Title', 'Description', 'Company', 'Status'],
};
const REQUIRED: Record<'Contact' | 'Lead', string[]> = { Contact: ['LastName'], Lead: ['LastName', 'Company'] };
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const DUPLICATE_MESSAGE = "You're creating a duplicate record. We recommend you use an existing record instead.";

/** The header's fields (`allowSave=true; includeRecordDetails=false`), each false unless set true. */
export function duplicateRuleHeader(ctx: RequestContext): { allowSave: boolean; includeRecordDetails: boolean } {
  const raw = ctx.headers['sforce-duplicate-rule-header'];
  const fields = new Map(
    String(Array.isArray(raw) ? raw.join(';') : (raw ?? ''))
      .split(/[;,]/)
      .map((part): [string, string] => {
        const [name = '', value = ''] = part.split('=').map((s) => s.trim().toLowerCase());
        return [name, value];
      }),
  );
  return { allowSave: fields.get('allowsave') === 'true', includeRecordDetails: fields.get('includerecorddetails') === 'true' };
}

const text = (value: unknown) => (typeof value === 'string' ? value.trim().toLowerCase() : '');
const digits = (value: unknown) => (typeof value === 'string' ? value.replace(/\D/g, '').replace(/^0+/, '') : '');

/** Live records of a dataset that a rule matches. */
function matching(dataset: Dataset, rule: (fields: Record<string, unknown>) => boolean): number[] {
  const found: number[] = [];
  for (let i = 0; i < dataset.count; i++) if (!dataset.isDeleted(i) && rule(dataset.fields(i))) found.push(i);
  return found;
}

interface Match {
  object: SObject;
  rule: string;
  dataset: Dataset;
  indices: number[];
}

function duplicatesOf(ctx: RequestContext, account: string, object: 'Contact' | 'Lead', values: Record<string, string>): Match[] {
  const email = text(values.Email);
  const sameEmail = (fields: Record<string, unknown>) => email !== '' && text(fields.Email) === email;
  const phones = [digits(values.Phone), digits(values.MobilePhone)].filter(Boolean);
  const lastName = text(values.LastName);
  const samePerson = (fields: Record<string, unknown>) =>
    text(fields.LastName) === lastName && phones.length > 0 && [digits(fields.Phone), digits(fields.MobilePhone)].some((p) => p && phones.includes(p));
  const contacts = datasetFor(ctx.state, 'Contact', account);
  if (object === 'Contact') {
    const indices = matching(contacts, (fields) => sameEmail(fields) || samePerson(fields));
    return indices.length ? [{ object: 'Contact', rule: 'Standard_Contact_Match_Rule_v1_1', dataset: contacts, indices }] : [];
  }
  const leads = datasetFor(ctx.state, 'Lead', account);
  return [
    { object: 'Lead' as const, rule: 'Standard_Lead_Match_Rule_v1_0', dataset: leads, indices: matching(leads, sameEmail) },
    { object: 'Contact' as const, rule: 'Standard_Contact_Match_Rule_v1_1', dataset: contacts, indices: matching(contacts, sameEmail) },
  ].filter((match) => match.indices.length > 0);
}

function duplicatesDetected(object: 'Contact' | 'Lead', version: string, matches: Match[]) {
  return sfError(400, 'DUPLICATES_DETECTED', DUPLICATE_MESSAGE, {
    duplicateResut: {
      allowSave: false,
      duplicateRule: `Standard_${object}_Duplicate_Rule`,
      duplicateRuleEntityType: object,
      errorMessage: DUPLICATE_MESSAGE,
      matchResults: matches.map(({ object: type, rule, dataset, indices }) => ({
        entityType: type,
        errors: [],
        matchEngine: 'FuzzyMatchEngine',
        matchRecords: indices.map((index) => ({
          additionalInformation: [],
          fieldDiffs: [],
          matchConfidence: 100,
          record: { attributes: { type, url: `/services/data/${version}/sobjects/${type}/${dataset.idOf(index)}` }, Id: dataset.idOf(index) },
        })),
        rule,
        size: indices.length,
        success: true,
      })),
    },
  });
}

const createRoute: Route = {
  method: 'POST',
  hosts: INSTANCE_HOSTS,
  path: '/services/data/vXX.X/sobjects/{Contact|Lead}',
  pattern: /^\/services\/data\/(?<version>v\d+\.\d)\/sobjects\/(?<object>[A-Za-z_]+)\/?$/,
  handle(ctx) {
    const auth = authorize(ctx);
    if (!auth.ok) return auth.reply;
    const object = (['Contact', 'Lead'] as const).find((name) => name.toLowerCase() === ctx.params.object.toLowerCase());
    if (!object) return sfError(404, 'NOT_FOUND', `The requested resource does not exist (the sandbox creates Contacts and Leads only, not ${ctx.params.object})`);
    const body = readJson(ctx);
    if (!body.ok) return sfError(400, 'JSON_PARSER_ERROR', body.reason);

    const values: Record<string, string> = {};
    for (const [name, value] of Object.entries(body.value)) {
      if (name === 'attributes') continue;
      const field = Object.keys(SCHEMA[object]).find((known) => known.toLowerCase() === name.toLowerCase());
      if (!field) return sfError(400, 'INVALID_FIELD', `No such column '${name}' on sobject of type ${object}`);
      if (!CREATEABLE[object].includes(field)) {
        return sfError(400, 'INVALID_FIELD_FOR_INSERT_UPDATE', `Unable to create/update fields: ${field}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`, { fields: [field] });
      }
      if (value === null) continue;
      if (typeof value !== 'string') return sfError(400, 'JSON_PARSER_ERROR', `Cannot deserialize instance of string from ${typeof value} value for field ${field}`);
      if (value.trim() !== '') values[field] = value;
    }
    const missing = REQUIRED[object].filter((field) => values[field] === undefined);
    if (missing.length > 0) return sfError(400, 'REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, { fields: missing });
    if (values.Email !== undefined && !EMAIL.test(values.Email)) {
      return sfError(400, 'INVALID_EMAIL_ADDRESS', `Email: invalid email address: ${values.Email}`, { fields: ['Email'] });
    }

    const refused = pageGate(ctx.state, 'salesforce.sobjectWrites', 1, faults);
    if (refused) return refused;
    const duplicates = duplicatesOf(ctx, auth.account, object, values);
    if (duplicates.length > 0 && !duplicateRuleHeader(ctx).allowSave) return duplicatesDetected(object, ctx.params.version, duplicates);

    const dataset = datasetFor(ctx.state, object, auth.account);
    const index = dataset.create(ctx.state.data.tick());
    // The record holds exactly what was set (the generated fields are dropped).
    const stored = dataset.fields(index);
    for (const key of Object.keys(stored)) delete stored[key];
    Object.assign(stored, values, object === 'Lead' ? { IsConverted: false, Status: values.Status ?? 'Open - Not Contacted' } : {});
    return afterWrite(ctx.state, 'salesforce', json(201, { id: dataset.idOf(index), success: true, errors: [] }));
  },
};

export const salesforceSobjectRoutes: Route[] = [createRoute];
