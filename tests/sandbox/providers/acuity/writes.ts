// Acuity's appointment types, availability and the writes the app's actions make. The business
// works Monday–Friday 09:00–17:00 in its time zone, offers starts every 30 minutes, and a time is
// available when a calendar (the one asked for, or either) has no live appointment overlapping it.
//   GET  /appointment-types
//   GET  /availability/dates?month=YYYY-MM&appointmentTypeID[&calendarID][&timezone]
//   GET  /availability/times?date=YYYY-MM-DD&appointmentTypeID[&calendarID][&timezone]
//   POST /availability/check-times {datetime, appointmentTypeID[, calendarID]}
//   POST /appointments  (checks availability as a client booking would; 400 not_available)
//   PUT  /appointments/{id}/cancel {cancelNote}   PUT /appointments/{id}/reschedule {datetime[, calendarID]}
import { Temporal } from 'temporal-polyfill';
import { getDataset, type Dataset } from '../../data';
import { afterWrite, pageGate, parseTimestamp } from '../../data-faults';
import { json, readJson, type RequestContext, type Route } from '../../http';
import { API_HOST, APPOINTMENT_TYPES, CALENDARS, PROFILE, type AcuityAccount } from './accounts';
import { acuityDatetime, acuityError, appointmentOf, appointmentsSpec, authorize, faults, renderAppointment, replaceFields } from './api';

const PROVIDER = PROFILE.id;
const MINUTE_MS = 60_000;
const STEP_MINUTES = 30;

const typeOf = (id: unknown) => APPOINTMENT_TYPES.find((type) => String(type.id) === String(id));
const calendarOf = (id: unknown) => CALENDARS.find((calendar) => String(calendar.id) === String(id));

function calendarFree(dataset: Dataset, calendarId: number, start: number, end: number, except?: number): boolean {
  for (let i = 0; i < dataset.count; i++) {
    if (i === except || dataset.isDeleted(i) || dataset.fields(i).calendarId !== calendarId) continue;
    const from = dataset.startAt[i];
    const minutes = typeOf(dataset.fields(i).typeId)?.duration ?? 60;
    if (from < end && start < from + minutes * MINUTE_MS) return false;
  }
  return true;
}

function withinHours(account: AcuityAccount, start: number, minutes: number): boolean {
  const local = Temporal.Instant.fromEpochMilliseconds(start).toZonedDateTimeISO(account.timezone);
  const from = local.hour * 60 + local.minute;
  return local.dayOfWeek <= 5 && local.second === 0 && from % STEP_MINUTES === 0 && from >= 9 * 60 && from + minutes <= 17 * 60;
}

/** The calendar that can take this time (the asked-for one, else the first free), or null. */
function freeCalendar(ctx: RequestContext, account: AcuityAccount, start: number, minutes: number, calendarId?: number, except?: number): number | null {
  if (start <= Date.now() || !withinHours(account, start, minutes)) return null;
  const dataset = getDataset(ctx.state, appointmentsSpec, account.id);
  const candidates = calendarId ? [calendarId] : CALENDARS.map((c) => c.id);
  return candidates.find((id) => calendarFree(dataset, id, start, start + minutes * MINUTE_MS, except)) ?? null;
}

/** Available starts on one local date. */
function timesOn(ctx: RequestContext, account: AcuityAccount, date: Temporal.PlainDate, minutes: number, calendarId?: number): number[] {
  const starts: number[] = [];
  const first = date.toZonedDateTime({ timeZone: account.timezone, plainTime: Temporal.PlainTime.from('09:00') }).epochMilliseconds;
  for (let at = first; at + minutes * MINUTE_MS <= first + 8 * 60 * MINUTE_MS; at += STEP_MINUTES * MINUTE_MS) {
    if (freeCalendar(ctx, account, at, minutes, calendarId) !== null) starts.push(at);
  }
  return starts;
}

function selection(ctx: RequestContext) {
  const type = typeOf(ctx.query.get('appointmentTypeID'));
  const calendarParam = ctx.query.get('calendarID');
  const calendar = calendarParam ? calendarOf(calendarParam) : undefined;
  if (!type) return { ok: false as const, reply: acuityError(400, 'The appointment type was not found.', 'invalid_appointment_type') };
  if (calendarParam && !calendar) return { ok: false as const, reply: acuityError(400, 'The calendar was not found.', 'invalid_calendar') };
  return { ok: true as const, type, calendarId: calendar?.id };
}

