// Square's writes and the reads that go with them, in Square's wire format: ListLocations,
// SearchAvailability, Create/Retrieve/Update/CancelBooking and CreateCustomer
// (developer.squareup.com/reference/square/bookings-api, …/customers-api/create-customer,
// …/locations-api/list-locations).
//  - Each seller has one bookable location (its main location, Europe/London) and, listed first
//    alphabetically as ListLocations does, an inactive one; four team members and six services
//    (SQUARE_SERVICES), the same ids the generated bookings use. Team members are bookable Monday to
//    Friday, 09:00–17:00 local, with starts every 30 minutes (Square's HALF_HOURLY alignment).
//  - SearchAvailability computes free starts from the bookings dataset: a team member is busy for
//    every live booking that is not cancelled or declined. The range must be 24 hours to 32 days
//    (SearchAvailabilityFilter.start_at_range); `booking_id` searches for an existing booking, as a
//    reschedule does, ignoring the booking's own time, and excludes location_id and segment_filters.
//  - Writes take Square's `idempotency_key`: the same key with the same body answers the first
//    answer again; with another body, 400 IDEMPOTENCY_KEY_REUSED ("The idempotency key can only be
//    retried with the same request data", as Square's forum quotes it).
//  - Permission level follows the token's scopes, as Square's does: with APPOINTMENTS_ALL_WRITE a
//    write is seller-level (double bookings and off-hours allowed, cancellations CANCELLED_BY_SELLER);
//    with APPOINTMENTS_WRITE alone it is buyer-level: the slot must be one SearchAvailability offers,
//    and a cancellation is CANCELLED_BY_CUSTOMER (the reference's CancelBooking example). Square
//    documents no error code for a taken slot or a stale version; the sandbox answers 409 CONFLICT to
//    both (the app reads neither code: after a refused write it searches availability again).
//  - Created customers and bookings, changes and cancellations land in the datasets the listings
//    read, so the next sync sees them; the dropResponseAfterWrite knob makes a write commit and
//    then lose its answer. Requests are handled one at a time, each to completion.
import { Temporal } from 'temporal-polyfill';
import { z } from 'zod';
import { DAY_MS, getDataset, type Dataset, type Fields } from '../../data';
import { tag } from '../../data-fake';
import { afterWrite, pageGate, parseTimestamp } from '../../data-faults';
import { json, readJson, type Reply, type RequestContext, type Route } from '../../http';
import { findAccount } from './accounts';
import { authorize, faults, invalidRequest, renderBooking, renderCustomer, squareDataSpecs } from './data';
import { squareError } from './oauth';

const HOST = 'connect.squareup.com';
const MINUTE_MS = 60_000;
/** SearchAvailabilityFilter.start_at_range: "at least 24 hours and at most 32 days long". */
const MIN_RANGE_MS = DAY_MS;
const MAX_RANGE_MS = 32 * DAY_MS;

