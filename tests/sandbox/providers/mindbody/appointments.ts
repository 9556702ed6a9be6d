// Mindbody v6 appointments in the sandbox (shapes from Mindbody's v6 docs; see
// lib/providers/mindbody/api.ts for the sources):
//  - GET /appointment/bookableitems: availability windows, not slots, in the site's local time. A
//    window is a staff member's working hours on a day minus that staff member's live appointments
//    (request.appointmentId leaves one out), for each session type and location asked for, kept
//    when the session type's length fits; BookableEndDateTime is the last start (end − length).
//  - POST /appointment/addappointment: books when the staff member has the whole slot free within
//    working hours, else 400; `Test: true` validates the same way and commits nothing. Two clients
//    asking for one slot: the first books, the second is refused.
//  - POST /appointment/updateappointment: Execute (cancel, latecancel, confirm, …) or a new
//    StartDateTime/EndDateTime (checked like a booking, the appointment itself left out).
//  - GET /appointment/staffappointments: by request.appointmentIds (any date), or by date range
//    (whole local days, default today) and request.staffIds / request.clientId / request.clientIds;
//    every status is listed (that Mindbody lists cancelled ones is unverified).
//  - GET /site/sessiontypes.
// Writes that commit answer through afterWrite (the dropResponseAfterWrite knob). Requests are
// handled one at a time, each to completion, so two bookings never interleave.
import { Temporal } from 'temporal-polyfill';
import { afterWrite, pageGate } from '../../data-faults';
import { json, readJson, type Reply, type RequestContext, type Route } from '../../http';
import type { MindbodySite } from './accounts';
import {
  allAppointments,
  BASE,
  caller,
  dateParam,
  error,
  faults,
  HOST,
  idsParam,
  listParam,
  localParam,
  LOCATIONS,
  pageParams,
  paginated,
  PROGRAMS,
  renderAppointment,
  SESSION_TYPES,
  STAFF,
  staffJson,
  todayAt,
  wallMinutes,
  wallString,
  type StaffMember,
  type StoredAppointment,
} from './site';

const PROVIDER = 'mindbody';
const CANCELLED = new Set(['Cancelled', 'LateCancelled']);
const isLive = (a: StoredAppointment) => !CANCELLED.has(a.Status);
/** The longest date range one request may ask for (the sandbox's own limit). */
const MAX_RANGE_DAYS = 100;

interface Span {
  from: number;
  to: number;
}

/** The staff member's working hours on a local date, in wall-clock minutes. */
function shiftOn(staff: StaffMember, date: Temporal.PlainDate): Span | null {
  if (!staff.days.includes(date.dayOfWeek)) return null;
  return { from: wallMinutes(`${date}T${staff.from}:00`), to: wallMinutes(`${date}T${staff.to}:00`) };
}

function busyOf(appointments: StoredAppointment[], staffId: number, except?: number): Span[] {
  return appointments
    .filter((a) => a.StaffId === staffId && isLive(a) && a.Id !== except)
    .map((a) => ({ from: wallMinutes(a.StartDateTime), to: wallMinutes(a.EndDateTime) }));
}

/** The shift minus the busy spans. */
function freePieces(shift: Span, busy: Span[]): Span[] {
  let pieces = [shift];
  for (const b of busy) {
    pieces = pieces.flatMap((p) => {
      if (b.to <= p.from || b.from >= p.to) return [p];
      return [...(b.from > p.from ? [{ from: p.from, to: b.from }] : []), ...(b.to < p.to ? [{ from: b.to, to: p.to }] : [])];
    });
  }
  return pieces;
}

/** Whether the staff member can take [from, to) (wall minutes): within one day's shift, clear of other appointments. */
function isFree(appointments: StoredAppointment[], staff: StaffMember, from: number, to: number, except?: number): boolean {
  const date = Temporal.PlainDate.from(wallString(from).slice(0, 10));
  const shift = shiftOn(staff, date);
  if (!shift || from < shift.from || to > shift.to || to <= from) return false;
  return busyOf(appointments, staff.Id, except).every((b) => b.to <= from || b.from >= to);
}

function listRoute(path: string, handle: (ctx: RequestContext) => Reply): Route {
  return { method: 'GET', hosts: [HOST], path: `${BASE}${path}`, handle };
}