const typesRoute: Route = {
  method: 'GET',
  hosts: [API_HOST],
  path: '/api/v1/appointment-types',
  handle(ctx) {
    const auth = authorize(ctx);
    if (!auth.ok) return auth.reply;
    return json(
      200,
      APPOINTMENT_TYPES.map((type) => ({
        id: type.id,
        name: type.name,
        active: true,
        description: '',
        duration: type.duration,
        price: type.price,
        category: '',
        color: '#3a5f8a',
        private: false,
        type: 'service',
        schedulingUrl: `https://app.acuityscheduling.com/schedule.php?owner=${auth.account.id}&appointmentType=${type.id}`,
        calendarIDs: CALENDARS.map((c) => c.id),
      })),
    );
  },
};

const datesRoute: Route = {
  method: 'GET',
  hosts: [API_HOST],
  path: '/api/v1/availability/dates',
  handle(ctx) {
    const auth = authorize(ctx);
    if (!auth.ok) return auth.reply;
    const month = ctx.query.get('month') ?? '';
    if (!/^\d{4}-\d{2}$/.test(month)) return acuityError(400, 'month is required (YYYY-MM)', 'invalid_month');
    const chosen = selection(ctx);
    if (!chosen.ok) return chosen.reply;
    const refused = pageGate(ctx.state, `${PROVIDER}.availability`, 1, faults);
    if (refused) return refused;
    const dates = [];
    const first = Temporal.PlainDate.from(`${month}-01`);
    for (let day = first; day.month === first.month; day = day.add({ days: 1 })) {
      if (timesOn(ctx, auth.account, day, chosen.type.duration, chosen.calendarId).length > 0) dates.push({ date: day.toString() });
    }
    return json(200, dates);
  },
};

const timesRoute: Route = {
  method: 'GET',
  hosts: [API_HOST],
  path: '/api/v1/availability/times',
  handle(ctx) {
    const auth = authorize(ctx);
    if (!auth.ok) return auth.reply;
    const date = ctx.query.get('date') ?? '';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return acuityError(400, 'date is required (YYYY-MM-DD)', 'invalid_date');
    const chosen = selection(ctx);
    if (!chosen.ok) return chosen.reply;
    const refused = pageGate(ctx.state, `${PROVIDER}.availability`, 1, faults);
    if (refused) return refused;
    const starts = timesOn(ctx, auth.account, Temporal.PlainDate.from(date), chosen.type.duration, chosen.calendarId);
    return json(200, starts.map((at) => ({ time: acuityDatetime(at, auth.account.timezone), slotsAvailable: 1 })));
  },
};

function bodyOf(ctx: RequestContext) {
  const raw = readJson(ctx);
  return raw.ok ? raw.value : null;
}

const notAvailable = () => acuityError(400, 'The time you selected is not available. Please choose another time.', 'not_available');

const checkRoute: Route = {
  method: 'POST',
  hosts: [API_HOST],
  path: '/api/v1/availability/check-times',
  handle(ctx) {
    const auth = authorize(ctx);
    if (!auth.ok) return auth.reply;
    const body = bodyOf(ctx);
    if (!body) return acuityError(400, 'The request body is not JSON.', 'invalid_body');
    const type = typeOf(body.appointmentTypeID);
    if (!type) return acuityError(400, 'The appointment type was not found.', 'invalid_appointment_type');
    const start = parseTimestamp(String(body.datetime ?? ''));
    if (start === undefined) return acuityError(400, 'datetime is not a date and time.', 'invalid_datetime');
    const calendar = body.calendarID === undefined ? undefined : calendarOf(body.calendarID);
    if (body.calendarID !== undefined && !calendar) return acuityError(400, 'The calendar was not found.', 'invalid_calendar');
    const free = freeCalendar(ctx, auth.account, start, type.duration, calendar?.id);
    if (free === null) return notAvailable();
    return json(200, { datetime: acuityDatetime(start, auth.account.timezone), appointmentTypeID: type.id, calendarID: free, valid: true });
  },
};