export const LOCATION_TIME_ZONE = 'Europe/London';
/** When team members can be booked: ISO weekdays and local times at the location. */
export const BOOKABLE_HOURS = { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' } as const;
/** Starts fall on multiples of this from the opening time (BusinessAppointmentSettings.alignment_time HALF_HOURLY). */
export const ALIGNMENT_MINUTES = 30;

export interface SquareService {
  /** The service variation's id (what bookings and segment filters name). */
  id: string;
  name: string;
  durationMinutes: number;
  /** The catalog object's version, which CreateBooking must name (service_variation_version). */
  version: number;
}

const SERVICE_NAMES = ['Haircut', 'Beard trim', 'Massage', 'Consultation', 'Colour', 'Manicure'];
const SERVICE_MINUTES = [30, 45, 60, 60, 90, 30];
/** The same service variation ids as the generated bookings (data.ts). */
export const SQUARE_SERVICES: readonly SquareService[] = SERVICE_NAMES.map((name, n) => ({
  id: `SV${tag(`service|${n + 1}`).toUpperCase()}`,
  name,
  durationMinutes: SERVICE_MINUTES[n],
  version: 1_767_225_600_000 + n + 1,
}));

/** The seller's bookable team members (the same ids as the generated bookings). */
export const teamMembersOf = (account: string): string[] => [1, 2, 3, 4].map((n) => `TM${tag(`team|${account}|${n}`).toUpperCase()}`);

const inactiveLocationOf = (account: string) => `L${tag(`closed|${account}`).toUpperCase()}CLOSED`;

const notFound = (what: string) => squareError(404, { category: 'INVALID_REQUEST_ERROR', code: 'NOT_FOUND', detail: `${what} not found.` });
const conflict = (detail: string) => squareError(409, { category: 'INVALID_REQUEST_ERROR', code: 'CONFLICT', detail });
const badRequest = (detail: string, field?: string) => invalidRequest('BAD_REQUEST', detail, field);

const READ_SCOPES = ['APPOINTMENTS_READ', 'APPOINTMENTS_ALL_READ'];
const WRITE_SCOPES = ['APPOINTMENTS_WRITE', 'APPOINTMENTS_ALL_WRITE'];

// ── Idempotency ───────────────────────────────────────────────────────────────────────────────

interface Remembered {
  fingerprint: string;
  reply: Reply;
}

/** Keys seen per dataset: a reset (or a resized dataset) forgets them with the data. */
const KEYS = new WeakMap<Dataset, Map<string, Remembered>>();

function keysOf(dataset: Dataset): Map<string, Remembered> {
  let keys = KEYS.get(dataset);
  if (!keys) {
    keys = new Map();
    KEYS.set(dataset, keys);
  }
  return keys;
}

/** JSON with object keys sorted at every depth: two bodies are the same request when these match. */
function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const object = value as Record<string, unknown>;
  return `{${Object.keys(object)
    .sort()
    .filter((key) => object[key] !== undefined)
    .map((key) => `${JSON.stringify(key)}:${canonical(object[key])}`)
    .join(',')}}`;
}

/**
 * Runs a write under its idempotency key: a repeat of the same request answers what the first one
 * did (without doing anything), another request under the key is refused. Only successful answers
 * are kept, so a refused request can be corrected and retried under its key.
 */
function idempotent(ctx: RequestContext, dataset: Dataset, endpoint: string, body: Record<string, unknown>, write: () => Reply): Reply {
  const raw = body.idempotency_key;
  // A write that committed may lose its answer (the dropResponseAfterWrite knob); a refusal is answered.
  const answer = (reply: Reply) => (reply.status < 300 ? afterWrite(ctx.state, 'square', reply) : reply);
  if (raw === undefined || raw === null) return answer(write());
  if (typeof raw !== 'string' || raw.length < 1 || raw.length > 255) {
    return invalidRequest('INVALID_VALUE', 'idempotency_key must be a string of 1 to 255 characters.', 'idempotency_key');
  }
  const keys = keysOf(dataset);
  const id = `${endpoint}|${raw}`;
  const { idempotency_key: _key, ...request } = body;
  const fingerprint = canonical(request);
  const seen = keys.get(id);
  if (seen) {
    if (seen.fingerprint !== fingerprint) {
      return invalidRequest('IDEMPOTENCY_KEY_REUSED', 'The idempotency key can only be retried with the same request data.', 'idempotency_key');
    }
    return seen.reply;
  }
  const reply = write();
  if (reply.status < 300) keys.set(id, { fingerprint, reply });
  return answer(reply);
}

// ── Calendars ─────────────────────────────────────────────────────────────────────────────────

const CLOSED_STATUSES = new Set(['CANCELLED_BY_CUSTOMER', 'CANCELLED_BY_SELLER', 'DECLINED']);

function isLive(dataset: Dataset, index: number): boolean {
  return !dataset.isDeleted(index) && !CLOSED_STATUSES.has(String(dataset.fields(index).status));
}

interface Span {
  start: number;
  end: number;
}

