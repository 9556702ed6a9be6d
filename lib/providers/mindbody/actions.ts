// Mindbody actions: clients (look up, create) and appointments (availability, book, cancel,
// reschedule) through the Public API v6 (sources in api.ts). Options read:
//   sessionTypeId(s)  the session type (service): required by availability.get and
//                     appointments.create (GET /appointment/bookableitems requires
//                     request.sessionTypeIds ✔);
//   staffId(s)        only these staff members (availability), this one (booking; default: the
//                     first staff member free for the whole slot);
//   locationId(s)     likewise for locations;
//   clientId          book for this Mindbody client instead of finding one by the attendee;
//   siteTimeZone      the site's IANA zone, when Site.TimeZone is not one we can read (api.ts);
//   sendEmail         Mindbody's SendEmail on writes (default false ✔).
//
// Everything but availability needs the connection's optional staff login: Mindbody takes a staff
// user token for client search ("user credentials must be provided" ✔), AddClient, AddAppointment,
// UpdateAppointment and StaffAppointments. Without one these answer action_not_supported.
//
// Availability. BookableItems answers windows, not slots ✔: per staff member, session type and
// location, a stretch of the site's local time (StartDateTime–EndDateTime) within which an
// appointment may start until BookableEndDateTime ("the time of day that the last appointment can
// start" ✔). Each window is read in the site's zone (DST is Temporal's business), and slots are
// computed with lib/actions/slots.ts for each staff member, session type and location on its own
// (time outside its windows counts as busy, buffers included), then joined: a slot is offered when
// any one staff member can take all of it. Whole local days are asked for, covering the window
// widened by the buffers.
//
// Booking. Mindbody has no idempotency key. Before booking, the exact slot is looked up again in
// BookableItems (taken → slot_unavailable); AddAppointment is then validated with `Test: true` ✔
// and sent for real. A refusal of either is followed by another look at BookableItems: a slot no
// longer offered answers slot_unavailable (Mindbody documents no error code for it, so none is
// relied on). Each booking's Notes end with a reference derived from the Idempotency-Key; when an
// earlier attempt may have committed (ActionContext.retry), the client's appointments at that start
// (GET /appointment/staffappointments) are looked at first and one found there is answered, and a
// slot found taken by an appointment carrying this booking's reference is answered as well.
// The attendee becomes the Mindbody client: found by email, then phone; else created (AddClient
// needs a first and a last name ✔, taken from attendee.name).
//
// Cancel and reschedule use UpdateAppointment ✔: `Execute: "cancel"` (possible values: confirm,
// unconfirm, arrive, unarrive, cancel, latecancel, complete ~) and a new StartDateTime/EndDateTime
// (only StartDateTime, EndDateTime, StaffId, Notes and SessionTypeId can change ✔). Reschedule checks
// the new slot in BookableItems with request.appointmentId, which leaves the appointment itself out
// ✔. The appointment is read with StaffAppointments' request.appointmentIds ✔ (that the date range
// does not then apply is unverified). A cancel reason is not sent: Mindbody takes none.
//
// What an action creates or changes is returned as records in the shapes the syncs store (the
// Client and Appointment objects as Mindbody answered them; appointments with their times as
// instants, mapping.ts), written through to the connection's records at once.
import crypto from 'node:crypto';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { z } from 'zod';
import { ActionError } from '../../actions/errors';
import type { ActionInput, ActionOutput } from '../../actions/schemas';
import { busyWindow, slotsInAnyFreeSpans } from '../../actions/slots';
import { ProviderHttpError } from '../errors';
import type { ActionContext, ActionRecord, ActionResult, ProviderActions, ProviderClient } from '../types';
import { fromLocal, iso, listAll, localDate, mindbodyRequest, requireStaffLogin, siteTimeZone, toLocal } from './api';
import {
  appointmentFrom,
  appointmentSchema,
  clientEmail,
  clientPhones,
  clientSchema,
  contactFromClient,
  isCancelled,
  type AppointmentNames,
  type MindbodyAppointment,
  type MindbodyClient,
  withSiteTimes,
} from './mapping';

const MINUTE_MS = 60_000;

type Options = Record<string, string | string[] | number | boolean> | undefined;

// ── Options ──────────────────────────────────────────────────────────────────────────────────────

function invalid(pointer: string, detail: string): ActionError {
  return new ActionError('validation_failed', `${pointer.slice(1).replace(/\//g, '.')}: ${detail}`, [{ pointer, detail }]);
}

