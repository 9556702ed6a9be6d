// Acuity actions through runAction on connections made with a user id and API key: availability
// from availability/dates and /times (narrowed by the request's working hours), booking checked
// with check-times (slot_unavailable when taken, exactly once when the answer was lost and the
// request retried), cancel, reschedule (a conflict too), and written-through records that the next
// sync finds unchanged.
import { Temporal } from 'temporal-polyfill';
import { beforeEach, describe, expect, it } from 'vitest';
import { SyncRunner } from '@/lib/sync/runner';
import { connectWithApiKey } from '@/lib/connections/api-key';
import { actionRunner, connectForActions, type ActionConnection as Connection } from '../../../support/actions';
import { connectAccount } from '../../../support/connect';
import { testEngine } from '../../../support/database';
import { sandboxSuite } from '../../../support/sandbox-suite';
import { counts, storedRecords, syncToEnd } from '../../../support/sync';
import { PROFILE } from './accounts';

const suite = sandboxSuite();
const { ok, problem } = actionRunner(suite);
const ACCOUNT = PROFILE.accounts[0];
const BASIC = `Basic ${Buffer.from(`${ACCOUNT.id}:${ACCOUNT.apiKey}`).toString('base64')}`;

/** A Monday at least three weeks ahead (Bloom Studio works Mon–Fri 09:00–17:00 London, starts every 30 minutes). */
const MONDAY = (() => {
  let day = Temporal.Now.plainDateISO('Europe/London').add({ days: 21 });
  while (day.dayOfWeek !== 1) day = day.add({ days: 1 });
  return day;
})();
const at = (date: Temporal.PlainDate, time: string) => date.toZonedDateTime({ timeZone: 'Europe/London', plainTime: Temporal.PlainTime.from(time) }).toInstant().toString();

beforeEach(() => {
  suite.sandbox.setKnobs({ dataset: { 'acuity.appointments': 0, 'acuity.clients': 5 } });
});

/** With OAuth (the default), or with the account's user id and API key. */
function connect(way: 'oauth' | 'api_key' = 'oauth'): Promise<Connection> {
  return connectForActions(suite, 'Acuity actions', (workspaceId) =>
    way === 'oauth'
      ? connectAccount(suite.database.db, suite.admin, workspaceId, 'acuity', ACCOUNT.id)
      : connectWithApiKey(suite.database.db, suite.admin, workspaceId, { provider: 'acuity', fields: { userId: ACCOUNT.id, apiKey: ACCOUNT.apiKey } }),
  );
}

/** The business's live appointments, as its own tools would list them. */
async function liveAppointments(): Promise<{ id: number; datetime: string; canceled: boolean; calendarID: number }[]> {
  const response = await fetch(`${suite.sandbox.url}/acuityscheduling.com/api/v1/appointments?max=1000&minDate=2000-01-01`, { headers: { authorization: BASIC } });
  return (await response.json()) as { id: number; datetime: string; canceled: boolean; calendarID: number }[];
}

const booking = (start: string, email = 'ada.client@example.com', options: Record<string, unknown> = {}) => ({
  start,
  durationMinutes: 60,
  timeZone: 'Europe/London',
  title: 'Consultation',
  attendee: { name: 'Ada Client', email },
  options,
});

