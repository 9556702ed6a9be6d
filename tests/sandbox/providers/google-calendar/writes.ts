// Google Calendar API v3 writes and the reads that go with them: freeBusy.query, calendars.get, and
// events insert / get / patch / delete on the account's calendars, in Google's wire format.
//  - Inserted and changed events land in the same dataset the listings read, so a following
//    incremental sync (syncToken) sees them, and open push channels on the calendar are notified.
//  - A client may choose the event id (base32hex a–v0–9, 5–1024 characters); reusing one answers
//    409 "duplicate", even after the event was deleted, as Google does. (The sandbox keeps ids unique
//    per account, a little stricter than Google's per-calendar rule.)
//  - Google allows overlapping events: an insert never checks for a clash. Booking conflicts are
//    the client's to detect, with freeBusy before and a listing after (lib/providers/google-calendar).
//  - Writes need calendar or calendar.events scope and writer access to the calendar; the knob
//    dropResponseAfterWrite makes a write commit and then lose its answer.
//  - Requests are handled one at a time, each to completion: two writes never interleave.
import crypto from 'node:crypto';
import { Temporal } from 'temporal-polyfill';
import { z } from 'zod';
import { getDataset, type Dataset } from '../../data';
import { afterWrite, pageGate, parseTimestamp, type FaultReplies } from '../../data-faults';
import { json, readJson, type Reply, type RequestContext, type Route } from '../../http';
import { bookOf, push } from './channels';
import { authorize } from './data';
import { calendarsOf, editEvent, findEvent, googleEventsSpec, inCalendar, insertEvent, isBusy, renderEvent, TIME_ZONE_NAME, type Calendar, type EventFields } from './events';
import { PROFILE } from './accounts';
import { apiError } from './oauth';

const HOST = 'www.googleapis.com';
const WRITE_SCOPES = ['https://www.googleapis.com/auth/calendar', 'https://www.googleapis.com/auth/calendar.events'];
/** Google refuses longer freeBusy ranges with timeRangeTooLong; about three months is what callers observe. */
export const FREEBUSY_MAX_DAYS = 90;
const DAY_MS = 24 * 3600 * 1000;

const faults: FaultReplies = {
  failed: (status) => apiError(status, 'Backend Error', 'backendError'),
  rateLimited: () =>
    json(429, {
      error: { code: 429, message: 'Rate Limit Exceeded', errors: [{ domain: 'usageLimits', reason: 'rateLimitExceeded', message: 'Rate Limit Exceeded' }], status: 'RESOURCE_EXHAUSTED' },
    }),
};

/** Google's 400 with a reason and, where it names one, the offending field. */
function badRequest(message: string, reason: string, location?: string): Reply {
  return json(400, {
    error: {
      code: 400,
      message,
      errors: [{ domain: reason.startsWith('time') ? 'calendar' : 'global', reason, message, ...(location ? { locationType: 'parameter', location } : {}) }],
      status: 'INVALID_ARGUMENT',
    },
  });
}

const notFound = () => apiError(404, 'Not Found', 'notFound');
const gone = () => apiError(410, 'Resource has been deleted', 'deleted');

function isZone(zone: string): boolean {
  try {
    Temporal.Now.instant().toZonedDateTimeISO(zone);
    return true;
  } catch {
    return false;
  }
}

/** An instant in Google's style: Z in UTC, else the zone's offset. */
function formatIn(ms: number, timeZone: string): string {
  const instant = Temporal.Instant.fromEpochMilliseconds(ms);
  if (timeZone === 'UTC') return instant.toString().replace(/\.000Z$/, 'Z');
  return instant.toString({ timeZone, smallestUnit: 'second' });
}

interface Target {
  account: string;
  dataset: Dataset;
  calendars: Calendar[];
  calendar: Calendar;
}