/** Ids from options.<plural> (a list, or one value) or options.<singular>; undefined when absent. */
function optionIds(options: Options, singular: string, plural: string): number[] | undefined {
  const raw = options?.[plural] ?? options?.[singular];
  if (raw === undefined) return undefined;
  const name = options?.[plural] !== undefined ? plural : singular;
  const values = Array.isArray(raw) ? raw : [raw];
  const ids = values.map((value) => (typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d{1,10}\s*$/.test(value) ? Number(value) : NaN));
  if (ids.length === 0 || ids.some((id) => !Number.isSafeInteger(id) || id <= 0)) throw invalid(`/options/${name}`, 'expected Mindbody ids (positive whole numbers)');
  return [...new Set(ids)];
}

function requiredIds(options: Options, singular: string, plural: string, why: string): number[] {
  const ids = optionIds(options, singular, plural);
  if (!ids) throw invalid(`/options/${plural}`, `required: ${why}`);
  return ids;
}

function oneId(options: Options, singular: string, plural: string): number | undefined {
  const ids = optionIds(options, singular, plural);
  if (ids && ids.length > 1) throw invalid(`/options/${singular}`, 'give one id when booking');
  return ids?.[0];
}

const sendEmail = (options: Options) => options?.sendEmail === true || options?.sendEmail === 'true';

function appointmentIdOf(value: string): number {
  const trimmed = value.trim();
  if (!/^\d{1,12}$/.test(trimmed)) throw invalid('/appointmentId', 'a Mindbody appointment id is a number');
  return Number(trimmed);
}

// ── Clients ──────────────────────────────────────────────────────────────────────────────────────

const clientsKey = 'Clients';

/** GET /client/clients?request.searchText=… (FirstName, LastName and Email are searched ✔; phone numbers ~). */
async function searchClients(client: ProviderClient, text: string): Promise<{ parsed: MindbodyClient; raw: unknown }[]> {
  const raws = await listAll(client, '/client/clients', new URLSearchParams({ 'request.searchText': text }), clientsKey, z.unknown(), true);
  return raws.flatMap((raw) => {
    const parsed = clientSchema.safeParse(raw);
    return parsed.success ? [{ parsed: parsed.data, raw }] : [];
  });
}

/** What a phone is searched by: its national digits, as a site most likely stored it (unverified). */
function phoneSearchText(e164: string): string {
  return parsePhoneNumberFromString(e164)?.nationalNumber ?? e164.replace(/\D/g, '');
}

/** The clients whose email is exactly this one, or who have this phone; email matches first. */
async function findClients(client: ProviderClient, query: { email?: string; phone?: string }, region: string) {
  const found = new Map<string, { parsed: MindbodyClient; raw: unknown }>();
  if (query.email) {
    const email = query.email.toLowerCase();
    for (const hit of await searchClients(client, email)) if (clientEmail(hit.parsed) === email) found.set(String(hit.parsed.Id), hit);
  }
  if (query.phone) {
    for (const hit of await searchClients(client, phoneSearchText(query.phone))) {
      if (clientPhones(hit.parsed, region).includes(query.phone) && !found.has(String(hit.parsed.Id))) found.set(String(hit.parsed.Id), hit);
    }
  }
  return [...found.values()];
}

function contactResult(hit: { parsed: MindbodyClient; raw: unknown }, region: string) {
  const contact = contactFromClient(hit.parsed, region);
  return contact ? { contact, resource: 'clients', raw: hit.raw } : undefined;
}

const clientRecord = (hit: { parsed: MindbodyClient; raw: unknown }): ActionRecord => ({ resource: 'clients', externalId: String(hit.parsed.Id), data: hit.raw });

/** POST /client/addclient ✔; a refusal (missing required fields the site insists on) is the caller's to fix. */
async function addClient(client: ProviderClient, fields: Record<string, string | undefined>) {
  let body: unknown;
  try {
    body = await mindbodyRequest(client, '/client/addclient', {
      method: 'POST',
      staff: true,
      json: Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)),
    });
  } catch (error) {
    if (error instanceof ProviderHttpError && error.status === 400) throw new ActionError('validation_failed', `Mindbody refused the new client: ${error.providerMessage}`);
    throw error;
  }
  const raw = z.object({ Client: z.unknown() }).parse(body).Client;
  return { parsed: clientSchema.parse(raw), raw };
}

