// Calendly actions through runAction on connections made through the sandbox's OAuth: availability
// from event_type_available_times (future only, 7-day calls, narrowed by the request's working
// hours), booking through the Scheduling API (exactly once when the answer was lost and the request
// retried; slot_unavailable when the time is taken; action_not_supported on a free plan), cancel,
// and written-through records that the next incremental sync finds unchanged. No reschedule:
// Calendly has no endpoint for it.
import { Temporal } from 'temporal-polyfill';
import { beforeEach, describe, expect, it } from 'vitest';
import { calendlyActions } from '@/lib/providers/calendly/actions';
import { SyncRunner } from '@/lib/sync/runner';
import { issueAccessToken } from '../../server';
import { actionRunner, connectForActions, type ActionConnection as Connection } from '../../../support/actions';
import { connectAccount } from '../../../support/connect';
import { testEngine } from '../../../support/database';
import { sandboxSuite } from '../../../support/sandbox-suite';
import { counts, storedRecords, syncToEnd } from '../../../support/sync';

const suite = sandboxSuite();
const { ok, problem } = actionRunner(suite);
const PAID = 'SBXUSERADA000001';
const FREE = 'SBXUSERGRACE0002';

/** A Monday at least three weeks ahead, as a London date (the host works Mon–Fri 09:00–17:00 London). */
const MONDAY = (() => {
  let day = Temporal.Now.plainDateISO('Europe/London').add({ days: 21 });
  while (day.dayOfWeek !== 1) day = day.add({ days: 1 });
  return day;
})();
const at = (date: Temporal.PlainDate, time: string) => date.toZonedDateTime({ timeZone: 'Europe/London', plainTime: Temporal.PlainTime.from(time) }).toInstant().toString();

beforeEach(() => {
  // No seeded events: every booking in these tests is one the test made.
  suite.sandbox.setKnobs({ dataset: { 'calendly.scheduled_events': 0, 'calendly.invitees': 0 } });
});

const connect = (account = PAID): Promise<Connection> =>
  connectForActions(suite, 'Calendly actions', (workspaceId) => connectAccount(suite.database.db, suite.admin, workspaceId, 'calendly', account));

