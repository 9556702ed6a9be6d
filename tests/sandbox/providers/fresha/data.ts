// Fresha partner API v2 (unverified; this follows the product spec's contract): clients and
// appointments as JSON:API documents, paged by page[size] and the opaque page[after]. With
// updated_since the listing is in modification order and includes deleted records (deleted_at
// set); without it, deleted records are omitted. Clients can also be looked up by
// filter[email] / filter[phone] (unpaged). Appointments name their service and staff member by id
// as well as by name (service_id, staff_id), which the booking endpoints (writes.ts) take.
import { DAY_MS, getDataset, type Dataset, type ResourceSpec } from '../../data';
import { amount, between, email, personName, phone, pick, quarterHour, tag } from '../../data-fake';
import { intParam, isoMs, pageGate, parseTimestamp, type FaultReplies } from '../../data-faults';
import { bindingOf, pageFrom, startListing, type ViewQuery } from '../../data-view';
import { json, type Reply, type RequestContext, type Route } from '../../http';
import { authenticate } from '../../oauth';

const HOST = 'api.fresha.com';
type Resource = 'clients' | 'appointments';

/** UUID-shaped ids whose last group is the index, so they sort in index order. */
const uuidFor = (resource: Resource) => (index: number, account: string) =>
  `${tag(`fresha|${resource}|${account}`)}-0000-4000-8000-${index.toString(16).padStart(12, '0')}`;

const clientsSpec: ResourceSpec = {
  key: 'fresha.clients',
  provider: 'fresha',
  resource: 'clients',
  idOf: uuidFor('clients'),
  generate(rng, { index }) {
    const { first, last } = personName(rng);
    return { first_name: first, last_name: last, email: email(first, last, index, rng), phone: phone(rng) };
  },
  update(fields, rng) {
    fields.phone = phone(rng);
    fields.notes = pick(rng, ['Prefers afternoon slots', 'Sensitive skin', 'Regular: every 4 weeks', 'New phone number']);
  },
};

const SERVICES: [string, number, number][] = [
  ['Haircut', 45, 38], ['Colour & cut', 120, 95], ['Blow dry', 30, 25], ['Manicure', 45, 30], ['Deep tissue massage', 60, 65], ['Facial', 60, 55],
];
const STAFF = ['Alex', 'Sam', 'Jordan', 'Priya', 'Chen', 'Maria'];
const STATUSES = ['booked', 'confirmed', 'arrived', 'completed', 'cancelled', 'no_show'];

const slug = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
/** The business's services and team, with the ids the booking endpoints take (writes.ts). */
export const FRESHA_SERVICES = SERVICES.map(([name, minutes, price]) => ({ id: `svc-${slug(name)}`, name, minutes, price }));
export const FRESHA_STAFF = STAFF.map((name) => ({ id: `staff-${slug(name)}`, name }));
const serviceIdOf = (name: string) => `svc-${slug(name)}`;
const staffIdOf = (name: string) => `staff-${slug(name)}`;

const appointmentsSpec: ResourceSpec = {
  key: 'fresha.appointments',
  provider: 'fresha',
  resource: 'appointments',
  idOf: uuidFor('appointments'),
  startAt: (rng, { createdAt }) => quarterHour(createdAt + rng() * 90 * DAY_MS),
  generate(rng, { account, sizeOf }) {
    const [service, minutes, price] = pick(rng, SERVICES);
    const staff = pick(rng, STAFF);
    return {
      client_id: clientsSpec.idOf(between(rng, 0, Math.max(sizeOf('clients') - 1, 0)), account),
      service_name: service,
      staff_name: staff,
      minutes,
      status: pick(rng, ['booked', 'confirmed', 'confirmed', 'completed', 'completed', 'completed', 'cancelled', 'no_show']),
      price: { amount: amount(rng, price, price * 1.2).toFixed(2), currency: 'GBP' },
      service_id: serviceIdOf(service),
      staff_id: staffIdOf(staff),
    };
  },
  update(fields) {
    fields.status = STATUSES[(STATUSES.indexOf(fields.status as string) + 1) % STATUSES.length];
  },
};
export const freshaDataSpecs = { clients: clientsSpec, appointments: appointmentsSpec };
const SPECS: Record<Resource, ResourceSpec> = freshaDataSpecs;

export const error = (status: number, code: string, title: string, extra: Record<string, unknown> = {}) =>
  json(status, { errors: [{ status: String(status), code, title, ...extra }] });
export const faults: FaultReplies = {
  failed: (status) => error(status, status >= 500 ? 'internal_error' : 'bad_request', `Forced by the sandbox (HTTP ${status}).`),
  rateLimited: () => error(429, 'rate_limited', 'Too many requests'),
};

export function authorize(ctx: RequestContext, resource: Resource, access: 'read' | 'write' = 'read'): { ok: true; account: string } | { ok: false; reply: Reply } {
  const auth = authenticate(ctx, 'fresha');
  if (!auth.ok) {
    const reply = error(401, 'unauthorized', auth.reason === 'missing' ? 'Missing bearer token' : `The access token is ${auth.reason}`);
    return { ok: false, reply: { ...reply, headers: { ...reply.headers, 'www-authenticate': 'Bearer error="invalid_token"' } } };
  }
  if (!auth.grant.scopes.includes(`${resource}:${access}`)) return { ok: false, reply: error(403, 'insufficient_scope', `The ${resource}:${access} scope is required`) };
  return { ok: true, account: auth.grant.accountId };
}