/** The caller's calendar named in the path ('primary' is the account's own), with its events. */
function target(ctx: RequestContext, write: boolean): { ok: true; target: Target } | { ok: false; reply: Reply } {
  const auth = authorize(ctx);
  if (!auth.ok) return auth;
  if (write && !auth.scopes.some((scope) => WRITE_SCOPES.includes(scope))) {
    return { ok: false, reply: apiError(403, 'Request had insufficient authentication scopes.', 'insufficientPermissions') };
  }
  const calendars = calendarsOf(auth.account);
  const wanted = ctx.params.calendarId === 'primary' ? calendars[0].id : ctx.params.calendarId;
  const calendar = calendars.find((c) => c.id === wanted);
  if (!calendar) return { ok: false, reply: notFound() };
  if (write && calendar.accessRole === 'reader') {
    return { ok: false, reply: apiError(403, 'You need to have writer access to this calendar.', 'requiredAccessLevel') };
  }
  return { ok: true, target: { account: auth.account, dataset: getDataset(ctx.state, googleEventsSpec, auth.account), calendars, calendar } };
}

/** The event named in the path, in the calendar named there. */
function eventIn(t: Target, eventId: string): number | undefined {
  const index = findEvent(t.dataset, eventId);
  return index !== undefined && inCalendar(t.dataset, index, t.calendar) ? index : undefined;
}

const eventTime = z.object({ dateTime: z.string().optional(), date: z.string().optional(), timeZone: z.string().optional() });
const eventBody = z.object({
  id: z.string().optional(),
  summary: z.string().max(1024).optional(),
  description: z.string().max(8192).optional(),
  location: z.string().max(1024).optional(),
  start: eventTime.optional(),
  end: eventTime.optional(),
  attendees: z.array(z.object({ email: z.string().min(3), displayName: z.string().optional(), responseStatus: z.string().optional() })).max(100).optional(),
  transparency: z.enum(['opaque', 'transparent']).optional(),
  extendedProperties: z
    .object({ private: z.record(z.string(), z.string()).optional(), shared: z.record(z.string(), z.string()).optional() })
    .optional(),
  status: z.enum(['confirmed', 'tentative', 'cancelled']).optional(),
});
type EventBody = z.infer<typeof eventBody>;

/** A start or end as ms with its zone, or the 400 Google gives. */
function readTime(time: z.infer<typeof eventTime>, which: 'start' | 'end'): { ok: true; ms: number; timeZone?: string } | { ok: false; reply: Reply } {
  const refuse = (message: string, reason = 'invalid') => ({ ok: false as const, reply: badRequest(message, reason, which) });
  if (time.date !== undefined && time.dateTime === undefined) return refuse('The sandbox books timed events only (dateTime, not date).');
  if (time.dateTime === undefined) return refuse(`Missing ${which} time.`, 'required');
  if (time.timeZone !== undefined && !isZone(time.timeZone)) return refuse(`Invalid time zone definition for ${which} time.`);
  const withOffset = parseTimestamp(time.dateTime);
  if (withOffset !== undefined) return { ok: true, ms: withOffset, timeZone: time.timeZone };
  // No offset: a wall-clock time in the given zone.
  if (time.timeZone === undefined) return refuse(`Missing time zone definition for ${which} time.`, 'required');
  try {
    return { ok: true, ms: Temporal.PlainDateTime.from(time.dateTime).toZonedDateTime(time.timeZone).epochMilliseconds, timeZone: time.timeZone };
  } catch {
    return refuse(`Invalid ${which} time.`);
  }
}

function readSendUpdates(ctx: RequestContext): Reply | undefined {
  const value = ctx.query.get('sendUpdates');
  if (value !== null && !['all', 'externalOnly', 'none'].includes(value)) return badRequest(`Invalid value for sendUpdates: ${value}`, 'invalidParameter', 'sendUpdates');
  return undefined;
}

function parseEvent(ctx: RequestContext): { ok: true; body: EventBody } | { ok: false; reply: Reply } {
  const raw = readJson(ctx);
  if (!raw.ok) return { ok: false, reply: badRequest(raw.reason, 'parseError') };
  const body = eventBody.safeParse(raw.value);
  if (!body.success) return { ok: false, reply: badRequest(`Invalid event: ${body.error.issues.map((i) => i.path.join('.')).join(', ')}`, 'invalid') };
  return { ok: true, body: body.data };
}