/** The user's events at Calendly, as the account's own tools would list them. */
async function eventsAtCalendly(): Promise<{ uri: string; status: string; start_time: string }[]> {
  const token = issueAccessToken(suite.sandbox, { provider: 'calendly' });
  const response = await fetch(`${suite.sandbox.url}/api.calendly.com/scheduled_events?user=${encodeURIComponent(`https://api.calendly.com/users/${PAID}`)}&count=100`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return ((await response.json()) as { collection: { uri: string; status: string; start_time: string }[] }).collection;
}

const booking = (start: string, email = 'ada.client@example.com') => ({
  start,
  durationMinutes: 30,
  timeZone: 'Europe/London',
  title: 'Intro call',
  attendee: { name: 'Ada Client', email },
});

describe(`Calendly actions (${testEngine})`, () => {
  it('declares availability, booking and cancelling, and no reschedule', () => {
    expect(Object.keys(calendlyActions).sort()).toEqual(['appointments.cancel', 'appointments.create', 'availability.get']);
  });

  it('availability.get: the host’s free starts, future only, over more than a week in 7-day calls', async () => {
    const connection = await connect();
    const before = suite.sandbox.stats().dataRequests;
    const friday = MONDAY.add({ days: 4 });
    const window = { start: at(MONDAY.subtract({ days: 40 }), '00:00'), end: at(MONDAY.add({ days: 9 }), '00:00'), durationMinutes: 30, timeZone: 'Europe/London' };
    const { slots } = await ok(connection, 'availability.get', window);
    const starts = slots.map((s: { start: string }) => s.start);
    // The past is never offered; Mondays run 09:00–16:30 starts every 15 minutes, weekends not at all.
    expect(starts.every((s: string) => Date.parse(s) > Date.now())).toBe(true);
    const monday = starts.filter((s: string) => Date.parse(s) >= Date.parse(at(MONDAY, '00:00')) && Date.parse(s) < Date.parse(at(MONDAY, '23:59')));
    expect(monday[0]).toBe(at(MONDAY, '09:00'));
    expect(monday.at(-1)).toBe(at(MONDAY, '16:30'));
    expect(monday).toHaveLength(31);
    expect(starts.some((s: string) => Date.parse(s) >= Date.parse(at(friday.add({ days: 1 }), '00:00')) && Date.parse(s) < Date.parse(at(friday.add({ days: 3 }), '00:00')))).toBe(false);
    // From a minute from now to 9 days ahead of a Monday three weeks out: at least four 7-day calls.
    expect(suite.sandbox.stats().dataRequests['calendly.availableTimes'] - (before['calendly.availableTimes'] ?? 0)).toBeGreaterThanOrEqual(4);

    // The request's working hours narrow Calendly's offer; an hour event type is found by duration.
    const narrowed = await ok(connection, 'availability.get', {
      start: at(MONDAY, '00:00'),
      end: at(MONDAY, '23:00'),
      durationMinutes: 60,
      timeZone: 'Europe/London',
      workingHours: { days: [1], start: '10:00', end: '12:00' },
      stepMinutes: 15,
    });
    expect(narrowed.slots.map((s: { start: string }) => s.start)).toEqual(['10:00', '10:15', '10:30', '10:45', '11:00'].map((t) => at(MONDAY, t)));
    // No event type lasts 45 minutes.
    await problem(connection, 'availability.get', { ...window, durationMinutes: 45 }, undefined, 'validation_failed');
    // A window wholly in the past has no slots, and asks Calendly nothing.
    expect((await ok(connection, 'availability.get', { ...window, end: at(MONDAY.subtract({ days: 35 }), '00:00') })).slots).toEqual([]);
  });

  it('appointments.create books through the Scheduling API and writes the event through', async () => {
    const connection = await connect();
    const created = await ok(connection, 'appointments.create', booking(at(MONDAY, '10:00')), 'book-1');
    expect(created.appointment).toMatchObject({ title: 'Intro call', startsAt: at(MONDAY, '10:00').replace('Z', '.000Z'), status: 'confirmed' });
    expect(created.resource).toBe('scheduled_events');
    const [event] = await eventsAtCalendly();
    expect(event).toMatchObject({ uri: created.raw.uri, status: 'active' });
    // The time is gone from the availability now.
    const { slots } = await ok(connection, 'availability.get', { start: at(MONDAY, '09:00'), end: at(MONDAY, '12:00'), durationMinutes: 30, timeZone: 'Europe/London' });
    expect(slots.map((s: { start: string }) => s.start)).not.toContain(at(MONDAY, '10:00'));
    expect(slots.map((s: { start: string }) => s.start)).not.toContain(at(MONDAY, '09:45'));

    // Written through: the next incremental sync finds the event and its invitee unchanged.
    const stored = await storedRecords(suite.database.db, connection.connectionId, 'scheduled_events');
    expect(stored.map((r) => r.externalId)).toEqual([event.uri.split('/').at(-1)]);
    const runner = new SyncRunner(suite.database.db, { sleep: async () => undefined });
    const { run } = await syncToEnd(suite.database.db, runner, connection, { mode: 'full', trigger: 'initial' });
    expect(counts(run)).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
  });

  it('a booking conflict: the time is taken, so slot_unavailable', async () => {
    const connection = await connect();
    await ok(connection, 'appointments.create', booking(at(MONDAY, '11:00')), 'first');
    const refused = await problem(connection, 'appointments.create', booking(at(MONDAY, '11:15'), 'someone.else@example.com'), 'second', 'slot_unavailable');
    expect(refused.detail).toMatch(/not available/);
    expect(await eventsAtCalendly()).toHaveLength(1);
  });

  it('books once when the answer was lost and the request retried', async () => {
    const connection = await connect();
    suite.sandbox.setKnobs({ dropResponseAfterWrite: { calendly: 1 } });
    await problem(connection, 'appointments.create', booking(at(MONDAY, '14:00')), 'book-once', 'provider_error');
    expect(await eventsAtCalendly()).toHaveLength(1);
    // The retry is told it may have committed: it finds that booking instead of making another.
    const retried = await ok(connection, 'appointments.create', booking(at(MONDAY, '14:00')), 'book-once');
    const events = await eventsAtCalendly();
    expect(events).toHaveLength(1);
    expect(retried.raw.uri).toBe(events[0].uri);
  });

  it('refuses to book on a plan without the Scheduling API, explaining why', async () => {
    const connection = await connect(FREE);
    const refused = await problem(connection, 'appointments.create', booking(at(MONDAY, '10:00')), 'free-plan', 'action_not_supported');
    expect(refused.detail).toMatch(/paid Calendly plan/);
    // Availability still works there (that host works 09:00–17:00 New York time).
    expect((await ok(connection, 'availability.get', { start: at(MONDAY, '15:00'), end: at(MONDAY, '16:00'), durationMinutes: 30, timeZone: 'Europe/London' })).slots.length).toBeGreaterThan(0);
  });

  it('appointments.cancel cancels the event (and answers the same on a retry); unknown ids are not_found', async () => {
    const connection = await connect();
    const created = await ok(connection, 'appointments.create', booking(at(MONDAY, '15:00')), 'to-cancel');
    const uuid = created.raw.uri.split('/').at(-1);
    const cancelled = await ok(connection, 'appointments.cancel', { appointmentId: uuid, reason: 'Client asked' }, 'cancel-1');
    expect(cancelled.appointment.status).toBe('cancelled');
    expect(cancelled.raw.cancellation).toMatchObject({ reason: 'Client asked', canceler_type: 'host' });
    const [event] = await eventsAtCalendly();
    expect(event.status).toBe('canceled');
    // By URI too, and again: already cancelled answers the cancelled event.
    expect((await ok(connection, 'appointments.cancel', { appointmentId: created.raw.uri }, 'cancel-2')).appointment.status).toBe('cancelled');
    await problem(connection, 'appointments.cancel', { appointmentId: 'EVNOSUCHEVENT000' }, 'cancel-3', 'not_found');
    // The time is free again.
    const { slots } = await ok(connection, 'availability.get', { start: at(MONDAY, '15:00'), end: at(MONDAY, '15:30'), durationMinutes: 30, timeZone: 'Europe/London' });
    expect(slots).toHaveLength(1);
  });

  it('declares no reschedule: the action answers action_not_supported', async () => {
    const connection = await connect();
    await problem(connection, 'appointments.reschedule', { appointmentId: 'x', start: at(MONDAY, '10:00'), durationMinutes: 30, timeZone: 'Europe/London' }, 'r', 'action_not_supported');
  });
});