/** Busy time per team member: live bookings, except the one being rescheduled. */
function busyOf(dataset: Dataset, except?: number): Map<string, Span[]> {
  const busy = new Map<string, Span[]>();
  for (let index = 0; index < dataset.count; index++) {
    if (index === except || !isLive(dataset, index)) continue;
    const fields = dataset.fields(index);
    const start = dataset.startAt[index];
    const span = { start, end: start + Number(fields.duration_minutes) * MINUTE_MS };
    const member = String(fields.team_member_id);
    busy.set(member, [...(busy.get(member) ?? []), span]);
  }
  return busy;
}

const overlaps = (spans: Span[] | undefined, start: number, end: number) => (spans ?? []).some((span) => span.start < end && span.end > start);

/** Starts the location offers in [from, to): bookable days, aligned from opening, ending by closing. */
function bookableStarts(from: number, to: number, durationMinutes: number): number[] {
  const starts: number[] = [];
  const open = Temporal.PlainTime.from(BOOKABLE_HOURS.start);
  const close = Temporal.PlainTime.from(BOOKABLE_HOURS.end);
  const localDate = (ms: number) => Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(LOCATION_TIME_ZONE).toPlainDate();
  const last = localDate(to);
  for (let date = localDate(from); Temporal.PlainDate.compare(date, last) <= 0; date = date.add({ days: 1 })) {
    if (!(BOOKABLE_HOURS.days as readonly number[]).includes(date.dayOfWeek)) continue;
    const opening = date.toPlainDateTime(open).toZonedDateTime(LOCATION_TIME_ZONE).epochMilliseconds;
    const closing = date.toPlainDateTime(close).toZonedDateTime(LOCATION_TIME_ZONE).epochMilliseconds;
    for (let start = opening; start + durationMinutes * MINUTE_MS <= closing; start += ALIGNMENT_MINUTES * MINUTE_MS) {
      if (start >= from && start < to) starts.push(start);
    }
  }
  return starts;
}

interface Segment {
  team_member_id: string;
  service_variation_id: string;
  service_variation_version: number;
  duration_minutes: number;
}

/** Whether a buyer could book this: an offered start, in the future, with the team member free. */
function offered(dataset: Dataset, start: number, segment: Segment, except?: number): boolean {
  if (start < Date.now()) return false;
  if (!bookableStarts(start, start + 1, segment.duration_minutes).includes(start)) return false;
  return !overlaps(busyOf(dataset, except).get(segment.team_member_id), start, start + segment.duration_minutes * MINUTE_MS);
}

const isoSeconds = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

// ── Requests ──────────────────────────────────────────────────────────────────────────────────

type Parsed<T> = { ok: true; value: T } | { ok: false; reply: Reply };

function body(ctx: RequestContext): Parsed<Record<string, unknown>> {
  const raw = readJson(ctx);
  if (!raw.ok) return { ok: false, reply: squareError(400, { category: 'INVALID_REQUEST_ERROR', code: 'EXPECTED_JSON_BODY', detail: raw.reason }) };
  return { ok: true, value: raw.value };
}

const segmentInput = z.looseObject({
  team_member_id: z.string().min(1).max(32),
  service_variation_id: z.string().min(1).max(36),
  service_variation_version: z.number().int(),
  duration_minutes: z.number().int().min(1).max(1500).optional(),
});

