// Microsoft Graph writes for Outlook and free/busy:
// - POST /me/calendars/{id}/events: a `transactionId` seen before returns the event it created
//   instead of a second one (https://learn.microsoft.com/graph/api/resources/event: "to avoid
//   redundant POST operations in case of client retries"). Overlaps are allowed, as in Outlook.
// - PATCH /me/events/{id}, DELETE /me/events/{id}, POST /me/events/{id}/cancel (204/202; the event
//   leaves the calendar, so delta lists it as removed).
// - POST /me/calendar/getSchedule: scheduleItems per mailbox, refusing spans longer than
//   MAX_SCHEDULE_DAYS (the limit reported in shared/providers.md, unverified) and counting calls.
import { z } from 'zod';
import { afterWrite, pageGate, parseTimestamp } from '../../data-faults';
import { json, readJson, type RequestContext, type Route } from '../../http';
import { findAccount, PROFILE } from './accounts';
import { calendarsOf, endOf, graphTime, isBusy, renderEvent, startOf, writtenOf } from './events';
import { eventsOf, liveEvent } from './data';
import { authorize, faults, GRAPH_HOST, graphError } from './graph';

export const MAX_SCHEDULE_DAYS = 42;
const DAY_MS = 86_400_000;

const dateTimeTimeZone = z.object({ dateTime: z.string(), timeZone: z.string() });

/** Graph's dateTimeTimeZone: the sandbox takes UTC (or an explicit offset in dateTime) only. */
function instant(value: z.infer<typeof dateTimeTimeZone>): number | undefined {
  if (!['UTC', 'Etc/UTC', 'GMT'].includes(value.timeZone) && !/[zZ]|[+-]\d\d:?\d\d$/.test(value.dateTime)) return undefined;
  const text = /[zZ]|[+-]\d\d:?\d\d$/.test(value.dateTime) ? value.dateTime : `${value.dateTime.replace(/(\.\d{3})\d+$/, '$1')}Z`;
  return parseTimestamp(text);
}

const eventBody = z.object({
  subject: z.string().max(255).optional(),
  body: z.object({ contentType: z.string().optional(), content: z.string().max(10_000) }).optional(),
  start: dateTimeTimeZone,
  end: dateTimeTimeZone,
  attendees: z.array(z.object({ emailAddress: z.object({ address: z.string(), name: z.string().optional() }), type: z.string().optional() })).max(50).optional(),
  location: z.object({ displayName: z.string().max(255) }).optional(),
  showAs: z.enum(['free', 'tentative', 'busy', 'oof', 'workingElsewhere', 'unknown']).optional(),
  transactionId: z.string().max(200).optional(),
});

const invalid = (message: string) => graphError(400, 'ErrorInvalidRequest', message);

function fieldsFrom(body: z.infer<typeof eventBody>, start: number, end: number) {
  return {
    subject: body.subject ?? '',
    body: body.body?.content ?? '',
    location: body.location?.displayName ?? '',
    start,
    minutes: Math.round((end - start) / 60_000),
    attendees: (body.attendees ?? []).map((a) => ({ address: a.emailAddress.address, name: a.emailAddress.name ?? a.emailAddress.address, response: 'none' })),
    showAs: body.showAs ?? 'busy',
  };
}

function replaceFields(fields: Record<string, unknown>, next: Record<string, unknown>) {
  for (const key of Object.keys(fields)) delete fields[key];
  Object.assign(fields, next);
}

const createRoute: Route = {
  method: 'POST',
  hosts: [GRAPH_HOST],
  path: '/v1.0/me/calendars/{calendarId}/events',
  pattern: /^\/v1\.0\/me\/calendars\/(?<calendarId>[^/]+)\/events$/,
  handle(ctx) {
    const auth = authorize(ctx);
    if (!auth.ok) return auth.reply;
    const calendar = calendarsOf(auth.account).find((c) => c.id === ctx.params.calendarId);
    if (!calendar) return graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    const raw = readJson(ctx);
    if (!raw.ok) return invalid(raw.reason);
    const body = eventBody.safeParse(raw.value);
    if (!body.success) return invalid(`Invalid event: ${body.error.issues.map((i) => i.path.join('.')).join(', ')}`);
    const start = instant(body.data.start);
    const end = instant(body.data.end);
    if (start === undefined || end === undefined || end <= start) return invalid('The event needs a start and a later end, in UTC.');
    const refused = pageGate(ctx.state, 'outlook.eventWrites', 1, faults);
    if (refused) return refused;
    const dataset = eventsOf(ctx, auth.account);
    const written = writtenOf(dataset);
    const transactionId = body.data.transactionId;
    const seen = transactionId === undefined ? undefined : written.transactions.get(transactionId);
    // A retried POST with the same transactionId: the event it created, not a second one.
    if (seen !== undefined && !dataset.isDeleted(seen)) return afterWrite(ctx.state, PROFILE.id, json(201, renderEvent(dataset, seen)));
    const index = dataset.create(ctx.state.data.tick());
    written.calendars.set(index, calendar.id);
    if (transactionId !== undefined) written.transactions.set(transactionId, index);
    replaceFields(dataset.fields(index), fieldsFrom(body.data, start, end));
    return afterWrite(ctx.state, PROFILE.id, json(201, renderEvent(dataset, index)));
  },
};

