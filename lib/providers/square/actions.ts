// Square actions: customers (look up, create) and bookings (availability, book, cancel,
// reschedule), through the Customers, Locations and Bookings APIs
// (developer.squareup.com/reference/square/customers-api/search-customers, …/create-customer,
// …/locations-api/list-locations, …/bookings-api/search-availability, …/create-booking,
// …/retrieve-booking, …/update-booking, …/cancel-booking). Options read (all strings):
//   serviceVariationId  the service (a catalog item variation) to find slots for and book: required
//                       by availability.get and appointments.create (Square searches per service);
//   teamMemberId(s)     availability: only these team members; booking: this team member (default:
//                       whoever Square offers first at that time);
//   locationId          the location (default: the first ACTIVE location ListLocations gives).
//
// Availability is Square's: SearchAvailability answers the starts a service can be booked at
// (taking the seller's hours, alignment and existing bookings into account), each with its
// appointment segments, whose durations are the service's. The hub's constraints are applied on
// top: the window (a slot ends by its end), minimum notice, working hours and step in the given
// zone (lib/actions/slots.ts decides which starts those allow), and buffers against the team
// member's other bookings (listed only when a buffer is asked for). Square books a service for the
// service's own length, so durationMinutes must be that length: a different one is refused with
// validation_failed naming it rather than answered with slots of another length.
// SearchAvailability takes ranges of 24 hours to 32 days (SearchAvailabilityFilter.start_at_range):
// longer windows go in 32-day chunks, shorter ones are widened to 24 hours and filtered.
//
// Idempotency is Square's own: every write carries an idempotency_key derived from the request's
// Idempotency-Key (per endpoint, so the customer a booking creates and the booking never share one),
// and Square answers a repeated request with the first answer. When an earlier attempt may have
// committed (ActionContext.retry, or Square refusing the key as reused with other data), the
// booking it made is looked up (the customer's booking at that start) and answered.
//
// Conflicts. The app asks for APPOINTMENTS_WRITE without APPOINTMENTS_ALL_WRITE, so its writes are
// buyer-level: Square only books slots it offers, and refuses a slot taken in the meantime (it
// allows double bookings only to seller-level writes, which also need an Appointments Plus or
// Premium subscription). A booking searches the exact slot right before booking (slot_unavailable
// when it is gone); when Square then refuses the write, the slot is searched again, and a slot no
// longer offered answers slot_unavailable. Square documents no code for that refusal, so none is
// relied on.
//
// Contacts are Square customers, searched by exact phone (E.164) and email; outputs are mapped with
// the default customers and bookings mappings, as the sync stores them, and what a write creates
// or changes is written through in the listings' shape (Square's own objects). Square customers
// have no job title: one given goes into the note. Square bookings have no title: the title and
// description go into the customer note. CancelBooking takes no reason; a reason given is not sent.
import crypto from 'node:crypto';
import { z } from 'zod';
import { ActionError } from '../../actions/errors';
import type { ActionInput, ActionOutput } from '../../actions/schemas';
import { freeSlots, isFree, type TimeRange } from '../../actions/slots';
import { applyMapping, compileMapping, type CompiledMapping } from '../../mapping/interpreter';
import { Appointment, Contact } from '../../mapping/model';
import { ProviderHttpError } from '../errors';
import type { ActionContext, ActionRecord, ActionResult, ProviderActions, ProviderClient } from '../types';
import { defaultMappings } from './mappings';
import { SQUARE_VERSION } from './version';