/** One appointment segment of a known service and team member (the sandbox books one segment). */
function readSegment(account: string, raw: unknown): Parsed<Segment> {
  if (!Array.isArray(raw) || raw.length === 0) return { ok: false, reply: invalidRequest('MISSING_REQUIRED_PARAMETER', 'booking.appointment_segments is required.', 'booking.appointment_segments') };
  if (raw.length > 1) return { ok: false, reply: badRequest('The sandbox books one appointment segment per booking.', 'booking.appointment_segments') };
  const parsed = segmentInput.safeParse(raw[0]);
  if (!parsed.success) {
    const field = `booking.appointment_segments[0].${parsed.error.issues[0]?.path.join('.') ?? ''}`;
    return { ok: false, reply: invalidRequest('INVALID_VALUE', `Invalid ${field}.`, field) };
  }
  const segment = parsed.data;
  const service = SQUARE_SERVICES.find((s) => s.id === segment.service_variation_id);
  if (!service) return { ok: false, reply: invalidRequest('INVALID_VALUE', `Unknown service variation ${segment.service_variation_id}.`, 'booking.appointment_segments[0].service_variation_id') };
  if (segment.service_variation_version !== service.version) {
    return { ok: false, reply: invalidRequest('INVALID_VALUE', `Service variation ${service.id} is at version ${service.version}.`, 'booking.appointment_segments[0].service_variation_version') };
  }
  if (!teamMembersOf(account).includes(segment.team_member_id)) {
    return { ok: false, reply: invalidRequest('INVALID_VALUE', `Unknown team member ${segment.team_member_id}.`, 'booking.appointment_segments[0].team_member_id') };
  }
  return {
    ok: true,
    value: {
      team_member_id: segment.team_member_id,
      service_variation_id: service.id,
      service_variation_version: service.version,
      duration_minutes: segment.duration_minutes ?? service.durationMinutes,
    },
  };
}

function readStart(raw: unknown, field: string): Parsed<number> {
  if (typeof raw !== 'string') return { ok: false, reply: invalidRequest('MISSING_REQUIRED_PARAMETER', `${field} is required.`, field) };
  const ms = parseTimestamp(raw);
  if (ms === undefined) return { ok: false, reply: invalidRequest('INVALID_TIME', `Invalid ${field}: ${raw}`, field) };
  return { ok: true, value: ms };
}

function bookingsOf(ctx: RequestContext, account: string): Dataset {
  return getDataset(ctx.state, squareDataSpecs.bookings, account);
}

function findBooking(dataset: Dataset, id: string | undefined): number | undefined {
  return id === undefined ? undefined : dataset.indexOf(id);
}

/** Replaces a record's fields with exactly these (the generator's first draw is discarded). */
function setFields(dataset: Dataset, index: number, fields: Fields): void {
  const stored = dataset.fields(index);
  for (const key of Object.keys(stored)) delete stored[key];
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) stored[key] = value;
}

/** A change by the API: a new version and stamp in the change log, with exactly these fields. */
function editBooking(dataset: Dataset, tick: number, index: number, changes: Fields, start?: number): void {
  const before = { ...dataset.fields(index) };
  // Dataset.update bumps the version and logs the change; its generated edit is then replaced.
  dataset.update(index, tick);
  setFields(dataset, index, { ...before, ...changes });
  if (start !== undefined) dataset.startAt[index] = start;
}

const bookingReply = (dataset: Dataset, index: number) => json(200, { booking: renderBooking(dataset, index), errors: [] });

// ── Routes ────────────────────────────────────────────────────────────────────────────────────

const listLocations: Route = {
  method: 'GET',
  hosts: [HOST],
  path: '/v2/locations',
  handle(ctx) {
    const auth = authorize(ctx, ['MERCHANT_PROFILE_READ']);
    if (!auth.ok) return auth.reply;
    const refused = pageGate(ctx.state, 'square.locations', 1, faults);
    if (refused) return refused;
    const account = findAccount(auth.account);
    if (!account) return notFound('Merchant');
    const location = (id: string, name: string, status: 'ACTIVE' | 'INACTIVE') => ({
      id,
      name,
      merchant_id: account.merchantId,
      status,
      timezone: LOCATION_TIME_ZONE,
      country: 'GB',
      language_code: 'en-GB',
      currency: 'GBP',
      type: 'PHYSICAL',
      business_hours: {
        periods: BOOKABLE_HOURS.days.map((day) => ({
          day_of_week: ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'][day - 1],
          start_local_time: `${BOOKABLE_HOURS.start}:00`,
          end_local_time: `${BOOKABLE_HOURS.end}:00`,
        })),
      },
      created_at: '2026-01-05T09:00:00.000Z',
    });
    // Listed alphabetically by name, inactive ones included (ListLocations).
    return json(200, {
      locations: [location(inactiveLocationOf(account.id), 'Aardvark Lane (closed)', 'INACTIVE'), location(account.mainLocationId, account.businessName, 'ACTIVE')],
    });
  },
};