/** A record as the API shows it, in listings and in the answers of writes alike. */
export function renderItem(dataset: Dataset, resource: Resource, index: number) {
  return { id: dataset.idOf(index), type: resource === 'clients' ? 'client' : 'appointment', attributes: attributes(dataset, resource, index) };
}

const digits = (value: unknown) => (typeof value === 'string' ? value.replace(/\D/g, '') : '');

/**
 * GET /v2/clients?filter[email]=…|filter[phone]=…: live clients whose email is this one (any case)
 * or whose phone has these digits, unpaged (a lookup, not a listing).
 */
function searchClients(ctx: RequestContext, account: string): Reply {
  const emailFilter = ctx.query.get('filter[email]')?.trim().toLowerCase();
  const phoneFilter = digits(ctx.query.get('filter[phone]'));
  if (!emailFilter && !phoneFilter) return error(400, 'invalid_parameter', 'filter[email] or filter[phone] must not be empty', { source: { parameter: 'filter' } });
  const dataset = getDataset(ctx.state, SPECS.clients, account);
  const data = [];
  for (let index = 0; index < dataset.count; index++) {
    if (dataset.isDeleted(index)) continue;
    const fields = dataset.fields(index);
    const byEmail = emailFilter && String(fields.email ?? '').toLowerCase() === emailFilter;
    const byPhone = phoneFilter && digits(fields.phone) === phoneFilter;
    if (byEmail || byPhone) data.push(renderItem(dataset, 'clients', index));
  }
  return json(200, { data, meta: { page_size: data.length } });
}

function attributes(dataset: Dataset, resource: Resource, index: number) {
  const fields = dataset.fields(index);
  const stamps = {
    created_at: isoMs(dataset.createdAt[index]),
    updated_at: isoMs(dataset.updatedAt[index]),
    deleted_at: dataset.isDeleted(index) ? isoMs(dataset.deletedAt[index]) : null,
  };
  if (resource === 'clients') return { ...fields, ...stamps };
  const { minutes, ...rest } = fields;
  const startsAt = dataset.startAt[index];
  return { ...rest, starts_at: isoMs(startsAt), ends_at: isoMs(startsAt + (minutes as number) * 60_000), ...stamps };
}

function listRoute(resource: Resource): Route {
  const endpoint = SPECS[resource].key;
  return {
    method: 'GET',
    hosts: [HOST],
    path: `/v2/${resource}`,
    handle(ctx) {
      const auth = authorize(ctx, resource);
      if (!auth.ok) return auth.reply;
      if (resource === 'clients' && (ctx.query.has('filter[email]') || ctx.query.has('filter[phone]'))) return searchClients(ctx, auth.account);
      const size = intParam(ctx.query.get('page[size]'), 1, 100);
      if (size === null) return error(400, 'invalid_parameter', 'page[size] must be an integer from 1 to 100', { source: { parameter: 'page[size]' } });
      const rawSince = ctx.query.get('updated_since');
      const since = rawSince === null ? null : parseTimestamp(rawSince);
      if (since === undefined) return error(400, 'invalid_parameter', 'updated_since must be an ISO 8601 timestamp', { source: { parameter: 'updated_since' } });

      const binding = bindingOf(endpoint, auth.account);
      const started = startListing(() => ctx.state.data.snapshot(), binding, ctx.query.get('page[after]'), { since });
      if (!started.ok) return error(400, 'invalid_parameter', 'page[after] is not a cursor from this listing', { source: { parameter: 'page[after]' } });
      const { cursor } = started;
      const refused = pageGate(ctx.state, endpoint, cursor.page, faults);
      if (refused) return refused;

      const dataset = getDataset(ctx.state, SPECS[resource], auth.account);
      const updatedSince = cursor.params.since;
      const query: ViewQuery =
        typeof updatedSince === 'number'
          ? { order: 'modified', snapshot: cursor.snapshot, include: 'all', min: { value: updatedSince, inclusive: true } }
          : { order: 'id', snapshot: cursor.snapshot, include: 'live' };
      const page = pageFrom(dataset, query, cursor, size ?? 50, binding);
      const self = new URL(`https://${HOST}/v2/${resource}?${ctx.rawQuery}`);
      const next = new URL(self);
      if (page.nextToken) next.searchParams.set('page[after]', page.nextToken);
      return json(200, {
        data: page.indices.map((index) => renderItem(dataset, resource, index)),
        meta: { ...(page.nextToken ? { next_cursor: page.nextToken } : {}), page_size: size ?? 50 },
        links: { self: self.toString(), ...(page.nextToken ? { next: next.toString() } : {}) },
      });
    },
  };
}

export const freshaDataRoutes: Route[] = [listRoute('clients'), listRoute('appointments')];
