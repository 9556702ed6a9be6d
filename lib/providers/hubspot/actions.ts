// HubSpot contact actions. No options are read.
//
// Lookup. One CRM search, POST /crm/v3/objects/contacts/search (developers.hubspot.com/docs/
// api-reference/search/guide): filterGroups are ORed, the filters inside one are ANDed, at most
// five groups; a filter is {propertyName, operator, value}, or {…, values: [...]} for IN. A phone
// is searched as `phone IN <forms>` and `mobilephone IN <forms>` (the forms people write it in,
// phones.ts), and as HubSpot's calculated `hs_searchable_calculated_phone_number` /
// `hs_searchable_calculated_mobile_number` EQ the national number (HubSpot calculates them from
// the number however it was typed, without the country code; HubSpot-defined properties seen in
// API answers, not described in the search guide); an email as `email EQ`. Every hit is checked
// against the number or email, then mapped with the default contacts mapping, so a contact reads
// as the sync stores it.
//
// Create. Looks up first and answers an existing contact with created: false. Otherwise POST
// /crm/v3/objects/contacts {properties}. HubSpot keeps one contact per email: a duplicate answers
// 409 {"status":"error","message":"Contact already exists. Existing ID: 123","category":"CONFLICT"}
// (the shape HubSpot's clients report, e.g. HubSpot/hubspot-api-nodejs#545), so that contact is
// read and answered with created: false. The search trails new records by seconds, which is how a
// contact the lookup missed can still be a duplicate. The contact is re-read with the listing's
// properties (GET /crm/v3/objects/contacts/{id}) and written through in the listing's shape, so
// the next incremental sync finds it unchanged. `notes` is not sent: HubSpot keeps notes as
// engagements, not as a contact property.
//
// Retries. HubSpot has no idempotency key for creates. When an earlier attempt may have committed
// (ctx.retry): with an email, the contact is read by it (GET …/{email}?idProperty=email, which is
// not behind the search index), and a duplicate would be refused with 409 anyway; with only a
// phone, the search is asked again for a few seconds before anything is created, since a contact
// created moments ago may not be searchable yet.
import { z } from 'zod';
import { ActionError } from '../../actions/errors';
import type { ActionInput, ActionOutput } from '../../actions/schemas';
import { applyMapping, compileMapping, type CompiledMapping } from '../../mapping/interpreter';
import { Contact } from '../../mapping/model';
import { ProviderHttpError } from '../errors';
import type { ActionContext, ActionResult, ProviderActions, ProviderClient } from '../types';
import { defaultMappings } from './mappings';
import { isSamePhone, phoneForms, storedE164, type PhoneForms } from '../../mapping/phone-forms';
import { CONTACT_MODIFIED_PROPERTY, CONTACT_PROPERTIES, hubspotObject, listingProperties, type HubspotObject } from './resources';

const CONTACTS = 'https://api.hubapi.com/crm/v3/objects/contacts';
const RESOURCE = 'contacts';
/** What the contacts listing asks for: a written-through contact holds exactly these. */
const LISTING_PROPERTIES = listingProperties(CONTACT_PROPERTIES, CONTACT_MODIFIED_PROPERTY);
/** HubSpot returns these with every object, whatever was asked for. */
const ALWAYS_RETURNED = ['hs_object_id', 'createdate', CONTACT_MODIFIED_PROPERTY];
/** A lookup also reads the second phone property a match may be on. */
const SEARCH_PROPERTIES = [...LISTING_PROPERTIES, 'mobilephone'];
/** A phone or an email names a person, not a segment: one page of matches is plenty (the search's maximum is 200). */
const SEARCH_LIMIT = 100;
/** How long a phone-only retry keeps asking the search for what the earlier attempt created. */
const RETRY_SEARCH_WAITS_MS = [1000, 2000];

type Found = ActionOutput<'contacts.lookup'>['contacts'][number];

const searchAnswer = z.object({ results: z.array(hubspotObject) }).passthrough();
const createAnswer = z.object({ id: z.string().min(1) }).passthrough();