const availabilityBody = z.object({
  query: z.object({
    filter: z.object({
      start_at_range: z.object({ start_at: z.string(), end_at: z.string() }),
      location_id: z.string().optional(),
      booking_id: z.string().optional(),
      segment_filters: z
        .array(
          z.object({
            service_variation_id: z.string().min(1).max(36),
            team_member_id_filter: z.object({ any: z.array(z.string()).optional(), none: z.array(z.string()).optional(), all: z.array(z.string()).optional() }).optional(),
          }),
        )
        .optional(),
    }),
  }),
});

const searchAvailability: Route = {
  method: 'POST',
  hosts: [HOST],
  path: '/v2/bookings/availability/search',
  handle(ctx) {
    const auth = authorize(ctx, READ_SCOPES);
    if (!auth.ok) return auth.reply;
    const raw = body(ctx);
    if (!raw.ok) return raw.reply;
    const parsed = availabilityBody.safeParse(raw.value);
    if (!parsed.success) {
      const field = parsed.error.issues[0]?.path.join('.') ?? 'query';
      return invalidRequest('INVALID_VALUE', `Invalid or missing ${field}.`, field);
    }
    const { filter } = parsed.data.query;
    const from = readStart(filter.start_at_range.start_at, 'query.filter.start_at_range.start_at');
    if (!from.ok) return from.reply;
    const to = readStart(filter.start_at_range.end_at, 'query.filter.start_at_range.end_at');
    if (!to.ok) return to.reply;
    const length = to.value - from.value;
    if (length < MIN_RANGE_MS || length > MAX_RANGE_MS) {
      return invalidRequest('INVALID_TIME_RANGE', 'The time range must be at least 24 hours and at most 32 days long.', 'query.filter.start_at_range');
    }
    const account = findAccount(auth.account);
    if (!account) return notFound('Merchant');
    const dataset = bookingsOf(ctx, auth.account);

    let locationId: string;
    let service: SquareService | undefined;
    let members = teamMembersOf(auth.account);
    let except: number | undefined;
    if (filter.booking_id !== undefined) {
      if (filter.location_id !== undefined || filter.segment_filters !== undefined) {
        return invalidRequest('CONFLICTING_PARAMETERS', 'booking_id cannot be set together with location_id or segment_filters.', 'query.filter.booking_id');
      }
      except = findBooking(dataset, filter.booking_id);
      if (except === undefined) return notFound('Booking');
      const fields = dataset.fields(except);
      locationId = account.mainLocationId;
      service = SQUARE_SERVICES.find((s) => s.id === fields.service_variation_id);
      members = [String(fields.team_member_id)];
    } else {
      if (filter.location_id === undefined) return invalidRequest('MISSING_REQUIRED_PARAMETER', 'query.filter.location_id is required.', 'query.filter.location_id');
      if (!filter.segment_filters || filter.segment_filters.length === 0) {
        return invalidRequest('MISSING_REQUIRED_PARAMETER', 'query.filter.segment_filters is required.', 'query.filter.segment_filters');
      }
      if (filter.segment_filters.length > 1) return badRequest('The sandbox searches one segment at a time.', 'query.filter.segment_filters');
      locationId = filter.location_id;
      if (locationId !== account.mainLocationId) {
        return invalidRequest('INVALID_VALUE', `Location ${locationId} does not take bookings.`, 'query.filter.location_id');
      }
      const [segment] = filter.segment_filters;
      service = SQUARE_SERVICES.find((s) => s.id === segment.service_variation_id);
      if (!service) return invalidRequest('INVALID_VALUE', `Unknown service variation ${segment.service_variation_id}.`, 'query.filter.segment_filters[0].service_variation_id');
      const memberFilter = segment.team_member_id_filter;
      if (memberFilter?.all) return badRequest('team_member_id_filter.all is not supported.', 'query.filter.segment_filters[0].team_member_id_filter.all');
      if (memberFilter?.any) members = members.filter((id) => memberFilter.any!.includes(id));
      if (memberFilter?.none) members = members.filter((id) => !memberFilter.none!.includes(id));
    }
    if (!service) return badRequest('The booking names no service the sandbox knows.');
    const refused = pageGate(ctx.state, 'square.availability', 1, faults);
    if (refused) return refused;

    const duration = except === undefined ? service.durationMinutes : Number(dataset.fields(except).duration_minutes);
    const busy = busyOf(dataset, except);
    const now = Date.now();
    const availabilities = [];
    for (const start of bookableStarts(from.value, to.value, duration)) {
      if (start < now) continue;
      for (const member of members) {
        if (overlaps(busy.get(member), start, start + duration * MINUTE_MS)) continue;
        availabilities.push({
          start_at: isoSeconds(start),
          location_id: locationId,
          appointment_segments: [
            { duration_minutes: duration, service_variation_id: service.id, service_variation_version: service.version, team_member_id: member },
          ],
        });
      }
    }
    return json(200, { availabilities, errors: [] });
  },
};