async function lookupContacts(context: ActionContext, input: ActionInput<'contacts.lookup'>) {
  const hits = await findClients(context.client, input, context.defaultRegion);
  return { output: { contacts: hits.flatMap((hit) => contactResult(hit, context.defaultRegion) ?? []) } };
}

async function createContact(context: ActionContext, input: ActionInput<'contacts.create'>): Promise<ActionResult<ActionOutput<'contacts.create'>>> {
  const region = context.defaultRegion;
  // Mindbody has no idempotency key: looking up first also finds what a lost earlier attempt made.
  const existing = (await findClients(context.client, input, region)).map((hit) => contactResult(hit, region)).find(Boolean);
  if (existing) return { output: { ...existing, created: false } };
  if (!input.firstName) throw invalid('/firstName', 'Mindbody needs a first name to create a client');
  if (!input.lastName) throw invalid('/lastName', 'Mindbody needs a last name to create a client');
  const created = await addClient(context.client, {
    FirstName: input.firstName,
    LastName: input.lastName,
    Email: input.email,
    MobilePhone: input.phone,
    Notes: input.notes,
  });
  const result = contactResult(created, region);
  if (!result) throw new ActionError('provider_error', `Mindbody created client ${String(created.parsed.Id)} without the email or phone it was given.`);
  return { output: { ...result, created: true }, records: [clientRecord(created)] };
}

// ── Bookable windows ─────────────────────────────────────────────────────────────────────────────

const named = z.object({ Id: z.number().int(), Name: z.string().nullish() }).passthrough();
const availabilitySchema = z
  .object({
    Staff: z.object({ Id: z.number().int(), FirstName: z.string().nullish(), LastName: z.string().nullish(), DisplayName: z.string().nullish(), Name: z.string().nullish() }).passthrough().nullish(),
    SessionType: z.object({ Id: z.number().int(), Name: z.string().nullish(), DefaultTimeLength: z.number().nullish() }).passthrough().nullish(),
    Location: named.nullish(),
    StartDateTime: z.string(),
    EndDateTime: z.string(),
    BookableEndDateTime: z.string().nullish(),
  })
  .passthrough();

interface Window {
  staffId: number;
  sessionTypeId: number;
  locationId: number | null;
  names: AppointmentNames;
  start: number;
  end: number;
  /** The last start Mindbody allows in it. */
  lastStart: number | null;
}

interface WindowQuery {
  sessionTypeIds: number[];
  staffIds?: number[];
  locationIds?: number[];
  /** Leaves this appointment out (rescheduling it). */
  appointmentId?: number;
}

/** BookableItems for the whole local days covering [from, to), as instants. */
async function bookableWindows(client: ProviderClient, zone: string, query: WindowQuery, from: number, to: number): Promise<Window[]> {
  const params = new URLSearchParams({ 'request.startDate': localDate(from, zone), 'request.endDate': localDate(to, zone) });
  for (const id of query.sessionTypeIds) params.append('request.sessionTypeIds', String(id));
  for (const id of query.staffIds ?? []) params.append('request.staffIds', String(id));
  for (const id of query.locationIds ?? []) params.append('request.locationIds', String(id));
  if (query.appointmentId !== undefined) params.set('request.appointmentId', String(query.appointmentId));
  const items = await listAll(client, '/appointment/bookableitems', params, 'Availabilities', availabilitySchema);
  return items.flatMap((item) => {
    if (!item.Staff || !item.SessionType) return [];
    const staff = item.Staff;
    const staffName = staff.DisplayName ?? staff.Name ?? ([staff.FirstName, staff.LastName].filter(Boolean).join(' ') || undefined);
    return [
      {
        staffId: staff.Id,
        sessionTypeId: item.SessionType.Id,
        locationId: item.Location?.Id ?? null,
        names: { staffName: staffName ?? undefined, sessionTypeName: item.SessionType.Name ?? undefined, locationName: item.Location?.Name ?? undefined },
        start: fromLocal(item.StartDateTime, zone),
        end: fromLocal(item.EndDateTime, zone),
        lastStart: item.BookableEndDateTime ? fromLocal(item.BookableEndDateTime, zone) : null,
      },
    ];
  });
}

/** Where in the window an appointment of this length may lie: from its start to the last start plus the length. */
const freeSpan = (w: Window, durationMs: number) => ({ start: w.start, end: w.lastStart === null ? w.end : Math.min(w.end, w.lastStart + durationMs) });