function dateRange(ctx: RequestContext, site: MindbodySite): { ok: true; start: Temporal.PlainDate; end: Temporal.PlainDate } | { ok: false; reply: Reply } {
  const start = dateParam(ctx.query.get('request.startDate'));
  const end = dateParam(ctx.query.get('request.endDate'));
  if (start === null || end === null) return { ok: false, reply: error(400, 'InvalidParameter', 'request.startDate and request.endDate must be dates (yyyy-mm-dd or a date-time).') };
  const from = start ?? todayAt(site);
  const to = end ?? from;
  if (Temporal.PlainDate.compare(to, from) < 0) return { ok: false, reply: error(400, 'InvalidParameter', 'request.endDate is before request.startDate.') };
  if (from.until(to).days > MAX_RANGE_DAYS) return { ok: false, reply: error(400, 'InvalidParameter', `The date range may span at most ${MAX_RANGE_DAYS} days.`) };
  return { ok: true, start: from, end: to };
}

const bookableItems = listRoute('/appointment/bookableitems', (ctx) => {
  const who = caller(ctx, false);
  if (!who.ok) return who.reply;
  const { site, store } = who.value;
  const page = pageParams(ctx);
  if (!page.ok) return page.reply;
  const refused = pageGate(ctx.state, 'mindbody.bookableItems', Math.floor(page.value.offset / page.value.limit) + 1, faults);
  if (refused) return refused;
  const sessionTypeIds = idsParam(ctx, 'request.sessionTypeIds');
  const staffIds = idsParam(ctx, 'request.staffIds');
  const locationIds = idsParam(ctx, 'request.locationIds');
  for (const checked of [sessionTypeIds, staffIds, locationIds]) if (!checked.ok) return checked.reply;
  if (!sessionTypeIds.ok || !sessionTypeIds.value) return error(400, 'MissingRequiredFields', 'request.sessionTypeIds is required.');
  const range = dateRange(ctx, site);
  if (!range.ok) return range.reply;
  const rawExcept = ctx.query.get('request.appointmentId');
  const except = rawExcept && /^\d+$/.test(rawExcept) ? Number(rawExcept) : undefined;
  const anyLength = ctx.query.get('request.ignoreDefaultSessionLength') === 'true';

  const types = SESSION_TYPES.filter((t) => sessionTypeIds.value!.includes(t.Id));
  const staff = STAFF.filter((s) => !staffIds.ok || !staffIds.value || staffIds.value.includes(s.Id));
  const locations = LOCATIONS.filter((l) => !locationIds.ok || !locationIds.value || locationIds.value.includes(l.Id));
  const all = allAppointments(ctx, site, store);
  const items: unknown[] = [];
  for (let date = range.start; Temporal.PlainDate.compare(date, range.end) <= 0; date = date.add({ days: 1 })) {
    for (const member of staff) {
      const shift = shiftOn(member, date);
      if (!shift) continue;
      const pieces = freePieces(shift, busyOf(all, member.Id, except));
      for (const type of types) {
        for (const location of locations) {
          for (const piece of pieces) {
            if (piece.to - piece.from < (anyLength ? 1 : type.DefaultTimeLength)) continue;
            items.push({
              Id: items.length + 1,
              Staff: staffJson(member),
              SessionType: { Id: type.Id, Name: type.Name, DefaultTimeLength: type.DefaultTimeLength, ProgramId: type.ProgramId, Type: type.Type },
              Programs: PROGRAMS.filter((p) => p.Id === type.ProgramId),
              Location: { Id: location.Id, Name: location.Name },
              StartDateTime: wallString(piece.from),
              EndDateTime: wallString(piece.to),
              BookableEndDateTime: wallString(Math.max(piece.from, piece.to - type.DefaultTimeLength)),
            });
          }
        }
      }
    }
  }
  const { slice, PaginationResponse } = paginated(items, page.value);
  return json(200, { PaginationResponse, Availabilities: slice });
});

