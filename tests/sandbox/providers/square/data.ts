// Square Customers (list, and search on updated_at/created_at and exact or fuzzy email and phone)
// and Bookings (list by start_at window of at most 31 days, by location, customer or team member),
// paged by opaque `cursor`. Deleted customers vanish (Square keeps no
// tombstones); a deleted booking turns CANCELLED_BY_SELLER, which a sync can see.
import { DAY_MS, getDataset, type Dataset, type ResourceSpec } from '../../data';
import { between, company, email, personName, phone, pick, quarterHour, tag } from '../../data-fake';
import { intParam, isoMs, pageGate, parseTimestamp, type FaultReplies } from '../../data-faults';
import { bindingOf, pageFrom, startListing, type ListingParams, type ViewQuery } from '../../data-view';
import { json, readJson, type Reply, type RequestContext, type Route } from '../../http';
import { findAccount } from './accounts';
import { squareAuth, squareError } from './oauth';

const HOST = 'connect.squareup.com';
const MAX_WINDOW_MS = 31 * DAY_MS;

const idTag = (account: string) => tag(`square|${account}`).toUpperCase();
const customersSpec: ResourceSpec = {
  key: 'square.customers',
  provider: 'square',
  resource: 'customers',
  // 26 upper-case characters like Square's; the zero-padded index keeps id order = index order.
  idOf: (index, account) => `${idTag(account).slice(0, 5)}${index.toString(36).toUpperCase().padStart(9, '0')}${tag(`${account}|${index}`).toUpperCase()}SQR0`,
  generate(rng, { index }) {
    const { first, last } = personName(rng);
    return {
      given_name: first,
      family_name: last,
      email_address: email(first, last, index, rng),
      phone_number: phone(rng),
      company_name: company(rng),
      reference_id: `CRM-${String(index).padStart(6, '0')}`,
    };
  },
  update(fields, rng) {
    fields.phone_number = phone(rng);
    fields.note = `Preferences updated (${pick(rng, ['prefers mornings', 'prefers evenings', 'new address', 'allergy noted'])})`;
  },
};

const STATUSES = ['ACCEPTED', 'ACCEPTED', 'ACCEPTED', 'ACCEPTED', 'ACCEPTED', 'ACCEPTED', 'PENDING', 'CANCELLED_BY_CUSTOMER', 'NO_SHOW', 'DECLINED'];
const bookingsSpec: ResourceSpec = {
  key: 'square.bookings',
  provider: 'square',
  resource: 'bookings',
  idOf: (index, account) => `${tag(`square|${account}`).slice(0, 4)}${index.toString(36).padStart(7, '0')}${tag(String(index)).slice(0, 3)}`,
  // Created over the past 90 days, happening up to 90 days later: -90d..+90d from now.
  startAt: (rng, { createdAt }) => quarterHour(createdAt + rng() * 90 * DAY_MS),
  generate(rng, { account, sizeOf }) {
    return {
      status: pick(rng, STATUSES),
      customer_id: customersSpec.idOf(between(rng, 0, Math.max(sizeOf('customers') - 1, 0)), account),
      duration_minutes: pick(rng, [30, 45, 60, 90]),
      service_variation_id: `SV${tag(`service|${between(rng, 1, 6)}`).toUpperCase()}`,
      team_member_id: `TM${tag(`team|${account}|${between(rng, 1, 4)}`).toUpperCase()}`,
      customer_note: pick(rng, ['', '', 'Running 5 minutes late', 'First visit', 'Please use the side entrance']),
    };
  },
  update(fields, rng) {
    fields.duration_minutes = (fields.duration_minutes as number) === 60 ? 90 : 60;
    fields.seller_note = pick(rng, ['Moved to room 2', 'Extended at client request', 'Therapist changed']);
  },
};
export const squareDataSpecs = { customers: customersSpec, bookings: bookingsSpec };

export const invalidRequest = (code: string, detail: string, field?: string) =>
  squareError(400, { category: 'INVALID_REQUEST_ERROR', code, detail, ...(field ? { field } : {}) });
export const faults: FaultReplies = {
  failed: (status) =>
    squareError(status, {
      category: status >= 500 ? 'API_ERROR' : 'INVALID_REQUEST_ERROR',
      code: status === 503 ? 'SERVICE_UNAVAILABLE' : status >= 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST',
      detail: `Forced by the sandbox (HTTP ${status}).`,
    }),
  rateLimited: () => squareError(429, { category: 'RATE_LIMIT_ERROR', code: 'RATE_LIMITED', detail: 'The application has exceeded its rate limit.' }),
};

