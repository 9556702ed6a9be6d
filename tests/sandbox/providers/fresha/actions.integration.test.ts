// Fresha actions (partner API, unverified: the sandbox plays the product spec's contract) through
// runAction, on connections made through the sandbox's OAuth: client lookup and
// create-or-return-existing, availability from free windows (the business's hours across a DST
// change), booking exactly once when the answer was lost and the request retried (Fresha replays
// the Idempotency-Key), slot conflicts (also when taken between the check and the booking), cancel
// and reschedule, and written-through records that the next incremental sync finds unchanged.
import { beforeEach, describe, expect, it } from 'vitest';
import { ActionError } from '@/lib/actions/errors';
import type { ActionSuccess } from '@/lib/actions/run';
import { ACTIONS, type ActionInput } from '@/lib/actions/schemas';
import { withProviderClient } from '@/lib/connections/provider-access';
import { freshaActions } from '@/lib/providers/fresha/actions';
import type { ProviderClient } from '@/lib/providers/types';
import { SyncRunner } from '@/lib/sync/runner';
import { issueAccessToken } from '../../server';
import { actionRunner, connectForActions, type ActionConnection as Connection } from '../../../support/actions';
import { connectViaSandbox } from '../../../support/connect';
import { testEngine } from '../../../support/database';
import { sandboxSuite } from '../../../support/sandbox-suite';
import { counts, storedRecords, syncToEnd } from '../../../support/sync';

const suite = sandboxSuite();
const { run, ok, problem } = actionRunner(suite);
// The business is in London; its team works Monday to Saturday, 09:00–18:00. BST starts on Sunday
// 31 March 2030.
const SATURDAY = '2030-03-30'; // GMT
const MONDAY = '2030-04-01'; // BST, UTC+1
const MASSAGE = { serviceId: 'svc-deep-tissue-massage', staffId: 'staff-alex' };

beforeEach(() => {
  // No seeded appointments: every booking in these tests is one the test made.
  suite.sandbox.setKnobs({ dataset: { 'fresha.appointments': 0, 'fresha.clients': 30 } });
});

const connect = (): Promise<Connection> => connectForActions(suite, 'Salon', (workspaceId) => connectViaSandbox(suite.database.db, suite.admin, workspaceId, 'fresha'));