const staffAppointments = listRoute('/appointment/staffappointments', (ctx) => {
  const who = caller(ctx, true);
  if (!who.ok) return who.reply;
  const { site, store } = who.value;
  const page = pageParams(ctx);
  if (!page.ok) return page.reply;
  const refused = pageGate(ctx.state, 'mindbody.staffAppointments', Math.floor(page.value.offset / page.value.limit) + 1, faults);
  if (refused) return refused;
  const appointmentIds = idsParam(ctx, 'request.appointmentIds');
  const staffIds = idsParam(ctx, 'request.staffIds');
  const locationIds = idsParam(ctx, 'request.locationIds');
  for (const checked of [appointmentIds, staffIds, locationIds]) if (!checked.ok) return checked.reply;
  const clientIds = [...listParam(ctx, 'request.clientId'), ...listParam(ctx, 'request.clientIds')];
  let found = allAppointments(ctx, site, store);
  if (appointmentIds.ok && appointmentIds.value) {
    found = found.filter((a) => appointmentIds.value!.includes(a.Id));
  } else {
    const range = dateRange(ctx, site);
    if (!range.ok) return range.reply;
    const from = wallMinutes(`${range.start}T00:00:00`);
    const to = wallMinutes(`${range.end.add({ days: 1 })}T00:00:00`);
    found = found.filter((a) => wallMinutes(a.StartDateTime) >= from && wallMinutes(a.StartDateTime) < to);
  }
  if (staffIds.ok && staffIds.value && !(staffIds.value.length === 1 && staffIds.value[0] === 0)) found = found.filter((a) => staffIds.value!.includes(a.StaffId));
  if (locationIds.ok && locationIds.value) found = found.filter((a) => locationIds.value!.includes(a.LocationId));
  if (clientIds.length > 0) found = found.filter((a) => clientIds.includes(a.ClientId));
  found.sort((a, b) => wallMinutes(a.StartDateTime) - wallMinutes(b.StartDateTime) || a.Id - b.Id);
  const { slice, PaginationResponse } = paginated(found.map(renderAppointment), page.value);
  return json(200, { PaginationResponse, Appointments: slice });
});

const sessionTypes = listRoute('/site/sessiontypes', (ctx) => {
  const who = caller(ctx, false);
  if (!who.ok) return who.reply;
  const page = pageParams(ctx);
  if (!page.ok) return page.reply;
  const ids = idsParam(ctx, 'request.sessionTypeIds');
  if (!ids.ok) return ids.reply;
  const types = SESSION_TYPES.filter((t) => !ids.value || ids.value.includes(t.Id));
  const { slice, PaginationResponse } = paginated(types, page.value);
  return json(200, { PaginationResponse, SessionTypes: slice });
});

const asId = (value: unknown) => (typeof value === 'number' && Number.isInteger(value) ? value : typeof value === 'string' && /^\d{1,10}$/.test(value) ? Number(value) : undefined);

/** A write's body, its Test flag, and the write gate (counted, open to page faults). */
function writeBody(ctx: RequestContext): { ok: true; body: Record<string, unknown>; test: boolean } | { ok: false; reply: Reply } {
  const refused = pageGate(ctx.state, 'mindbody.appointmentWrites', 1, faults);
  if (refused) return { ok: false, reply: refused };
  const parsed = readJson(ctx);
  if (!parsed.ok) return { ok: false, reply: error(400, 'InvalidParameter', parsed.reason) };
  return { ok: true, body: parsed.value, test: parsed.value.Test === true };
}

const unavailable = (staff: StaffMember, start: string) =>
  error(400, 'StaffUnavailable', `${staff.FirstName} ${staff.LastName} is not available at ${start}: the time is booked or outside their schedule.`);

const addAppointment: Route = {
  method: 'POST',
  hosts: [HOST],
  path: `${BASE}/appointment/addappointment`,
  handle(ctx) {
    const who = caller(ctx, true);
    if (!who.ok) return who.reply;
    const { site, store } = who.value;
    const all = allAppointments(ctx, site, store);
    const write = writeBody(ctx);
    if (!write.ok) return write.reply;
    const { body } = write;
    const clientId = typeof body.ClientId === 'string' || typeof body.ClientId === 'number' ? String(body.ClientId) : undefined;
    const [locationId, sessionTypeId, staffId] = [asId(body.LocationId), asId(body.SessionTypeId), asId(body.StaffId)];
    const start = localParam(body.StartDateTime);
    if (!clientId || locationId === undefined || sessionTypeId === undefined || staffId === undefined || !start) {
      return error(400, 'MissingRequiredFields', 'ClientId, LocationId, SessionTypeId, StaffId and StartDateTime are required.');
    }
    const clientIndex = store.clients.indexOf(clientId);
    if (clientIndex === undefined || store.clients.isDeleted(clientIndex)) return error(400, 'InvalidClientId', `Client ${clientId} does not exist.`);
    const staff = STAFF.find((s) => s.Id === staffId);
    const type = SESSION_TYPES.find((t) => t.Id === sessionTypeId);
    if (!staff || !type || !LOCATIONS.some((l) => l.Id === locationId)) return error(400, 'InvalidParameter', 'StaffId, SessionTypeId or LocationId does not exist at this site.');
    const end = body.EndDateTime === undefined ? wallString(wallMinutes(start) + (asId(body.Duration) ?? type.DefaultTimeLength)) : localParam(body.EndDateTime);
    if (!end || wallMinutes(end) <= wallMinutes(start)) return error(400, 'InvalidParameter', 'EndDateTime must be a date-time after StartDateTime.');
    if (!isFree(all, staff, wallMinutes(start), wallMinutes(end))) return unavailable(staff, start);
    const appointment: StoredAppointment = {
      Id: write.test ? 0 : store.nextAppointmentId++,
      Status: 'Booked',
      StartDateTime: start,
      EndDateTime: end,
      Duration: wallMinutes(end) - wallMinutes(start),
      Notes: typeof body.Notes === 'string' ? body.Notes : null,
      StaffId: staffId,
      ClientId: clientId,
      LocationId: locationId,
      SessionTypeId: sessionTypeId,
      ProgramId: type.ProgramId,
      StaffRequested: body.StaffRequested === true,
      FirstAppointment: !all.some((a) => a.ClientId === clientId),
    };
    if (write.test) return json(200, { Appointment: renderAppointment(appointment) });
    store.appointments.set(appointment.Id, appointment);
    return afterWrite(ctx.state, PROVIDER, json(200, { Appointment: renderAppointment(appointment) }));
  },
};