const bookRoute: Route = {
  method: 'POST',
  hosts: [API_HOST],
  path: '/api/v1/appointments',
  handle(ctx) {
    const auth = authorize(ctx);
    if (!auth.ok) return auth.reply;
    const body = bodyOf(ctx);
    if (!body) return acuityError(400, 'The request body is not JSON.', 'invalid_body');
    const type = typeOf(body.appointmentTypeID);
    if (!type) return acuityError(400, 'The appointment type was not found.', 'invalid_appointment_type');
    for (const field of ['firstName', 'lastName', 'email']) {
      if (typeof body[field] !== 'string' || !(body[field] as string).trim()) return acuityError(400, `${field} is required.`, 'required_field');
    }
    const start = parseTimestamp(String(body.datetime ?? ''));
    if (start === undefined) return acuityError(400, 'datetime is not a date and time.', 'invalid_datetime');
    const calendar = body.calendarID === undefined ? undefined : calendarOf(body.calendarID);
    if (body.calendarID !== undefined && !calendar) return acuityError(400, 'The calendar was not found.', 'invalid_calendar');
    const refused = pageGate(ctx.state, `${PROVIDER}.appointmentWrites`, 1, faults);
    if (refused) return refused;
    const free = freeCalendar(ctx, auth.account, start, type.duration, calendar?.id);
    if (free === null) return notAvailable();
    const dataset = getDataset(ctx.state, appointmentsSpec, auth.account.id);
    const index = dataset.create(ctx.state.data.tick());
    replaceFields(dataset, index, {
      firstName: String(body.firstName),
      lastName: String(body.lastName),
      email: String(body.email),
      phone: typeof body.phone === 'string' ? body.phone : '',
      typeId: type.id,
      calendarId: free,
      notes: typeof body.notes === 'string' ? body.notes : '',
      location: '',
    });
    dataset.startAt[index] = start;
    return afterWrite(ctx.state, PROVIDER, json(200, renderAppointment(auth.account, dataset, index)));
  },
};

const cancelRoute: Route = {
  method: 'PUT',
  hosts: [API_HOST],
  path: '/api/v1/appointments/{id}/cancel',
  pattern: /^\/api\/v1\/appointments\/(?<id>\d+)\/cancel$/,
  handle(ctx) {
    const auth = authorize(ctx);
    if (!auth.ok) return auth.reply;
    const found = appointmentOf(ctx, auth.account);
    if (!found.ok) return found.reply;
    const { dataset, index } = found;
    if (dataset.isDeleted(index)) return acuityError(400, 'The appointment is already canceled.', 'already_canceled');
    const body = ctx.body.length > 0 ? bodyOf(ctx) : {};
    const note = typeof body?.cancelNote === 'string' ? body.cancelNote : '';
    if (note) dataset.fields(index).notes = `${dataset.fields(index).notes ? `${dataset.fields(index).notes}\n` : ''}Canceled: ${note}`;
    dataset.remove(index, ctx.state.data.tick());
    return afterWrite(ctx.state, PROVIDER, json(200, renderAppointment(auth.account, dataset, index)));
  },
};

const rescheduleRoute: Route = {
  method: 'PUT',
  hosts: [API_HOST],
  path: '/api/v1/appointments/{id}/reschedule',
  pattern: /^\/api\/v1\/appointments\/(?<id>\d+)\/reschedule$/,
  handle(ctx) {
    const auth = authorize(ctx);
    if (!auth.ok) return auth.reply;
    const found = appointmentOf(ctx, auth.account);
    if (!found.ok) return found.reply;
    const { dataset, index } = found;
    if (dataset.isDeleted(index)) return acuityError(400, 'A canceled appointment cannot be rescheduled.', 'canceled');
    const body = bodyOf(ctx);
    const start = parseTimestamp(String(body?.datetime ?? ''));
    if (start === undefined) return acuityError(400, 'datetime is not a date and time.', 'invalid_datetime');
    const fields = dataset.fields(index);
    const minutes = typeOf(fields.typeId)?.duration ?? 60;
    const calendar = body?.calendarID === undefined ? undefined : calendarOf(body.calendarID);
    // The same calendar if it can, else any calendar free then (the appointment's own time excluded).
    const free = freeCalendar(ctx, auth.account, start, minutes, calendar?.id ?? (fields.calendarId as number), index) ?? (calendar ? null : freeCalendar(ctx, auth.account, start, minutes, undefined, index));
    if (free === null) return notAvailable();
    // update() logs the change (and makes a user's edit); a reschedule changes only time and calendar.
    const kept = { ...fields, calendarId: free };
    dataset.update(index, ctx.state.data.tick());
    replaceFields(dataset, index, kept);
    dataset.startAt[index] = start;
    return afterWrite(ctx.state, PROVIDER, json(200, renderAppointment(auth.account, dataset, index)));
  },
};

export const acuityWriteRoutes: Route[] = [typesRoute, datesRoute, timesRoute, checkRoute, bookRoute, cancelRoute, rescheduleRoute];
