// Salesforce contact actions. Options read (all optional):
//   accountId   the Account a created Contact belongs to (Contact has no company text field).
//
// Lookup. Phones by SOSL, `FIND {"<form>" OR …} IN PHONE FIELDS RETURNING Contact(…), Lead(…)` on
// /search (SOQL and SOSL Reference, "IN SearchGroup" and "RETURNING FieldSpec"; REST "Search"
// resource, developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_search.htm):
// phone fields are free text, so the number is searched in the forms people write it (phones.ts),
// and every hit is checked against the number. Emails by SOQL `Email = '<literal>'` on Contact and
// Lead: exact, and unlike SOSL not behind the search index. Every literal is escaped (sosl.ts,
// soql.ts). Contacts come back as resource `contacts`; Leads as resource `leads`, which this
// provider does not sync, so they are never written through.
//
// Create. Looks up first and answers an existing Contact (or Lead) with created: false. Otherwise
// POST /sobjects/Contact with `Sforce-Duplicate-Rule-Header: allowSave=false` (REST API Developer
// Guide, "Duplicate Rule Header", API v52.0+, …/api_rest/headers_duplicaterules.htm), so an org's
// duplicate rules refuse a duplicate the search could not see yet (the SOSL index trails new
// records): their DUPLICATES_DETECTED error names the matching records (errors.ts), and the first
// one is answered with created: false. LastName is required: the lastName given, else the first
// name, else the email's local part, else the phone. The created or found Contact is re-read with
// the listing's own SOQL fields and written through, so the next incremental sync finds it unchanged.
//
// Retries. Salesforce has no idempotency key for creates. When an earlier attempt may have
// committed (ctx.retry), a SOQL query by email and by the phone's written forms (consistent, unlike
// SOSL) looks for what it created before anything is created again.
import { z } from 'zod';
import { ActionError } from '../../actions/errors';
import type { ActionInput, ActionOutput } from '../../actions/schemas';
import { applyMapping, compileMapping, type CompiledMapping } from '../../mapping/interpreter';
import { Contact } from '../../mapping/model';
import { ProviderHttpError } from '../errors';
import type { ActionContext, ActionRecord, ActionResult, ProviderActions, ProviderClient } from '../types';
import { duplicateIdsOf } from './errors';
import { checkedInstanceUrl } from './instance';
import { defaultMappings } from './mappings';
import { isSamePhone, phoneForms, storedE164, type PhoneForms } from '../../mapping/phone-forms';
import { API_VERSION, CONTACT_FIELDS, listingFields } from './resources';
import { soqlIdentifier, soqlString } from './soql';
import { soslAnyOf } from './sosl';

type Found = ActionOutput<'contacts.lookup'>['contacts'][number];
type Sobject = 'Contact' | 'Lead';

/** What a lookup reads: the listing's Contact fields, plus the second phone field the match may be on. */
const CONTACT_LOOKUP_FIELDS = [...new Set(['Id', ...CONTACT_FIELDS, 'MobilePhone'])].map(soqlIdentifier);
const LEAD_FIELDS = ['Id', 'FirstName', 'LastName', 'Email', 'Phone', 'MobilePhone', 'Company', 'Title', 'IsConverted', 'CreatedDate', 'LastModifiedDate'].map(soqlIdentifier);
/** The contacts listing's SELECT list: a written-through Contact is stored exactly as the sync reads it. */
const CONTACT_LISTING_FIELDS = listingFields(CONTACT_FIELDS);
/** At most this many matches per object: a phone or email names a person, not a segment. */
const MATCH_LIMIT = 50;
const DUPLICATE_RULE_HEADER = 'allowSave=false; includeRecordDetails=false; runAsCurrentUser=true';
/** Key prefixes of the standard objects (Contact 003, Lead 00Q). */
const PREFIX: Record<string, Sobject> = { '003': 'Contact', '00Q': 'Lead' };