const createBooking: Route = {
  method: 'POST',
  hosts: [HOST],
  path: '/v2/bookings',
  handle(ctx) {
    const auth = authorize(ctx, WRITE_SCOPES);
    if (!auth.ok) return auth.reply;
    const raw = body(ctx);
    if (!raw.ok) return raw.reply;
    const dataset = bookingsOf(ctx, auth.account);
    return idempotent(ctx, dataset, 'CreateBooking', raw.value, () => {
      const booking = raw.value.booking as Record<string, unknown> | undefined;
      if (!booking || typeof booking !== 'object') return invalidRequest('MISSING_REQUIRED_PARAMETER', 'booking is required.', 'booking');
      const account = findAccount(auth.account);
      if (!account) return notFound('Merchant');
      if (booking.location_id === undefined) return invalidRequest('MISSING_REQUIRED_PARAMETER', 'booking.location_id is required.', 'booking.location_id');
      if (booking.location_id !== account.mainLocationId) return invalidRequest('INVALID_VALUE', `Location ${String(booking.location_id)} does not take bookings.`, 'booking.location_id');
      const start = readStart(booking.start_at, 'booking.start_at');
      if (!start.ok) return start.reply;
      const segment = readSegment(auth.account, booking.appointment_segments);
      if (!segment.ok) return segment.reply;
      const customers = getDataset(ctx.state, squareDataSpecs.customers, auth.account);
      const customerId = booking.customer_id;
      if (customerId !== undefined) {
        const index = typeof customerId === 'string' ? customers.indexOf(customerId) : undefined;
        if (index === undefined || customers.isDeleted(index)) return invalidRequest('INVALID_VALUE', `Customer ${String(customerId)} not found.`, 'booking.customer_id');
      }
      const sellerLevel = auth.scopes.includes('APPOINTMENTS_ALL_WRITE');
      if (!sellerLevel && customerId === undefined) return invalidRequest('MISSING_REQUIRED_PARAMETER', 'booking.customer_id is required.', 'booking.customer_id');
      const refused = pageGate(ctx.state, 'square.bookingWrites', 1, faults);
      if (refused) return refused;
      if (!sellerLevel && !offered(dataset, start.value, segment.value)) {
        return conflict(`The requested time slot (${isoSeconds(start.value)}, team member ${segment.value.team_member_id}) is not available.`);
      }
      const index = dataset.create(ctx.state.data.tick());
      dataset.startAt[index] = start.value;
      setFields(dataset, index, {
        status: 'ACCEPTED',
        customer_id: customerId,
        ...(typeof booking.customer_note === 'string' ? { customer_note: booking.customer_note } : {}),
        ...(sellerLevel && typeof booking.seller_note === 'string' ? { seller_note: booking.seller_note } : {}),
        ...segment.value,
        source: sellerLevel ? 'API' : 'THIRD_PARTY_BUYER',
      });
      return bookingReply(dataset, index);
    });
  },
};