const API = 'https://connect.squareup.com/v2';
const headers = { 'Square-Version': SQUARE_VERSION };
const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
/** SearchAvailabilityFilter.start_at_range: "at least 24 hours and at most 32 days long". */
const MIN_SEARCH_MS = DAY_MS;
const MAX_SEARCH_MS = 32 * DAY_MS;
/** ListBookings: "The maximum range for start_at_min and start_at_max is 31 days." */
const MAX_LISTING_MS = 31 * DAY_MS;
/** How far back a booking can start and still reach into a buffer (Square caps a segment at 1,500 minutes). */
const LONGEST_BOOKING_MS = 25 * 60 * MINUTE_MS;
/** CreateCustomer documents no maximum for idempotency_key; 45 characters is what Square's strictest endpoints take. */
const CUSTOMER_KEY_LENGTH = 45;
/** CreateBooking, UpdateBooking and CancelBooking: idempotency_key "Max Length 255". */
const BOOKING_KEY_LENGTH = 255;
/** Booking.customer_note: "maxLength: 4096". */
const NOTE_LENGTH = 4096;

type Options = Record<string, string | string[] | number | boolean> | undefined;

// Loose: what is parsed is checked, what is stored is Square's object as it came.
const segmentSchema = z.looseObject({
  team_member_id: z.string().min(1),
  service_variation_id: z.string().optional(),
  service_variation_version: z.number().optional(),
  duration_minutes: z.number().optional(),
});
type Segment = z.infer<typeof segmentSchema>;

const bookingSchema = z.looseObject({
  id: z.string().min(1),
  version: z.number().int().optional(),
  status: z.string().optional(),
  start_at: z.string(),
  location_id: z.string().optional(),
  customer_id: z.string().optional(),
  appointment_segments: z.array(segmentSchema).optional(),
});
type Booking = z.infer<typeof bookingSchema>;

const availabilitySchema = z.looseObject({
  start_at: z.string(),
  location_id: z.string().optional(),
  appointment_segments: z.array(segmentSchema).min(1),
});
type Availability = z.infer<typeof availabilitySchema>;

const customerSchema = z.looseObject({ id: z.string().min(1) });
type Customer = z.infer<typeof customerSchema>;

const customerSearch = z.object({ customers: z.array(customerSchema).optional() });
const customerAnswer = z.object({ customer: customerSchema });
const bookingAnswer = z.object({ booking: bookingSchema });
const bookingList = z.object({ bookings: z.array(bookingSchema).optional(), cursor: z.string().optional() });
const availabilityAnswer = z.object({ availabilities: z.array(availabilitySchema).optional() });
const locationList = z.object({ locations: z.array(z.looseObject({ id: z.string().min(1), status: z.string().optional() })).optional() });

const CLOSED = new Set(['CANCELLED_BY_CUSTOMER', 'CANCELLED_BY_SELLER', 'DECLINED']);
const CANCELLED = new Set(['CANCELLED_BY_CUSTOMER', 'CANCELLED_BY_SELLER']);

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

// ── Small helpers ─────────────────────────────────────────────────────────────────────────────