const fits = (w: Window, start: number, end: number) => {
  const span = freeSpan(w, end - start);
  return start >= span.start && end <= span.end;
};

const groupKey = (w: Window) => `${w.staffId}|${w.sessionTypeId}|${w.locationId ?? ''}`;

async function availability(context: ActionContext, input: ActionInput<'availability.get'>) {
  const query = {
    sessionTypeIds: requiredIds(input.options, 'sessionTypeId', 'sessionTypeIds', 'Mindbody finds availability per session type'),
    staffIds: optionIds(input.options, 'staffId', 'staffIds'),
    locationIds: optionIds(input.options, 'locationId', 'locationIds'),
  };
  const zone = await siteTimeZone(context.client, input.options);
  const range = busyWindow(input);
  const from = Date.parse(range.start);
  const to = Date.parse(range.end);
  const windows = await bookableWindows(context.client, zone, query, from, to);
  const duration = input.durationMinutes * MINUTE_MS;
  const groups = new Map<string, Window[]>();
  for (const w of windows) groups.set(groupKey(w), [...(groups.get(groupKey(w)) ?? []), w]);
  const freeSpans = [...groups.values()].map((group) => group.map((w) => freeSpan(w, duration)));
  return { output: { timeZone: input.timeZone, slots: slotsInAnyFreeSpans({ ...input, now: context.now }, freeSpans, from, to) } };
}

// ── Appointments ─────────────────────────────────────────────────────────────────────────────────

const appointmentsKey = 'Appointments';

/** GET /appointment/staffappointments with these filters (staff token). */
async function staffAppointments(client: ProviderClient, filters: Record<string, string | string[]>) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) for (const item of Array.isArray(value) ? value : [value]) params.append(name, item);
  const raws = await listAll(client, '/appointment/staffappointments', params, appointmentsKey, z.unknown(), true);
  return raws.flatMap((raw) => {
    const parsed = appointmentSchema.safeParse(raw);
    return parsed.success ? [{ parsed: parsed.data, raw }] : [];
  });
}

async function getAppointment(client: ProviderClient, id: number) {
  return (await staffAppointments(client, { 'request.appointmentIds': String(id) })).find((a) => a.parsed.Id === id) ?? null;
}

/** The reference a booking's Notes end with: the same for every attempt with one Idempotency-Key. */
export function bookingRef(idempotencyKey: string): string {
  return `ih-${crypto.createHash('sha256').update(`integration-hub:mindbody:booking:${idempotencyKey}`).digest('hex').slice(0, 16)}`;
}

function bookingNotes(input: ActionInput<'appointments.create'>, ref: string): string {
  const { attendee } = input;
  return [input.title, input.description, attendee.name ? `Booked for: ${attendee.name}` : undefined, `Integration Hub booking ${ref}`].filter(Boolean).join('\n\n');
}

/** A live appointment of the client's at this start (with this staff member), this booking's first. */
async function findBooking(client: ProviderClient, zone: string, match: { clientId: string; start: number; staffId?: number; ref: string; refOnly: boolean }) {
  const day = localDate(match.start, zone);
  const found = (await staffAppointments(client, { 'request.clientId': match.clientId, 'request.startDate': day, 'request.endDate': day })).filter(
    ({ parsed }) =>
      String(parsed.ClientId) === match.clientId &&
      !isCancelled(parsed) &&
      fromLocal(parsed.StartDateTime, zone) === match.start &&
      (match.staffId === undefined || parsed.StaffId === match.staffId),
  );
  const ours = found.find(({ parsed }) => parsed.Notes?.includes(match.ref));
  return ours ?? (match.refOnly ? undefined : found[0]);
}

function appointmentResult(hit: { parsed: MindbodyAppointment; raw: unknown }, zone: string, names: AppointmentNames, extra: ActionRecord[] = []) {
  return {
    output: { appointment: appointmentFrom(hit.parsed, zone, names), resource: 'appointments', raw: hit.raw },
    // In the shape the appointments sync stores, so the next sync finds it unchanged.
    records: [...extra, { resource: 'appointments', externalId: String(hit.parsed.Id), data: withSiteTimes(hit.raw, zone) }],
  };
}

const parseAppointmentAnswer = (body: unknown) => {
  const raw = z.object({ Appointment: z.unknown() }).parse(body).Appointment;
  return { parsed: appointmentSchema.parse(raw), raw };
};

