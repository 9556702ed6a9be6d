// Acuity actions: availability, booking, cancelling and rescheduling
// (https://developers.acuityscheduling.com/reference):
//   GET  /appointment-types                                   types with their durations
//   GET  /availability/dates?month&appointmentTypeID[&calendarID]&timezone   days with openings
//   GET  /availability/times?date&appointmentTypeID[&calendarID]&timezone   open start times
//   POST /availability/check-times {datetime, appointmentTypeID[, calendarID]}  is this time bookable?
//   POST /appointments {datetime, appointmentTypeID[, calendarID], firstName, lastName, email, phone, notes}
//   PUT  /appointments/{id}/cancel {cancelNote}   PUT /appointments/{id}/reschedule {datetime}
// A time that cannot be booked answers 400 with error "not_available" (slot_unavailable here).
// Options read: appointmentTypeID (default: the active type whose duration equals durationMinutes),
// calendarID (a staff calendar; default whichever Acuity picks).
//
// Availability is Acuity's (the business's hours, buffers and limits); the request's working hours
// and minimum notice narrow it (a start is kept when lib/actions/slots.ts would offer it too).
// Booking checks the time first. Acuity has no idempotency key: when an earlier attempt may have
// committed (ActionContext.retry), the attendee's appointment at that time is looked up first.
import { z } from 'zod';
import { ActionError } from '../../actions/errors';
import type { ActionInput, ActionOutput } from '../../actions/schemas';
import { slotsAtOfferedStarts } from '../../actions/slots';
import { appointmentWriteThrough } from '../../actions/write-through';
import { ProviderHttpError } from '../errors';
import type { ActionContext, ActionResult, ProviderActions, ProviderClient } from '../types';
import { acuity, appointment, errorCodeOf, type AcuityAppointment } from './api';
import { defaultMappings } from './mappings';

const MINUTE_MS = 60_000;
type Options = Record<string, string | string[] | number | boolean> | undefined;

const appointmentType = z.object({ id: z.number().int(), name: z.string().optional(), duration: z.number().int(), active: z.union([z.boolean(), z.string()]).optional() }).passthrough();
const dates = z.array(z.object({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }).passthrough());
const times = z.array(z.object({ time: z.string().min(1), slotsAvailable: z.number().optional() }).passthrough());

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

function idOption(options: Options, name: string): string | undefined {
  const value = options?.[name];
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) return String(value);
  if (typeof value === 'string' && /^\d{1,12}$/.test(value.trim())) return value.trim();
  if (value !== undefined) throw new ActionError('validation_failed', `options.${name}: expected an Acuity id (a number)`, [{ pointer: `/options/${name}`, detail: 'expected a number' }]);
  return undefined;
}

function appointmentResult(item: AcuityAppointment): ActionResult<ActionOutput<'appointments.create'>> {
  return appointmentWriteThrough(defaultMappings.appointments, "Acuity's appointment", { resource: 'appointments', externalId: String(item.id), data: item }, item);
}

/** The appointment type: the one named in options, else the active one lasting `minutes`. */
async function pickType(client: ProviderClient, options: Options, minutes: number): Promise<string> {
  const named = idOption(options, 'appointmentTypeID');
  if (named) return named;
  const types = z.array(appointmentType).parse(await acuity(client, '/appointment-types'));
  const match = types.find((type) => type.active !== false && type.active !== 'false' && type.duration === minutes);
  if (!match) {
    const offered = types.map((type) => `${type.name ?? type.id} (${type.duration} min, id ${type.id})`).join(', ') || 'none';
    throw new ActionError('validation_failed', `options.appointmentTypeID: no Acuity appointment type lasts ${minutes} minutes (offered: ${offered}).`, [
      { pointer: '/options/appointmentTypeID', detail: 'required when no appointment type has this duration' },
    ]);
  }
  return String(match.id);
}

function selection(type: string, calendar: string | undefined, timeZone: string): Record<string, string> {
  return { appointmentTypeID: type, ...(calendar ? { calendarID: calendar } : {}), timezone: timeZone };
}

/** Every month (YYYY-MM, UTC) the window touches. */
function monthsOf(from: number, to: number): string[] {
  const months: string[] = [];
  const cursor = new Date(Date.UTC(new Date(from).getUTCFullYear(), new Date(from).getUTCMonth(), 1));
  while (cursor.getTime() < to) {
    months.push(cursor.toISOString().slice(0, 7));
    cursor.setUTCMonth(cursor.getUTCMonth() + 1);
  }
  return months;
}