export function authorize(ctx: RequestContext, scopes: string[]): { ok: true; account: string; scopes: string[] } | { ok: false; reply: Reply } {
  const auth = squareAuth(ctx);
  if (!auth.ok) return auth;
  if (!auth.grant.scopes.some((scope) => scopes.includes(scope))) {
    const detail = `The merchant has not given your application sufficient permissions to do that. The app must have at least one of the following permissions: ${scopes.join(', ')}`;
    return { ok: false, reply: squareError(403, { category: 'AUTHENTICATION_ERROR', code: 'INSUFFICIENT_SCOPES', detail }) };
  }
  return { ok: true, account: auth.grant.accountId, scopes: auth.grant.scopes };
}

function limitOf(raw: unknown, max: number, fallback: number): number | Reply {
  if (raw === undefined || raw === null || raw === '') return fallback;
  const limit = typeof raw === 'number' ? raw : intParam(String(raw), -Infinity, Infinity);
  if (typeof limit !== 'number' || !Number.isInteger(limit)) return invalidRequest('INVALID_VALUE', 'limit must be an integer.', 'limit');
  if (limit < 1) return invalidRequest('VALUE_TOO_LOW', `limit must be at least 1 (got ${limit}).`, 'limit');
  if (limit > max) return invalidRequest('VALUE_TOO_HIGH', `limit must be at most ${max} (got ${limit}).`, 'limit');
  return limit;
}

/** A customer as the Customers API renders it (webhook deliveries carry the same shape). */
export function renderCustomer(dataset: Dataset, index: number) {
  return {
    id: dataset.idOf(index),
    created_at: isoMs(dataset.createdAt[index]),
    updated_at: isoMs(dataset.updatedAt[index]),
    ...dataset.fields(index),
    preferences: { email_unsubscribed: false },
    creation_source: 'THIRD_PARTY',
    version: dataset.version[index] - 1,
  };
}

/** A page of any listing: cursor, fault gate, then the view from the cursor's snapshot. */
function servePage(
  ctx: RequestContext,
  endpoint: string,
  dataset: Dataset,
  token: unknown,
  params: ListingParams,
  limit: number,
  query: (params: ListingParams, snapshot: number) => ViewQuery,
) {
  const binding = bindingOf(endpoint, dataset.account, String(ctx.path));
  const started = startListing(() => ctx.state.data.snapshot(), binding, typeof token === 'string' ? token : undefined, params);
  if (!started.ok) return { reply: invalidRequest('INVALID_CURSOR', 'The cursor is invalid or belongs to another request.', 'cursor') };
  const refused = pageGate(ctx.state, endpoint, started.cursor.page, faults);
  if (refused) return { reply: refused };
  return { page: pageFrom(dataset, query(started.cursor.params, started.cursor.snapshot), started.cursor, limit, binding) };
}

const customerQuery = (params: ListingParams, snapshot: number): ViewQuery => {
  const { updatedFrom, updatedTo } = params as Record<string, number | undefined>;
  return {
    order: 'id',
    snapshot,
    include: 'live',
    ...(updatedFrom !== undefined ? { min: { value: updatedFrom, inclusive: true } } : {}),
    ...(updatedTo !== undefined ? { max: updatedTo } : {}),
  };
};

function customersReply(dataset: Dataset, result: ReturnType<typeof servePage>): Reply {
  if (result.reply) return result.reply;
  const { indices, nextToken } = result.page;
  return json(200, { ...(indices.length ? { customers: indices.map((i) => renderCustomer(dataset, i)) } : {}), ...(nextToken ? { cursor: nextToken } : {}) });
}

const listCustomers: Route = {
  method: 'GET',
  hosts: [HOST],
  path: '/v2/customers',
  handle(ctx) {
    const auth = authorize(ctx, ['CUSTOMERS_READ', 'CUSTOMERS_WRITE']);
    if (!auth.ok) return auth.reply;
    const limit = limitOf(ctx.query.get('limit'), 100, 100);
    if (typeof limit !== 'number') return limit;
    // DEFAULT is Square's name order; the sandbox serves both sort fields in creation order.
    if (!['DEFAULT', 'CREATED_AT', null].includes(ctx.query.get('sort_field'))) return invalidRequest('INVALID_ENUM_VALUE', 'Invalid sort_field.', 'sort_field');
    if (ctx.query.get('sort_order') === 'DESC') return invalidRequest('BAD_REQUEST', 'The sandbox lists customers in ascending order only.', 'sort_order');
    const dataset = getDataset(ctx.state, customersSpec, auth.account);
    return customersReply(dataset, servePage(ctx, 'square.customers', dataset, ctx.query.get('cursor'), {}, limit, customerQuery));
  },
};

const SEARCH_FILTERS = new Set(['updated_at', 'created_at', 'email_address', 'phone_number']);

