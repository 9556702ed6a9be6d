// Calendly API v2 lists: scheduled events (GET /scheduled_events?user=…, filtered by start time,
// status and invitee email — there is no updated-since filter) and each event's invitees
// (GET /scheduled_events/{uuid}/invitees), paged by page_token with
// { collection, pagination: { count, next_page, next_page_token, previous_page, previous_page_token } }.
// A cancelled event or invitee stays listed with status "canceled" (the sandbox's deletion).
import { DAY_MS, getDataset, type Dataset, type Fields, type ResourceSpec } from '../../data';
import { between, email, personName, phone, pick, quarterHour, tag } from '../../data-fake';
import { intParam, isoMs, pageGate, parseTimestamp, type FaultReplies } from '../../data-faults';
import { bindingOf, pageFrom, startListing, type ViewQuery } from '../../data-view';
import { json, type Reply, type RequestContext, type Route } from '../../http';
import { API, API_HOST, EVENT_TYPES, eventTypeUri, findAccount, PROFILE, userUri } from './accounts';
import { apiError, authorize } from './oauth';

const MINUTE_MS = 60_000;
const LOCATIONS = ['Calendly HQ, Atlanta', 'Zoom', 'Google Meet', 'Phone call', 'Room 101'];
const NOTES = ['Agenda shared', 'Bring the contract', 'Follow-up from last week', 'Rescheduled once', 'First meeting'];

/** Calendly uuids are 16 upper-case characters; these sort in index order within an account. */
const uuidFor = (prefix: string) => (index: number, account: string) => `${prefix}${tag(account).slice(0, 4).toUpperCase()}${index.toString(16).padStart(10, '0').toUpperCase()}`;

export const eventsSpec: ResourceSpec = {
  key: 'calendly.scheduled_events',
  provider: 'calendly',
  resource: 'scheduled_events',
  idOf: uuidFor('EV'),
  // Spread from three weeks before creation to six weeks after it.
  startAt: (rng, { createdAt }) => quarterHour(createdAt + (rng() * 63 - 21) * DAY_MS),
  generate(rng) {
    const type = pick(rng, EVENT_TYPES);
    return { type: type.slug, name: type.name, minutes: type.duration, location: pick(rng, LOCATIONS), notes: pick(rng, NOTES), revision: 1 };
  },
  update(fields, rng) {
    fields.location = pick(rng, LOCATIONS);
    fields.revision = (fields.revision as number) + 1;
  },
};

export const inviteesSpec: ResourceSpec = {
  key: 'calendly.invitees',
  provider: 'calendly',
  resource: 'invitees',
  idOf: uuidFor('IN'),
  generate(rng, { index, sizeOf }) {
    const { first, last } = personName(rng);
    return {
      event_index: between(rng, 0, Math.max(sizeOf('scheduled_events') - 1, 0)),
      first_name: first,
      last_name: last,
      email: email(first, last, index, rng),
      phone: rng() < 0.5 ? phone(rng) : null,
      timezone: pick(rng, ['Europe/London', 'America/New_York', 'Europe/Berlin']),
    };
  },
  update(fields, rng) {
    fields.phone = phone(rng);
  },
};

export const calendlySpecs = { scheduled_events: eventsSpec, invitees: inviteesSpec };

export const faults: FaultReplies = {
  failed: (status) => apiError(status, status >= 500 ? 'Internal Server Error' : 'Invalid Argument', `Forced by the sandbox (HTTP ${status}).`),
  // Calendly's 429 also says when the window resets.
  rateLimited: (seconds) => apiError(429, 'Too Many Requests', 'Rate limit exceeded', undefined, { 'x-ratelimit-limit': '500', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(seconds) }),
};

export const eventUri = (id: string) => `${API}/scheduled_events/${id}`;

export function replaceFields(dataset: Dataset, index: number, next: Fields): void {
  const fields = dataset.fields(index);
  for (const key of Object.keys(fields)) delete fields[key];
  Object.assign(fields, next);
}

/** A scheduled event as the API shows it. */
export function renderEvent(ctx: RequestContext, events: Dataset, index: number) {
  const fields = events.fields(index);
  const account = findAccount(events.account)!;
  const start = events.startAt[index];
  const invitees = inviteesOf(ctx, events.account, index);
  const active = invitees.filter((i) => !invitees.dataset.isDeleted(i)).length;
  const canceled = events.isDeleted(index);
  return {
    uri: eventUri(events.idOf(index)),
    name: fields.name,
    meeting_notes_plain: fields.notes,
    meeting_notes_html: null,
    status: canceled ? 'canceled' : 'active',
    start_time: isoMs(start),
    end_time: isoMs(start + (fields.minutes as number) * MINUTE_MS),
    event_type: eventTypeUri(events.account, fields.type as string),
    location: { type: 'physical', location: fields.location },
    invitees_counter: { total: invitees.length, active, limit: 1 },
    created_at: isoMs(events.createdAt[index]),
    updated_at: isoMs(events.updatedAt[index]),
    event_memberships: [{ user: userUri(account), user_email: account.email, user_name: account.name }],
    event_guests: [],
    ...(canceled ? { cancellation: { canceled_by: account.name, reason: (fields.cancel_reason as string) ?? null, canceler_type: 'host', created_at: isoMs(events.deletedAt[index]) } } : {}),
  };
}

