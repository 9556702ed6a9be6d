// Mindbody actions through runAction (the path the /api/v1 routes, MCP and Try it share), on
// connections made with the API-key form against the provider sandbox: client lookup and
// create-or-return-existing, availability from BookableItems windows in the site's time zone
// (across a DST change), booking exactly once when the answer was lost and the request retried,
// slot conflicts (also when another client takes the slot between the check and the booking),
// cancel and reschedule, and the optional staff login (validated on connect, never answered).
import { beforeEach, describe, expect, it } from 'vitest';
import { ActionError } from '@/lib/actions/errors';
import { ACTIONS, type ActionInput } from '@/lib/actions/schemas';
import { connectWithApiKey } from '@/lib/connections/api-key';
import { withProviderClient } from '@/lib/connections/provider-access';
import { mindbodyActions } from '@/lib/providers/mindbody/actions';
import type { ProviderClient } from '@/lib/providers/types';
import { PROFILE } from './accounts';
import { MINDBODY_SANDBOX_KEY } from './api';
import { actionRunner, connectForActions, type ActionConnection as Connection } from '../../../support/actions';
import { testEngine } from '../../../support/database';
import { sandboxSuite } from '../../../support/sandbox-suite';

const suite = sandboxSuite();
const { run, ok, problem } = actionRunner(suite);
const [LA, LONDON] = PROFILE.accounts;
// Site -99 is in Los Angeles: DST starts on Sunday 10 March 2030. Ava (staff 11) works Monday to
// Friday 09:00–17:00 site time; session type 101 is 60 minutes, 102 is 30.
const FRIDAY = '2030-03-08'; // PST, UTC−8
const MONDAY = '2030-03-11'; // PDT, UTC−7
const MASSAGE = { sessionTypeId: '101', staffId: '11' };

const connect = (fields: Record<string, string> = {}, site = LA): Promise<Connection> =>
  connectForActions(suite, `Studio ${site.id}`, (workspaceId) =>
    connectWithApiKey(suite.database.db, suite.admin, workspaceId, {
      provider: 'mindbody',
      fields: { apiKey: MINDBODY_SANDBOX_KEY, siteId: String(site.siteId), staffUsername: site.staffUsername, staffPassword: site.staffPassword, ...fields },
    }),
  );

// ── Mindbody itself, as another tool (or the front desk) would call it ───────────────────────────

const tokens = new Map<string, string>();
async function staffToken(site = LA): Promise<string> {
  const cached = tokens.get(site.id);
  if (cached) return cached;
  const { body } = await mindbody('/usertoken/issue', { method: 'POST', json: { Username: site.staffUsername, Password: site.staffPassword }, staff: false, site });
  tokens.set(site.id, body.AccessToken);
  return body.AccessToken;
}

