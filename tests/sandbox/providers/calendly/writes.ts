// Calendly's event types, available times and the writes the app's actions make:
//   GET  /event_types?user=…                         the user's event types (fixed, see accounts.ts)
//   GET  /event_type_available_times?event_type&start_time&end_time
//        future only, at most 7 days per call; the host works Monday–Friday 09:00–17:00 in their
//        own time zone, offers a start every 15 minutes, and is busy during their active events
//   POST /invitees                                   the Scheduling API: books a time for an invitee.
//        The second sandbox user is on Calendly's free plan, where the Scheduling API is refused
//        (403); a time that is not available is refused with 400 (start_time: not available).
//   POST /scheduled_events/{uuid}/cancellation {reason}: cancels the event and its invitees.
import { Temporal } from 'temporal-polyfill';
import { z } from 'zod';
import { getDataset } from '../../data';
import { afterWrite, isoMs, pageGate, parseTimestamp } from '../../data-faults';
import { json, readJson, type RequestContext, type Route } from '../../http';
import { API, API_HOST, EVENT_TYPES, eventTypeUri, eventTypeUuid, PROFILE, userUri, type CalendlyAccount } from './accounts';
import { eventOf, eventsSpec, faults, inviteesSpec, renderEvent, renderInvitee, replaceFields } from './data';
import { apiError, authorize } from './oauth';

const PROVIDER = PROFILE.id;
const MINUTE_MS = 60_000;
const WEEK_MS = 7 * 24 * 60 * MINUTE_MS;
const STEP_MINUTES = 15;
/** The user whose plan has no Scheduling API. */
export const FREE_PLAN_ACCOUNT = PROFILE.accounts[1].id;

const invalid = (parameter: string, message: string) => apiError(400, 'Invalid Argument', 'The supplied parameters are invalid.', [{ parameter, message }]);

function renderEventType(account: CalendlyAccount, type: (typeof EVENT_TYPES)[number]) {
  return {
    uri: eventTypeUri(account.id, type.slug),
    name: type.name,
    active: true,
    slug: type.slug,
    scheduling_url: `https://calendly.com/${account.id.toLowerCase()}/${type.slug}`,
    duration: type.duration,
    kind: 'solo',
    type: 'StandardEventType',
    color: '#006bff',
    created_at: '2025-01-01T09:00:00.000000Z',
    updated_at: '2025-06-01T09:00:00.000000Z',
    profile: { type: 'User', name: account.name, owner: userUri(account) },
    locations: [{ kind: 'physical', location: 'Calendly HQ, Atlanta' }, { kind: 'zoom_conference' }],
  };
}

function typeOf(account: string, uri: string) {
  return EVENT_TYPES.find((type) => eventTypeUri(account, type.slug) === uri || eventTypeUuid(account, type.slug) === uri);
}

/** Is the host free for [start, end)? Their active events count as busy. */
function hostFree(ctx: RequestContext, account: string, start: number, end: number): boolean {
  const events = getDataset(ctx.state, eventsSpec, account);
  for (let i = 0; i < events.count; i++) {
    if (events.isDeleted(i)) continue;
    const from = events.startAt[i];
    const to = from + (events.fields(i).minutes as number) * MINUTE_MS;
    if (from < end && start < to) return false;
  }
  return true;
}

/** Within working hours: Monday–Friday, 09:00 ≤ local start and local end ≤ 17:00. */
function withinHours(account: CalendlyAccount, start: number, minutes: number): boolean {
  const local = Temporal.Instant.fromEpochMilliseconds(start).toZonedDateTimeISO(account.timezone);
  if (local.dayOfWeek > 5) return false;
  const from = local.hour * 60 + local.minute;
  return local.minute % STEP_MINUTES === 0 && from >= 9 * 60 && from + minutes <= 17 * 60;
}

function available(ctx: RequestContext, account: CalendlyAccount, start: number, minutes: number): boolean {
  return start > Date.now() && withinHours(account, start, minutes) && hostFree(ctx, account.id, start, start + minutes * MINUTE_MS);
}

const eventTypesRoute: Route = {
  method: 'GET',
  hosts: [API_HOST],
  path: '/event_types',
  handle(ctx) {
    const auth = authorize(ctx, 'event_types:read');
    if (!auth.ok) return auth.reply;
    const user = ctx.query.get('user');
    if (!user && !ctx.query.get('organization')) return invalid('user', 'user or organization is required');
    if (user && user !== userUri(auth.account)) return apiError(403, 'Permission Denied', 'You do not have permission to access this user');
    const refused = pageGate(ctx.state, `${PROVIDER}.eventTypes`, 1, faults);
    if (refused) return refused;
    const collection = EVENT_TYPES.map((type) => renderEventType(auth.account, type));
    return json(200, { collection, pagination: { count: collection.length, next_page: null, previous_page: null, next_page_token: null, previous_page_token: null } });
  },
};

const availableTimesRoute: Route = {
  method: 'GET',
  hosts: [API_HOST],
  path: '/event_type_available_times',
  handle(ctx) {
    const auth = authorize(ctx, 'event_types:read');
    if (!auth.ok) return auth.reply;
    const type = typeOf(auth.account.id, ctx.query.get('event_type') ?? '');
    if (!type) return apiError(404, 'Resource Not Found', 'The server could not find the requested resource.');
    const start = parseTimestamp(ctx.query.get('start_time') ?? '');
    const end = parseTimestamp(ctx.query.get('end_time') ?? '');
    if (start === undefined) return invalid('start_time', 'must be an ISO 8601 timestamp');
    if (end === undefined) return invalid('end_time', 'must be an ISO 8601 timestamp');
    if (start < Date.now()) return invalid('start_time', 'must be in the future');
    if (end <= start) return invalid('end_time', 'must be after start_time');
    if (end - start > WEEK_MS) return invalid('end_time', 'date range can be no greater than 1 week (7 days)');
    const refused = pageGate(ctx.state, `${PROVIDER}.availableTimes`, 1, faults);
    if (refused) return refused;
    const collection = [];
    const step = STEP_MINUTES * MINUTE_MS;
    for (let at = Math.ceil(start / step) * step; at < end; at += step) {
      if (!available(ctx, auth.account, at, type.duration)) continue;
      collection.push({
        status: 'available',
        invitees_remaining: 1,
        start_time: isoMs(at),
        scheduling_url: `https://calendly.com/${auth.account.id.toLowerCase()}/${type.slug}/${isoMs(at)}`,
      });
    }
    return json(200, { collection });
  },
};