interface Wanted {
  email?: string;
  phone?: PhoneForms;
}

const wantedOf = (input: { email?: string; phone?: string }): Wanted => ({
  email: input.email,
  phone: input.phone ? phoneForms(input.phone) : undefined,
});

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function filterGroups(wanted: Wanted) {
  const groups: { filters: Record<string, unknown>[] }[] = [];
  if (wanted.phone) {
    const values = wanted.phone.forms;
    groups.push({ filters: [{ propertyName: 'phone', operator: 'IN', values }] });
    groups.push({ filters: [{ propertyName: 'mobilephone', operator: 'IN', values }] });
    if (wanted.phone.nationalNumber) {
      const value = wanted.phone.nationalNumber;
      groups.push({ filters: [{ propertyName: 'hs_searchable_calculated_phone_number', operator: 'EQ', value }] });
      groups.push({ filters: [{ propertyName: 'hs_searchable_calculated_mobile_number', operator: 'EQ', value }] });
    }
  }
  if (wanted.email) groups.push({ filters: [{ propertyName: 'email', operator: 'EQ', value: wanted.email }] });
  return groups;
}

const sameEmail = (record: HubspotObject, email: string | undefined) =>
  email !== undefined && typeof record.properties.email === 'string' && record.properties.email.trim().toLowerCase() === email.toLowerCase();

/** The number asked for, when this contact holds it (its phone may be written so the mapping cannot read it). */
function matchedPhone(record: HubspotObject, wanted: Wanted, region: string): string | undefined {
  const phone = wanted.phone;
  return phone && (isSamePhone(record.properties.phone, phone, region) || isSamePhone(record.properties.mobilephone, phone, region)) ? phone.e164 : undefined;
}

/** Contacts with this phone or email, oldest first, checked against what was asked. */
async function searchContacts(client: ProviderClient, wanted: Wanted, region: string): Promise<HubspotObject[]> {
  const groups = filterGroups(wanted);
  if (groups.length === 0) return [];
  const { body } = await client.request(`${CONTACTS}/search`, {
    method: 'POST',
    json: {
      filterGroups: groups,
      properties: SEARCH_PROPERTIES,
      sorts: [{ propertyName: 'createdate', direction: 'ASCENDING' }],
      limit: SEARCH_LIMIT,
    },
  });
  const results = searchAnswer.parse(body).results.filter((record) => record.archived !== true);
  return results.filter((record) => sameEmail(record, wanted.email) || matchedPhone(record, wanted, region) !== undefined);
}

/** One contact by id (or by email), with the listing's properties: the listing's record shape. Undefined when there is none. */
async function readContact(client: ProviderClient, id: string, by: 'id' | 'email' = 'id'): Promise<HubspotObject | undefined> {
  const query = new URLSearchParams({ properties: LISTING_PROPERTIES.join(','), archived: 'false' });
  if (by === 'email') query.set('idProperty', 'email');
  try {
    const { body } = await client.request(`${CONTACTS}/${encodeURIComponent(id)}?${query}`);
    return hubspotObject.parse(body);
  } catch (error) {
    if (error instanceof ProviderHttpError && error.status === 404) return undefined;
    throw error;
  }
}

/** A search hit as the listing would have returned it: only the listing's properties. */
function listingShape(record: HubspotObject): HubspotObject {
  const keep = new Set([...LISTING_PROPERTIES, ...ALWAYS_RETURNED]);
  return { ...record, properties: Object.fromEntries(Object.entries(record.properties).filter(([name]) => keep.has(name))) };
}

let compiledContacts: CompiledMapping | undefined;

/**
 * A contact as the model's Contact: the default contacts mapping (what the sync stores), and the
 * phone from mobilephone (or the number asked for) when phone is empty or not readable as a number.
 */