const EXECUTE: Record<string, string> = {
  cancel: 'Cancelled',
  latecancel: 'LateCancelled',
  confirm: 'Confirmed',
  unconfirm: 'Booked',
  arrive: 'Arrived',
  unarrive: 'Confirmed',
  complete: 'Completed',
};

const updateAppointment: Route = {
  method: 'POST',
  hosts: [HOST],
  path: `${BASE}/appointment/updateappointment`,
  handle(ctx) {
    const who = caller(ctx, true);
    if (!who.ok) return who.reply;
    const { site, store } = who.value;
    const all = allAppointments(ctx, site, store);
    const write = writeBody(ctx);
    if (!write.ok) return write.reply;
    const { body } = write;
    const id = asId(body.AppointmentId);
    if (id === undefined) return error(400, 'MissingRequiredFields', 'AppointmentId is required.');
    // A seeded appointment, once changed, is kept with the booked ones (which take precedence).
    const current = all.find((a) => a.Id === id);
    if (!current) return error(400, 'InvalidAppointmentId', `Appointment ${id} does not exist.`);
    const next: StoredAppointment = { ...current };
    if (body.Execute !== undefined) {
      const status = typeof body.Execute === 'string' ? EXECUTE[body.Execute.toLowerCase()] : undefined;
      if (!status) return error(400, 'InvalidParameter', `Execute must be one of ${Object.keys(EXECUTE).join(', ')}.`);
      if (!isLive(current)) return error(400, 'InvalidParameter', `Appointment ${id} is already cancelled.`);
      next.Status = status;
    }
    if (body.StartDateTime !== undefined || body.EndDateTime !== undefined || body.StaffId !== undefined) {
      if (!isLive(current)) return error(400, 'InvalidParameter', `Appointment ${id} is cancelled.`);
      const start = body.StartDateTime === undefined ? current.StartDateTime : localParam(body.StartDateTime);
      const length = wallMinutes(current.EndDateTime) - wallMinutes(current.StartDateTime);
      const end = body.EndDateTime === undefined ? (start ? wallString(wallMinutes(start) + length) : null) : localParam(body.EndDateTime);
      const staff = STAFF.find((s) => s.Id === (body.StaffId === undefined ? current.StaffId : asId(body.StaffId)));
      if (!start || !end || wallMinutes(end) <= wallMinutes(start)) return error(400, 'InvalidParameter', 'StartDateTime and EndDateTime must be date-times, the end after the start.');
      if (!staff) return error(400, 'InvalidParameter', 'StaffId does not exist at this site.');
      if (!isFree(all, staff, wallMinutes(start), wallMinutes(end), id)) return unavailable(staff, start);
      Object.assign(next, { StartDateTime: start, EndDateTime: end, Duration: wallMinutes(end) - wallMinutes(start), StaffId: staff.Id });
    }
    if (typeof body.Notes === 'string') next.Notes = body.Notes;
    if (write.test) return json(200, { Appointment: renderAppointment(next) });
    store.appointments.set(id, next);
    return afterWrite(ctx.state, PROVIDER, json(200, { Appointment: renderAppointment(next) }));
  },
};

export const mindbodyAppointmentRoutes: Route[] = [bookableItems, staffAppointments, sessionTypes, addAppointment, updateAppointment];