const bookingBody = z.object({
  event_type: z.string().min(1),
  start_time: z.string().min(1),
  invitee: z.object({
    email: z.string().email(),
    name: z.string().min(1).optional(),
    first_name: z.string().optional(),
    last_name: z.string().optional(),
    timezone: z.string().min(1),
  }),
  location: z.object({ kind: z.string().min(1), location: z.string().optional() }).optional(),
  questions_and_answers: z.array(z.object({ question: z.string(), answer: z.string(), position: z.number() })).optional(),
});

const bookRoute: Route = {
  method: 'POST',
  hosts: [API_HOST],
  path: '/invitees',
  handle(ctx) {
    const auth = authorize(ctx, 'scheduled_events:write');
    if (!auth.ok) return auth.reply;
    if (auth.account.id === FREE_PLAN_ACCOUNT) {
      return apiError(403, 'Permission Denied', 'The Scheduling API is not available on your current plan. Please upgrade to a paid plan.');
    }
    const raw = readJson(ctx);
    if (!raw.ok) return invalid('body', raw.reason);
    const parsed = bookingBody.safeParse(raw.value);
    if (!parsed.success) return invalid(parsed.error.issues[0]?.path.join('.') || 'body', parsed.error.issues[0]?.message ?? 'is invalid');
    const body = parsed.data;
    const type = typeOf(auth.account.id, body.event_type);
    if (!type) return apiError(404, 'Resource Not Found', 'The server could not find the requested resource.');
    const start = parseTimestamp(body.start_time);
    if (start === undefined) return invalid('start_time', 'must be an ISO 8601 timestamp');
    const refused = pageGate(ctx.state, `${PROVIDER}.inviteeWrites`, 1, faults);
    if (refused) return refused;
    if (!available(ctx, auth.account, start, type.duration)) {
      return apiError(400, 'Invalid Argument', 'The selected time is no longer available.', [{ parameter: 'start_time', message: 'is not available' }]);
    }
    const events = getDataset(ctx.state, eventsSpec, auth.account.id);
    const eventIndex = events.create(ctx.state.data.tick());
    replaceFields(events, eventIndex, {
      type: type.slug,
      name: type.name,
      minutes: type.duration,
      location: body.location?.location ?? (body.location?.kind === 'zoom_conference' ? 'Zoom' : 'Calendly HQ, Atlanta'),
      notes: null,
      revision: 1,
    });
    events.startAt[eventIndex] = start;
    const invitees = getDataset(ctx.state, inviteesSpec, auth.account.id);
    const index = invitees.create(ctx.state.data.tick());
    const [first, ...rest] = (body.invitee.name ?? body.invitee.email).split(' ');
    replaceFields(invitees, index, {
      event_index: eventIndex,
      first_name: body.invitee.first_name ?? first,
      last_name: body.invitee.last_name ?? (rest.join(' ') || null),
      email: body.invitee.email,
      phone: null,
      timezone: body.invitee.timezone,
      notes: body.questions_and_answers?.[0]?.answer ?? null,
    });
    return afterWrite(ctx.state, PROVIDER, json(201, { resource: renderInvitee(ctx, invitees, index) }));
  },
};

const cancelRoute: Route = {
  method: 'POST',
  hosts: [API_HOST],
  path: '/scheduled_events/{uuid}/cancellation',
  pattern: /^\/scheduled_events\/(?<uuid>[A-Za-z0-9-]+)\/cancellation$/,
  handle(ctx) {
    const auth = authorize(ctx, 'scheduled_events:write');
    if (!auth.ok) return auth.reply;
    const found = eventOf(ctx, auth.account.id);
    if (!found.ok) return found.reply;
    const { events, index } = found;
    if (events.isDeleted(index)) return apiError(403, 'Permission Denied', 'Event is already canceled');
    const raw = ctx.body.length > 0 ? readJson(ctx) : { ok: true as const, value: {} };
    if (!raw.ok) return invalid('body', raw.reason);
    const reason = typeof raw.value.reason === 'string' ? raw.value.reason.slice(0, 10_000) : null;
    const refused = pageGate(ctx.state, `${PROVIDER}.inviteeWrites`, 1, faults);
    if (refused) return refused;
    events.fields(index).cancel_reason = reason;
    const tick = ctx.state.data.tick();
    events.remove(index, tick);
    // Cancelling an event cancels its invitees.
    const invitees = getDataset(ctx.state, inviteesSpec, auth.account.id);
    for (let i = 0; i < invitees.count; i++) {
      if (invitees.fields(i).event_index === index && !invitees.isDeleted(i)) invitees.remove(i, ctx.state.data.tick());
    }
    const event = renderEvent(ctx, events, index);
    return afterWrite(ctx.state, PROVIDER, json(201, { resource: { ...event.cancellation, canceler_type: 'host' } }));
  },
};

export const calendlyWriteRoutes: Route[] = [eventTypesRoute, availableTimesRoute, bookRoute, cancelRoute];
export { API };