const isRefusal = (error: unknown) => error instanceof ProviderHttpError && error.status >= 400 && error.status < 500 && error.status !== 401 && error.status !== 429;

/** Names of the session types (GET /site/sessiontypes ✔), for titles when no window gave them. */
async function sessionTypeName(client: ProviderClient, id: number | null | undefined): Promise<string | undefined> {
  if (id === null || id === undefined) return undefined;
  const body = await mindbodyRequest(client, `/site/sessiontypes?request.sessionTypeIds=${id}`);
  const types = z.object({ SessionTypes: z.array(named).nullish() }).parse(body).SessionTypes ?? [];
  return types.find((t) => t.Id === id)?.Name ?? undefined;
}

async function createAppointment(context: ActionContext, input: ActionInput<'appointments.create'>) {
  const { client } = context;
  if (!context.idempotencyKey) throw new ActionError('validation_failed', 'Booking needs an Idempotency-Key.');
  requireStaffLogin(client);
  const sessionTypeId = oneId(input.options, 'sessionTypeId', 'sessionTypeIds');
  if (sessionTypeId === undefined) throw invalid('/options/sessionTypeId', 'required: the Mindbody session type to book');
  const staffId = oneId(input.options, 'staffId', 'staffIds');
  const locationId = oneId(input.options, 'locationId', 'locationIds');
  const optionClientId = typeof input.options?.clientId === 'string' ? input.options.clientId.trim() || undefined : undefined;
  const ref = bookingRef(context.idempotencyKey);
  const region = context.defaultRegion;
  const zone = await siteTimeZone(client, input.options);
  const start = Date.parse(input.start);
  const end = start + input.durationMinutes * MINUTE_MS;
  const slot = `${iso(start)}–${iso(end)}`;

  const existingClient = optionClientId ? null : ((await findClients(client, input.attendee, region))[0] ?? null);
  const clientId = optionClientId ?? (existingClient ? String(existingClient.parsed.Id) : undefined);
  const answerEarlier = async (refOnly: boolean) => {
    if (!clientId) return undefined;
    const earlier = await findBooking(client, zone, { clientId, start, staffId, ref, refOnly });
    if (!earlier) return undefined;
    const windowNames = { sessionTypeName: await sessionTypeName(client, earlier.parsed.SessionTypeId) };
    return appointmentResult(earlier, zone, windowNames);
  };
  // An earlier attempt may have booked and lost the answer: look before booking again.
  if (context.retry) {
    const earlier = await answerEarlier(false);
    if (earlier) return earlier;
  }

  const query = { sessionTypeIds: [sessionTypeId], staffIds: staffId === undefined ? undefined : [staffId], locationIds: locationId === undefined ? undefined : [locationId] };
  const offered = async () =>
    (await bookableWindows(client, zone, query, start, end))
      .filter((w) => w.sessionTypeId === sessionTypeId && (staffId === undefined || w.staffId === staffId) && (locationId === undefined || w.locationId === locationId))
      .filter((w) => fits(w, start, end))
      .sort((a, b) => a.staffId - b.staffId || (a.locationId ?? 0) - (b.locationId ?? 0))[0];
  const window = await offered();
  if (!window) {
    // Taken, unless by this very booking.
    const earlier = await answerEarlier(true);
    if (earlier) return earlier;
    throw new ActionError('slot_unavailable', `Mindbody does not offer ${slot} for session type ${sessionTypeId}${staffId ? ` with staff member ${staffId}` : ''}: it is taken or outside bookable hours.`);
  }
  if (window.locationId === null) throw new ActionError('provider_error', 'Mindbody offered the slot without a location; give options.locationId.');

  const records: ActionRecord[] = [];
  let bookFor = clientId;
  if (!bookFor) {
    const [firstName, ...rest] = (input.attendee.name ?? '').trim().split(/\s+/);
    if (!firstName || rest.length === 0) throw invalid('/attendee/name', 'Mindbody needs a first and a last name to create the client for this booking');
    const created = await addClient(client, { FirstName: firstName, LastName: rest.join(' '), Email: input.attendee.email, MobilePhone: input.attendee.phone });
    bookFor = String(created.parsed.Id);
    records.push(clientRecord(created));
  }

  const request = {
    ClientId: bookFor,
    LocationId: window.locationId,
    SessionTypeId: sessionTypeId,
    StaffId: window.staffId,
    StaffRequested: staffId !== undefined,
    StartDateTime: toLocal(start, zone),
    EndDateTime: toLocal(end, zone),
    Notes: bookingNotes(input, ref),
    SendEmail: sendEmail(input.options),
  };
  const add = async (test: boolean) => {
    try {
      return await mindbodyRequest(client, '/appointment/addappointment', { method: 'POST', staff: true, json: { ...request, Test: test } });
    } catch (error) {
      if (isRefusal(error) && !(await offered())) throw new ActionError('slot_unavailable', `${slot} was taken by another booking a moment earlier.`);
      throw error;
    }
  };
  await add(true);
  const booked = parseAppointmentAnswer(await add(false));
  return appointmentResult(booked, zone, window.names, records);
}