const BOOKING_PATH = /^\/v2\/bookings\/(?<bookingId>[^/]+)$/;

const retrieveBooking: Route = {
  method: 'GET',
  hosts: [HOST],
  path: '/v2/bookings/{booking_id}',
  pattern: BOOKING_PATH,
  handle(ctx) {
    const auth = authorize(ctx, READ_SCOPES);
    if (!auth.ok) return auth.reply;
    const dataset = bookingsOf(ctx, auth.account);
    const index = findBooking(dataset, ctx.params.bookingId);
    if (index === undefined) return notFound('Booking');
    return bookingReply(dataset, index);
  },
};

const updateBooking: Route = {
  method: 'PUT',
  hosts: [HOST],
  path: '/v2/bookings/{booking_id}',
  pattern: BOOKING_PATH,
  handle(ctx) {
    const auth = authorize(ctx, WRITE_SCOPES);
    if (!auth.ok) return auth.reply;
    const raw = body(ctx);
    if (!raw.ok) return raw.reply;
    const dataset = bookingsOf(ctx, auth.account);
    const index = findBooking(dataset, ctx.params.bookingId);
    if (index === undefined) return notFound('Booking');
    return idempotent(ctx, dataset, `UpdateBooking|${ctx.params.bookingId}`, raw.value, () => {
      const booking = raw.value.booking as Record<string, unknown> | undefined;
      if (!booking || typeof booking !== 'object') return invalidRequest('MISSING_REQUIRED_PARAMETER', 'booking is required.', 'booking');
      const current = dataset.fields(index);
      if (!isLive(dataset, index)) return badRequest(`Booking ${ctx.params.bookingId} is ${String(current.status)} and cannot be changed.`);
      if (booking.version !== undefined && booking.version !== dataset.version[index] - 1) {
        return conflict(`Booking ${ctx.params.bookingId} is at version ${dataset.version[index] - 1}, not ${String(booking.version)}.`);
      }
      if (booking.location_id !== undefined && booking.location_id !== renderBooking(dataset, index).location_id) {
        return badRequest('The location of a booking cannot be changed.', 'booking.location_id');
      }
      let start = dataset.startAt[index];
      if (booking.start_at !== undefined) {
        const read = readStart(booking.start_at, 'booking.start_at');
        if (!read.ok) return read.reply;
        start = read.value;
      }
      let segment: Segment = {
        team_member_id: String(current.team_member_id),
        service_variation_id: String(current.service_variation_id),
        service_variation_version: Number(current.service_variation_version ?? 1),
        duration_minutes: Number(current.duration_minutes),
      };
      if (booking.appointment_segments !== undefined) {
        const read = readSegment(auth.account, booking.appointment_segments);
        if (!read.ok) return read.reply;
        segment = read.value;
      }
      const refused = pageGate(ctx.state, 'square.bookingWrites', 1, faults);
      if (refused) return refused;
      const sellerLevel = auth.scopes.includes('APPOINTMENTS_ALL_WRITE');
      if (!sellerLevel && !offered(dataset, start, segment, index)) {
        return conflict(`The requested time slot (${isoSeconds(start)}, team member ${segment.team_member_id}) is not available.`);
      }
      editBooking(
        dataset,
        ctx.state.data.tick(),
        index,
        { ...segment, ...(typeof booking.customer_note === 'string' ? { customer_note: booking.customer_note } : {}) },
        start,
      );
      return bookingReply(dataset, index);
    });
  },
};

const cancelBookingBody = z.object({ idempotency_key: z.string().optional(), booking_version: z.number().int().optional() });