describe(`Acuity actions (${testEngine})`, () => {
  it('availability.get: open starts from dates and times, narrowed by working hours', async () => {
    const connection = await connect();
    const day = { start: at(MONDAY, '00:00'), end: at(MONDAY, '23:59'), durationMinutes: 60, timeZone: 'Europe/London' };
    const { slots } = await ok(connection, 'availability.get', day);
    // 09:00–16:00 starts every 30 minutes for an hour-long consultation.
    expect(slots.map((s: { start: string }) => s.start)).toEqual(['09:00', '09:30', '10:00', '10:30', '11:00', '11:30', '12:00', '12:30', '13:00', '13:30', '14:00', '14:30', '15:00', '15:30', '16:00'].map((t) => at(MONDAY, t)));
    const narrowed = await ok(connection, 'availability.get', { ...day, workingHours: { days: [1], start: '12:00', end: '14:00' } });
    expect(narrowed.slots.map((s: { start: string }) => s.start)).toEqual(['12:00', '12:30', '13:00'].map((t) => at(MONDAY, t)));
    // A weekend has nothing; an unknown duration needs options.appointmentTypeID.
    expect((await ok(connection, 'availability.get', { ...day, start: at(MONDAY.subtract({ days: 2 }), '00:00'), end: at(MONDAY.subtract({ days: 1 }), '23:00') })).slots).toEqual([]);
    await problem(connection, 'availability.get', { ...day, durationMinutes: 45 }, undefined, 'validation_failed');
    expect((await ok(connection, 'availability.get', { ...day, durationMinutes: 45, options: { appointmentTypeID: 2 } })).slots.length).toBeGreaterThan(0);
  });

  it('books, and refuses a taken time with slot_unavailable once both calendars are busy', async () => {
    const connection = await connect();
    const first = await ok(connection, 'appointments.create', booking(at(MONDAY, '10:00')), 'book-1');
    expect(first.appointment).toMatchObject({ title: 'Consultation', startsAt: at(MONDAY, '10:00').replace('Z', '.000Z'), status: 'booked', customerEmail: 'ada.client@example.com' });
    // The second calendar takes the same hour; a third booking at that time has nowhere to go.
    await ok(connection, 'appointments.create', booking(at(MONDAY, '10:00'), 'bo@example.com'), 'book-2');
    const taken = await problem(connection, 'appointments.create', booking(at(MONDAY, '10:30'), 'cy@example.com'), 'book-3', 'slot_unavailable');
    expect(taken.detail).toMatch(/not available/);
    // Asking for one calendar by id: it is busy at 10:00 already.
    await problem(connection, 'appointments.create', booking(at(MONDAY, '10:00'), 'di@example.com', { calendarID: first.raw.calendarID }), 'book-4', 'slot_unavailable');
    expect((await liveAppointments()).filter((a) => !a.canceled)).toHaveLength(2);

    // Written through: the first full sync finds the two appointments unchanged (and the 5 clients new).
    const stored = await storedRecords(suite.database.db, connection.connectionId, 'appointments');
    expect(stored.map((r) => r.externalId).sort()).toEqual((await liveAppointments()).map((a) => String(a.id)).sort());
    const runner = new SyncRunner(suite.database.db, { sleep: async () => undefined });
    const { run: synced } = await syncToEnd(suite.database.db, runner, connection, { mode: 'full', trigger: 'initial' });
    expect(counts(synced)).toMatchObject({ created: 5, updated: 0, unchanged: 2 });
  });

  it('books once when the answer was lost and the request retried', async () => {
    const connection = await connect();
    suite.sandbox.setKnobs({ dropResponseAfterWrite: { acuity: 1 } });
    await problem(connection, 'appointments.create', booking(at(MONDAY, '14:00')), 'once', 'provider_error');
    expect(await liveAppointments()).toHaveLength(1);
    const retried = await ok(connection, 'appointments.create', booking(at(MONDAY, '14:00')), 'once');
    const all = await liveAppointments();
    expect(all).toHaveLength(1);
    expect(retried.raw.id).toBe(all[0].id);
  });

  it('reschedules to a free time, refuses a taken one, and cancels (on an API-key connection)', async () => {
    const connection = await connect('api_key');
    const a = await ok(connection, 'appointments.create', booking(at(MONDAY, '09:00')), 'a');
    const calendarID = a.raw.calendarID;
    await ok(connection, 'appointments.create', booking(at(MONDAY, '11:00'), 'bo@example.com', { calendarID }), 'b');
    const moved = await ok(connection, 'appointments.reschedule', { appointmentId: String(a.raw.id), start: at(MONDAY, '13:00'), durationMinutes: 60, timeZone: 'Europe/London' }, 'move');
    expect(moved.appointment.startsAt).toBe(at(MONDAY, '13:00').replace('Z', '.000Z'));
    expect(moved.raw.id).toBe(a.raw.id);
    // Weekend: not available.
    await problem(connection, 'appointments.reschedule', { appointmentId: String(a.raw.id), start: at(MONDAY.subtract({ days: 1 }), '10:00'), durationMinutes: 60, timeZone: 'Europe/London' }, 'move-2', 'slot_unavailable');
    const cancelled = await ok(connection, 'appointments.cancel', { appointmentId: String(a.raw.id), reason: 'Client asked' }, 'cancel');
    expect(cancelled.appointment.status).toBe('cancelled');
    expect(cancelled.raw.canceled).toBe(true);
    // Again: already cancelled answers the same; rescheduling it is a conflict; unknown ids are not_found.
    expect((await ok(connection, 'appointments.cancel', { appointmentId: String(a.raw.id) }, 'cancel-2')).appointment.status).toBe('cancelled');
    await problem(connection, 'appointments.reschedule', { appointmentId: String(a.raw.id), start: at(MONDAY, '15:00'), durationMinutes: 60, timeZone: 'Europe/London' }, 'move-3', 'conflict');
    await problem(connection, 'appointments.cancel', { appointmentId: '999999999' }, 'cancel-3', 'not_found');
  });
});