const sfRecord = z.object({ Id: z.string().min(15), attributes: z.object({ type: z.string() }).passthrough().optional() }).passthrough();
type SfRecord = z.infer<typeof sfRecord>;
const queryAnswer = z.object({ records: z.array(sfRecord) }).passthrough();
// API v37.0+ answers { searchRecords: [...] }; older versions a bare array.
const searchAnswer = z.union([z.object({ searchRecords: z.array(sfRecord) }).passthrough(), z.array(sfRecord)]);
const createAnswer = z.object({ id: z.string().min(15), success: z.boolean().optional() }).passthrough();

interface Wanted {
  email?: string;
  phone?: PhoneForms;
}

const wantedOf = (input: { email?: string; phone?: string }): Wanted => ({
  email: input.email,
  phone: input.phone ? phoneForms(input.phone) : undefined,
});

function apiBase(client: ProviderClient): string {
  return `${checkedInstanceUrl(client.tokens.extra?.instanceUrl ?? '', 'live')}/services/data/${API_VERSION}`;
}

async function soql(client: ProviderClient, query: string): Promise<SfRecord[]> {
  const { body } = await client.request(`${apiBase(client)}/query?q=${encodeURIComponent(query)}`);
  return queryAnswer.parse(body).records;
}

const typeOf = (record: SfRecord, fallback: Sobject): Sobject => (record.attributes?.type === 'Lead' ? 'Lead' : record.attributes?.type === 'Contact' ? 'Contact' : fallback);

/** Contacts and Leads with this number in a phone field (SOSL), checked against the number. */
async function byPhone(client: ProviderClient, phone: PhoneForms, region: string): Promise<SfRecord[]> {
  const sosl =
    `FIND ${soslAnyOf(phone.forms)} IN PHONE FIELDS RETURNING ` +
    `Contact(${CONTACT_LOOKUP_FIELDS.join(', ')} LIMIT ${MATCH_LIMIT}), Lead(${LEAD_FIELDS.join(', ')} LIMIT ${MATCH_LIMIT})`;
  const { body } = await client.request(`${apiBase(client)}/search?q=${encodeURIComponent(sosl)}`);
  const parsed = searchAnswer.parse(body);
  const records = Array.isArray(parsed) ? parsed : parsed.searchRecords;
  return records.filter((record) => isSamePhone(record.Phone, phone, region) || isSamePhone(record.MobilePhone, phone, region));
}

/** Contacts and Leads with this email (SOQL: exact, case-insensitive, not behind the search index). */
async function byEmail(client: ProviderClient, email: string): Promise<SfRecord[]> {
  const where = `WHERE Email = ${soqlString(email)} LIMIT ${MATCH_LIMIT}`;
  const [contacts, leads] = await Promise.all([
    soql(client, `SELECT ${CONTACT_LOOKUP_FIELDS.join(', ')} FROM Contact ${where}`),
    soql(client, `SELECT ${LEAD_FIELDS.join(', ')} FROM Lead ${where}`),
  ]);
  const same = (record: SfRecord) => typeof record.Email === 'string' && record.Email.toLowerCase() === email.toLowerCase();
  return [...contacts.map((r) => ({ ...r, attributes: { type: 'Contact', ...r.attributes } })), ...leads.map((r) => ({ ...r, attributes: { type: 'Lead', ...r.attributes } }))].filter(same);
}

/** Every Contact and open Lead matching the phone or the email: Contacts first, each once. */
async function findPeople(client: ProviderClient, wanted: Wanted, region: string): Promise<{ type: Sobject; record: SfRecord }[]> {
  const [phoneHits, emailHits] = await Promise.all([
    wanted.phone ? byPhone(client, wanted.phone, region) : Promise.resolve([]),
    wanted.email ? byEmail(client, wanted.email) : Promise.resolve([]),
  ]);
  const seen = new Set<string>();
  const people: { type: Sobject; record: SfRecord }[] = [];
  for (const record of [...emailHits, ...phoneHits]) {
    const type = typeOf(record, PREFIX[record.Id.slice(0, 3)] ?? 'Contact');
    // A converted Lead lives on as the Contact it became.
    if (seen.has(record.Id) || (type === 'Lead' && record.IsConverted === true)) continue;
    seen.add(record.Id);
    people.push({ type, record });
  }
  return [...people.filter((p) => p.type === 'Contact'), ...people.filter((p) => p.type === 'Lead')];
}