const cancelBooking: Route = {
  method: 'POST',
  hosts: [HOST],
  path: '/v2/bookings/{booking_id}/cancel',
  pattern: /^\/v2\/bookings\/(?<bookingId>[^/]+)\/cancel$/,
  handle(ctx) {
    const auth = authorize(ctx, WRITE_SCOPES);
    if (!auth.ok) return auth.reply;
    const raw = body(ctx);
    if (!raw.ok) return raw.reply;
    const parsed = cancelBookingBody.safeParse(raw.value);
    if (!parsed.success) return invalidRequest('INVALID_VALUE', `Invalid ${parsed.error.issues[0]?.path.join('.')}.`);
    const dataset = bookingsOf(ctx, auth.account);
    const index = findBooking(dataset, ctx.params.bookingId);
    if (index === undefined) return notFound('Booking');
    return idempotent(ctx, dataset, `CancelBooking|${ctx.params.bookingId}`, raw.value, () => {
      if (!isLive(dataset, index)) return badRequest(`Booking ${ctx.params.bookingId} is ${String(dataset.fields(index).status)} and cannot be cancelled.`);
      const version = parsed.data.booking_version;
      if (version !== undefined && version !== dataset.version[index] - 1) {
        return conflict(`Booking ${ctx.params.bookingId} is at version ${dataset.version[index] - 1}, not ${version}.`);
      }
      const refused = pageGate(ctx.state, 'square.bookingWrites', 1, faults);
      if (refused) return refused;
      const sellerLevel = auth.scopes.includes('APPOINTMENTS_ALL_WRITE');
      editBooking(dataset, ctx.state.data.tick(), index, { status: sellerLevel ? 'CANCELLED_BY_SELLER' : 'CANCELLED_BY_CUSTOMER' });
      return bookingReply(dataset, index);
    });
  },
};

const CUSTOMER_FIELDS = ['given_name', 'family_name', 'company_name', 'nickname', 'email_address', 'phone_number', 'reference_id', 'note'] as const;
const customerBody = z.object(Object.fromEntries(CUSTOMER_FIELDS.map((name) => [name, z.string().max(name === 'note' ? 4096 : 500).optional()])));

const createCustomer: Route = {
  method: 'POST',
  hosts: [HOST],
  path: '/v2/customers',
  handle(ctx) {
    const auth = authorize(ctx, ['CUSTOMERS_WRITE']);
    if (!auth.ok) return auth.reply;
    const raw = body(ctx);
    if (!raw.ok) return raw.reply;
    const dataset = getDataset(ctx.state, squareDataSpecs.customers, auth.account);
    return idempotent(ctx, dataset, 'CreateCustomer', raw.value, () => {
      const parsed = customerBody.safeParse(raw.value);
      if (!parsed.success) return invalidRequest('INVALID_VALUE', `Invalid ${parsed.error.issues[0]?.path.join('.')}.`, parsed.error.issues[0]?.path.join('.'));
      const fields = parsed.data;
      // "You must provide at least one of the following values": given_name, family_name, company_name, email_address, phone_number.
      if (!['given_name', 'family_name', 'company_name', 'email_address', 'phone_number'].some((name) => fields[name]?.trim())) {
        return invalidRequest('MISSING_REQUIRED_PARAMETER', 'At least one of given_name, family_name, company_name, email_address or phone_number is required.');
      }
      // CreateCustomer: "Must be a valid phone number and can contain 9-16 digits, with an optional + prefix and country code."
      const digits = fields.phone_number?.replace(/\D/g, '') ?? '';
      if (fields.phone_number !== undefined && (digits.length < 9 || digits.length > 16 || !/^\+?[\d\s().-]+$/.test(fields.phone_number))) {
        return invalidRequest('INVALID_VALUE', 'phone_number must be a valid phone number.', 'phone_number');
      }
      if (fields.email_address !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(fields.email_address)) {
        return invalidRequest('INVALID_VALUE', 'email_address must be a valid email address.', 'email_address');
      }
      const refused = pageGate(ctx.state, 'square.customerWrites', 1, faults);
      if (refused) return refused;
      const index = dataset.create(ctx.state.data.tick());
      setFields(dataset, index, fields);
      return json(200, { customer: renderCustomer(dataset, index) });
    });
  },
};

export const squareWriteRoutes: Route[] = [listLocations, searchAvailability, createBooking, retrieveBooking, updateBooking, cancelBooking, createCustomer];