const patchRoute: Route = {
  method: 'PATCH',
  hosts: [GRAPH_HOST],
  path: '/v1.0/me/events/{eventId}',
  pattern: /^\/v1\.0\/me\/events\/(?<eventId>[^/]+)$/,
  handle(ctx) {
    const auth = authorize(ctx);
    if (!auth.ok) return auth.reply;
    const found = liveEvent(ctx, auth.account);
    if ('reply' in found) return found.reply;
    const raw = readJson(ctx);
    if (!raw.ok) return invalid(raw.reason);
    const body = eventBody.partial().safeParse(raw.value);
    if (!body.success) return invalid(`Invalid event: ${body.error.issues.map((i) => i.path.join('.')).join(', ')}`);
    const { dataset, index } = found;
    const start = body.data.start ? instant(body.data.start) : startOf(dataset, index);
    const end = body.data.end ? instant(body.data.end) : endOf(dataset, index);
    if (start === undefined || end === undefined || end <= start) return invalid('The event needs a start and a later end, in UTC.');
    const refused = pageGate(ctx.state, 'outlook.eventWrites', 1, faults);
    if (refused) return refused;
    const before = { ...dataset.fields(index) };
    dataset.update(index, ctx.state.data.tick());
    replaceFields(dataset.fields(index), {
      ...before,
      ...(body.data.subject !== undefined ? { subject: body.data.subject } : {}),
      ...(body.data.location ? { location: body.data.location.displayName } : {}),
      ...(body.data.showAs ? { showAs: body.data.showAs } : {}),
      start,
      minutes: Math.round((end - start) / 60_000),
    });
    return afterWrite(ctx.state, PROFILE.id, json(200, renderEvent(dataset, index)));
  },
};

function removeRoute(method: 'DELETE' | 'POST', suffix: string, status: number): Route {
  return {
    method,
    hosts: [GRAPH_HOST],
    path: `/v1.0/me/events/{eventId}${suffix}`,
    pattern: new RegExp(`^/v1\\.0/me/events/(?<eventId>[^/]+)${suffix.replace('/', '\\/')}$`),
    handle(ctx: RequestContext) {
      const auth = authorize(ctx);
      if (!auth.ok) return auth.reply;
      const found = liveEvent(ctx, auth.account);
      if ('reply' in found) return found.reply;
      const refused = pageGate(ctx.state, 'outlook.eventWrites', 1, faults);
      if (refused) return refused;
      found.dataset.remove(found.index, ctx.state.data.tick());
      return afterWrite(ctx.state, PROFILE.id, { status, headers: {} });
    },
  };
}

const scheduleBody = z.object({
  schedules: z.array(z.string().min(1)).min(1).max(100),
  startTime: dateTimeTimeZone,
  endTime: dateTimeTimeZone,
  availabilityViewInterval: z.number().int().min(5).max(1440).optional(),
});

const scheduleRoute: Route = {
  method: 'POST',
  hosts: [GRAPH_HOST],
  path: '/v1.0/me/calendar/getSchedule',
  handle(ctx) {
    const auth = authorize(ctx);
    if (!auth.ok) return auth.reply;
    const raw = readJson(ctx);
    if (!raw.ok) return invalid(raw.reason);
    const body = scheduleBody.safeParse(raw.value);
    if (!body.success) return invalid(`Invalid request: ${body.error.issues.map((i) => i.path.join('.')).join(', ')}`);
    const from = instant(body.data.startTime);
    const to = instant(body.data.endTime);
    if (from === undefined || to === undefined || to <= from) return invalid('startTime and endTime must be UTC and in order.');
    if (to - from > MAX_SCHEDULE_DAYS * DAY_MS) {
      return graphError(400, 'ErrorInvalidTimeInterval', `The requested time duration exceeds the maximum of ${MAX_SCHEDULE_DAYS} days.`);
    }
    const refused = pageGate(ctx.state, 'outlook.getSchedule', 1, faults);
    if (refused) return refused;
    const interval = body.data.availabilityViewInterval ?? 30;
    const value = body.data.schedules.map((address) => {
      const owner = [findAccount(auth.account)].find((a) => a?.email.toLowerCase() === address.toLowerCase());
      if (!owner) return { scheduleId: address, error: { message: 'The user was not found.', responseCode: 'ErrorMailRecipientNotFound' } };
      const dataset = eventsOf(ctx, owner.id);
      const items: unknown[] = [];
      const view: number[] = new Array(Math.ceil((to - from) / (interval * 60_000))).fill(0);
      for (let index = 0; index < dataset.count; index++) {
        if (!isBusy(dataset, index)) continue;
        const start = startOf(dataset, index);
        const end = endOf(dataset, index);
        if (start >= to || end <= from) continue;
        const status = (dataset.fields(index).showAs as string | undefined) ?? 'busy';
        items.push({ isPrivate: false, status, subject: dataset.fields(index).subject, start: graphTime(start), end: graphTime(end) });
        for (let slot = 0; slot < view.length; slot++) {
          const s = from + slot * interval * 60_000;
          if (start < s + interval * 60_000 && end > s) view[slot] = 2;
        }
      }
      return {
        scheduleId: address,
        availabilityView: view.join(''),
        scheduleItems: items,
        workingHours: { daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'], startTime: '08:00:00.0000000', endTime: '17:00:00.0000000', timeZone: { name: 'UTC' } },
      };
    });
    return json(200, { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#Collection(microsoft.graph.scheduleInformation)', value });
  },
};

export const outlookWriteRoutes: Route[] = [createRoute, patchRoute, removeRoute('DELETE', '', 204), removeRoute('POST', '/cancel', 202), scheduleRoute];