async function cancelAppointment(context: ActionContext, input: ActionInput<'appointments.cancel'>) {
  const { client } = context;
  const id = appointmentIdOf(input.appointmentId);
  const zone = await siteTimeZone(client, input.options);
  const current = await getAppointment(client, id);
  if (!current) throw new ActionError('not_found', `Mindbody has no appointment ${id}.`);
  const names = { sessionTypeName: await sessionTypeName(client, current.parsed.SessionTypeId) };
  // Cancelled is cancelled: a repeated cancel answers the cancelled appointment.
  if (isCancelled(current.parsed)) return appointmentResult(current, zone, names);
  let answer;
  try {
    answer = parseAppointmentAnswer(
      await mindbodyRequest(client, '/appointment/updateappointment', { method: 'POST', staff: true, json: { AppointmentId: id, Execute: 'cancel', SendEmail: sendEmail(input.options) } }),
    );
  } catch (error) {
    if (!isRefusal(error)) throw error;
    const now = await getAppointment(client, id);
    if (now && isCancelled(now.parsed)) return appointmentResult(now, zone, names);
    throw new ActionError('conflict', `Mindbody refused to cancel appointment ${id}${error instanceof ProviderHttpError ? ` (${error.providerMessage})` : ''}.`);
  }
  return appointmentResult(answer, zone, names);
}

async function rescheduleAppointment(context: ActionContext, input: ActionInput<'appointments.reschedule'>) {
  const { client } = context;
  const id = appointmentIdOf(input.appointmentId);
  const zone = await siteTimeZone(client, input.options);
  const current = await getAppointment(client, id);
  if (!current) throw new ActionError('not_found', `Mindbody has no appointment ${id}.`);
  if (isCancelled(current.parsed)) throw new ActionError('conflict', `Appointment ${id} is cancelled and cannot be rescheduled.`);
  const { StaffId: staffId, SessionTypeId: sessionTypeId, LocationId: locationId } = current.parsed;
  if (!staffId || !sessionTypeId) throw new ActionError('provider_error', `Mindbody's appointment ${id} names no staff member or session type.`);
  const start = Date.parse(input.start);
  const end = start + input.durationMinutes * MINUTE_MS;
  const slot = `${iso(start)}–${iso(end)}`;
  const query = { sessionTypeIds: [sessionTypeId], staffIds: [staffId], ...(locationId ? { locationIds: [locationId] } : {}), appointmentId: id };
  const offered = async () =>
    (await bookableWindows(client, zone, query, start, end)).find(
      (w) => w.staffId === staffId && w.sessionTypeId === sessionTypeId && (!locationId || w.locationId === locationId) && fits(w, start, end),
    );
  const window = await offered();
  if (!window) throw new ActionError('slot_unavailable', `Mindbody does not offer ${slot} with staff member ${staffId}: it is taken or outside bookable hours.`);
  let answer;
  try {
    answer = parseAppointmentAnswer(
      await mindbodyRequest(client, '/appointment/updateappointment', {
        method: 'POST',
        staff: true,
        json: { AppointmentId: id, StartDateTime: toLocal(start, zone), EndDateTime: toLocal(end, zone), SendEmail: sendEmail(input.options) },
      }),
    );
  } catch (error) {
    if (isRefusal(error) && !(await offered())) throw new ActionError('slot_unavailable', `${slot} was taken by another booking a moment earlier.`);
    throw error;
  }
  return appointmentResult(answer, zone, window.names);
}

export const mindbodyActions: ProviderActions = {
  'contacts.lookup': lookupContacts,
  'contacts.create': createContact,
  'availability.get': availability,
  'appointments.create': createAppointment,
  'appointments.cancel': cancelAppointment,
  'appointments.reschedule': rescheduleAppointment,
};
