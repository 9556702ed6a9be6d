// HubSpot CRM v3 objects (contacts, deals): the list API paged by an opaque `after`, its
// archived=true listing of deleted records, and the search API, which pages by numeric offset and
// refuses to go past 10,000 results. Property values are strings, as HubSpot sends them. The search
// filters on dates and ids, and on contacts' text properties (EQ, NEQ, IN: exact, ignoring case),
// including the calculated hs_searchable_calculated_phone_number / _mobile_number (the number
// without its country code). New records reach the search only after the searchLagMs knob.
import crypto from 'node:crypto';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { z } from 'zod';
import { getDataset, type Dataset, type ResourceSpec } from '../../data';
import { amount, between, company, email, jobTitle, personName, phone, pick } from '../../data-fake';
import { intParam, isoMs, pageGate, parseTimestamp, type FaultReplies } from '../../data-faults';
import { bindingOf, collect, pageFrom, startListing, type ViewQuery } from '../../data-view';
import { json, readJson, type Reply, type RequestContext, type Route } from '../../http';
import { authenticate } from '../../oauth';
import type { SandboxState } from '../../state';

export const HOST = 'api.hubapi.com';
const SEARCH_CAP = 10_000;
const LIFECYCLE = ['subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer', 'evangelist'];
const DEAL_STAGES = ['appointmentscheduled', 'qualifiedtobuy', 'presentationscheduled', 'decisionmakerboughtin', 'contractsent', 'closedwon', 'closedlost'];
const next = (list: string[], value: unknown) => list[(list.indexOf(String(value)) + 1) % list.length];

export type ObjectType = 'contacts' | 'deals';

const contactsSpec: ResourceSpec = {
  key: 'hubspot.contacts',
  provider: 'hubspot',
  resource: 'contacts',
  idOf: (index) => String(1_000_000_001 + index),
  generate(rng, { index }) {
    const { first, last } = personName(rng);
    return {
      firstname: first,
      lastname: last,
      email: email(first, last, index, rng),
      phone: phone(rng),
      company: company(rng),
      jobtitle: jobTitle(rng),
      lifecyclestage: pick(rng, LIFECYCLE),
    };
  },
  update(fields, rng) {
    fields.lifecyclestage = next(LIFECYCLE, fields.lifecyclestage);
    fields.phone = phone(rng);
  },
};

const dealsSpec: ResourceSpec = {
  key: 'hubspot.deals',
  provider: 'hubspot',
  resource: 'deals',
  idOf: (index) => String(2_000_000_001 + index),
  generate(rng, { createdAt }) {
    return {
      dealname: `${company(rng)} – ${pick(rng, ['annual plan', 'pilot', 'renewal', 'expansion', 'onboarding'])}`,
      amount: String(amount(rng, 500, 90_000)),
      dealstage: pick(rng, DEAL_STAGES),
      pipeline: 'default',
      closedate: isoMs(createdAt + between(rng, 14, 120) * 86_400_000),
    };
  },
  update(fields, rng) {
    fields.dealstage = next(DEAL_STAGES, fields.dealstage);
    fields.amount = String(amount(rng, 500, 90_000));
  },
};

export const hubspotDataSpecs = { contacts: contactsSpec, deals: dealsSpec };

/** Properties a request may name and a create may set; anything else is ignored on reads, as HubSpot ignores unknown names. */
export const KNOWN: Record<ObjectType, string[]> = {
  contacts: ['firstname', 'lastname', 'email', 'phone', 'mobilephone', 'company', 'jobtitle', 'lifecyclestage'],
  deals: ['dealname', 'amount', 'dealstage', 'pipeline', 'closedate'],
};
/** HubSpot's calculated phone properties: the number without its country code, digits only. */
const SEARCHABLE_PHONES: Record<string, string> = {
  hs_searchable_calculated_phone_number: 'phone',
  hs_searchable_calculated_mobile_number: 'mobilephone',
};
const DEFAULTS: Record<ObjectType, string[]> = { contacts: ['firstname', 'lastname', 'email'], deals: KNOWN.deals };
const MODIFIED: Record<ObjectType, string> = { contacts: 'lastmodifieddate', deals: 'hs_lastmodifieddate' };

