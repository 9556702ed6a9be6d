// Square actions against the provider sandbox, run the way the public API runs them (runAction:
// scopes, Idempotency-Key, write-through, action log) on a connection made through the sandbox's
// OAuth: looking customers up by phone in any format and by email, creating without duplicating,
// availability in 32-day chunks within the hub's constraints, booking once per Idempotency-Key
// (also when Square's answer was lost after it committed), two bookers on one slot, cancel and
// reschedule, and written-through records that the next incremental sync finds unchanged.
import { Temporal } from 'temporal-polyfill';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { principalForUser } from '@/lib/actions/principal';
import { runAction, type ActionAnswer, type ActionSuccess } from '@/lib/actions/run';
import { ACTIONS, type ActionInput, type ActionName } from '@/lib/actions/schemas';
import { ActionError } from '@/lib/actions/errors';
import { withProviderClient } from '@/lib/connections/provider-access';
import type { ProblemDetails } from '@/lib/http/problem';
import { squareActions, squareErrorCode } from '@/lib/providers/square/actions';
import { SQUARE_VERSION } from '@/lib/providers/square/version';
import type { ProviderClient } from '@/lib/providers/types';
import { SyncRunner } from '@/lib/sync/runner';
import { createWorkspace } from '@/lib/workspaces/workspaces';
import { PROFILE } from './accounts';
import { LOCATION_TIME_ZONE, SQUARE_SERVICES, teamMembersOf } from './writes';
import { issueAccessToken } from '../../server';
import { connectViaSandbox } from '../../../support/connect';
import { testEngine } from '../../../support/database';
import { sandboxSuite } from '../../../support/sandbox-suite';
import { counts, storedRecords, syncToEnd } from '../../../support/sync';

const suite = sandboxSuite();
const ACCOUNT = PROFILE.accounts[0];
const ZONE = LOCATION_TIME_ZONE;
const [TM1, TM2] = teamMembersOf(ACCOUNT.id);
const CONSULTATION = SQUARE_SERVICES.find((s) => s.name === 'Consultation')!; // 60 minutes
/** A Monday at least a week ahead, in the location's zone: Square only offers future slots. */
const DAY = (() => {
  let date = Temporal.Now.plainDateISO(ZONE).add({ days: 7 });
  while (date.dayOfWeek !== 1) date = date.add({ days: 1 });
  return date;
})();
/** An instant on DAY (or `days` later) at a local time, as ISO with Z. */
const at = (hhmm: string, days = 0) => DAY.add({ days }).toPlainDateTime(Temporal.PlainTime.from(hhmm)).toZonedDateTime(ZONE).toInstant().toString();
const ms = (value: unknown) => Date.parse(String(value));

let previousRegion: string | undefined;
beforeAll(() => {
  previousRegion = process.env.DEFAULT_PHONE_REGION;
  // Numbers written without a country code are British in these tests.
  process.env.DEFAULT_PHONE_REGION = 'GB';
});
afterAll(() => {
  if (previousRegion === undefined) delete process.env.DEFAULT_PHONE_REGION;
  else process.env.DEFAULT_PHONE_REGION = previousRegion;
});

beforeEach(() => {
  // A few generated customers to search among, and an empty calendar: every booking is the test's.
  suite.sandbox.setKnobs({ dataset: { 'square.customers': 12, 'square.bookings': 0 } });
});

interface Connection {
  workspaceId: string;
  connectionId: string;
}

async function connect(name = 'Square actions'): Promise<Connection> {
  const workspaceId = (await createWorkspace(suite.database.db, suite.admin, name)).id;
  const { connectionId } = await connectViaSandbox(suite.database.db, suite.admin, workspaceId, 'square');
  return { workspaceId, connectionId };
}

async function act(connection: Connection, action: ActionName, input: unknown, key?: string): Promise<ActionAnswer> {
  const principal = await principalForUser(suite.database.db, suite.admin, connection.workspaceId);
  return runAction(suite.database.db, principal, { connectionId: connection.connectionId, action, input, idempotencyKey: key });
}

/** The output of a successful answer. */
function ok(answer: ActionAnswer): any {
  expect(answer.ok, JSON.stringify(answer.body)).toBe(true);
  return (answer.body as ActionSuccess).output;
}