async function mindbody(path: string, init: { method?: string; json?: unknown; staff?: boolean; site?: typeof LA } = {}): Promise<{ status: number; body: any }> {
  const site = init.site ?? LA;
  const headers: Record<string, string> = { 'Api-Key': MINDBODY_SANDBOX_KEY, SiteId: String(site.siteId) };
  if (init.staff !== false) headers.Authorization = await staffToken(site);
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${suite.sandbox.url}/api.mindbodyonline.com/public/v6${path}`, {
    method: init.method ?? 'GET',
    headers,
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

async function seededClient(id: string) {
  const { body } = await mindbody(`/client/clients?request.clientIds=${id}`);
  return body.Clients[0] as { Id: string; FirstName: string; LastName: string; Email: string; MobilePhone: string };
}

/** The site's appointments on a local date. */
async function appointmentsOn(date: string, site = LA) {
  const { body } = await mindbody(`/appointment/staffappointments?request.startDate=${date}&request.endDate=${date}`, { site });
  return body.Appointments as { Id: number; Status: string; StartDateTime: string; ClientId: string; StaffId: number }[];
}

const booking = (start: string, attendee: Record<string, string>, options: Record<string, string> = MASSAGE) => ({
  start,
  durationMinutes: 60,
  timeZone: 'America/Los_Angeles',
  title: 'Deep tissue massage',
  description: 'Lower back',
  attendee,
  options,
});

beforeEach(() => {
  tokens.clear();
});

describe(`Mindbody actions (${testEngine})`, () => {
  it('connecting: the staff login is optional, tried before saving, and never answered', async () => {
    const refused = connect({ staffPassword: 'wrong-password' });
    await expect(refused).rejects.toMatchObject({ code: 'credentials_rejected', message: /Staff identity authentication failed/ });
    await expect(connect({ staffPassword: '' })).rejects.toMatchObject({ code: 'credentials_rejected', message: /both the staff username and the staff password/ });

    // Without a login: the site connects, availability works, client actions say what is missing.
    const siteOnly = await connect({ staffUsername: '', staffPassword: '' });
    const slots = await ok(siteOnly, 'availability.get', { start: `${MONDAY}T16:00:00Z`, end: `${MONDAY}T18:00:00Z`, durationMinutes: 60, timeZone: 'UTC', options: MASSAGE });
    expect(slots.slots).toEqual([
      { start: `${MONDAY}T16:00:00Z`, end: `${MONDAY}T17:00:00Z` },
      { start: `${MONDAY}T17:00:00Z`, end: `${MONDAY}T18:00:00Z` },
    ]);
    const missing = await problem(siteOnly, 'contacts.lookup', { email: 'someone@example.com' }, undefined, 'action_not_supported');
    expect(missing.detail).toMatch(/staff username and password/);

    const full = await connect();
    const answer = await run(full, 'contacts.lookup', { email: 'nobody@example.com' });
    expect(answer.ok).toBe(true);
    expect(JSON.stringify(answer)).not.toContain(LA.staffPassword);
  });

  it('contacts.lookup finds clients by email and by phone, mapped onto the Contact model', async () => {
    const connection = await connect();
    const seeded = await seededClient('100003');
    const byEmail = await ok(connection, 'contacts.lookup', { email: seeded.Email.toUpperCase() });
    expect(byEmail.contacts).toHaveLength(1);
    expect(byEmail.contacts[0]).toMatchObject({
      resource: 'clients',
      contact: {
        externalId: '100003',
        firstName: seeded.FirstName,
        lastName: seeded.LastName,
        fullName: `${seeded.FirstName} ${seeded.LastName}`,
        email: seeded.Email,
        phone: seeded.MobilePhone.replace(/ /g, ''),
      },
      raw: { Id: '100003', UniqueId: 100003 },
    });
    // Any format: the runner makes it E.164, the search uses its digits, the match is exact.
    const byPhone = await ok(connection, 'contacts.lookup', { phone: seeded.MobilePhone.replace('+44 ', '+44 (0)') });
    expect(byPhone.contacts.map((c: { contact: { externalId: string } }) => c.contact.externalId)).toContain('100003');
    for (const c of byPhone.contacts) expect(c.contact.phone).toBe(seeded.MobilePhone.replace(/ /g, ''));
    expect((await ok(connection, 'contacts.lookup', { email: 'no.such.person@example.com' })).contacts).toEqual([]);
  });

  it('contacts.create returns an existing client, creates a new one once, and survives a lost answer', async () => {
    const connection = await connect();
    const seeded = await seededClient('100004');
    const existing = await ok(connection, 'contacts.create', { email: seeded.Email, firstName: 'Someone', lastName: 'Else' }, 'create-existing');
    expect(existing).toMatchObject({ created: false, contact: { externalId: '100004' } });

    const person = { firstName: 'Grace', lastName: 'Hopper', email: 'grace.hopper@example.com', phone: '+447700900999', notes: 'Prefers mornings' };
    const created = await ok(connection, 'contacts.create', person, 'create-grace');
    expect(created).toMatchObject({ created: true, resource: 'clients', contact: { firstName: 'Grace', lastName: 'Hopper', email: person.email, phone: person.phone, notes: 'Prefers mornings' } });
    const again = await ok(connection, 'contacts.create', person, 'create-grace-again');
    expect(again).toMatchObject({ created: false, contact: { externalId: created.contact.externalId } });
    await problem(connection, 'contacts.create', { email: 'ada@example.com', firstName: 'Ada' }, 'no-last-name', 'validation_failed');

    // AddClient commits, the answer is lost; the retry (same key) finds the client rather than adding another.
    suite.sandbox.setKnobs({ dropResponseAfterWrite: { mindbody: 1 } });
    const katherine = { firstName: 'Katherine', lastName: 'Johnson', email: 'katherine.johnson@example.com' };
    await problem(connection, 'contacts.create', katherine, 'create-katherine', 'provider_error');
    const retried = await ok(connection, 'contacts.create', katherine, 'create-katherine');
    expect(retried).toMatchObject({ created: false, contact: { email: katherine.email } });
    const { body } = await mindbody(`/client/clients?request.searchText=${encodeURIComponent(katherine.email)}`);
    expect(body.Clients).toHaveLength(1);
  });

  it("availability.get reads BookableItems windows in the site's zone, across a DST change", async () => {
    const connection = await connect();
    const window = { start: `${FRIDAY}T00:00:00Z`, end: `${MONDAY}T23:59:00Z`, durationMinutes: 60, timeZone: 'UTC', options: MASSAGE };
    const { timeZone, slots } = await ok(connection, 'availability.get', window);
    expect(timeZone).toBe('UTC');
    const starts = slots.map((s: { start: string }) => s.start);
    // 09:00–17:00 in Los Angeles: 17:00Z on Friday (PST), 16:00Z on Monday (PDT); nothing at the
    // weekend. The window's first hour is Thursday's last (16:00 PST), so Thursday was asked for too.
    expect(starts.filter((s: string) => s.startsWith(FRIDAY))).toEqual(['00', '17', '18', '19', '20', '21', '22', '23'].map((h) => `${FRIDAY}T${h}:00:00Z`));
    expect(starts).toContain('2030-03-09T00:00:00Z');
    expect(starts.filter((s: string) => s.startsWith(MONDAY))).toEqual(['16', '17', '18', '19', '20', '21', '22'].map((h) => `${MONDAY}T${h}:00:00Z`));
    expect(starts.filter((s: string) => s.startsWith('2030-03-10'))).toEqual([]);

    // Working hours and the zone are the caller's: 10:00–12:00 Los Angeles time on Monday only.
    const morning = await ok(connection, 'availability.get', { ...window, timeZone: 'America/Los_Angeles', workingHours: { days: [1], start: '10:00', end: '12:00' } });
    expect(morning).toEqual({ timeZone: 'America/Los_Angeles', slots: [{ start: `${MONDAY}T17:00:00Z`, end: `${MONDAY}T18:00:00Z` }, { start: `${MONDAY}T18:00:00Z`, end: `${MONDAY}T19:00:00Z` }] });

    // A booking takes its hour out; a buffer needs free time after the slot (time outside the staff
    // member's hours is not free: 23:00Z would end at 17:00 local, its buffer after closing).
    const seeded = await seededClient('100005');
    await ok(connection, 'appointments.create', booking(`${MONDAY}T18:00:00Z`, { name: 'Seeded', email: seeded.Email }), 'avail-booking');
    const monday = { ...window, start: `${MONDAY}T00:00:00Z` };
    const after = await ok(connection, 'availability.get', monday);
    expect(after.slots.map((s: { start: string }) => s.start)).toEqual(['16', '17', '19', '20', '21', '22'].map((h) => `${MONDAY}T${h}:00:00Z`));
    const buffered = await ok(connection, 'availability.get', { ...monday, bufferAfterMinutes: 15, stepMinutes: 30 });
    expect(buffered.slots.map((s: { start: string }) => s.start)).toEqual(['T16:00', 'T16:30', 'T19:00', 'T19:30', 'T20:00', 'T20:30', 'T21:00', 'T21:30', 'T22:00', 'T22:30'].map((t) => `${MONDAY}${t}:00Z`));

    // Either staff member will do when none is named: Ben (12) also works Sundays, 10:00–16:00.
    const anyone = await ok(connection, 'availability.get', { ...window, options: { sessionTypeId: '102' }, durationMinutes: 30 });
    expect(anyone.slots.filter((s: { start: string }) => s.start.startsWith('2030-03-10'))[0]).toEqual({ start: '2030-03-10T17:00:00Z', end: '2030-03-10T17:30:00Z' });

    await problem(connection, 'availability.get', { ...window, options: {} }, undefined, 'validation_failed');
  });

  it("availability.get in a London site: the site's windows, the caller's zone", async () => {
    const connection = await connect({}, LONDON);
    // Sunday 31 March 2030 is London's change to BST: Ben works 10:00–16:00 local both days.
    const { slots } = await ok(connection, 'availability.get', { start: '2030-03-30T00:00:00Z', end: '2030-04-01T00:00:00Z', durationMinutes: 30, timeZone: 'Europe/London', options: { sessionTypeId: '102', staffId: '12' } });
    expect(slots[0]).toEqual({ start: '2030-03-30T10:00:00Z', end: '2030-03-30T10:30:00Z' });
    expect(slots.find((s: { start: string }) => s.start.startsWith('2030-03-31'))).toEqual({ start: '2030-03-31T09:00:00Z', end: '2030-03-31T09:30:00Z' });
    expect(slots).toHaveLength(24);
  });

  it('appointments.create books once: a lost answer, then the retry, finds the first booking', async () => {
    const connection = await connect();
    const seeded = await seededClient('100006');
    const attendee = { name: `${seeded.FirstName} ${seeded.LastName}`, email: seeded.Email };
    suite.sandbox.setKnobs({ dropResponseAfterWrite: { mindbody: 1 } });
    const lost = await problem(connection, 'appointments.create', booking(`${MONDAY}T17:00:00Z`, attendee), 'book-once', 'provider_error');
    expect(lost.detail).toMatch(/could not be reached/);
    // It committed at Mindbody.
    const committed = await appointmentsOn(MONDAY);
    expect(committed).toMatchObject([{ StartDateTime: `${MONDAY}T10:00:00`, ClientId: '100006', StaffId: 11, Status: 'Booked' }]);

    const retried = await ok(connection, 'appointments.create', booking(`${MONDAY}T17:00:00Z`, attendee), 'book-once');
    expect(retried.appointment).toMatchObject({
      externalId: String(committed[0].Id),
      title: 'Deep Tissue Massage',
      startsAt: `${MONDAY}T17:00:00Z`,
      endsAt: `${MONDAY}T18:00:00Z`,
      durationMinutes: 60,
      timeZone: 'America/Los_Angeles',
      status: 'booked',
      customerExternalId: '100006',
    });
    expect(retried.appointment.description).toMatch(/^Deep tissue massage\n\nLower back\n\nBooked for: .+\n\nIntegration Hub booking ih-[0-9a-f]{16}$/);
    expect(await appointmentsOn(MONDAY)).toHaveLength(1);
    // And again: the stored answer is replayed.
    const replay = await run(connection, 'appointments.create', booking(`${MONDAY}T17:00:00Z`, attendee), 'book-once');
    expect(replay).toMatchObject({ ok: true, replayed: true, headers: { 'Idempotent-Replayed': 'true' } });
    expect(await appointmentsOn(MONDAY)).toHaveLength(1);
  });

  it('appointments.create for a new attendee creates the client, validates with Test, then books', async () => {
    const connection = await connect();
    const before = suite.sandbox.stats().dataRequests;
    const booked = await ok(connection, 'appointments.create', booking(`${MONDAY}T20:00:00Z`, { name: 'Mary Jackson', email: 'mary.jackson@example.com', phone: '+14155550123' }), 'new-attendee');
    const after = suite.sandbox.stats().dataRequests;
    // Test: true, then the booking.
    expect(after['mindbody.appointmentWrites'] - before['mindbody.appointmentWrites']).toBe(2);
    expect(after['mindbody.clientWrites'] - before['mindbody.clientWrites']).toBe(1);
    const [client] = (await ok(connection, 'contacts.lookup', { email: 'mary.jackson@example.com' })).contacts;
    expect(client.contact).toMatchObject({ firstName: 'Mary', lastName: 'Jackson', phone: '+14155550123' });
    expect(booked.appointment.customerExternalId).toBe(client.contact.externalId);
    // A name Mindbody cannot split into first and last is refused before anything is created.
    await problem(connection, 'appointments.create', booking(`${MONDAY}T21:00:00Z`, { name: 'Cher', email: 'cher@example.com' }), 'one-name', 'validation_failed');
    await problem(connection, 'appointments.create', booking(`${MONDAY}T21:00:00Z`, { name: 'No Type', email: 'x@example.com' }, { staffId: '11' }), 'no-type', 'validation_failed');
  });

  it('a slot another client holds answers slot_unavailable, also when taken between the check and the booking', async () => {
    const connection = await connect();
    const [first, second, third] = await Promise.all(['100007', '100008', '100009'].map(seededClient));
    await ok(connection, 'appointments.create', booking(`${MONDAY}T19:00:00Z`, { email: first.Email }), 'first');
    const taken = await problem(connection, 'appointments.create', booking(`${MONDAY}T19:30:00Z`, { email: second.Email }), 'second', 'slot_unavailable');
    expect(taken.status).toBe(409);
    // Outside the staff member's hours too.
    await problem(connection, 'appointments.create', booking(`${MONDAY}T02:00:00Z`, { email: second.Email }), 'night', 'slot_unavailable');
    // Without a named staff member the other one takes it.
    const other = await ok(connection, 'appointments.create', booking(`${MONDAY}T19:00:00Z`, { email: second.Email }, { sessionTypeId: '101' }), 'anyone');
    expect(other.appointment.staffName).toBe('Ben Cole');

    // Mindbody itself refuses a second booking of a staff member's slot.
    const direct = (clientId: string, local: string) =>
      mindbody('/appointment/addappointment', { method: 'POST', json: { ClientId: clientId, LocationId: 1, SessionTypeId: 101, StaffId: 11, StartDateTime: `${MONDAY}T${local}` } });
    expect((await direct(third.Id, '15:00:00')).status).toBe(200);
    const refused = await direct(second.Id, '15:30:00');
    expect(refused.status).toBe(400);
    expect(refused.body.Error).toMatchObject({ Code: 'StaffUnavailable' });

    // The race: another client books the slot after our check (and Test) passed, just before our booking.
    const stealBeforeBooking = (client: ProviderClient): ProviderClient => ({
      ...client,
      async request(url, options) {
        const body = options?.json as { Test?: boolean } | undefined;
        if (url.endsWith('/appointment/addappointment') && body?.Test === false) expect((await direct(third.Id, '14:00:00')).status).toBe(200);
        return client.request(url, options);
      },
    });
    const input = ACTIONS['appointments.create'].input.parse(booking(`${MONDAY}T21:00:00Z`, { email: first.Email })) as ActionInput<'appointments.create'>;
    const raced = await withProviderClient(suite.database.db, connection.connectionId, (client) =>
      mindbodyActions['appointments.create']!({ client: stealBeforeBooking(client), idempotencyKey: 'f'.repeat(64), retry: false, defaultRegion: 'US', now: new Date() }, input),
    ).catch((error: unknown) => error);
    expect(raced).toBeInstanceOf(ActionError);
    expect((raced as ActionError).code).toBe('slot_unavailable');
    const at14 = (await appointmentsOn(MONDAY)).filter((a) => a.StartDateTime === `${MONDAY}T14:00:00` && a.Status === 'Booked');
    expect(at14.map((a) => a.ClientId)).toEqual([third.Id]);
  });

  it('appointments.cancel cancels (again: still cancelled) and frees the slot; reschedule moves it, re-checking the new slot', async () => {
    const connection = await connect();
    const [client, rival] = await Promise.all(['100010', '100011'].map(seededClient));
    const created = await ok(connection, 'appointments.create', booking(`${MONDAY}T17:00:00Z`, { email: client.Email }), 'to-move');
    const appointmentId = created.appointment.externalId as string;

    // Half an hour later overlaps only its own old time: allowed.
    const moved = await ok(connection, 'appointments.reschedule', { appointmentId, start: `${MONDAY}T17:30:00Z`, durationMinutes: 60, timeZone: 'UTC' }, 'move-1');
    expect(moved.appointment).toMatchObject({ externalId: appointmentId, startsAt: `${MONDAY}T17:30:00Z`, endsAt: `${MONDAY}T18:30:00Z`, status: 'booked', staffName: 'Ava Reed' });
    expect((await appointmentsOn(MONDAY)).map((a) => a.StartDateTime)).toEqual([`${MONDAY}T10:30:00`]);
    // Onto someone else's appointment, or outside hours: refused, and nothing moves.
    await ok(connection, 'appointments.create', booking(`${MONDAY}T20:00:00Z`, { email: rival.Email }), 'rival');
    await problem(connection, 'appointments.reschedule', { appointmentId, start: `${MONDAY}T19:30:00Z`, durationMinutes: 60, timeZone: 'UTC' }, 'move-2', 'slot_unavailable');
    await problem(connection, 'appointments.reschedule', { appointmentId, start: `${MONDAY}T23:30:00Z`, durationMinutes: 60, timeZone: 'UTC' }, 'move-3', 'slot_unavailable');
    expect((await appointmentsOn(MONDAY)).map((a) => a.StartDateTime).sort()).toEqual([`${MONDAY}T10:30:00`, `${MONDAY}T13:00:00`]);

    const cancelled = await ok(connection, 'appointments.cancel', { appointmentId, reason: 'Client asked' }, 'cancel-1');
    expect(cancelled.appointment).toMatchObject({ externalId: appointmentId, status: 'cancelled', title: 'Deep Tissue Massage', startsAt: `${MONDAY}T17:30:00Z` });
    expect(cancelled.raw).toMatchObject({ Id: Number(appointmentId), Status: 'Cancelled' });
    const twice = await ok(connection, 'appointments.cancel', { appointmentId }, 'cancel-2');
    expect(twice.appointment.status).toBe('cancelled');
    await problem(connection, 'appointments.reschedule', { appointmentId, start: `${MONDAY}T21:00:00Z`, durationMinutes: 60, timeZone: 'UTC' }, 'move-4', 'conflict');
    await problem(connection, 'appointments.cancel', { appointmentId: '999999' }, 'cancel-3', 'not_found');
    await problem(connection, 'appointments.cancel', { appointmentId: 'abc' }, 'cancel-4', 'validation_failed');

    // Its old slot is free again.
    const { slots } = await ok(connection, 'availability.get', { start: `${MONDAY}T17:00:00Z`, end: `${MONDAY}T19:00:00Z`, durationMinutes: 60, timeZone: 'UTC', options: MASSAGE });
    expect(slots.map((s: { start: string }) => s.start)).toEqual([`${MONDAY}T17:00:00Z`, `${MONDAY}T18:00:00Z`]);
  });
});