export const hubspotError = (status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  json(status, { status: 'error', ...body, correlationId: crypto.randomUUID() }, headers);
export const validation = (message: string) => hubspotError(400, { message, category: 'VALIDATION_ERROR' });

/**
 * How long a new record takes to reach the search (HubSpot: "seconds"): the searchLagMs knob for
 * hubspot, default 0. Read loosely: the knob is not (yet) in the shared knob schema, so tests set it
 * on the live knobs object.
 */
export function searchLagMs(state: SandboxState): number {
  const lag = state.knobs.searchLagMs?.hubspot;
  return typeof lag === 'number' && lag > 0 ? lag : 0;
}

/** What HubSpot calculates as hs_searchable_calculated_*: the national number, or the digits without leading zeros. */
export function searchablePhone(value: unknown): string | null {
  if (typeof value !== 'string' || !value.trim()) return null;
  const parsed = /^\s*\+/.test(value) ? parsePhoneNumberFromString(value) : undefined;
  return parsed?.nationalNumber ?? (value.replace(/\D/g, '').replace(/^0+/, '') || null);
}

export const faults: FaultReplies = {
  failed: (status) =>
    hubspotError(status, { message: `Forced by the sandbox (HTTP ${status}).`, category: status >= 500 ? 'INTERNAL_ERROR' : 'VALIDATION_ERROR' }),
  rateLimited: () =>
    hubspotError(
      429,
      { message: 'You have reached your secondly limit.', errorType: 'RATE_LIMIT', policyName: 'SECONDLY' },
      { 'x-hubspot-ratelimit-interval-milliseconds': '1000', 'x-hubspot-ratelimit-max': '10', 'x-hubspot-ratelimit-remaining': '0' },
    ),
};

/** Reads need the object's read or write scope; writes its write scope. */
export function authorize(ctx: RequestContext, type: ObjectType, access: 'read' | 'write' = 'read'): { ok: true; account: string } | { ok: false; reply: Reply } {
  const auth = authenticate(ctx, 'hubspot');
  if (!auth.ok && auth.reason === 'expired') {
    return { ok: false, reply: hubspotError(401, { message: 'The OAuth token used to make this call expired.', category: 'EXPIRED_AUTHENTICATION' }) };
  }
  if (!auth.ok) {
    const message = 'Authentication credentials not found. This API supports OAuth 2.0 authentication.';
    return { ok: false, reply: hubspotError(401, { message, category: 'INVALID_AUTHENTICATION' }) };
  }
  const needed = access === 'write' ? [`crm.objects.${type}.write`] : [`crm.objects.${type}.read`, `crm.objects.${type}.write`];
  if (!auth.grant.scopes.some((scope) => needed.includes(scope))) {
    const message = "This app hasn't been granted all required scopes to make this call.";
    return { ok: false, reply: hubspotError(403, { message, category: 'MISSING_SCOPES', errors: [{ context: { requiredGranularScopes: [needed[0]] } }] }) };
  }
  return { ok: true, account: auth.grant.accountId };
}

export function render(dataset: Dataset, type: ObjectType, index: number, properties: string[]) {
  const id = dataset.idOf(index);
  const fields = dataset.fields(index);
  const created = isoMs(dataset.createdAt[index]);
  const updated = isoMs(dataset.updatedAt[index]);
  const values: Record<string, string | null> = {};
  for (const name of properties) {
    if (KNOWN[type].includes(name)) values[name] = (fields[name] as string | undefined) ?? null;
    else if (type === 'contacts' && name in SEARCHABLE_PHONES) values[name] = searchablePhone(fields[SEARCHABLE_PHONES[name]]);
  }
  const archived = dataset.isDeleted(index);
  return {
    id,
    properties: { ...values, createdate: created, [MODIFIED[type]]: updated, hs_object_id: id },
    createdAt: created,
    updatedAt: updated,
    archived,
    ...(archived ? { archivedAt: isoMs(dataset.deletedAt[index]) } : {}),
  };
}

function listRoute(type: ObjectType): Route {
  const endpoint = `hubspot.${type}`;
  return {
    method: 'GET',
    hosts: [HOST],
    path: `/crm/v3/objects/${type}`,
    handle(ctx) {
      const auth = authorize(ctx, type);
      if (!auth.ok) return auth.reply;
      const limit = intParam(ctx.query.get('limit'), 1, 100);
      if (limit === null) return validation('limit must be an integer between 1 and 100.');
      const archived = ctx.query.get('archived') === 'true';
      const binding = bindingOf(endpoint, auth.account, String(archived));
      const dataset = getDataset(ctx.state, hubspotDataSpecs[type], auth.account);
      const started = startListing(() => ctx.state.data.snapshot(), binding, ctx.query.get('after'), {});
      if (!started.ok) return validation('The after cursor is invalid.');
      const { cursor } = started;
      const refused = pageGate(ctx.state, endpoint, cursor.page, faults);
      if (refused) return refused;
      const requested = ctx.query.getAll('properties').flatMap((value) => value.split(',')).filter(Boolean);
      const properties = requested.length > 0 ? requested : DEFAULTS[type];
      const query: ViewQuery = { order: 'id', snapshot: cursor.snapshot, include: archived ? 'deleted' : 'live' };
      const page = pageFrom(dataset, query, cursor, limit ?? 10, binding);
      const link = new URL(`https://${HOST}/crm/v3/objects/${type}`);
      if (page.nextToken) {
        for (const [name, value] of ctx.query) if (name !== 'after') link.searchParams.append(name, value);
        link.searchParams.set('after', page.nextToken);
      }
      return json(200, {
        results: page.indices.map((index) => render(dataset, type, index, properties)),
        ...(page.nextToken ? { paging: { next: { after: page.nextToken, link: link.toString() } } } : {}),
      });
    },
  };
}

const filterSchema = z.object({
  propertyName: z.string(),
  operator: z.string(),
  value: z.union([z.string(), z.number()]).optional(),
  values: z.array(z.union([z.string(), z.number()])).max(100).optional(),
});
const searchSchema = z.object({
  filterGroups: z.array(z.object({ filters: z.array(filterSchema).max(6) })).max(5).default([]),
  sorts: z.array(z.union([z.string(), z.object({ propertyName: z.string(), direction: z.enum(['ASCENDING', 'DESCENDING']).default('ASCENDING') })])).max(1).default([]),
  properties: z.array(z.string()).default([]),
  limit: z.number().int().min(1).max(200).default(10),
  after: z.union([z.string().regex(/^\d+$/), z.number().int().min(0)]).optional(),
});
type Filter = z.infer<typeof filterSchema>;
const COMPARE: Record<string, (a: number, b: number) => boolean> = {
  EQ: (a, b) => a === b,
  NEQ: (a, b) => a !== b,
  GT: (a, b) => a > b,
  GTE: (a, b) => a >= b,
  LT: (a, b) => a < b,
  LTE: (a, b) => a <= b,
};

const TEXT_OPERATORS = ['EQ', 'NEQ', 'IN'];
const fold = (value: unknown) => (typeof value === 'string' ? value.trim().toLowerCase() : value === null || value === undefined ? null : String(value));

/** A filter on a text property (EQ, NEQ, IN: exact, ignoring case, as HubSpot compares strings), or an error message. */
function compileTextFilter(dataset: Dataset, filter: Filter): ((index: number) => boolean) | string {
  const name = filter.propertyName;
  if (!TEXT_OPERATORS.includes(filter.operator)) return `The sandbox filters ${name} with ${TEXT_OPERATORS.join(', ')} only (got ${filter.operator}).`;
  const read = (index: number) =>
    name in SEARCHABLE_PHONES ? searchablePhone(dataset.fields(index)[SEARCHABLE_PHONES[name]]) : fold(dataset.fields(index)[name]);
  if (filter.operator === 'IN') {
    if (!filter.values || filter.values.length === 0) return `The IN operator needs a values list (filter on ${name}).`;
    const wanted = new Set(filter.values.map(fold));
    return (index) => wanted.has(fold(read(index)));
  }
  if (filter.value === undefined) return `The ${filter.operator} operator needs a value (filter on ${name}).`;
  const wanted = fold(filter.value);
  return filter.operator === 'EQ' ? (index) => fold(read(index)) === wanted : (index) => fold(read(index)) !== wanted;
}

/** A filter as a predicate on one record, or an error message. */
function compileFilter(dataset: Dataset, type: ObjectType, filter: Filter): ((index: number) => boolean) | string {
  if (type === 'contacts' && (KNOWN.contacts.includes(filter.propertyName) || filter.propertyName in SEARCHABLE_PHONES)) return compileTextFilter(dataset, filter);
  const compare = COMPARE[filter.operator];
  if (!compare) return `The sandbox supports the operators ${Object.keys(COMPARE).join(', ')} (got ${filter.operator}).`;
  const raw = String(filter.value ?? '');
  const name = filter.propertyName;
  const numeric = /^\d+$/.test(raw) ? Number(raw) : parseTimestamp(raw);
  if (numeric === undefined) return `${raw} is not a valid value for ${name}.`;
  if (name === 'hs_object_id') return (index) => compare(Number(dataset.idOf(index)), numeric);
  if (name === 'createdate') return (index) => compare(dataset.createdAt[index], numeric);
  if (name === MODIFIED[type] || name === 'lastmodifieddate' || name === 'hs_lastmodifieddate') {
    return (index) => compare(dataset.updatedAt[index], numeric);
  }
  return `The sandbox can filter ${type} on hs_object_id, createdate and ${MODIFIED[type]}${type === 'contacts' ? ', the contact properties and the calculated searchable phones' : ''} only (got ${name}).`;
}

interface Search {
  total: number;
  indices: Int32Array;
}

function searchRoute(type: ObjectType): Route {
  const endpoint = `hubspot.${type}`;
  return {
    method: 'POST',
    hosts: [HOST],
    path: `/crm/v3/objects/${type}/search`,
    handle(ctx) {
      const auth = authorize(ctx, type);
      if (!auth.ok) return auth.reply;
      const body = readJson(ctx);
      if (!body.ok) return validation(body.reason);
      const parsed = searchSchema.safeParse(body.value);
      if (!parsed.success) return validation(`Invalid search request: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      const { filterGroups, sorts, properties, limit } = parsed.data;
      const offset = Number(parsed.data.after ?? 0);
      if (offset >= SEARCH_CAP) return validation(`Cannot page past ${SEARCH_CAP} results`);
      const sort = sorts[0] === undefined ? undefined : typeof sorts[0] === 'string' ? { propertyName: sorts[0], direction: 'ASCENDING' } : sorts[0];
      if (sort?.direction === 'DESCENDING') return validation('The sandbox sorts ASCENDING only.');
      const byModified = sort !== undefined && [MODIFIED[type], 'lastmodifieddate', 'hs_lastmodifieddate'].includes(sort.propertyName);
      if (sort && !byModified && !['hs_object_id', 'createdate'].includes(sort.propertyName)) {
        return validation(`The sandbox sorts on hs_object_id, createdate or ${MODIFIED[type]} only.`);
      }

      const dataset = getDataset(ctx.state, hubspotDataSpecs[type], auth.account);
      // HubSpot's search is stateless; the sandbox keeps each search's result set from its first
      // page (keyed by the request minus `after`) so offsets stay stable while data changes.
      const { after: _after, ...shape } = parsed.data;
      const key = `hubspot-search|${auth.account}|${type}|${JSON.stringify(shape)}`;
      let search = offset > 0 ? (ctx.state.data.listings.get(key) as Search | undefined) : undefined;
      if (!search) {
        const groups: ((index: number) => boolean)[][] = [];
        for (const group of filterGroups) {
          const compiled = group.filters.map((filter) => compileFilter(dataset, type, filter));
          const error = compiled.find((c): c is string => typeof c === 'string');
          if (error) return validation(error);
          groups.push(compiled as ((index: number) => boolean)[]);
        }
        // Records created within the search lag are not indexed yet.
        const lag = searchLagMs(ctx.state);
        const indexedBy = Date.now() - lag;
        const matches = groups.length === 0 ? undefined : (index: number) => groups.some((group) => group.every((test) => test(index)));
        const where = lag === 0 ? matches : (index: number) => dataset.createdAt[index] <= indexedBy && (!matches || matches(index));
        const indices = collect(dataset, { order: byModified ? 'modified' : 'id', snapshot: ctx.state.data.snapshot(), include: 'live', where });
        search = { total: indices.length, indices };
        ctx.state.data.remember(key, search);
      }
      const refused = pageGate(ctx.state, endpoint, Math.floor(offset / limit) + 1, faults);
      if (refused) return refused;
      const names = properties.length > 0 ? properties : DEFAULTS[type];
      const results = Array.from(search.indices.subarray(offset, offset + limit), (index) => render(dataset, type, index, names));
      const nextOffset = offset + limit;
      // Search results carry `archived: false` like list results (developers.hubspot.com, CRM search
      // reference response example), so a record reads the same whichever endpoint fetched it.
      return json(200, {
        total: search.total,
        results,
        ...(nextOffset < search.total ? { paging: { next: { after: String(nextOffset) } } } : {}),
      });
    },
  };
}

export const hubspotDataRoutes: Route[] = [listRoute('contacts'), listRoute('deals'), searchRoute('contacts'), searchRoute('deals')];