/** Tells the open channels on the calendar that its events changed, as Google does after a write. */
function notifyChannels(ctx: RequestContext, t: Target): void {
  const channels = [...bookOf(ctx.state).channels.values()].filter((c) => !c.stopped && c.account === t.account && c.calendarId === t.calendar.id);
  for (const channel of channels) setImmediate(() => void push(channel, 'exists').catch(() => undefined));
}

function eventReply(ctx: RequestContext, t: Target, index: number, status = 200): Reply {
  return afterWrite(ctx.state, PROFILE.id, json(status, renderEvent(t.dataset, index, t.calendar, { full: true })));
}

const ID = /^[a-v0-9]{5,1024}$/;
const randomId = () => {
  const digits = '0123456789abcdefghijklmnopqrstuv';
  return Array.from(crypto.randomBytes(26), (byte) => digits[byte & 31]).join('');
};

const insertRoute: Route = {
  method: 'POST',
  hosts: [HOST],
  path: '/calendar/v3/calendars/{calendarId}/events',
  pattern: /^\/calendar\/v3\/calendars\/(?<calendarId>[^/]+)\/events\/?$/,
  handle(ctx) {
    const found = target(ctx, true);
    if (!found.ok) return found.reply;
    const t = found.target;
    const invalidSend = readSendUpdates(ctx);
    if (invalidSend) return invalidSend;
    const parsed = parseEvent(ctx);
    if (!parsed.ok) return parsed.reply;
    const body = parsed.body;
    if (body.id !== undefined && !ID.test(body.id)) return badRequest('Invalid resource id value.', 'invalid', 'id');
    if (!body.start) return badRequest('Missing start time.', 'required', 'start');
    if (!body.end) return badRequest('Missing end time.', 'required', 'end');
    const start = readTime(body.start, 'start');
    if (!start.ok) return start.reply;
    const end = readTime(body.end, 'end');
    if (!end.ok) return end.reply;
    if (end.ms <= start.ms) return badRequest('The specified time range is empty.', 'timeRangeEmpty', 'end');
    const refused = pageGate(ctx.state, 'google-calendar.eventWrites', 1, faults);
    if (refused) return refused;
    const id = body.id ?? randomId();
    // Ids are never reused, not even a deleted event's.
    if (findEvent(t.dataset, id) !== undefined) return apiError(409, 'The requested identifier already exists.', 'duplicate');
    const fields: EventFields = {
      summary: body.summary,
      description: body.description,
      location: body.location,
      start: start.ms,
      minutes: (end.ms - start.ms) / 60_000,
      timeZone: start.timeZone ?? TIME_ZONE_NAME,
      attendees: body.attendees?.map((a) => ({ email: a.email, ...(a.displayName ? { displayName: a.displayName } : {}), responseStatus: 'needsAction' })),
      transparency: body.transparency,
      extendedProperties: body.extendedProperties,
    };
    const index = insertEvent(t.dataset, ctx.state.data.tick(), id, t.calendar, fields);
    if (body.status === 'cancelled') t.dataset.remove(index, ctx.state.data.tick());
    notifyChannels(ctx, t);
    return eventReply(ctx, t, index);
  },
};

const EVENT_PATH = /^\/calendar\/v3\/calendars\/(?<calendarId>[^/]+)\/events\/(?<eventId>[^/]+)$/;

const getRoute: Route = {
  method: 'GET',
  hosts: [HOST],
  path: '/calendar/v3/calendars/{calendarId}/events/{eventId}',
  pattern: EVENT_PATH,
  handle(ctx) {
    const found = target(ctx, false);
    if (!found.ok) return found.reply;
    const index = eventIn(found.target, ctx.params.eventId);
    if (index === undefined) return notFound();
    // get always returns the event, a deleted one with status "cancelled".
    return json(200, renderEvent(found.target.dataset, index, found.target.calendar, { full: true }));
  },
};