/**
 * What a retry checks before creating: Contacts by email or by the phone's written forms, by SOQL,
 * which sees a record the moment it is saved (the SOSL index may not have it yet).
 */
async function findCreatedContact(client: ProviderClient, wanted: Wanted, region: string): Promise<SfRecord | undefined> {
  const clauses: string[] = [];
  if (wanted.email) clauses.push(`Email = ${soqlString(wanted.email)}`);
  if (wanted.phone) {
    const list = wanted.phone.forms.map(soqlString).join(', ');
    clauses.push(`Phone IN (${list})`, `MobilePhone IN (${list})`);
  }
  if (clauses.length === 0) return undefined;
  const records = await soql(client, `SELECT ${CONTACT_LOOKUP_FIELDS.join(', ')} FROM Contact WHERE ${clauses.join(' OR ')} LIMIT ${MATCH_LIMIT}`);
  return records.find(
    (record) =>
      (wanted.email !== undefined && typeof record.Email === 'string' && record.Email.toLowerCase() === wanted.email.toLowerCase()) ||
      (wanted.phone !== undefined && (isSamePhone(record.Phone, wanted.phone, region) || isSamePhone(record.MobilePhone, wanted.phone, region))),
  );
}

let compiledContacts: CompiledMapping | undefined;

/**
 * A Contact or Lead as the model's Contact: the default contacts mapping (what the sync stores for a
 * Contact), a Lead's Company as the company, and the phone from the second phone field (or the
 * number asked for) when the first one is empty or not readable as a number.
 */
function toContact(type: Sobject, record: SfRecord, region: string, fallbackPhone?: string): z.infer<typeof Contact> {
  compiledContacts ??= compileMapping(defaultMappings.contacts);
  const mapped = applyMapping(compiledContacts, record).output;
  if (type === 'Lead' && typeof record.Company === 'string' && record.Company.trim()) mapped.company = record.Company.trim();
  mapped.phone ??= storedE164(record.Phone, region) ?? storedE164(record.MobilePhone, region) ?? fallbackPhone;
  const contact = Contact.safeParse(mapped);
  if (!contact.success) throw new ActionError('provider_error', `Salesforce's ${type} ${record.Id} has neither a usable email nor phone.`);
  return contact.data;
}

/** The number asked for, when this record holds it (its phone may be written so the mapping cannot read it). */
function matchedPhone(record: SfRecord, wanted: Wanted, region: string): string | undefined {
  const phone = wanted.phone;
  return phone && (isSamePhone(record.Phone, phone, region) || isSamePhone(record.MobilePhone, phone, region)) ? phone.e164 : undefined;
}

const found = (type: Sobject, record: SfRecord, region: string, fallbackPhone?: string): Found => ({
  contact: toContact(type, record, region, fallbackPhone),
  resource: type === 'Lead' ? 'leads' : 'contacts',
  raw: record,
});

/** One record by id with the given fields (SOQL, so the answer is the listing's record shape). */
async function readRecord(client: ProviderClient, type: Sobject, id: string, fields: readonly string[]): Promise<SfRecord> {
  const [record] = await soql(client, `SELECT ${fields.join(', ')} FROM ${soqlIdentifier(type)} WHERE Id = ${soqlString(id)}`);
  if (!record) throw new ActionError('provider_error', `Salesforce did not return the ${type} ${id} it reported.`);
  return record;
}