async function availability(context: ActionContext, input: ActionInput<'availability.get'>): Promise<ActionResult<ActionOutput<'availability.get'>>> {
  const { client } = context;
  const type = await pickType(client, input.options, input.durationMinutes);
  const calendar = idOption(input.options, 'calendarID');
  const from = Math.max(Date.parse(input.start), context.now.getTime());
  const to = Date.parse(input.end);
  if (from >= to) return { output: { timeZone: input.timeZone, slots: [] } };
  const chosen = selection(type, calendar, 'UTC');
  const days = new Set<string>();
  for (const month of monthsOf(from - 24 * 60 * MINUTE_MS, to + 24 * 60 * MINUTE_MS)) {
    for (const { date } of dates.parse(await acuity(client, `/availability/dates?${new URLSearchParams({ month, ...chosen })}`))) days.add(date);
  }
  const duration = input.durationMinutes * MINUTE_MS;
  const starts = new Set<number>();
  for (const date of [...days].sort()) {
    // Days are the business's, in UTC here; only those that can hold a slot in the window are asked.
    const dayStart = Date.parse(`${date}T00:00:00Z`);
    if (dayStart + 24 * 60 * MINUTE_MS <= from || dayStart >= to) continue;
    for (const { time } of times.parse(await acuity(client, `/availability/times?${new URLSearchParams({ date, ...chosen })}`))) {
      const start = Date.parse(time.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
      if (Number.isFinite(start) && start >= from && start + duration <= to) starts.add(start);
    }
  }
  // Acuity's grid decides the starts; the request's working hours and notice only narrow them.
  return { output: { timeZone: input.timeZone, slots: slotsAtOfferedStarts({ ...input, now: context.now }, starts) } };
}

function refusal(error: unknown, what: string): ActionError | null {
  const code = errorCodeOf(error);
  if (code === 'not_available' || code === 'no_available_calendar') return new ActionError('slot_unavailable', `${what}: ${(error as ProviderHttpError).providerMessage}`);
  if (error instanceof ProviderHttpError && error.status === 404) return new ActionError('not_found', `${what}: ${error.providerMessage}`);
  if (error instanceof ProviderHttpError && error.status === 400) return new ActionError('validation_failed', `${what}: ${error.providerMessage}`);
  return null;
}

/** Is the time bookable? Throws slot_unavailable when Acuity says no. */
async function checkTime(client: ProviderClient, datetime: string, type: string, calendar: string | undefined): Promise<void> {
  try {
    await acuity(client, '/availability/check-times', { method: 'POST', json: { datetime, appointmentTypeID: Number(type), ...(calendar ? { calendarID: Number(calendar) } : {}) } });
  } catch (error) {
    throw refusal(error, 'Acuity cannot book that time') ?? error;
  }
}

async function existing(client: ProviderClient, email: string, start: number): Promise<AcuityAppointment | null> {
  const date = new Date(start).toISOString().slice(0, 10);
  const query = new URLSearchParams({ email, minDate: date, maxDate: date, max: '100' });
  const list = z.array(appointment).parse(await acuity(client, `/appointments?${query}`));
  return list.find((item) => !item.canceled && Date.parse(item.datetime.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) === start) ?? null;
}

function nameParts(name: string | undefined, email: string): { firstName: string; lastName: string } {
  const [first, ...rest] = (name ?? email.split('@')[0]).trim().split(/\s+/);
  return { firstName: first || email, lastName: rest.join(' ') || '-' };
}

async function book(context: ActionContext, input: ActionInput<'appointments.create'>): Promise<ActionResult<ActionOutput<'appointments.create'>>> {
  const { client } = context;
  const email = input.attendee.email;
  if (!email) throw new ActionError('validation_failed', 'attendee.email: Acuity books clients by email.', [{ pointer: '/attendee/email', detail: 'required by Acuity' }]);
  const start = Date.parse(input.start);
  if (context.retry) {
    const found = await existing(client, email, start);
    if (found) return appointmentResult(found);
  }
  const type = await pickType(client, input.options, input.durationMinutes);
  const calendar = idOption(input.options, 'calendarID');
  const datetime = iso(start);
  await checkTime(client, datetime, type, calendar);
  try {
    const body = await acuity(client, '/appointments', {
      method: 'POST',
      json: {
        datetime,
        appointmentTypeID: Number(type),
        ...(calendar ? { calendarID: Number(calendar) } : {}),
        ...nameParts(input.attendee.name, email),
        email,
        ...(input.attendee.phone ? { phone: input.attendee.phone } : {}),
        ...(input.description ? { notes: input.description } : {}),
      },
    });
    return appointmentResult(appointment.parse(body));
  } catch (error) {
    throw refusal(error, 'Acuity refused the booking') ?? error;
  }
}

async function current(client: ProviderClient, id: string): Promise<AcuityAppointment> {
  if (!/^\d{1,20}$/.test(id)) throw new ActionError('not_found', `Acuity appointment ids are numbers; ${id.slice(0, 40)} is not one.`);
  try {
    return appointment.parse(await acuity(client, `/appointments/${id}`));
  } catch (error) {
    if (error instanceof ProviderHttpError && error.status === 404) throw new ActionError('not_found', `Acuity has no appointment ${id}.`);
    throw error;
  }
}

async function cancel(context: ActionContext, input: ActionInput<'appointments.cancel'>): Promise<ActionResult<ActionOutput<'appointments.cancel'>>> {
  const before = await current(context.client, input.appointmentId);
  // A retry of a cancel that went through answers the cancelled appointment.
  if (before.canceled) return appointmentResult(before);
  const body = await acuity(context.client, `/appointments/${before.id}/cancel`, { method: 'PUT', json: input.reason ? { cancelNote: input.reason } : {} });
  return appointmentResult(appointment.parse(body));
}

async function reschedule(context: ActionContext, input: ActionInput<'appointments.reschedule'>): Promise<ActionResult<ActionOutput<'appointments.reschedule'>>> {
  const before = await current(context.client, input.appointmentId);
  if (before.canceled) throw new ActionError('conflict', `Acuity appointment ${before.id} is cancelled; book a new one instead.`);
  const datetime = iso(Date.parse(input.start));
  // Already there (a retry of a reschedule that went through): nothing to move.
  if (Date.parse(before.datetime.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) === Date.parse(datetime)) return appointmentResult(before);
  try {
    const body = await acuity(context.client, `/appointments/${before.id}/reschedule`, { method: 'PUT', json: { datetime } });
    return appointmentResult(appointment.parse(body));
  } catch (error) {
    throw refusal(error, 'Acuity cannot move the appointment there') ?? error;
  }
}

export const acuityActions: ProviderActions = {
  'availability.get': availability,
  'appointments.create': book,
  'appointments.cancel': cancel,
  'appointments.reschedule': reschedule,
};