/** A CustomerTextFilter: exact or fuzzy, never both (developer.squareup.com/reference/square/objects/CustomerTextFilter). */
function textFilter(filter: { exact?: unknown; fuzzy?: unknown }, field: string): { ok: true; kind: 'Exact' | 'Fuzzy'; value: string } | { ok: false; reply: Reply } {
  const { exact, fuzzy } = filter;
  if (exact !== undefined && fuzzy !== undefined) return { ok: false, reply: invalidRequest('BAD_REQUEST', `${field} can be exact or fuzzy, but not both.`, field) };
  const value = exact ?? fuzzy;
  if (typeof value !== 'string' || !value.trim()) return { ok: false, reply: invalidRequest('INVALID_VALUE', `${field} needs an exact or a fuzzy string.`, field) };
  return { ok: true, kind: exact !== undefined ? 'Exact' : 'Fuzzy', value };
}

/**
 * A stored number in E.164 as Square compares them ("stored customer phone numbers are converted to
 * the standard E.164 form"): the sandbox's sellers are in GB, so a national 0 means +44.
 */
function e164(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (phone.trim().startsWith('+')) return `+${digits}`;
  if (digits.startsWith('00')) return `+${digits.slice(2)}`;
  if (digits.startsWith('0')) return `+44${digits.slice(1)}`;
  return `+${digits}`;
}

/** Square's fuzzy match: every token of the query occurs in the tokenized value, in any order. */
function fuzzyMatch(value: string, query: string): boolean {
  const haystack = value.toLowerCase().replace(/[^a-z0-9]+/g, ' ');
  return query
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .every((token) => haystack.includes(token));
}

const searchCustomers: Route = {
  method: 'POST',
  hosts: [HOST],
  path: '/v2/customers/search',
  handle(ctx) {
    const auth = authorize(ctx, ['CUSTOMERS_READ', 'CUSTOMERS_WRITE']);
    if (!auth.ok) return auth.reply;
    const body = readJson(ctx);
    if (!body.ok) return invalidRequest('BAD_REQUEST', body.reason);
    const limit = limitOf(body.value.limit, 100, 100);
    if (typeof limit !== 'number') return limit;
    const query = (body.value.query ?? {}) as {
      filter?: Record<string, { start_at?: string; end_at?: string; exact?: unknown; fuzzy?: unknown }>;
      sort?: { field?: string; order?: string };
    };
    if (query.sort?.order === 'DESC') return invalidRequest('BAD_REQUEST', 'The sandbox sorts ascending only.', 'query.sort.order');
    const params: ListingParams = {};
    for (const [filter, name] of [['updated_at', 'updated'], ['created_at', 'created']] as const) {
      for (const [bound, suffix] of [['start_at', 'From'], ['end_at', 'To']] as const) {
        const raw = query.filter?.[filter]?.[bound];
        if (raw === undefined) continue;
        const ms = typeof raw === 'string' ? parseTimestamp(raw) : undefined;
        if (ms === undefined) return invalidRequest('INVALID_TIME', `Invalid ${filter}.${bound}: ${String(raw)}`, `query.filter.${filter}.${bound}`);
        params[`${name}${suffix}`] = ms;
      }
    }
    const unknown = Object.keys(query.filter ?? {}).find((name) => !SEARCH_FILTERS.has(name));
    if (unknown) return invalidRequest('BAD_REQUEST', `The sandbox filters customers on ${[...SEARCH_FILTERS].join(', ')} only (got ${unknown}).`);
    for (const [filter, name] of [['email_address', 'email'], ['phone_number', 'phone']] as const) {
      const text = query.filter?.[filter];
      if (text === undefined) continue;
      const read = textFilter(text, `query.filter.${filter}`);
      if (!read.ok) return read.reply;
      if (filter === 'phone_number' && read.kind === 'Exact' && !/^\+[\d\s().-]{6,30}$/.test(read.value)) {
        // Square: "The number in the query must be of an E.164-compliant form" (CustomerFilter.phone_number).
        return invalidRequest('INVALID_VALUE', `query.filter.phone_number.exact must be an E.164 phone number (got ${read.value}).`, 'query.filter.phone_number.exact');
      }
      params[`${name}${read.kind}`] = read.value;
    }
    const dataset = getDataset(ctx.state, customersSpec, auth.account);
    const withCreated = (p: ListingParams, snapshot: number): ViewQuery => {
      const { createdFrom, createdTo, emailExact, emailFuzzy, phoneExact, phoneFuzzy } = p as Record<string, number | string | undefined>;
      const where = (i: number) => {
        if (createdFrom !== undefined && dataset.createdAt[i] < (createdFrom as number)) return false;
        if (createdTo !== undefined && dataset.createdAt[i] > (createdTo as number)) return false;
        if (emailExact === undefined && emailFuzzy === undefined && phoneExact === undefined && phoneFuzzy === undefined) return true;
        const fields = dataset.fields(i);
        const email = typeof fields.email_address === 'string' ? fields.email_address : '';
        const phone = typeof fields.phone_number === 'string' ? fields.phone_number : '';
        if (emailExact !== undefined && email.trim().toLowerCase() !== String(emailExact).trim().toLowerCase()) return false;
        if (emailFuzzy !== undefined && !fuzzyMatch(email, String(emailFuzzy))) return false;
        if (phoneExact !== undefined && (phone === '' || e164(phone) !== e164(String(phoneExact)))) return false;
        if (phoneFuzzy !== undefined && !fuzzyMatch(phone, String(phoneFuzzy))) return false;
        return true;
      };
      return { ...customerQuery(p, snapshot), where };
    };
    return customersReply(dataset, servePage(ctx, 'square.customers', dataset, body.value.cursor, params, limit, withCreated));
  },
};