function problem(answer: ActionAnswer, status: number, code: string): ProblemDetails & Record<string, any> {
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
  expect((answer.body as ProblemDetails).code).toBe(code);
  return answer.body as ProblemDetails & Record<string, any>;
}

const writes = () => ({ bookings: suite.sandbox.stats().dataRequests['square.bookingWrites'], customers: suite.sandbox.stats().dataRequests['square.customerWrites'] });

/** Calls the sandbox's Square API directly, as the seller's other tools would. */
async function square(path: string, init: { method?: string; json?: unknown; scopes?: string[] } = {}) {
  const token = issueAccessToken(suite.sandbox, { provider: 'square', ...(init.scopes ? { scopes: init.scopes } : {}) });
  const response = await fetch(`${suite.sandbox.url}/connect.squareup.com/v2${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${token}`, 'square-version': SQUARE_VERSION, ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** Books a slot directly at Square (someone else's booking). */
async function seedBooking(startIso: string, teamMemberId = TM1, service = CONSULTATION) {
  const customer = await square('/customers', { method: 'POST', json: { given_name: 'Walk', family_name: 'In', phone_number: '+447700900555' } });
  expect(customer.status, JSON.stringify(customer.body)).toBe(200);
  const booked = await square('/bookings', {
    method: 'POST',
    json: {
      booking: {
        start_at: startIso,
        location_id: ACCOUNT.mainLocationId,
        customer_id: customer.body.customer.id,
        appointment_segments: [{ team_member_id: teamMemberId, service_variation_id: service.id, service_variation_version: service.version, duration_minutes: service.durationMinutes }],
      },
    },
  });
  expect(booked.status, JSON.stringify(booked.body)).toBe(200);
  return booked.body.booking as { id: string; version: number };
}

/** The live bookings Square has on DAY (any team member), as ids. */
async function bookingsOnDay(days = 0) {
  const { body } = await square(`/bookings?start_at_min=${at('00:00', days)}&start_at_max=${at('23:59', days)}&limit=100`);
  return (body.bookings as { id: string; status: string; start_at: string }[]).filter((b) => !b.status.startsWith('CANCELLED'));
}

const options = (extra: Record<string, unknown> = {}) => ({ serviceVariationId: CONSULTATION.id, ...extra });

const booking = (startIso: string, extra: Record<string, unknown> = {}) => ({
  start: startIso,
  durationMinutes: 60,
  timeZone: ZONE,
  title: 'Consultation',
  description: 'First visit',
  attendee: { name: 'Grace Brewster Hopper', email: 'grace@example.com', phone: '020 7946 0958' },
  options: options({ teamMemberId: TM1 }),
  ...extra,
});

const availability = (extra: Record<string, unknown> = {}) => ({
  start: at('00:00'),
  end: at('00:00', 1),
  durationMinutes: 60,
  timeZone: ZONE,
  workingHours: { days: [1, 2, 3, 4, 5], start: '10:00', end: '13:00' },
  options: options({ teamMemberId: TM1 }),
  ...extra,
});

const startsOf = (output: { slots: { start: string }[] }) => output.slots.map((s) => s.start);

describe(`Square actions (${testEngine})`, () => {
  it('contacts.lookup finds customers by phone written any way, and by email', async () => {
    const connection = await connect();
    const created = ok(await act(connection, 'contacts.create', { firstName: 'Grace', lastName: 'Hopper', email: 'grace@example.com', phone: '+44 20 7946 0958' }, 'lookup-1'));
    expect(created).toMatchObject({ created: true, resource: 'customers', contact: { firstName: 'Grace', lastName: 'Hopper', email: 'grace@example.com', phone: '+442079460958' } });
    const id = created.contact.externalId;

    for (const phone of ['020 7946 0958', '+44 (20) 7946-0958', '0044 20 7946 0958', '+442079460958']) {
      const found = ok(await act(connection, 'contacts.lookup', { phone }));
      expect(found.contacts.map((c: { contact: { externalId: string } }) => c.contact.externalId), phone).toEqual([id]);
    }
    const byEmail = ok(await act(connection, 'contacts.lookup', { email: 'Grace@Example.com' }));
    expect(byEmail.contacts).toHaveLength(1);
    expect(byEmail.contacts[0]).toMatchObject({ resource: 'customers', contact: { externalId: id, fullName: 'Grace Hopper' }, raw: { id, given_name: 'Grace' } });

    // A generated customer by email; with the phone of another, both come back, the one matching both first.
    const listed = (await square('/customers?limit=3')).body.customers as { id: string; email_address: string; phone_number: string }[];
    const [first] = listed;
    expect(ok(await act(connection, 'contacts.lookup', { email: first.email_address })).contacts.map((c: any) => c.contact.externalId)).toEqual([first.id]);
    const both = ok(await act(connection, 'contacts.lookup', { email: 'grace@example.com', phone: '+44 20 7946 0958' }));
    expect(both.contacts.map((c: any) => c.contact.externalId)).toEqual([id]);
    const either = ok(await act(connection, 'contacts.lookup', { email: first.email_address, phone: '02079460958' }));
    expect(either.contacts.map((c: any) => c.contact.externalId).sort()).toEqual([first.id, id].sort());
    expect(ok(await act(connection, 'contacts.lookup', { email: 'nobody@example.com' })).contacts).toEqual([]);

    // Square insists on E.164 for an exact phone search; the runner normalised it before Square saw it.
    const raw = await square('/customers/search', { method: 'POST', json: { query: { filter: { phone_number: { exact: '020 7946 0958' } } } } });
    expect(raw.status).toBe(400);
  });

  it('contacts.create returns the existing customer rather than a duplicate, and writes the new one through', async () => {
    const connection = await connect();
    const before = writes();
    const created = ok(await act(connection, 'contacts.create', { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', jobTitle: 'Analyst', notes: 'Met at the fair' }, 'create-1'));
    expect(created).toMatchObject({ created: true, contact: { email: 'ada@example.com', notes: 'Met at the fair\nJob title: Analyst' } });
    expect(writes().customers - before.customers).toBe(1);
    // Written through at once, mapped as the sync maps it.
    const stored = (await storedRecords(suite.database.db, connection.connectionId, 'customers')).find((r) => r.externalId === created.contact.externalId);
    expect(stored?.mapped).toMatchObject({ email: 'ada@example.com', firstName: 'Ada' });
    expect(stored?.raw).toEqual(created.raw);

    const again = ok(await act(connection, 'contacts.create', { firstName: 'Ada', email: 'ADA@example.com', phone: '020 7946 0777' }, 'create-2'));
    expect(again).toMatchObject({ created: false, contact: { externalId: created.contact.externalId } });
    const byPhone = ok(await act(connection, 'contacts.create', { phone: '+44 20 7946 0888', firstName: 'Bob' }, 'create-3'));
    expect(byPhone.created).toBe(true);
    const samePhone = ok(await act(connection, 'contacts.create', { phone: '020 7946 0888', email: 'bob@example.com' }, 'create-4'));
    expect(samePhone).toMatchObject({ created: false, contact: { externalId: byPhone.contact.externalId } });
    expect(writes().customers - before.customers).toBe(2);

    // The same key and input replays the stored answer; the key with another input is refused.
    const replay = await act(connection, 'contacts.create', { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', jobTitle: 'Analyst', notes: 'Met at the fair' }, 'create-1');
    expect(replay.replayed).toBe(true);
    expect(ok(replay)).toEqual(created);
    problem(await act(connection, 'contacts.create', { email: 'other@example.com' }, 'create-1'), 422, 'idempotency_key_reused');
    // Square's own replay: the same key and body answer the same customer; another body is refused.
    const body = { idempotency_key: 'square-key-1', given_name: 'Kay' };
    const one = await square('/customers', { method: 'POST', json: body });
    const two = await square('/customers', { method: 'POST', json: body });
    expect(two.body.customer.id).toBe(one.body.customer.id);
    const reused = await square('/customers', { method: 'POST', json: { ...body, given_name: 'Kai' } });
    expect(reused.status).toBe(400);
    expect(reused.body.errors[0]).toMatchObject({ category: 'INVALID_REQUEST_ERROR', code: 'IDEMPOTENCY_KEY_REUSED' });
  });

  it("availability: Square's free starts within working hours, steps, buffers and the window", async () => {
    const connection = await connect();
    const free = ok(await act(connection, 'availability.get', availability()));
    expect(free.timeZone).toBe(ZONE);
    // Square offers half-hourly starts; 10:00–13:00 fits a 60-minute service from 10:00 to 12:00.
    expect(startsOf(free)).toEqual(['10:00', '10:30', '11:00', '11:30', '12:00'].map((t) => at(t)));
    expect(free.slots[0]).toEqual({ start: at('10:00'), end: at('11:00') });
    expect(startsOf(ok(await act(connection, 'availability.get', availability({ stepMinutes: 60 }))))).toEqual(['10:00', '11:00', '12:00'].map((t) => at(t)));

    await seedBooking(at('11:00'));
    expect(startsOf(ok(await act(connection, 'availability.get', availability())))).toEqual([at('10:00'), at('12:00')]);
    // Buffers count the team member's other bookings around each slot.
    expect(startsOf(ok(await act(connection, 'availability.get', availability({ bufferAfterMinutes: 30 }))))).toEqual([at('12:00')]);
    expect(startsOf(ok(await act(connection, 'availability.get', availability({ bufferBeforeMinutes: 30, bufferAfterMinutes: 30 }))))).toEqual([]);
    // Another team member is free all along; without a team member, a start anyone can take counts once.
    expect(startsOf(ok(await act(connection, 'availability.get', availability({ options: options({ teamMemberId: TM2 }) }))))).toHaveLength(5);
    expect(startsOf(ok(await act(connection, 'availability.get', availability({ options: options() }))))).toHaveLength(5);
    // Without working hours: whatever Square offers within the window (09:00–17:00 at the location).
    const allDay = ok(await act(connection, 'availability.get', availability({ workingHours: undefined })));
    expect(allDay.slots[0].start).toBe(at('09:00'));
    expect(allDay.slots.at(-1).end).toBe(at('17:00'));
    expect(allDay.slots.map((s: { start: string }) => s.start)).not.toContain(at('11:00'));

    // Square books the service for its own length.
    const wrong = problem(await act(connection, 'availability.get', availability({ durationMinutes: 30 })), 400, 'validation_failed');
    expect(wrong.errors).toEqual([{ pointer: '/durationMinutes', detail: expect.stringContaining('60 minutes') }]);
    const noService = problem(await act(connection, 'availability.get', availability({ options: {} })), 400, 'validation_failed');
    expect(noService.errors?.[0].pointer).toBe('/options/serviceVariationId');
    // A window in the past asks Square nothing.
    const asked = suite.sandbox.stats().dataRequests['square.availability'];
    expect(ok(await act(connection, 'availability.get', availability({ start: '2020-01-06T00:00:00Z', end: '2020-01-07T00:00:00Z' }))).slots).toEqual([]);
    expect(suite.sandbox.stats().dataRequests['square.availability']).toBe(asked);
  });

  it('availability: a 40-day window is asked for in 32-day chunks, a short one widened to 24 hours', async () => {
    const connection = await connect();
    const before = suite.sandbox.stats().dataRequests['square.availability'];
    const long = ok(await act(connection, 'availability.get', availability({ end: at('00:00', 40), workingHours: { days: [1, 2, 3, 4, 5], start: '09:00', end: '10:00' } })));
    expect(suite.sandbox.stats().dataRequests['square.availability'] - before).toBe(2);
    // One slot (09:00) per weekday: 40 days from a Monday hold 30 weekdays, past the first chunk too.
    expect(long.slots).toHaveLength(30);
    expect(long.slots.at(-1).start).toBe(at('09:00', 39));
    expect(ms(long.slots.at(-1).start) - ms(at('00:00'))).toBeGreaterThan(32 * 24 * 3600 * 1000);
    // The sandbox refuses what Square refuses.
    const range = (end: string) =>
      square('/bookings/availability/search', {
        method: 'POST',
        json: { query: { filter: { start_at_range: { start_at: at('00:00'), end_at: end }, location_id: ACCOUNT.mainLocationId, segment_filters: [{ service_variation_id: CONSULTATION.id }] } } },
      });
    expect((await range(at('00:00', 33))).body.errors[0].code).toBe('INVALID_TIME_RANGE');
    expect((await range(at('12:00'))).status).toBe(400);

    const short = ok(await act(connection, 'availability.get', availability({ start: at('10:30'), end: at('12:30'), workingHours: undefined })));
    expect(suite.sandbox.stats().dataRequests['square.availability'] - before).toBe(3);
    expect(startsOf(short)).toEqual([at('10:30'), at('11:00'), at('11:30')]);
  });

  it('appointments.create books once per Idempotency-Key: a retry replays, the key with other input is refused', async () => {
    const connection = await connect();
    const before = writes();
    const answer = await act(connection, 'appointments.create', booking(at('10:00')), 'book-1');
    const first = ok(answer);
    expect(first).toMatchObject({
      resource: 'bookings',
      appointment: { title: 'Square booking', status: 'confirmed', durationMinutes: 60, description: 'Consultation\n\nFirst visit' },
      raw: { location_id: ACCOUNT.mainLocationId, status: 'ACCEPTED', appointment_segments: [{ team_member_id: TM1, service_variation_id: CONSULTATION.id, service_variation_version: CONSULTATION.version }] },
    });
    expect(ms(first.appointment.startsAt)).toBe(ms(at('10:00')));
    expect(ms(first.appointment.endsAt)).toBe(ms(at('11:00')));
    // The attendee became a Square customer (split name, E.164 phone), and the booking is theirs.
    const customers = ok(await act(connection, 'contacts.lookup', { email: 'grace@example.com' })).contacts;
    expect(customers).toHaveLength(1);
    expect(customers[0].contact).toMatchObject({ firstName: 'Grace Brewster', lastName: 'Hopper', phone: '+442079460958' });
    expect(first.appointment.customerExternalId).toBe(customers[0].contact.externalId);
    expect(writes().bookings - before.bookings).toBe(1);
    expect(writes().customers - before.customers).toBe(1);

    const again = await act(connection, 'appointments.create', booking(at('10:00')), 'book-1');
    expect(again.replayed).toBe(true);
    expect(again.headers['Idempotent-Replayed']).toBe('true');
    expect(ok(again)).toEqual(first);
    expect(writes().bookings - before.bookings).toBe(1);
    problem(await act(connection, 'appointments.create', booking(at('10:00'), { title: 'Something else' }), 'book-1'), 422, 'idempotency_key_reused');
    expect((await bookingsOnDay()).map((b) => b.id)).toEqual([first.appointment.externalId]);

    // A booking for the same customer reuses the customer; a taken slot books nothing.
    problem(await act(connection, 'appointments.create', booking(at('10:30')), 'book-2'), 409, 'slot_unavailable');
    ok(await act(connection, 'appointments.create', booking(at('10:30'), { options: options({ teamMemberId: TM2 }) }), 'book-3'));
    expect(writes().customers - before.customers).toBe(1);
    // Outside bookable hours, or with another length: refused before anything is written.
    problem(await act(connection, 'appointments.create', booking(at('18:00')), 'book-4'), 409, 'slot_unavailable');
    problem(await act(connection, 'appointments.create', booking(at('14:00'), { durationMinutes: 45 }), 'book-5'), 400, 'validation_failed');
    problem(await act(connection, 'appointments.create', booking(at('14:00')), undefined), 400, 'idempotency_key_required');
    expect(writes().bookings - before.bookings).toBe(2);

    // Square's own replay, as the handler relies on it: same key and body, same booking.
    const body = {
      idempotency_key: 'square-booking-key',
      booking: {
        start_at: at('15:00'),
        location_id: ACCOUNT.mainLocationId,
        customer_id: first.appointment.customerExternalId,
        appointment_segments: [{ team_member_id: TM1, service_variation_id: CONSULTATION.id, service_variation_version: CONSULTATION.version }],
      },
    };
    const one = await square('/bookings', { method: 'POST', json: body });
    const two = await square('/bookings', { method: 'POST', json: body });
    expect(one.status).toBe(200);
    expect(two.body).toEqual(one.body);
    const reused = await square('/bookings', { method: 'POST', json: { ...body, booking: { ...body.booking, start_at: at('16:00') } } });
    expect(reused.body.errors[0]).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
  });

  it("create: Square's answer lost after it committed, the retry books exactly once", async () => {
    const connection = await connect();
    // The customer exists, so the booking is the first write.
    ok(await act(connection, 'contacts.create', { email: 'grace@example.com', firstName: 'Grace' }, 'lost-contact'));
    const before = writes();
    suite.sandbox.setKnobs({ dropResponseAfterWrite: { square: 1 } });
    const lost = await act(connection, 'appointments.create', booking(at('11:00')), 'lost-1');
    problem(lost, 502, 'provider_error');
    expect(suite.sandbox.knobs.dropResponseAfterWrite).toEqual({});
    // It committed at Square.
    const committed = await bookingsOnDay();
    expect(committed).toHaveLength(1);

    // The key was released, not stored: the same request runs again, told it is a retry.
    const retried = await act(connection, 'appointments.create', booking(at('11:00')), 'lost-1');
    expect(retried.replayed).toBe(false);
    expect(ok(retried).appointment.externalId).toBe(committed[0].id);
    expect(writes().bookings - before.bookings).toBe(1);
    expect(await bookingsOnDay()).toHaveLength(1);
    // And now it is stored: a third time replays.
    expect((await act(connection, 'appointments.create', booking(at('11:00')), 'lost-1')).replayed).toBe(true);
  });

  it('create: two clients on one slot, one books and the other gets slot_unavailable', async () => {
    const connection = await connect();
    const [a, b] = await Promise.all([
      act(connection, 'appointments.create', booking(at('13:00')), 'race-a'),
      act(connection, 'appointments.create', booking(at('13:00'), { attendee: { email: 'linus@example.com', name: 'Linus' } }), 'race-b'),
    ]);
    const answers = [a, b].sort((x, y) => x.status - y.status);
    expect(answers.map((x) => x.status), JSON.stringify(answers.map((x) => x.body))).toEqual([200, 409]);
    problem(answers[1], 409, 'slot_unavailable');
    expect(await bookingsOnDay()).toHaveLength(1);

    // Both pass the search before either books: Square refuses the second, which then finds the slot gone.
    const barrier = bookingBarrier(2);
    const writesBefore = writes().bookings;
    const outcomes = await Promise.allSettled(
      ['race-c', 'race-d'].map((key, n) =>
        handler(connection, 'appointments.create', booking(at('14:00'), { attendee: { email: `racer${n}@example.com` } }), { key, wrap: barrier }),
      ),
    );
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(refused, JSON.stringify(refused.map((r) => String(r.reason)))).toHaveLength(1);
    expect(refused[0].reason).toBeInstanceOf(ActionError);
    expect((refused[0].reason as ActionError).code).toBe('slot_unavailable');
    expect(writes().bookings - writesBefore).toBe(2);
    expect((await bookingsOnDay()).filter((x) => ms(x.start_at) === ms(at('14:00')))).toHaveLength(1);
  });

  it('reschedule re-checks the new slot (ignoring the booking itself); cancel cancels once', async () => {
    const connection = await connect();
    const created = ok(await act(connection, 'appointments.create', booking(at('10:00')), 'move-0'));
    const appointmentId = created.appointment.externalId as string;
    const move = (start: string, key: string, extra: Record<string, unknown> = {}) =>
      act(connection, 'appointments.reschedule', { appointmentId, start, durationMinutes: 60, timeZone: ZONE, ...extra }, key);

    const moved = ok(await move(at('11:00'), 'move-1'));
    expect(moved.appointment).toMatchObject({ externalId: appointmentId, status: 'confirmed' });
    expect(ms(moved.appointment.startsAt)).toBe(ms(at('11:00')));
    expect(moved.raw.version).toBe(created.raw.version + 1);
    // Half an hour later overlaps only its own time: allowed.
    expect(ms(ok(await move(at('11:30'), 'move-2')).appointment.startsAt)).toBe(ms(at('11:30')));
    // Onto someone else's booking of the same team member, or outside hours: refused.
    await seedBooking(at('14:00'));
    problem(await move(at('14:30'), 'move-3'), 409, 'slot_unavailable');
    problem(await move(at('16:30'), 'move-4'), 409, 'slot_unavailable');
    problem(await move(at('15:00'), 'move-5', { durationMinutes: 30 }), 400, 'validation_failed');
    problem(await act(connection, 'appointments.reschedule', { appointmentId: 'nosuchbooking', start: at('15:00'), durationMinutes: 60, timeZone: ZONE }, 'move-6'), 404, 'not_found');

    const before = writes().bookings;
    const cancelled = ok(await act(connection, 'appointments.cancel', { appointmentId, reason: 'Client asked' }, 'cancel-1'));
    expect(cancelled.appointment).toMatchObject({ externalId: appointmentId, status: 'cancelled' });
    // Buyer-level writes cancel on the customer's behalf.
    expect(cancelled.raw.status).toBe('CANCELLED_BY_CUSTOMER');
    // Cancelling again (another key) finds it cancelled and writes nothing.
    expect(ok(await act(connection, 'appointments.cancel', { appointmentId }, 'cancel-2')).appointment.status).toBe('cancelled');
    expect(writes().bookings - before).toBe(1);
    problem(await move(at('15:00'), 'move-7'), 409, 'conflict');
    problem(await act(connection, 'appointments.cancel', { appointmentId: 'nosuchbooking' }, 'cancel-3'), 404, 'not_found');
    // Its time is free again.
    expect(startsOf(ok(await act(connection, 'availability.get', availability())))).toContain(at('11:30'));
  });

  it('cancel and reschedule survive a booking changed by someone else in between (stale version)', async () => {
    const connection = await connect();
    const created = ok(await act(connection, 'appointments.create', booking(at('09:00')), 'stale-0'));
    const id = created.appointment.externalId as string;
    // Hold the handler's write until the booking was changed behind its back.
    let changed = false;
    const meddle = (client: ProviderClient): ProviderClient => ({
      ...client,
      async request(url, init) {
        if (!changed && init?.method === 'PUT') {
          changed = true;
          const current = (await square(`/bookings/${id}`)).body.booking;
          expect((await square(`/bookings/${id}`, { method: 'PUT', json: { booking: { version: current.version, customer_note: 'Changed by the seller' } } })).status).toBe(200);
        }
        return client.request(url, init);
      },
    });
    const moved = await handler(connection, 'appointments.reschedule', { appointmentId: id, start: at('10:00'), durationMinutes: 60, timeZone: ZONE }, { key: 'stale-1', wrap: meddle });
    expect(changed).toBe(true);
    expect(ms(moved.output.appointment.startsAt)).toBe(ms(at('10:00')));
    expect(moved.output.appointment.description).toBe('Changed by the seller');

    // The same for a cancellation: the stale version is refused, the fresh one cancels.
    let bumped = false;
    const bump = (client: ProviderClient): ProviderClient => ({
      ...client,
      async request(url, init) {
        if (!bumped && url.endsWith('/cancel')) {
          bumped = true;
          const current = (await square(`/bookings/${id}`)).body.booking;
          expect((await square(`/bookings/${id}`, { method: 'PUT', json: { booking: { version: current.version, customer_note: 'Changed again' } } })).status).toBe(200);
        }
        return client.request(url, init);
      },
    });
    const before = writes().bookings;
    const cancelled = await handler(connection, 'appointments.cancel', { appointmentId: id }, { key: 'stale-2', wrap: bump });
    expect(bumped).toBe(true);
    expect(cancelled.output.appointment).toMatchObject({ status: 'cancelled', description: 'Changed again' });
    // The seller's change and the cancellation (the refused attempt changed nothing).
    expect(writes().bookings - before).toBe(2);
  });

  it('written-through records are visible at once, and the next incremental sync finds them unchanged', async () => {
    suite.sandbox.setKnobs({ dataset: { 'square.customers': 5, 'square.bookings': 0 } });
    const connection = await connect();
    const runner = new SyncRunner(suite.database.db, { maxAttempts: 2, sleep: async () => undefined });
    expect((await syncToEnd(suite.database.db, runner, connection, { mode: 'full', trigger: 'initial' })).outcome).toBe('succeeded');
    const incremental = async (resource: string) => {
      const result = await syncToEnd(suite.database.db, runner, connection, { mode: 'incremental', resource });
      expect(result.outcome, result.run.error ?? undefined).toBe('succeeded');
      return counts(result.run);
    };
    const stored = async (resource: string, id: string) => (await storedRecords(suite.database.db, connection.connectionId, resource)).find((r) => r.externalId === id);

    const contact = ok(await act(connection, 'contacts.create', { firstName: 'Grace', email: 'grace@example.com', phone: '020 7946 0958' }, 'wt-contact'));
    expect((await stored('customers', contact.contact.externalId))?.mapped).toMatchObject({ email: 'grace@example.com', phone: '+442079460958' });
    expect(await incremental('customers')).toEqual({ fetched: 1, created: 0, updated: 0, unchanged: 1, deleted: 0 });

    const created = ok(await act(connection, 'appointments.create', booking(at('10:00')), 'wt-book'));
    const id = created.appointment.externalId as string;
    expect((await stored('bookings', id))?.mapped).toMatchObject({ status: 'confirmed', customerExternalId: contact.contact.externalId });
    expect(await incremental('bookings')).toEqual({ fetched: 1, created: 0, updated: 0, unchanged: 1, deleted: 0 });

    ok(await act(connection, 'appointments.reschedule', { appointmentId: id, start: at('12:00'), durationMinutes: 60, timeZone: ZONE }, 'wt-move'));
    expect(ms(((await stored('bookings', id))?.mapped as { startsAt?: string } | undefined)?.startsAt)).toBe(ms(at('12:00')));
    expect(await incremental('bookings')).toEqual({ fetched: 1, created: 0, updated: 0, unchanged: 1, deleted: 0 });

    ok(await act(connection, 'appointments.cancel', { appointmentId: id }, 'wt-cancel'));
    const cancelled = await stored('bookings', id);
    // A cancelled booking is still a booking: its status says so.
    expect(cancelled?.mapped).toMatchObject({ status: 'cancelled' });
    expect(cancelled?.deletedAt).toBeNull();
    expect(await incremental('bookings')).toEqual({ fetched: 1, created: 0, updated: 0, unchanged: 1, deleted: 0 });
    expect(await incremental('customers')).toMatchObject({ created: 0, updated: 0 });
  });

  it('maps Square error codes and refuses writes without the write scopes', async () => {
    const readOnly = ['MERCHANT_PROFILE_READ', 'CUSTOMERS_READ', 'APPOINTMENTS_READ', 'APPOINTMENTS_ALL_READ'];
    const refused = await square('/customers', { method: 'POST', json: { given_name: 'X' }, scopes: readOnly });
    expect(refused.status).toBe(403);
    expect(refused.body.errors[0].code).toBe('INSUFFICIENT_SCOPES');
    const { ProviderHttpError } = await import('@/lib/providers/errors');
    expect(squareErrorCode(new ProviderHttpError(400, 'The idempotency key can only be retried with the same request data. (IDEMPOTENCY_KEY_REUSED)'))).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(squareErrorCode(new ProviderHttpError(400, 'NOT_FOUND'))).toBe('NOT_FOUND');
    expect(squareErrorCode(new Error('x'))).toBeUndefined();
  });
});

/** Runs one handler directly (no runner), with a client the test may wrap. */
async function handler<A extends ActionName>(connection: Connection, action: A, input: unknown, facts: { key?: string; retry?: boolean; wrap?: (client: ProviderClient) => ProviderClient } = {}) {
  const run = squareActions[action];
  if (!run) throw new Error(`no ${action}`);
  const parsed = ACTIONS[action].input.parse(input) as ActionInput<A>;
  return withProviderClient(suite.database.db, connection.connectionId, (client: ProviderClient) =>
    run({ client: facts.wrap ? facts.wrap(client) : client, idempotencyKey: facts.key ?? null, retry: facts.retry ?? false, defaultRegion: 'GB', now: new Date() }, parsed),
  );
}

/** Holds every booker's CreateBooking until all of them have asked: all passed the availability search. */
function bookingBarrier(parties: number): (client: ProviderClient) => ProviderClient {
  let waiting = 0;
  let release!: () => void;
  const allThere = new Promise<void>((resolve) => (release = resolve));
  return (client) => ({
    ...client,
    async request(url, init) {
      if (init?.method === 'POST' && /\/v2\/bookings$/.test(url)) {
        waiting += 1;
        if (waiting === parties) release();
        await allThere;
      }
      return client.request(url, init);
    },
  });
}