/** The invitee indices of one event (id order). */
function inviteesOf(ctx: RequestContext, account: string, eventIndex: number): number[] & { dataset: Dataset } {
  const dataset = getDataset(ctx.state, inviteesSpec, account);
  const found: number[] = [];
  for (let i = 0; i < dataset.count; i++) if (dataset.fields(i).event_index === eventIndex) found.push(i);
  return Object.assign(found, { dataset });
}

export function renderInvitee(ctx: RequestContext, invitees: Dataset, index: number) {
  const fields = invitees.fields(index);
  const events = getDataset(ctx.state, eventsSpec, invitees.account);
  const event = eventUri(events.idOf(fields.event_index as number));
  const id = invitees.idOf(index);
  const canceled = invitees.isDeleted(index);
  return {
    uri: `${event}/invitees/${id}`,
    email: fields.email,
    first_name: fields.first_name,
    last_name: fields.last_name,
    name: `${fields.first_name} ${fields.last_name}`,
    status: canceled ? 'canceled' : 'active',
    questions_and_answers: fields.notes ? [{ question: 'Notes', answer: fields.notes, position: 0 }] : [],
    timezone: fields.timezone,
    event,
    created_at: isoMs(invitees.createdAt[index]),
    updated_at: isoMs(invitees.updatedAt[index]),
    tracking: { utm_campaign: null, utm_source: null, utm_medium: null, utm_content: null, utm_term: null, salesforce_uuid: null },
    text_reminder_number: fields.phone,
    rescheduled: false,
    old_invitee: null,
    new_invitee: null,
    cancel_url: `https://calendly.com/cancellations/${id}`,
    reschedule_url: `https://calendly.com/reschedulings/${id}`,
    routing_form_submission: null,
    payment: null,
    no_show: null,
    reconfirmation: null,
    ...(canceled ? { cancellation: { canceled_by: fields.first_name, reason: null, canceler_type: 'invitee', created_at: isoMs(invitees.deletedAt[index]) } } : {}),
  };
}

const invalid = (parameter: string, message: string) => apiError(400, 'Invalid Argument', 'The supplied parameters are invalid.', [{ parameter, message }]);

/** { collection, pagination } with Calendly's link and token for the next page. */
function collectionReply(ctx: RequestContext, collection: unknown[], count: number, nextToken: string | undefined): Reply {
  let nextPage: string | null = null;
  if (nextToken) {
    const next = new URL(`${API}${ctx.path}?${ctx.rawQuery}`);
    next.searchParams.set('page_token', nextToken);
    nextPage = next.toString();
  }
  return json(200, { collection, pagination: { count, next_page: nextPage, previous_page: null, next_page_token: nextToken ?? null, previous_page_token: null } });
}

const eventsRoute: Route = {
  method: 'GET',
  hosts: [API_HOST],
  path: '/scheduled_events',
  handle(ctx) {
    const auth = authorize(ctx, 'scheduled_events:read');
    if (!auth.ok) return auth.reply;
    const user = ctx.query.get('user');
    const organization = ctx.query.get('organization');
    if (!user && !organization) return invalid('user', 'user or organization is required');
    if (user && user !== userUri(auth.account)) return apiError(403, 'Permission Denied', 'You do not have permission to access this user');
    const count = intParam(ctx.query.get('count'), 1, 100);
    if (count === null) return invalid('count', 'must be an integer from 1 to 100');
    const params: Record<string, number | string | null> = { min: null, max: null, status: null, email: null };
    for (const [name, key] of [['min_start_time', 'min'], ['max_start_time', 'max']] as const) {
      const raw = ctx.query.get(name);
      if (raw === null) continue;
      const ms = parseTimestamp(raw);
      if (ms === undefined) return invalid(name, 'must be an ISO 8601 timestamp');
      params[key] = ms;
    }
    const status = ctx.query.get('status');
    if (status !== null && status !== 'active' && status !== 'canceled') return invalid('status', 'must be active or canceled');
    params.status = status;
    params.email = ctx.query.get('invitee_email')?.toLowerCase() ?? null;
    const sort = ctx.query.get('sort');
    if (sort !== null && sort !== 'start_time:asc') return invalid('sort', 'the sandbox sorts by start_time:asc only');

    const binding = bindingOf('calendly-events', auth.account.id);
    const started = startListing(() => ctx.state.data.snapshot(), binding, ctx.query.get('page_token'), params);
    if (!started.ok) return invalid('page_token', 'is invalid');
    const { cursor } = started;
    const refused = pageGate(ctx.state, eventsSpec.key, cursor.page, faults);
    if (refused) return refused;

    const events = getDataset(ctx.state, eventsSpec, auth.account.id);
    const { min, max, email: wanted } = cursor.params as { min: number | null; max: number | null; email: string | null };
    const withEmail = wanted ? eventsWithInvitee(ctx, auth.account.id, wanted) : null;
    const query: ViewQuery = {
      order: 'id',
      snapshot: cursor.snapshot,
      include: cursor.params.status === 'active' ? 'live' : cursor.params.status === 'canceled' ? 'deleted' : 'all',
      where: (index) => {
        const start = events.startAt[index];
        return (min === null || start >= min) && (max === null || start < max) && (!withEmail || withEmail.has(index));
      },
    };
    const page = pageFrom(events, query, cursor, count ?? 20, binding);
    return collectionReply(ctx, page.indices.map((index) => renderEvent(ctx, events, index)), count ?? 20, page.nextToken);
  },
};