function found(record: HubspotObject, region: string, fallbackPhone?: string): Found {
  compiledContacts ??= compileMapping(defaultMappings[RESOURCE]);
  const mapped = applyMapping(compiledContacts, record).output;
  mapped.phone ??= storedE164(record.properties.phone, region) ?? storedE164(record.properties.mobilephone, region) ?? fallbackPhone;
  const contact = Contact.safeParse(mapped);
  if (!contact.success) throw new ActionError('provider_error', `HubSpot's contact ${record.id} has neither a usable email nor phone.`);
  return { contact: contact.data, resource: RESOURCE, raw: record };
}

/** The create answer, written through in the listing's shape. */
function createResult(record: HubspotObject, created: boolean, region: string, fallbackPhone?: string): ActionResult<ActionOutput<'contacts.create'>> {
  const data = listingShape(record);
  return {
    output: { ...found(record, region, fallbackPhone), created },
    records: [{ resource: RESOURCE, externalId: data.id, data }],
  };
}

/** What an earlier attempt of this create may have made (see the header). */
async function findCreated(client: ProviderClient, wanted: Wanted, region: string): Promise<HubspotObject | undefined> {
  if (wanted.email) return readContact(client, wanted.email, 'email');
  for (const wait of [0, ...RETRY_SEARCH_WAITS_MS]) {
    if (wait) await sleep(wait);
    const [hit] = await searchContacts(client, wanted, region);
    if (hit) return hit;
  }
  return undefined;
}

async function lookup(ctx: ActionContext, input: ActionInput<'contacts.lookup'>): Promise<ActionResult<ActionOutput<'contacts.lookup'>>> {
  const wanted = wantedOf(input);
  const contacts = await searchContacts(ctx.client, wanted, ctx.defaultRegion);
  return { output: { contacts: contacts.map((record) => found(record, ctx.defaultRegion, matchedPhone(record, wanted, ctx.defaultRegion))) } };
}

async function create(ctx: ActionContext, input: ActionInput<'contacts.create'>): Promise<ActionResult<ActionOutput<'contacts.create'>>> {
  const { client, defaultRegion: region } = ctx;
  const wanted = wantedOf(input);
  const matched = (record: HubspotObject) => matchedPhone(record, wanted, region);
  if (ctx.retry) {
    const earlier = await findCreated(client, wanted, region);
    if (earlier) return createResult(earlier, false, region, matched(earlier));
  }
  // The same email is the surest sign of the same person; else the oldest contact with the number.
  const candidates = await searchContacts(client, wanted, region);
  const existing = candidates.find((record) => sameEmail(record, wanted.email)) ?? candidates[0];
  if (existing) return createResult(existing, false, region, matched(existing));

  const properties: Record<string, string> = {};
  if (input.firstName) properties.firstname = input.firstName;
  if (input.lastName) properties.lastname = input.lastName;
  if (input.email) properties.email = input.email;
  if (input.phone) properties.phone = input.phone;
  if (input.company) properties.company = input.company;
  if (input.jobTitle) properties.jobtitle = input.jobTitle;

  let id: string;
  let created = true;
  try {
    const { body } = await client.request(CONTACTS, { method: 'POST', json: { properties } });
    id = createAnswer.parse(body).id;
  } catch (error) {
    if (error instanceof ProviderHttpError && error.status === 403 && /scope/i.test(error.providerMessage)) {
      // Connections made before creates existed were granted read scopes only.
      throw new ActionError('provider_error', 'HubSpot refused to create the contact: this connection lacks the crm.objects.contacts.write scope. Reconnect it to grant it.');
    }
    const existingId = error instanceof ProviderHttpError && error.status === 409 ? /Existing ID:\s*(\d+)/.exec(error.providerMessage)?.[1] : undefined;
    if (!existingId) throw error;
    id = existingId;
    created = false;
  }
  const record = await readContact(client, id);
  if (!record) throw new ActionError('provider_error', `HubSpot did not return the contact ${id} it reported.`);
  return createResult(record, created, region, matched(record));
}

export const hubspotActions: ProviderActions = {
  'contacts.lookup': lookup,
  'contacts.create': create,
};