const patchRoute: Route = {
  method: 'PATCH',
  hosts: [HOST],
  path: '/calendar/v3/calendars/{calendarId}/events/{eventId}',
  pattern: EVENT_PATH,
  handle(ctx) {
    const found = target(ctx, true);
    if (!found.ok) return found.reply;
    const t = found.target;
    const index = eventIn(t, ctx.params.eventId);
    if (index === undefined) return notFound();
    if (t.dataset.isDeleted(index)) return gone();
    const invalidSend = readSendUpdates(ctx);
    if (invalidSend) return invalidSend;
    const parsed = parseEvent(ctx);
    if (!parsed.ok) return parsed.reply;
    const body = parsed.body;
    if (body.id !== undefined && body.id !== ctx.params.eventId) return badRequest('The id of an event cannot be changed.', 'invalid', 'id');
    const fields = t.dataset.fields(index);
    const currentStart = fields.start as number;
    let startMs = currentStart;
    let endMs = currentStart + (fields.minutes as number) * 60_000;
    let timeZone = fields.timeZone as string | undefined;
    if (body.start) {
      const start = readTime(body.start, 'start');
      if (!start.ok) return start.reply;
      startMs = start.ms;
      timeZone = start.timeZone ?? timeZone;
    }
    if (body.end) {
      const end = readTime(body.end, 'end');
      if (!end.ok) return end.reply;
      endMs = end.ms;
    }
    if (endMs <= startMs) return badRequest('The specified time range is empty.', 'timeRangeEmpty', 'end');
    const refused = pageGate(ctx.state, 'google-calendar.eventWrites', 1, faults);
    if (refused) return refused;
    const changes: Partial<EventFields> = { start: startMs, minutes: (endMs - startMs) / 60_000, timeZone };
    if (body.summary !== undefined) changes.summary = body.summary;
    if (body.description !== undefined) changes.description = body.description;
    if (body.location !== undefined) changes.location = body.location;
    if (body.transparency !== undefined) changes.transparency = body.transparency;
    // Google merges extended properties key by key.
    if (body.extendedProperties) {
      const current = (fields.extendedProperties ?? {}) as NonNullable<EventFields['extendedProperties']>;
      changes.extendedProperties = {
        private: { ...current.private, ...body.extendedProperties.private },
        shared: { ...current.shared, ...body.extendedProperties.shared },
      };
    }
    if (body.attendees) changes.attendees = body.attendees.map((a) => ({ email: a.email, ...(a.displayName ? { displayName: a.displayName } : {}), responseStatus: a.responseStatus ?? 'needsAction' }));
    editEvent(t.dataset, ctx.state.data.tick(), index, changes);
    // Status "cancelled" is how Google shows a deleted event: setting it deletes the event.
    if (body.status === 'cancelled') t.dataset.remove(index, ctx.state.data.tick());
    notifyChannels(ctx, t);
    return eventReply(ctx, t, index);
  },
};

const deleteRoute: Route = {
  method: 'DELETE',
  hosts: [HOST],
  path: '/calendar/v3/calendars/{calendarId}/events/{eventId}',
  pattern: EVENT_PATH,
  handle(ctx) {
    const found = target(ctx, true);
    if (!found.ok) return found.reply;
    const t = found.target;
    const index = eventIn(t, ctx.params.eventId);
    if (index === undefined) return notFound();
    if (t.dataset.isDeleted(index)) return gone();
    const invalidSend = readSendUpdates(ctx);
    if (invalidSend) return invalidSend;
    const refused = pageGate(ctx.state, 'google-calendar.eventWrites', 1, faults);
    if (refused) return refused;
    t.dataset.remove(index, ctx.state.data.tick());
    notifyChannels(ctx, t);
    return afterWrite(ctx.state, PROFILE.id, { status: 204, headers: {} });
  },
};

const calendarRoute: Route = {
  method: 'GET',
  hosts: [HOST],
  path: '/calendar/v3/calendars/{calendarId}',
  pattern: /^\/calendar\/v3\/calendars\/(?<calendarId>[^/]+)$/,
  handle(ctx) {
    const found = target(ctx, false);
    if (!found.ok) return found.reply;
    const { calendar } = found.target;
    return json(200, { kind: 'calendar#calendar', etag: `"${calendar.slots.length}"`, id: calendar.id, summary: calendar.summary, timeZone: TIME_ZONE_NAME });
  },
};