/** Calls the sandbox's Fresha API directly, as the business's own tools would. */
async function freshaApi(path: string, init: { method?: string; json?: unknown; scopes?: string[] } = {}): Promise<{ status: number; body: any }> {
  const token = issueAccessToken(suite.sandbox, { provider: 'fresha', ...(init.scopes ? { scopes: init.scopes } : {}) });
  const response = await fetch(`${suite.sandbox.url}/api.fresha.com/v2${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${token}`, ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

async function seededClients(n: number) {
  const { body } = await freshaApi(`/clients?page[size]=${n}`);
  return body.data as { id: string; attributes: { first_name: string; last_name: string; email: string; phone: string } }[];
}

/** Live (not cancelled) appointments starting at an instant. */
async function bookedAt(startUtc: string) {
  const { body } = await freshaApi('/appointments?page[size]=100');
  return (body.data as { id: string; attributes: { starts_at: string; status: string; client_id: string; staff_id: string } }[]).filter(
    (a) => Date.parse(a.attributes.starts_at) === Date.parse(startUtc) && a.attributes.status !== 'cancelled',
  );
}

async function bookDirectly(clientId: string, startUtc: string, staffId = 'staff-alex') {
  return freshaApi('/appointments', { method: 'POST', json: { data: { type: 'appointment', attributes: { client_id: clientId, service_id: MASSAGE.serviceId, staff_id: staffId, starts_at: startUtc } } } });
}

const booking = (start: string, attendee: Record<string, string>, options: Record<string, string> = MASSAGE) => ({
  start,
  durationMinutes: 60,
  timeZone: 'Europe/London',
  title: 'Massage',
  description: 'Shoulders',
  attendee,
  options,
});

describe(`Fresha actions (${testEngine})`, () => {
  it('contacts.lookup finds clients by email and by phone; contacts.create returns the existing one or creates once', async () => {
    const connection = await connect();
    const [seeded] = await seededClients(1);
    const byEmail = await ok(connection, 'contacts.lookup', { email: seeded.attributes.email.toUpperCase() });
    expect(byEmail.contacts).toEqual([
      {
        resource: 'clients',
        contact: expect.objectContaining({ externalId: seeded.id, email: seeded.attributes.email, phone: seeded.attributes.phone.replace(/ /g, ''), firstName: seeded.attributes.first_name }),
        raw: expect.objectContaining({ id: seeded.id, type: 'client' }),
      },
    ]);
    const byPhone = await ok(connection, 'contacts.lookup', { phone: seeded.attributes.phone });
    expect(byPhone.contacts.map((c: { contact: { externalId: string } }) => c.contact.externalId)).toContain(seeded.id);
    expect((await ok(connection, 'contacts.lookup', { email: 'nobody@example.com' })).contacts).toEqual([]);

    expect(await ok(connection, 'contacts.create', { email: seeded.attributes.email, firstName: 'Other' }, 'c-1')).toMatchObject({ created: false, contact: { externalId: seeded.id } });
    const person = { firstName: 'Grace', lastName: 'Hopper', email: 'grace@example.com', phone: '+447700900777' };
    const created = await run(connection, 'contacts.create', person, 'c-2');
    expect(created.ok).toBe(true);
    const output = (created.body as ActionSuccess<Record<string, any>>).output;
    expect(output).toMatchObject({ created: true, contact: { firstName: 'Grace', lastName: 'Hopper', email: 'grace@example.com', phone: '+447700900777' } });
    expect(await ok(connection, 'contacts.create', person, 'c-3')).toMatchObject({ created: false, contact: { externalId: output.contact.externalId } });
    // The lost answer: Fresha committed, then the retry with the same key finds it.
    suite.sandbox.setKnobs({ dropResponseAfterWrite: { fresha: 1 } });
    const ada = { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' };
    await problem(connection, 'contacts.create', ada, 'c-4', 'provider_error');
    expect(await ok(connection, 'contacts.create', ada, 'c-4')).toMatchObject({ contact: { email: 'ada@example.com' } });
    expect((await freshaApi('/clients?filter[email]=ada@example.com')).body.data).toHaveLength(1);
  });

  it("availability.get: the team's free windows, in the business's hours across a DST change", async () => {
    const connection = await connect();
    const window = { start: `${SATURDAY}T00:00:00Z`, end: `${MONDAY}T23:59:00Z`, durationMinutes: 60, timeZone: 'UTC', options: MASSAGE };
    const { slots } = await ok(connection, 'availability.get', window);
    const starts = slots.map((s: { start: string }) => s.start);
    // 09:00–18:00 London: 09:00Z on Saturday (GMT), 08:00Z on Monday (BST); closed on Sunday.
    expect(starts.filter((s: string) => s.startsWith(SATURDAY))).toEqual(['09', '10', '11', '12', '13', '14', '15', '16', '17'].map((h) => `${SATURDAY}T${h}:00:00Z`));
    expect(starts.filter((s: string) => s.startsWith('2030-03-31'))).toEqual([]);
    expect(starts.filter((s: string) => s.startsWith(MONDAY))).toEqual(['08', '09', '10', '11', '12', '13', '14', '15', '16'].map((h) => `${MONDAY}T${h}:00:00Z`));

    const [client] = await seededClients(1);
    expect((await bookDirectly(client.id, `${MONDAY}T10:00:00Z`)).status).toBe(201);
    const monday = await ok(connection, 'availability.get', { ...window, start: `${MONDAY}T00:00:00Z`, workingHours: { days: [1], start: '10:00', end: '14:00' }, timeZone: 'Europe/London', bufferBeforeMinutes: 30 });
    // 10:00–14:00 London time; 11:00 BST (10:00Z) is taken, and 12:00 BST needs 30 minutes free before it.
    expect(monday.slots.map((s: { start: string }) => s.start)).toEqual([`${MONDAY}T09:00:00Z`, `${MONDAY}T12:00:00Z`]);
    // Anyone on the team: someone else is free at 10:00Z.
    const anyone = await ok(connection, 'availability.get', { ...window, start: `${MONDAY}T10:00:00Z`, end: `${MONDAY}T11:00:00Z`, options: { serviceId: MASSAGE.serviceId } });
    expect(anyone.slots).toEqual([{ start: `${MONDAY}T10:00:00Z`, end: `${MONDAY}T11:00:00Z` }]);
    await problem(connection, 'availability.get', { ...window, options: {} }, undefined, 'validation_failed');
  });

  it('appointments.create books once: a lost answer, then the retry, answers the first booking', async () => {
    const connection = await connect();
    const [seeded] = await seededClients(1);
    const attendee = { name: 'Seeded Client', email: seeded.attributes.email };
    suite.sandbox.setKnobs({ dropResponseAfterWrite: { fresha: 1 } });
    await problem(connection, 'appointments.create', booking(`${MONDAY}T09:00:00Z`, attendee), 'book-once', 'provider_error');
    const committed = await bookedAt(`${MONDAY}T09:00:00Z`);
    expect(committed).toHaveLength(1);

    const retried = await ok(connection, 'appointments.create', booking(`${MONDAY}T09:00:00Z`, attendee), 'book-once');
    expect(retried.appointment).toMatchObject({
      externalId: committed[0].id,
      title: 'Deep tissue massage',
      serviceName: 'Deep tissue massage',
      staffName: 'Alex',
      status: 'booked',
      customerExternalId: seeded.id,
      price: 65,
      currency: 'GBP',
    });
    expect(Date.parse(retried.appointment.startsAt)).toBe(Date.parse(`${MONDAY}T09:00:00Z`));
    expect(Date.parse(retried.appointment.endsAt)).toBe(Date.parse(`${MONDAY}T10:00:00Z`));
    expect(await bookedAt(`${MONDAY}T09:00:00Z`)).toHaveLength(1);
    // A new attendee becomes a client first.
    const fresh = await ok(connection, 'appointments.create', booking(`${MONDAY}T12:00:00Z`, { name: 'Mary Jackson', email: 'mary@example.com', phone: '+447700900555' }), 'new-attendee');
    const [mary] = (await ok(connection, 'contacts.lookup', { email: 'mary@example.com' })).contacts;
    expect(mary.contact).toMatchObject({ firstName: 'Mary', lastName: 'Jackson', phone: '+447700900555' });
    expect(fresh.appointment.customerExternalId).toBe(mary.contact.externalId);
  });

  it('a taken slot answers slot_unavailable, also when taken between the check and the booking', async () => {
    const connection = await connect();
    const [first, second, third] = await seededClients(3);
    await ok(connection, 'appointments.create', booking(`${MONDAY}T09:00:00Z`, { email: first.attributes.email }), 'first');
    await problem(connection, 'appointments.create', booking(`${MONDAY}T09:30:00Z`, { email: second.attributes.email }), 'second', 'slot_unavailable');
    await problem(connection, 'appointments.create', booking('2030-03-31T10:00:00Z', { email: second.attributes.email }), 'sunday', 'slot_unavailable');
    // Without a staff member, Fresha gives the slot to someone free.
    const other = await ok(connection, 'appointments.create', booking(`${MONDAY}T09:00:00Z`, { email: second.attributes.email }, { serviceId: MASSAGE.serviceId }), 'anyone');
    expect(other.appointment.staffName).not.toBe('Alex');

    const stealBeforeBooking = (client: ProviderClient): ProviderClient => ({
      ...client,
      async request(url, options) {
        if (options?.method === 'POST' && url.endsWith('/v2/appointments')) expect((await bookDirectly(third.id, `${MONDAY}T14:00:00Z`)).status).toBe(201);
        return client.request(url, options);
      },
    });
    const input = ACTIONS['appointments.create'].input.parse(booking(`${MONDAY}T14:00:00Z`, { email: first.attributes.email })) as ActionInput<'appointments.create'>;
    const raced = await withProviderClient(suite.database.db, connection.connectionId, (client) =>
      freshaActions['appointments.create']!({ client: stealBeforeBooking(client), idempotencyKey: 'e'.repeat(64), retry: false, defaultRegion: 'GB', now: new Date() }, input),
    ).catch((error: unknown) => error);
    expect(raced).toBeInstanceOf(ActionError);
    expect((raced as ActionError).code).toBe('slot_unavailable');
    expect((await bookedAt(`${MONDAY}T14:00:00Z`)).map((a) => a.attributes.client_id)).toEqual([third.id]);

    // The same Idempotency-Key with another booking is refused rather than answered with the first.
    await ok(connection, 'appointments.create', booking(`${MONDAY}T16:00:00Z`, { email: first.attributes.email }), 'k-reused');
    const other16 = ACTIONS['appointments.create'].input.parse(booking(`${MONDAY}T16:00:00Z`, { email: second.attributes.email }, { serviceId: MASSAGE.serviceId, staffId: 'staff-sam' })) as ActionInput<'appointments.create'>;
    const reused = await withProviderClient(suite.database.db, connection.connectionId, (client) =>
      freshaActions['appointments.create']!({ client, idempotencyKey: 'd'.repeat(64), retry: false, defaultRegion: 'GB', now: new Date() }, other16),
    );
    expect(reused.output.appointment.staffName).toBe('Sam');
    const again = await withProviderClient(suite.database.db, connection.connectionId, (client) =>
      freshaActions['appointments.create']!({ client, idempotencyKey: 'd'.repeat(64), retry: true, defaultRegion: 'GB', now: new Date() }, { ...other16, title: 'Something else' }),
    ).catch((error: unknown) => error);
    expect((again as ActionError).code).toBe('conflict');

    // A connection's token without the write scope is refused by Fresha.
    const readOnly = await freshaApi('/appointments', { method: 'POST', scopes: ['clients:read', 'appointments:read'], json: {} });
    expect(readOnly.status).toBe(403);
  });

  it('reschedule re-checks the new slot (its own time aside) and moves it; cancel cancels, again is still cancelled', async () => {
    const connection = await connect();
    const [client, rival] = await seededClients(2);
    const created = await ok(connection, 'appointments.create', booking(`${MONDAY}T09:00:00Z`, { email: client.attributes.email }), 'move-me');
    const appointmentId = created.appointment.externalId as string;
    const moved = await ok(connection, 'appointments.reschedule', { appointmentId, start: `${MONDAY}T09:30:00Z`, durationMinutes: 60, timeZone: 'UTC' }, 'move-1');
    expect(moved.appointment).toMatchObject({ externalId: appointmentId, status: 'booked' });
    expect(Date.parse(moved.appointment.startsAt)).toBe(Date.parse(`${MONDAY}T09:30:00Z`));
    expect(Date.parse(moved.appointment.endsAt)).toBe(Date.parse(`${MONDAY}T10:30:00Z`));

    expect((await bookDirectly(rival.id, `${MONDAY}T12:00:00Z`)).status).toBe(201);
    await problem(connection, 'appointments.reschedule', { appointmentId, start: `${MONDAY}T11:30:00Z`, durationMinutes: 60, timeZone: 'UTC' }, 'move-2', 'slot_unavailable');
    await problem(connection, 'appointments.reschedule', { appointmentId, start: `${MONDAY}T19:00:00Z`, durationMinutes: 60, timeZone: 'UTC' }, 'move-3', 'slot_unavailable');

    const cancelled = await ok(connection, 'appointments.cancel', { appointmentId, reason: 'Client asked' }, 'cancel-1');
    expect(cancelled.appointment).toMatchObject({ externalId: appointmentId, status: 'cancelled' });
    expect(cancelled.raw).toMatchObject({ attributes: { status: 'cancelled', cancellation_reason: 'Client asked' } });
    expect((await ok(connection, 'appointments.cancel', { appointmentId }, 'cancel-2')).appointment.status).toBe('cancelled');
    await problem(connection, 'appointments.reschedule', { appointmentId, start: `${MONDAY}T15:00:00Z`, durationMinutes: 60, timeZone: 'UTC' }, 'move-4', 'conflict');
    await problem(connection, 'appointments.cancel', { appointmentId: 'no-such-appointment' }, 'cancel-3', 'not_found');
    await problem(connection, 'appointments.reschedule', { appointmentId: 'no-such-appointment', start: `${MONDAY}T15:00:00Z`, durationMinutes: 60, timeZone: 'UTC' }, 'move-5', 'not_found');
  });

  it('written-through records are what the next incremental sync finds, unchanged', async () => {
    const connection = await connect();
    const runner = new SyncRunner(suite.database.db, { maxAttempts: 2, sleep: async () => undefined });
    expect((await syncToEnd(suite.database.db, runner, connection, { mode: 'full', trigger: 'initial' })).outcome).toBe('succeeded');
    const incremental = async (resource: string) => {
      const result = await syncToEnd(suite.database.db, runner, connection, { mode: 'incremental', resource });
      expect(result.outcome, result.run.error ?? undefined).toBe('succeeded');
      return counts(result.run);
    };

    const booked = await ok(connection, 'appointments.create', booking(`${MONDAY}T11:00:00Z`, { name: 'Katherine Johnson', email: 'katherine@example.com' }), 'wt-1');
    const id = booked.appointment.externalId as string;
    expect(await incremental('clients')).toEqual({ fetched: 1, created: 0, updated: 0, unchanged: 1, deleted: 0 });
    expect(await incremental('appointments')).toEqual({ fetched: 1, created: 0, updated: 0, unchanged: 1, deleted: 0 });
    const stored = (await storedRecords(suite.database.db, connection.connectionId, 'appointments')).find((r) => r.externalId === id);
    expect(stored?.mapped).toMatchObject({ externalId: id, status: 'booked', title: 'Deep tissue massage' });

    await ok(connection, 'appointments.reschedule', { appointmentId: id, start: `${MONDAY}T13:00:00Z`, durationMinutes: 60, timeZone: 'UTC' }, 'wt-2');
    expect(await incremental('appointments')).toEqual({ fetched: 1, created: 0, updated: 0, unchanged: 1, deleted: 0 });
    await ok(connection, 'appointments.cancel', { appointmentId: id }, 'wt-3');
    expect(await incremental('appointments')).toEqual({ fetched: 1, created: 0, updated: 0, unchanged: 1, deleted: 0 });
    const after = (await storedRecords(suite.database.db, connection.connectionId, 'appointments')).find((r) => r.externalId === id);
    expect(after?.mapped).toMatchObject({ status: 'cancelled' });
  });
});