/** The create answer for a Contact or Lead: Contacts re-read as the listing reads them and written through. */
async function createResult(
  client: ProviderClient,
  type: Sobject,
  id: string,
  created: boolean,
  region: string,
  wanted: Wanted,
  fallbackPhone?: string,
): Promise<ActionResult<ActionOutput<'contacts.create'>>> {
  if (type === 'Lead') {
    const lead = await readRecord(client, 'Lead', id, LEAD_FIELDS);
    return { output: { ...found('Lead', lead, region, fallbackPhone ?? matchedPhone(lead, wanted, region)), created } };
  }
  const record = await readRecord(client, 'Contact', id, CONTACT_LISTING_FIELDS);
  const records: ActionRecord[] = [{ resource: 'contacts', externalId: record.Id, data: record }];
  return { output: { ...found('Contact', record, region, fallbackPhone ?? matchedPhone(record, wanted, region)), created }, records };
}

/** Salesforce insists on a LastName. */
function lastNameFor(input: ActionInput<'contacts.create'>): { FirstName?: string; LastName: string } {
  if (input.lastName) return { FirstName: input.firstName, LastName: input.lastName };
  if (input.firstName) return { LastName: input.firstName };
  const local = input.email?.split('@')[0]?.trim();
  return { LastName: local || input.phone || 'Unknown' };
}

function optionString(options: ActionInput<'contacts.create'>['options'], key: string): string | undefined {
  const value = options?.[key];
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

async function lookup(ctx: ActionContext, input: ActionInput<'contacts.lookup'>): Promise<ActionResult<ActionOutput<'contacts.lookup'>>> {
  const wanted = wantedOf(input);
  const people = await findPeople(ctx.client, wanted, ctx.defaultRegion);
  return { output: { contacts: people.map(({ type, record }) => found(type, record, ctx.defaultRegion, matchedPhone(record, wanted, ctx.defaultRegion))) } };
}

async function create(ctx: ActionContext, input: ActionInput<'contacts.create'>): Promise<ActionResult<ActionOutput<'contacts.create'>>> {
  const { client, defaultRegion: region } = ctx;
  const wanted = wantedOf(input);
  if (ctx.retry) {
    const earlier = await findCreatedContact(client, wanted, region);
    if (earlier) return createResult(client, 'Contact', earlier.Id, false, region, wanted, matchedPhone(earlier, wanted, region));
  }
  const [existing] = await findPeople(client, wanted, region);
  if (existing) return createResult(client, existing.type, existing.record.Id, false, region, wanted, matchedPhone(existing.record, wanted, region));

  const accountId = optionString(input.options, 'accountId');
  const fields = {
    ...lastNameFor(input),
    ...(input.email ? { Email: input.email } : {}),
    ...(input.phone ? { Phone: input.phone } : {}),
    ...(input.jobTitle ? { Title: input.jobTitle } : {}),
    ...(input.notes ? { Description: input.notes } : {}),
    ...(accountId ? { AccountId: accountId } : {}),
  };
  let id: string;
  try {
    const { body } = await client.request(`${apiBase(client)}/sobjects/Contact`, {
      method: 'POST',
      json: fields,
      headers: { 'Sforce-Duplicate-Rule-Header': DUPLICATE_RULE_HEADER },
    });
    id = createAnswer.parse(body).id;
  } catch (error) {
    const duplicates = error instanceof ProviderHttpError && error.status === 400 ? duplicateIdsOf(error.providerMessage) : undefined;
    if (!duplicates) throw error;
    const match = duplicates.find((d) => PREFIX[d.slice(0, 3)] === 'Contact') ?? duplicates.find((d) => PREFIX[d.slice(0, 3)] === 'Lead');
    if (!match) throw new ActionError('conflict', `Salesforce's duplicate rules refused the contact as a duplicate of a record it did not name (${(error as ProviderHttpError).providerMessage}).`);
    return createResult(client, PREFIX[match.slice(0, 3)], match, false, region, wanted);
  }
  return createResult(client, 'Contact', id, true, region, wanted);
}

export const salesforceActions: ProviderActions = {
  'contacts.lookup': lookup,
  'contacts.create': create,
};