function optionString(options: Options, name: string): string | undefined {
  const value = options?.[name];
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

function optionList(options: Options, ...names: string[]): string[] | undefined {
  for (const name of names) {
    const value = options?.[name];
    const list = typeof value === 'string' ? [value] : Array.isArray(value) ? value : undefined;
    const ids = list?.map((id) => id.trim()).filter(Boolean);
    if (ids && ids.length > 0) return [...new Set(ids)];
  }
  return undefined;
}

function requiredOption(options: Options, name: string, why: string): string {
  const value = optionString(options, name);
  if (!value) throw new ActionError('validation_failed', `options.${name} is required: ${why}`, [{ pointer: `/options/${name}`, detail: why }]);
  return value;
}

/** The idempotency_key of one Square endpoint for this Idempotency-Key (hex, so any length cut is safe). */
function squareKey(key: string | null, endpoint: string, length: number): string | undefined {
  if (!key) return undefined;
  return crypto.createHash('sha256').update(`integration-hub:square:${endpoint}:`).update(key).digest('hex').slice(0, length);
}

/** Square's error code, which describeError appends to the detail: "detail (CODE)". */
export function squareErrorCode(error: unknown): string | undefined {
  if (!(error instanceof ProviderHttpError)) return undefined;
  return /\(([A-Z][A-Z0-9_]*)\)$/.exec(error.providerMessage)?.[1] ?? (/^[A-Z][A-Z0-9_]*$/.test(error.providerMessage) ? error.providerMessage : undefined);
}

const isRefusal = (error: unknown) => error instanceof ProviderHttpError && error.status >= 400 && error.status < 500 && ![401, 403, 429].includes(error.status);

/** The total length of a booking's or availability's segments, in minutes (undefined when Square gives none). */
function minutesOf(segments: Segment[] | undefined): number | undefined {
  if (!segments || segments.length === 0 || segments.some((s) => s.duration_minutes === undefined)) return undefined;
  return segments.reduce((sum, s) => sum + (s.duration_minutes ?? 0), 0);
}

const isLive = (booking: Booking) => !CLOSED.has(booking.status ?? '');

// ── Mapping ───────────────────────────────────────────────────────────────────────────────────

let compiledCustomers: CompiledMapping | undefined;
let compiledBookings: CompiledMapping | undefined;

function mapped(compiled: CompiledMapping, record: unknown, what: string): Record<string, unknown> {
  const result = applyMapping(compiled, record);
  if (result.errors.length > 0) {
    throw new ActionError('provider_error', `Square's ${what} did not map onto the model: ${result.errors.map((e) => `${e.target}: ${e.message}`).join('; ')}`);
  }
  return result.output;
}

function contactOf(customer: Customer) {
  compiledCustomers ??= compileMapping(defaultMappings.customers);
  return { contact: Contact.parse(mapped(compiledCustomers, customer, 'customer')), resource: 'customers', raw: customer };
}

function appointmentResult(booking: Booking, records: ActionRecord[] = []): ActionResult<ActionOutput<'appointments.create'>> {
  compiledBookings ??= compileMapping(defaultMappings.bookings);
  return {
    output: { appointment: Appointment.parse(mapped(compiledBookings, booking, 'booking')), resource: 'bookings', raw: booking },
    records: [...records, { resource: 'bookings', externalId: booking.id, data: booking }],
  };
}

const customerRecord = (customer: Customer): ActionRecord => ({ resource: 'customers', externalId: customer.id, data: customer });

// ── Customers ─────────────────────────────────────────────────────────────────────────────────

/**
 * Customers with this phone (E.164) or email, exact matches (SearchCustomers' CustomerTextFilter):
 * one search per attribute, as a search ANDs its filters. Those matching both come first.
 */
async function findCustomers(client: ProviderClient, who: { phone?: string; email?: string }): Promise<Customer[]> {
  const filters: Record<string, unknown>[] = [];
  if (who.phone) filters.push({ phone_number: { exact: who.phone } });
  if (who.email) filters.push({ email_address: { exact: who.email } });
  const found = new Map<string, { customer: Customer; hits: number; order: number }>();
  for (const filter of filters) {
    const { body } = await client.request(`${API}/customers/search`, { method: 'POST', headers, json: { query: { filter }, limit: 100 } });
    for (const customer of customerSearch.parse(body).customers ?? []) {
      const seen = found.get(customer.id);
      if (seen) seen.hits += 1;
      else found.set(customer.id, { customer, hits: 1, order: found.size });
    }
  }
  return [...found.values()].sort((a, b) => b.hits - a.hits || a.order - b.order).map((entry) => entry.customer);
}

async function createCustomer(context: ActionContext, fields: Record<string, string | undefined>): Promise<Customer> {
  const idempotencyKey = squareKey(context.idempotencyKey, 'CreateCustomer', CUSTOMER_KEY_LENGTH);
  const { body } = await context.client.request(`${API}/customers`, {
    method: 'POST',
    headers,
    json: { ...(idempotencyKey ? { idempotency_key: idempotencyKey } : {}), ...fields },
  });
  return customerAnswer.parse(body).customer;
}

/** "Grace Brewster Hopper" → given "Grace Brewster", family "Hopper"; one word is a given name. */
function splitName(name: string | undefined): { given_name?: string; family_name?: string } {
  const words = name?.trim().split(/\s+/).filter(Boolean) ?? [];
  if (words.length === 0) return {};
  if (words.length === 1) return { given_name: words[0] };
  return { given_name: words.slice(0, -1).join(' '), family_name: words.at(-1) };
}

// ── Locations, availability, bookings ─────────────────────────────────────────────────────────

async function locationOf(client: ProviderClient, options: Options): Promise<string> {
  const given = optionString(options, 'locationId');
  if (given) return given;
  const { body } = await client.request(`${API}/locations`, { headers });
  const active = (locationList.parse(body).locations ?? []).find((location) => location.status === 'ACTIVE');
  if (!active) throw new ActionError('provider_error', 'Square lists no active location for this account; give options.locationId.');
  return active.id;
}

type AvailabilityFilter = { locationId: string; serviceVariationId: string; teamMemberIds?: string[] } | { bookingId: string };

/** Square's availabilities starting in [from, to), asked for in ranges Square accepts. */
async function searchAvailability(client: ProviderClient, filter: AvailabilityFilter, from: number, to: number): Promise<Availability[]> {
  const query =
    'bookingId' in filter
      ? { booking_id: filter.bookingId }
      : {
          location_id: filter.locationId,
          segment_filters: [
            { service_variation_id: filter.serviceVariationId, ...(filter.teamMemberIds ? { team_member_id_filter: { any: filter.teamMemberIds } } : {}) },
          ],
        };
  const found = new Map<string, Availability>();
  for (let start = from; start < to; start += MAX_SEARCH_MS) {
    const end = Math.max(Math.min(start + MAX_SEARCH_MS, to), start + MIN_SEARCH_MS);
    const { body } = await client.request(`${API}/bookings/availability/search`, {
      method: 'POST',
      headers,
      json: { query: { filter: { start_at_range: { start_at: iso(start), end_at: iso(end) }, ...query } } },
    });
    for (const availability of availabilityAnswer.parse(body).availabilities ?? []) {
      const at = Date.parse(availability.start_at);
      // Chunks meet at their ends: an availability on the boundary may come twice.
      const id = `${at}|${availability.appointment_segments.map((s) => s.team_member_id).join(',')}`;
      if (at >= from && at < to && !found.has(id)) found.set(id, availability);
    }
  }
  return [...found.values()].sort((a, b) => Date.parse(a.start_at) - Date.parse(b.start_at));
}

/** What Square offers at exactly `start` (for this team member, if named), or undefined when nothing. */
async function offerAt(client: ProviderClient, filter: AvailabilityFilter, start: number, teamMemberId?: string): Promise<Availability | undefined> {
  const offers = await searchAvailability(client, filter, start, start + MIN_SEARCH_MS);
  return offers.find(
    (offer) => Date.parse(offer.start_at) === start && (teamMemberId === undefined || offer.appointment_segments.some((s) => s.team_member_id === teamMemberId)),
  );
}

async function retrieveBooking(client: ProviderClient, bookingId: string): Promise<Booking | null> {
  try {
    const { body } = await client.request(`${API}/bookings/${encodeURIComponent(bookingId)}`, { headers });
    return bookingAnswer.parse(body).booking;
  } catch (error) {
    if (error instanceof ProviderHttpError && error.status === 404) return null;
    throw error;
  }
}

/** The location's bookings starting in [from, to), in ListBookings' 31-day windows. */
async function listBookings(client: ProviderClient, locationId: string, from: number, to: number, customerId?: string): Promise<Booking[]> {
  const bookings: Booking[] = [];
  for (let start = from; start < to; start += MAX_LISTING_MS) {
    const end = Math.min(start + MAX_LISTING_MS, to);
    let cursor: string | undefined;
    do {
      const query = new URLSearchParams({ limit: '100', location_id: locationId, start_at_min: iso(start), start_at_max: iso(end) });
      if (customerId) query.set('customer_id', customerId);
      if (cursor) query.set('cursor', cursor);
      const { body } = await client.request(`${API}/bookings?${query}`, { headers });
      const page = bookingList.parse(body);
      bookings.push(...(page.bookings ?? []));
      cursor = page.cursor || undefined;
    } while (cursor);
  }
  return bookings;
}

/** Busy time per team member: the live bookings' segments, one after another from the start. */
function busyByTeamMember(bookings: Booking[]): Map<string, TimeRange[]> {
  const busy = new Map<string, TimeRange[]>();
  for (const booking of bookings) {
    if (!isLive(booking)) continue;
    let at = Date.parse(booking.start_at);
    for (const segment of booking.appointment_segments ?? []) {
      const end = at + (segment.duration_minutes ?? 0) * MINUTE_MS;
      busy.set(segment.team_member_id, [...(busy.get(segment.team_member_id) ?? []), { start: iso(at), end: iso(end) }]);
      at = end;
    }
  }
  return busy;
}

/**
 * The booking an earlier attempt with this key made, if it stands: the customer's live booking of
 * the service at this start (Square keeps no trace of the key on the booking itself).
 */
async function earlierBooking(
  client: ProviderClient,
  where: { locationId: string; customerId: string; start: number; serviceVariationId: string; teamMemberId?: string },
): Promise<Booking | undefined> {
  const bookings = await listBookings(client, where.locationId, where.start, where.start + MINUTE_MS, where.customerId);
  return bookings.find(
    (booking) =>
      isLive(booking) &&
      booking.customer_id === where.customerId &&
      Date.parse(booking.start_at) === where.start &&
      (booking.appointment_segments ?? []).some(
        (segment) => segment.service_variation_id === where.serviceVariationId && (where.teamMemberId === undefined || segment.team_member_id === where.teamMemberId),
      ),
  );
}

function wrongLength(serviceVariationId: string, minutes: number, asked: number): ActionError {
  const detail = `Square books service variation ${serviceVariationId} for ${minutes} minutes; ask for durationMinutes ${minutes} (not ${asked}).`;
  return new ActionError('validation_failed', detail, [{ pointer: '/durationMinutes', detail }]);
}

// ── Actions ───────────────────────────────────────────────────────────────────────────────────

async function availability(context: ActionContext, input: ActionInput<'availability.get'>): Promise<ActionResult<ActionOutput<'availability.get'>>> {
  const { client } = context;
  const serviceVariationId = requiredOption(input.options, 'serviceVariationId', 'Square finds availability per service (a catalog item variation id).');
  const teamMemberIds = optionList(input.options, 'teamMemberIds', 'teamMemberId');
  const windowStart = Date.parse(input.start);
  const windowEnd = Date.parse(input.end);
  const now = context.now.getTime();
  const earliest = Math.max(windowStart, now + input.minimumNoticeMinutes * MINUTE_MS);
  const none = { output: { timeZone: input.timeZone, slots: [] } };
  if (earliest >= windowEnd) return none;
  const locationId = await locationOf(client, input.options);
  const offers = await searchAvailability(client, { locationId, serviceVariationId, teamMemberIds }, earliest, windowEnd);
  if (offers.length === 0) return none;

  const fitting = offers.filter((offer) => (minutesOf(offer.appointment_segments) ?? input.durationMinutes) === input.durationMinutes);
  if (fitting.length === 0) throw wrongLength(serviceVariationId, minutesOf(offers[0].appointment_segments)!, input.durationMinutes);
  const duration = input.durationMinutes * MINUTE_MS;

  // Working hours and steps in the zone: the starts lib/actions/slots.ts allows, to the minute.
  let allowed: Set<number> | undefined;
  if (input.workingHours || input.stepMinutes) {
    const gridStart = input.stepMinutes ? windowStart : Math.ceil(windowStart / MINUTE_MS) * MINUTE_MS;
    const grid = freeSlots({
      start: iso(gridStart),
      end: input.end,
      durationMinutes: input.durationMinutes,
      stepMinutes: input.stepMinutes ?? 1,
      timeZone: input.timeZone,
      workingHours: input.workingHours,
      minimumNoticeMinutes: input.minimumNoticeMinutes,
      now: context.now,
      busy: [],
    });
    allowed = new Set(grid.map((slot) => Date.parse(slot.start)));
  }

  // Buffers: the team members' other bookings around each slot.
  const before = input.bufferBeforeMinutes * MINUTE_MS;
  const after = input.bufferAfterMinutes * MINUTE_MS;
  let busy: Map<string, TimeRange[]> | undefined;
  if (before > 0 || after > 0) {
    busy = busyByTeamMember(await listBookings(client, locationId, earliest - before - LONGEST_BOOKING_MS, windowEnd + after));
  }

  const starts = new Set<number>();
  for (const offer of fitting) {
    const start = Date.parse(offer.start_at);
    if (start < earliest || start + duration > windowEnd) continue;
    if (allowed && !allowed.has(start)) continue;
    if (busy) {
      const around = { start: iso(start - before), end: iso(start + duration + after) };
      if (!offer.appointment_segments.every((segment) => isFree(busy!.get(segment.team_member_id) ?? [], around))) continue;
    }
    starts.add(start);
  }
  const slots = [...starts].sort((a, b) => a - b).map((start) => ({ start: iso(start), end: iso(start + duration) }));
  return { output: { timeZone: input.timeZone, slots } };
}

async function lookupContacts(context: ActionContext, input: ActionInput<'contacts.lookup'>): Promise<ActionResult<ActionOutput<'contacts.lookup'>>> {
  const customers = await findCustomers(context.client, { phone: input.phone, email: input.email });
  return { output: { contacts: customers.map(contactOf) } };
}

async function createContact(context: ActionContext, input: ActionInput<'contacts.create'>): Promise<ActionResult<ActionOutput<'contacts.create'>>> {
  // An earlier attempt that lost its answer created the customer: the lookup finds it.
  const [existing] = await findCustomers(context.client, { phone: input.phone, email: input.email });
  if (existing) return { output: { ...contactOf(existing), created: false } };
  const note = [input.notes, input.jobTitle ? `Job title: ${input.jobTitle}` : undefined].filter(Boolean).join('\n');
  const customer = await createCustomer(context, {
    given_name: input.firstName,
    family_name: input.lastName,
    email_address: input.email,
    phone_number: input.phone,
    company_name: input.company,
    note: note || undefined,
  });
  return { output: { ...contactOf(customer), created: true }, records: [customerRecord(customer)] };
}

/** The attendee's customer: found by phone or email, else created (and then written through). */
async function attendeeCustomer(context: ActionContext, attendee: ActionInput<'appointments.create'>['attendee']): Promise<{ customer: Customer; records: ActionRecord[] }> {
  const [existing] = await findCustomers(context.client, { phone: attendee.phone, email: attendee.email });
  if (existing) return { customer: existing, records: [] };
  const customer = await createCustomer(context, { ...splitName(attendee.name), email_address: attendee.email, phone_number: attendee.phone });
  return { customer, records: [customerRecord(customer)] };
}

async function createAppointment(context: ActionContext, input: ActionInput<'appointments.create'>): Promise<ActionResult<ActionOutput<'appointments.create'>>> {
  const { client } = context;
  if (!context.idempotencyKey) throw new ActionError('validation_failed', 'Booking needs an Idempotency-Key.');
  const serviceVariationId = requiredOption(input.options, 'serviceVariationId', 'Square books a service (a catalog item variation id).');
  const teamMemberId = optionString(input.options, 'teamMemberId');
  const locationId = await locationOf(client, input.options);
  const start = Date.parse(input.start);
  const slot = `${iso(start)} (${input.durationMinutes} minutes)`;
  const { customer, records } = await attendeeCustomer(context, input.attendee);
  const booked = { locationId, customerId: customer.id, start, serviceVariationId, teamMemberId };
  const answer = (booking: Booking) => appointmentResult(booking, records);

  // An earlier attempt with this key may have booked and lost the answer: look before booking again.
  if (context.retry) {
    const earlier = await earlierBooking(client, booked);
    if (earlier) return answer(earlier);
  }
  const filter = { locationId, serviceVariationId, teamMemberIds: teamMemberId ? [teamMemberId] : undefined };
  const offer = await offerAt(client, filter, start, teamMemberId);
  if (!offer) throw new ActionError('slot_unavailable', `Square does not offer ${slot} for this service${teamMemberId ? ` with team member ${teamMemberId}` : ''}: it is taken or outside bookable hours.`);
  const minutes = minutesOf(offer.appointment_segments);
  if (minutes !== undefined && minutes !== input.durationMinutes) throw wrongLength(serviceVariationId, minutes, input.durationMinutes);

  const segments = offer.appointment_segments.map((segment) => ({
    team_member_id: segment.team_member_id,
    service_variation_id: segment.service_variation_id ?? serviceVariationId,
    service_variation_version: segment.service_variation_version,
    duration_minutes: segment.duration_minutes,
  }));
  const note = [input.title, input.description].filter(Boolean).join('\n\n').slice(0, NOTE_LENGTH);
  try {
    const { body } = await client.request(`${API}/bookings`, {
      method: 'POST',
      headers,
      json: {
        idempotency_key: squareKey(context.idempotencyKey, 'CreateBooking', BOOKING_KEY_LENGTH),
        booking: { start_at: iso(start), location_id: locationId, customer_id: customer.id, customer_note: note, appointment_segments: segments },
      },
    });
    return answer(bookingAnswer.parse(body).booking);
  } catch (error) {
    if (squareErrorCode(error) === 'IDEMPOTENCY_KEY_REUSED') {
      // The key booked before with other data (another team member, say): that booking, if it stands.
      const earlier = await earlierBooking(client, booked);
      if (earlier) return answer(earlier);
      throw new ActionError('conflict', 'Square already used this Idempotency-Key for a different booking request; book again with a new key.');
    }
    if (isRefusal(error) && !(await offerAt(client, filter, start, segments[0].team_member_id))) {
      throw new ActionError('slot_unavailable', `${slot} was taken by another booking a moment earlier.`);
    }
    throw error;
  }
}

async function existingBooking(client: ProviderClient, appointmentId: string): Promise<Booking> {
  const booking = await retrieveBooking(client, appointmentId);
  if (!booking) throw new ActionError('not_found', `Square has no booking ${appointmentId}.`);
  return booking;
}

/** How many times a cancel or a move is sent when the booking changed version in between. */
const VERSION_ATTEMPTS = 2;

async function cancelAppointment(context: ActionContext, input: ActionInput<'appointments.cancel'>): Promise<ActionResult<ActionOutput<'appointments.cancel'>>> {
  const { client } = context;
  let booking = await existingBooking(client, input.appointmentId);
  for (let attempt = 1; ; attempt++) {
    // Cancelled already (by an earlier attempt with this key, or someone else): cancelled is cancelled.
    if (CANCELLED.has(booking.status ?? '')) return appointmentResult(booking);
    if (!isLive(booking)) throw new ActionError('conflict', `Booking ${booking.id} is ${booking.status} and cannot be cancelled.`);
    // The version is part of the request, so it is part of the key: a retry of this very request
    // replays, a request against a newer version is a new one.
    const idempotencyKey = squareKey(context.idempotencyKey, `CancelBooking:${booking.id}:${booking.version ?? ''}`, BOOKING_KEY_LENGTH);
    try {
      const { body } = await client.request(`${API}/bookings/${encodeURIComponent(booking.id)}/cancel`, {
        method: 'POST',
        headers,
        json: { ...(idempotencyKey ? { idempotency_key: idempotencyKey } : {}), ...(booking.version !== undefined ? { booking_version: booking.version } : {}) },
      });
      return appointmentResult(bookingAnswer.parse(body).booking);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      // Changed meanwhile (a stale version): what stands now decides.
      const previous = booking.version;
      booking = await existingBooking(client, booking.id);
      if (CANCELLED.has(booking.status ?? '')) return appointmentResult(booking);
      if (attempt >= VERSION_ATTEMPTS || booking.version === previous) {
        throw new ActionError('conflict', `Square refused to cancel booking ${booking.id}${error instanceof ProviderHttpError ? ` (${error.providerMessage})` : ''}.`);
      }
    }
  }
}

async function rescheduleAppointment(context: ActionContext, input: ActionInput<'appointments.reschedule'>): Promise<ActionResult<ActionOutput<'appointments.reschedule'>>> {
  const { client } = context;
  const start = Date.parse(input.start);
  const slot = `${iso(start)} (${input.durationMinutes} minutes)`;
  let booking = await existingBooking(client, input.appointmentId);
  for (let attempt = 1; ; attempt++) {
    if (!isLive(booking)) throw new ActionError('conflict', `Booking ${booking.id} is ${booking.status} and cannot be rescheduled.`);
    const minutes = minutesOf(booking.appointment_segments);
    if (minutes !== undefined && minutes !== input.durationMinutes) {
      throw wrongLength(booking.appointment_segments?.[0]?.service_variation_id ?? 'of this booking', minutes, input.durationMinutes);
    }
    // Already there (moved by an earlier attempt with this key, say): nothing to do.
    if (Date.parse(booking.start_at) === start) return appointmentResult(booking);
    const bookingId = booking.id;
    const teamMemberId = booking.appointment_segments?.[0]?.team_member_id;
    // Square's search for an existing booking keeps the booking's own time out of the way.
    const offered = async () => Boolean(await offerAt(client, { bookingId }, start, teamMemberId));
    if (!(await offered())) throw new ActionError('slot_unavailable', `Square does not offer ${slot} for booking ${bookingId}: it is taken or outside bookable hours.`);
    const idempotencyKey = squareKey(context.idempotencyKey, `UpdateBooking:${bookingId}:${booking.version ?? ''}`, BOOKING_KEY_LENGTH);
    try {
      const { body } = await client.request(`${API}/bookings/${encodeURIComponent(bookingId)}`, {
        method: 'PUT',
        headers,
        json: {
          ...(idempotencyKey ? { idempotency_key: idempotencyKey } : {}),
          booking: { ...(booking.version !== undefined ? { version: booking.version } : {}), start_at: iso(start) },
        },
      });
      return appointmentResult(bookingAnswer.parse(body).booking);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      const previous = booking.version;
      booking = await existingBooking(client, bookingId);
      if (isLive(booking) && Date.parse(booking.start_at) === start) return appointmentResult(booking);
      if (squareErrorCode(error) !== 'IDEMPOTENCY_KEY_REUSED' && isLive(booking) && !(await offered())) {
        throw new ActionError('slot_unavailable', `${slot} was taken by another booking a moment earlier.`);
      }
      if (attempt >= VERSION_ATTEMPTS || booking.version === previous) {
        throw new ActionError('conflict', `Square refused to move booking ${bookingId}${error instanceof ProviderHttpError ? ` (${error.providerMessage})` : ''}.`);
      }
    }
  }
}

export const squareActions: ProviderActions = {
  'contacts.lookup': lookupContacts,
  'contacts.create': createContact,
  'availability.get': availability,
  'appointments.create': createAppointment,
  'appointments.cancel': cancelAppointment,
  'appointments.reschedule': rescheduleAppointment,
};