const freeBusyBody = z.object({
  timeMin: z.string().optional(),
  timeMax: z.string().optional(),
  timeZone: z.string().optional(),
  items: z.array(z.object({ id: z.string() })).default([]),
  calendarExpansionMax: z.number().int().optional(),
  groupExpansionMax: z.number().int().optional(),
});

/** The calendar's busy time within [from, to): opaque live events, clipped and merged. */
function busyOf(dataset: Dataset, calendar: Calendar, from: number, to: number): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  for (let index = 0; index < dataset.count; index++) {
    if (!inCalendar(dataset, index, calendar) || !isBusy(dataset, index)) continue;
    const fields = dataset.fields(index);
    const start = fields.start as number;
    const end = start + (fields.minutes as number) * 60_000;
    if (end > from && start < to) spans.push({ start: Math.max(start, from), end: Math.min(end, to) });
  }
  spans.sort((a, b) => a.start - b.start);
  const merged: { start: number; end: number }[] = [];
  for (const span of spans) {
    const last = merged.at(-1);
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ ...span });
  }
  return merged;
}

const freeBusyRoute: Route = {
  method: 'POST',
  hosts: [HOST],
  path: '/calendar/v3/freeBusy',
  handle(ctx) {
    const auth = authorize(ctx);
    if (!auth.ok) return auth.reply;
    const raw = readJson(ctx);
    if (!raw.ok) return badRequest(raw.reason, 'parseError');
    const parsed = freeBusyBody.safeParse(raw.value);
    if (!parsed.success) return badRequest(`Invalid request: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`, 'invalid');
    const body = parsed.data;
    if (body.timeMin === undefined) return badRequest('Missing timeMin parameter.', 'required', 'timeMin');
    if (body.timeMax === undefined) return badRequest('Missing timeMax parameter.', 'required', 'timeMax');
    const from = parseTimestamp(body.timeMin);
    const to = parseTimestamp(body.timeMax);
    if (from === undefined) return badRequest(`Invalid value for timeMin: ${body.timeMin}`, 'invalid', 'timeMin');
    if (to === undefined) return badRequest(`Invalid value for timeMax: ${body.timeMax}`, 'invalid', 'timeMax');
    if (to <= from) return badRequest('The specified time range is empty.', 'timeRangeEmpty', 'timeMax');
    if (to - from > FREEBUSY_MAX_DAYS * DAY_MS) return badRequest('The requested time range is too long.', 'timeRangeTooLong', 'timeMax');
    const timeZone = body.timeZone ?? 'UTC';
    if (!isZone(timeZone)) return badRequest('Invalid time zone.', 'invalid', 'timeZone');
    const refused = pageGate(ctx.state, 'google-calendar.freeBusy', 1, faults);
    if (refused) return refused;

    const calendars = calendarsOf(auth.account);
    const dataset = getDataset(ctx.state, googleEventsSpec, auth.account);
    const answer: Record<string, unknown> = {};
    for (const [n, { id }] of body.items.entries()) {
      if (n >= 50) {
        answer[id] = { errors: [{ domain: 'calendar', reason: 'tooManyCalendarsRequested' }], busy: [] };
        continue;
      }
      const calendar = calendars.find((c) => c.id === (id === 'primary' ? calendars[0].id : id));
      // Unknown or unreadable calendars come back with errors, not as a failed request.
      if (!calendar) {
        answer[id] = { errors: [{ domain: 'global', reason: 'notFound' }], busy: [] };
        continue;
      }
      answer[id] = { busy: busyOf(dataset, calendar, from, to).map((span) => ({ start: formatIn(span.start, timeZone), end: formatIn(span.end, timeZone) })) };
    }
    return json(200, { kind: 'calendar#freeBusy', timeMin: new Date(from).toISOString(), timeMax: new Date(to).toISOString(), calendars: answer });
  },
};

export const googleCalendarWriteRoutes: Route[] = [freeBusyRoute, calendarRoute, insertRoute, getRoute, patchRoute, deleteRoute];