/**
 * A booking as the Bookings API renders it, in listings, retrievals and write answers alike (so a
 * record an action writes through hashes as the next listing's). Bookings written through the API
 * (writes.ts) carry their service version and source in their fields.
 */
export function renderBooking(dataset: Dataset, i: number) {
  const { status, duration_minutes, service_variation_id, team_member_id, service_variation_version, source, ...rest } = dataset.fields(i);
  return {
    id: dataset.idOf(i),
    version: dataset.version[i] - 1,
    status: dataset.isDeleted(i) ? 'CANCELLED_BY_SELLER' : status,
    created_at: isoMs(dataset.createdAt[i]),
    updated_at: isoMs(dataset.updatedAt[i]),
    start_at: isoMs(dataset.startAt[i]).replace('.000Z', 'Z'),
    location_id: findAccount(dataset.account)?.mainLocationId,
    ...rest,
    appointment_segments: [{ duration_minutes, service_variation_id, team_member_id, service_variation_version: service_variation_version ?? 1 }],
    source: source ?? 'FIRST_PARTY_MERCHANT',
  };
}

const listBookings: Route = {
  method: 'GET',
  hosts: [HOST],
  path: '/v2/bookings',
  handle(ctx) {
    const auth = authorize(ctx, ['APPOINTMENTS_READ', 'APPOINTMENTS_ALL_READ']);
    if (!auth.ok) return auth.reply;
    const limit = limitOf(ctx.query.get('limit'), 10_000, 100);
    if (typeof limit !== 'number') return limit;
    const times: Record<string, number | undefined> = {};
    for (const name of ['start_at_min', 'start_at_max']) {
      const raw = ctx.query.get(name);
      times[name] = raw === null ? undefined : parseTimestamp(raw);
      if (raw !== null && times[name] === undefined) return invalidRequest('INVALID_TIME', `Invalid ${name}: ${raw}`, name);
    }
    const min = times.start_at_min ?? Date.now();
    const max = times.start_at_max ?? min + MAX_WINDOW_MS;
    if (max < min) return invalidRequest('BAD_REQUEST', 'start_at_max must not be before start_at_min.', 'start_at_max');
    if (max - min > MAX_WINDOW_MS) return invalidRequest('BAD_REQUEST', 'The time range between start_at_min and start_at_max must not exceed 31 days.', 'start_at_max');
    const location = ctx.query.get('location_id');
    const customer = ctx.query.get('customer_id');
    const teamMember = ctx.query.get('team_member_id');
    const merchant = findAccount(auth.account);
    const dataset = getDataset(ctx.state, bookingsSpec, auth.account);
    const params: ListingParams = { min, max, location, customer, teamMember };
    const query = (p: ListingParams, snapshot: number): ViewQuery => ({
      order: 'id',
      snapshot,
      include: 'all',
      where: (i) =>
        // The window is [start_at_min, start_at_max): consecutive windows never list a booking twice.
        dataset.startAt[i] >= (p.min as number) &&
        dataset.startAt[i] < (p.max as number) &&
        (p.location === null || p.location === merchant?.mainLocationId) &&
        (p.customer === null || dataset.fields(i).customer_id === p.customer) &&
        (p.teamMember === undefined || p.teamMember === null || dataset.fields(i).team_member_id === p.teamMember),
    });
    const result = servePage(ctx, 'square.bookings', dataset, ctx.query.get('cursor'), params, limit, query);
    if (result.reply) return result.reply;
    const { indices, nextToken } = result.page;
    return json(200, { bookings: indices.map((i) => renderBooking(dataset, i)), ...(nextToken ? { cursor: nextToken } : {}), errors: [] });
  },
};

export const squareDataRoutes: Route[] = [listCustomers, searchCustomers, listBookings];