function eventsWithInvitee(ctx: RequestContext, account: string, wanted: string): Set<number> {
  const invitees = getDataset(ctx.state, inviteesSpec, account);
  const found = new Set<number>();
  for (let i = 0; i < invitees.count; i++) {
    const fields = invitees.fields(i);
    if (String(fields.email).toLowerCase() === wanted) found.add(fields.event_index as number);
  }
  return found;
}

/** The event a path names (live or canceled), or the 404. */
export function eventOf(ctx: RequestContext, account: string): { ok: true; events: Dataset; index: number } | { ok: false; reply: Reply } {
  const events = getDataset(ctx.state, eventsSpec, account);
  const index = events.indexOf(ctx.params.uuid ?? '');
  if (index === undefined) return { ok: false, reply: apiError(404, 'Resource Not Found', 'The server could not find the requested resource.') };
  return { ok: true, events, index };
}

const eventRoute: Route = {
  method: 'GET',
  hosts: [API_HOST],
  path: '/scheduled_events/{uuid}',
  pattern: /^\/scheduled_events\/(?<uuid>[A-Za-z0-9-]+)$/,
  handle(ctx) {
    const auth = authorize(ctx, 'scheduled_events:read');
    if (!auth.ok) return auth.reply;
    const found = eventOf(ctx, auth.account.id);
    if (!found.ok) return found.reply;
    return json(200, { resource: renderEvent(ctx, found.events, found.index) });
  },
};

const inviteesRoute: Route = {
  method: 'GET',
  hosts: [API_HOST],
  path: '/scheduled_events/{uuid}/invitees',
  pattern: /^\/scheduled_events\/(?<uuid>[A-Za-z0-9-]+)\/invitees$/,
  handle(ctx) {
    const auth = authorize(ctx, 'scheduled_events:read');
    if (!auth.ok) return auth.reply;
    const found = eventOf(ctx, auth.account.id);
    if (!found.ok) return found.reply;
    const count = intParam(ctx.query.get('count'), 1, 100);
    if (count === null) return invalid('count', 'must be an integer from 1 to 100');
    const status = ctx.query.get('status');
    if (status !== null && status !== 'active' && status !== 'canceled') return invalid('status', 'must be active or canceled');
    const wanted = ctx.query.get('email')?.toLowerCase() ?? null;
    const binding = bindingOf('calendly-invitees', auth.account.id, String(found.index));
    const started = startListing(() => ctx.state.data.snapshot(), binding, ctx.query.get('page_token'), { status, email: wanted });
    if (!started.ok) return invalid('page_token', 'is invalid');
    const { cursor } = started;
    const refused = pageGate(ctx.state, inviteesSpec.key, cursor.page, faults);
    if (refused) return refused;
    const invitees = getDataset(ctx.state, inviteesSpec, auth.account.id);
    const query: ViewQuery = {
      order: 'id',
      snapshot: cursor.snapshot,
      include: cursor.params.status === 'active' ? 'live' : cursor.params.status === 'canceled' ? 'deleted' : 'all',
      where: (index) => {
        const fields = invitees.fields(index);
        return fields.event_index === found.index && (!cursor.params.email || String(fields.email).toLowerCase() === cursor.params.email);
      },
    };
    const page = pageFrom(invitees, query, cursor, count ?? 20, binding);
    return collectionReply(ctx, page.indices.map((index) => renderInvitee(ctx, invitees, index)), count ?? 20, page.nextToken);
  },
};

export const calendlyDataRoutes: Route[] = [eventsRoute, eventRoute, inviteesRoute];
export { PROFILE };
