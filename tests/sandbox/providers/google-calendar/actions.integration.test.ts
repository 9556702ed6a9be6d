// Google Calendar actions against the provider sandbox, called directly with a real ProviderClient
// (withProviderClient) on a connection made through the sandbox's OAuth: availability from freeBusy,
// booking once per Idempotency-Key (also when the first answer was lost), slot conflicts (including
// two bookers at once), cancel and reschedule, and write-through records that the next incremental
// sync finds unchanged. The runner (lib/actions/run.ts) is not involved: write-through is simulated
// here by storing the handlers' records with the sync's own storePage.
import { beforeEach, describe, expect, it } from 'vitest';
import { ActionError } from '@/lib/actions/errors';
import { asService } from '@/lib/db/rls';
import { activeMapping } from '@/lib/mapping/store';
import { TemporaryProviderError } from '@/lib/providers/errors';
import { eventIdFor, googleCalendarActions } from '@/lib/providers/google-calendar/actions';
import type { ActionRecord, ProviderClient } from '@/lib/providers/types';
import { storePage } from '@/lib/sync/records';
import { SyncRunner } from '@/lib/sync/runner';
import { issueAccessToken } from '../../server';
import { connectForActions, expectActionError, handlerRunner, rejection } from '../../../support/actions';
import { connectViaSandbox } from '../../../support/connect';
import { testEngine } from '../../../support/database';
import { sandboxSuite } from '../../../support/sandbox-suite';
import { counts, storedRecords, syncToEnd } from '../../../support/sync';

const suite = sandboxSuite();
const NOW = new Date('2027-06-01T00:00:00Z');
const ACCOUNT = 'ada@sandbox.example';
const ZONE = 'Europe/London';
/** Monday 7 June 2027; London is on BST (UTC+1). */
const DAY = '2027-06-07';
const at = (hhmmUtc: string) => `${DAY}T${hhmmUtc}:00Z`;
const ms = (value: unknown) => Date.parse(String(value));

beforeEach(() => {
  // Empty calendars: every event in these tests is one the test put there.
  suite.sandbox.setKnobs({ dataset: { 'google-calendar.events': 0 } });
});

const connect = (name = 'Actions') => connectForActions(suite, name, (workspaceId) => connectViaSandbox(suite.database.db, suite.admin, workspaceId, 'google-calendar'));
const run = handlerRunner(suite, googleCalendarActions, NOW);

/** Holds every booker's insert until all of them have asked for it: all passed the freeBusy check. */
function insertBarrier(parties: number): (client: ProviderClient) => ProviderClient {
  let waiting = 0;
  let release!: () => void;
  const allThere = new Promise<void>((resolve) => (release = resolve));
  return (client) => ({
    ...client,
    async request(url, options) {
      if (options?.method === 'POST' && /\/events(\?|$)/.test(url)) {
        waiting += 1;
        if (waiting === parties) release();
        await allThere;
      }
      return client.request(url, options);
    },
  });
}

/** Calls the sandbox's Google API directly, as the account (another person's tool, say). */
async function google(path: string, init: { method?: string; json?: unknown } = {}) {
  const token = issueAccessToken(suite.sandbox, { provider: 'google-calendar' });
  const response = await fetch(`${suite.sandbox.url}/www.googleapis.com/calendar/v3${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${token}`, ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

async function seedEvent(startUtc: string, endUtc: string, extra: Record<string, unknown> = {}, calendar = 'primary') {
  const { status, body } = await google(`/calendars/${encodeURIComponent(calendar)}/events`, {
    method: 'POST',
    json: { summary: 'Existing', start: { dateTime: at(startUtc), timeZone: ZONE }, end: { dateTime: at(endUtc), timeZone: ZONE }, ...extra },
  });
  expect(status, JSON.stringify(body)).toBe(200);
  return body as { id: string };
}

/** The live events of the primary calendar that overlap [from, to). */
async function eventsBetween(fromUtc: string, toUtc: string) {
  const { body } = await google(`/calendars/primary/events?timeMin=${at(fromUtc)}&timeMax=${at(toUtc)}`);
  return (body.items as { id: string; summary: string }[]).map((e) => e.id).sort();
}

const booking = (startUtc: string, extra: Record<string, unknown> = {}) => ({
  start: at(startUtc),
  durationMinutes: 60,
  timeZone: ZONE,
  title: 'Consultation',
  description: 'First visit',
  attendee: { name: 'Grace Hopper', email: 'Grace@Example.com', phone: '+447700900123' },
  ...extra,
});

const availability = (extra: Record<string, unknown> = {}) => ({
  start: `${DAY}T00:00:00Z`,
  end: '2027-06-08T00:00:00Z',
  durationMinutes: 60,
  timeZone: ZONE,
  workingHours: { days: [1, 2, 3, 4, 5], start: '09:00', end: '13:00' },
  ...extra,
});

describe(`Google Calendar actions (${testEngine})`, () => {
  it('availability: working hours in the zone, minus busy time from the calendars asked for', async () => {
    const connection = await connect();
    const calendars = (await google('/users/me/calendarList')).body.items as { id: string }[];
    const team = calendars.find((c) => c.id.startsWith('team-'))!.id;
    await seedEvent('09:00', '09:30'); // 10:00–10:30 BST: busy
    await seedEvent('10:00', '11:00', { transparency: 'transparent' }); // marked free: not busy
    const gone = await seedEvent('11:00', '12:00');
    expect((await google(`/calendars/primary/events/${gone.id}`, { method: 'DELETE' })).status).toBe(204);
    await seedEvent('11:00', '11:15', {}, team);

    const primaryOnly = await run(connection, 'availability.get', availability());
    expect(primaryOnly.records).toBeUndefined();
    expect(primaryOnly.output).toEqual({
      timeZone: ZONE,
      slots: [
        { start: at('08:00'), end: at('09:00') },
        { start: at('10:00'), end: at('11:00') },
        { start: at('11:00'), end: at('12:00') },
      ],
    });
    const both = await run(connection, 'availability.get', availability({ options: { calendarIds: ['primary', team] } }));
    expect(both.output.slots.map((s) => s.start)).toEqual([at('08:00'), at('10:00')]);
    // Buffers widen the busy block: 08:00 needs 09:00–09:15 free after it.
    const buffered = await run(connection, 'availability.get', availability({ bufferAfterMinutes: 15 }));
    expect(buffered.output.slots.map((s) => s.start)).toEqual([at('10:00'), at('11:00')]);

    // A calendar Google cannot read is an error, not an empty calendar.
    await expectActionError(run(connection, 'availability.get', availability({ options: { calendarIds: ['primary', 'nobody@group.calendar.google.com'] } })), 'provider_error');
  });

  it('availability: a long window is asked for in chunks Google accepts', async () => {
    const connection = await connect();
    const before = suite.sandbox.stats().dataRequests['google-calendar.freeBusy'];
    await seedEvent('09:00', '10:00');
    const found = await run(connection, 'availability.get', availability({ start: '2027-05-01T00:00:00Z', end: '2027-07-02T00:00:00Z', bufferBeforeMinutes: 30 }));
    // 62 days and a buffer: two freeBusy queries of at most 60 days.
    expect(suite.sandbox.stats().dataRequests['google-calendar.freeBusy'] - before).toBe(2);
    // 10:00 would start straight after the event, without its 30 minutes before.
    expect(found.output.slots.filter((s) => s.start.startsWith(DAY)).map((s) => s.start)).toEqual([at('08:00'), at('11:00')]);
    // Nothing before now (1 June): 23 weekdays from 1 June to 1 July, four slots each.
    expect(found.output.slots[0].start).toBe('2027-06-01T08:00:00Z');
    expect(found.output.slots).toHaveLength(23 * 4 - 2);
    // The sandbox refuses what Google refuses.
    const tooLong = await google('/freeBusy', { method: 'POST', json: { timeMin: '2027-01-01T00:00:00Z', timeMax: '2027-04-02T00:00:00Z', items: [{ id: 'primary' }] } });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.errors[0].reason).toBe('timeRangeTooLong');
  });

  it('create books once per Idempotency-Key: the event id comes from the key, a retry answers the same event', async () => {
    const connection = await connect();
    const key = 'workspace-1:appointments.create:booking-42';
    const first = await run(connection, 'appointments.create', booking('09:00'), { key });
    const eventId = eventIdFor(key);
    expect(eventId).toMatch(/^[a-v0-9]{52}$/);
    expect(eventIdFor(key)).toBe(eventId);
    expect(eventIdFor(`${key}x`)).not.toBe(eventId);
    expect(first.output.appointment).toMatchObject({
      externalId: `${ACCOUNT}/${eventId}`,
      title: 'Consultation',
      status: 'confirmed',
      timeZone: ZONE,
      attendees: ['grace@example.com'],
    });
    expect(ms(first.output.appointment.startsAt)).toBe(Date.parse(at('09:00')));
    expect(ms(first.output.appointment.endsAt!)).toBe(Date.parse(at('10:00')));
    expect(first.output.appointment.description).toContain('Booked for: +447700900123');
    expect(first.output.resource).toBe('events');
    expect(first.records).toEqual([{ resource: 'events', externalId: `${ACCOUNT}/${eventId}`, data: { calendarId: ACCOUNT, ...(first.output.raw as object) } }]);

    const again = await run(connection, 'appointments.create', booking('09:00'), { key });
    expect(again.output.appointment.externalId).toBe(first.output.appointment.externalId);
    expect(again.output.raw).toEqual(first.output.raw);
    const retried = await run(connection, 'appointments.create', booking('09:00'), { key, retry: true });
    expect(retried.output.raw).toEqual(first.output.raw);
    expect(await eventsBetween('00:00', '23:59')).toEqual([eventId]);

    // The same key for a different booking is refused rather than answered with this one.
    await expectActionError(run(connection, 'appointments.create', booking('09:00', { title: 'Something else' }), { key }), 'conflict');
  });

  it('create: the answer lost after Google committed, then a retry with retry: true, books exactly once', async () => {
    const connection = await connect();
    const key = 'workspace-1:appointments.create:lost-answer';
    suite.sandbox.setKnobs({ dropResponseAfterWrite: { 'google-calendar': 1 } });
    const lost = await rejection(run(connection, 'appointments.create', booking('11:00'), { key }));
    expect(lost).toBeInstanceOf(TemporaryProviderError);
    expect(suite.sandbox.knobs.dropResponseAfterWrite).toEqual({});
    // It committed at Google.
    expect(await eventsBetween('11:00', '12:00')).toEqual([eventIdFor(key)]);
    const retried = await run(connection, 'appointments.create', booking('11:00'), { key, retry: true });
    expect(retried.output.appointment.externalId).toBe(`${ACCOUNT}/${eventIdFor(key)}`);
    expect(await eventsBetween('11:00', '12:00')).toEqual([eventIdFor(key)]);
    // Without the hint too: the slot is busy, but with this very booking.
    const again = await run(connection, 'appointments.create', booking('11:00'), { key });
    expect(again.output.raw).toEqual(retried.output.raw);
    expect(await eventsBetween('11:00', '12:00')).toEqual([eventIdFor(key)]);
  });

  it('create: a taken slot answers slot_unavailable and books nothing', async () => {
    const connection = await connect();
    const existing = await seedEvent('09:30', '10:30');
    await expectActionError(run(connection, 'appointments.create', booking('09:00'), { key: 'taken-1' }), 'slot_unavailable');
    expect(await eventsBetween('00:00', '23:59')).toEqual([existing.id]);
    // Touching is not taking.
    await run(connection, 'appointments.create', booking('08:30', { durationMinutes: 60 }), { key: 'taken-2' });
    expect(await eventsBetween('00:00', '23:59')).toHaveLength(2);
    // Without an Idempotency-Key there is no booking.
    await expectActionError(run(connection, 'appointments.create', booking('12:00')), 'validation_failed');
  });

  it('create: bookers racing for one slot end with exactly one event', async () => {
    const connection = await connect();
    const rounds = [
      { hour: '09', wrap: undefined },
      // All three pass the freeBusy check before any inserts: the check after inserting decides.
      { hour: '11', wrap: insertBarrier(3) },
      { hour: '13', wrap: insertBarrier(3) },
    ];
    for (const [round, { hour, wrap }] of rounds.entries()) {
      const writes = suite.sandbox.stats().dataRequests['google-calendar.eventWrites'];
      const outcomes = await Promise.allSettled([0, 1, 2].map((n) => run(connection, 'appointments.create', booking(`${hour}:00`), { key: `race-${round}-${n}`, wrap })));
      const booked = outcomes.filter((o) => o.status === 'fulfilled');
      const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(booked, JSON.stringify(refused.map((r) => String(r.reason)))).toHaveLength(1);
      expect(refused.every((r) => r.reason instanceof ActionError && r.reason.code === 'slot_unavailable')).toBe(true);
      const live = await eventsBetween(`${hour}:00`, `${hour}:59`);
      expect(live).toHaveLength(1);
      const winner = (booked[0] as PromiseFulfilledResult<{ output: { appointment: { externalId?: unknown } } }>).value;
      expect(`${ACCOUNT}/${live[0]}`).toBe(winner.output.appointment.externalId);
      // With the barrier: three inserts, and the two later ones withdrawn.
      if (wrap) expect(suite.sandbox.stats().dataRequests['google-calendar.eventWrites'] - writes).toBe(5);
    }
  });

  it('reschedule re-checks the new slot (ignoring the event itself) and moves it; cancel deletes and answers the cancelled event', async () => {
    const connection = await connect();
    const created = await run(connection, 'appointments.create', booking('09:00'), { key: 'move-me' });
    const appointmentId = created.output.appointment.externalId!;

    // Half an hour later overlaps its own old time only: allowed.
    const moved = await run(connection, 'appointments.reschedule', { appointmentId, start: at('09:30'), durationMinutes: 60, timeZone: ZONE });
    expect(ms(moved.output.appointment.startsAt)).toBe(Date.parse(at('09:30')));
    expect(moved.output.appointment.externalId).toBe(appointmentId);
    expect(moved.records).toEqual([{ resource: 'events', externalId: appointmentId, data: { calendarId: ACCOUNT, ...(moved.output.raw as object) } }]);

    // Onto someone else's event: refused.
    await seedEvent('12:00', '13:00');
    await expectActionError(run(connection, 'appointments.reschedule', { appointmentId, start: at('12:30'), durationMinutes: 60, timeZone: ZONE }), 'slot_unavailable');
    // An event overlapping the appointment's own time hides in freeBusy's merged block: still found.
    await seedEvent('10:15', '10:45');
    await expectActionError(run(connection, 'appointments.reschedule', { appointmentId, start: at('10:00'), durationMinutes: 30, timeZone: ZONE }), 'slot_unavailable');
    // A bare event id works with options.calendarId (default primary).
    const bare = await run(connection, 'appointments.reschedule', { appointmentId: eventIdFor('move-me'), start: at('14:00'), durationMinutes: 45, timeZone: ZONE });
    expect(bare.output.appointment.externalId).toBe(appointmentId);
    expect(ms(bare.output.appointment.endsAt!)).toBe(Date.parse(at('14:45')));

    const cancelled = await run(connection, 'appointments.cancel', { appointmentId, reason: 'Client asked' });
    expect(cancelled.output.appointment).toMatchObject({ externalId: appointmentId, status: 'cancelled', title: 'Consultation' });
    expect(cancelled.records).toEqual([{ resource: 'events', externalId: appointmentId, data: { calendarId: ACCOUNT, ...(cancelled.output.raw as object) }, deleted: true }]);
    expect(await eventsBetween('14:00', '15:00')).toEqual([]);
    // Cancelling again is still cancelled (Google answers 410 to the second delete).
    const twice = await run(connection, 'appointments.cancel', { appointmentId });
    expect(twice.output.appointment.status).toBe('cancelled');
    await expectActionError(run(connection, 'appointments.reschedule', { appointmentId, start: at('16:00'), durationMinutes: 30, timeZone: ZONE }), 'conflict');
    await expectActionError(run(connection, 'appointments.cancel', { appointmentId: `${ACCOUNT}/nosuchevent1` }), 'not_found');
    // The key that booked it cannot book again: its event id is spent.
    await expectActionError(run(connection, 'appointments.create', booking('09:00'), { key: 'move-me' }), 'conflict');
  });

  it('written-through records are what the next incremental sync finds, unchanged', async () => {
    const connection = await connect();
    const runner = new SyncRunner(suite.database.db, { maxAttempts: 2, sleep: async () => undefined });
    const { outcome } = await syncToEnd(suite.database.db, runner, connection, { mode: 'full', trigger: 'initial' });
    expect(outcome).toBe('succeeded');

    const writeThrough = (records: ActionRecord[] | undefined) =>
      asService(suite.database.db, async (tx) => {
        const target = { workspaceId: connection.workspaceId, connectionId: connection.connectionId, resource: 'events' };
        const mapping = await activeMapping(tx, target);
        // As the runner stores them: no sync run wrote these.
        return storePage(tx, { ...target, runId: null as unknown as string, mode: 'incremental', mapping }, records ?? []);
      });
    const incremental = async () => {
      const result = await syncToEnd(suite.database.db, runner, connection, { mode: 'incremental', resource: 'events' });
      expect(result.outcome, result.run.error ?? undefined).toBe('succeeded');
      return counts(result.run);
    };

    const created = await run(connection, 'appointments.create', booking('09:00'), { key: 'write-through' });
    expect(await writeThrough(created.records)).toMatchObject({ created: 1, failed: 0 });
    expect(await incremental()).toEqual({ fetched: 1, created: 0, updated: 0, unchanged: 1, deleted: 0 });
    const [stored] = await storedRecords(suite.database.db, connection.connectionId, 'events');
    expect(stored.mapped).toMatchObject({ title: 'Consultation', status: 'confirmed', externalId: created.output.appointment.externalId });

    const moved = await run(connection, 'appointments.reschedule', { appointmentId: created.output.appointment.externalId!, start: at('10:00'), durationMinutes: 60, timeZone: ZONE });
    expect(await writeThrough(moved.records)).toMatchObject({ updated: 1 });
    expect(await incremental()).toEqual({ fetched: 1, created: 0, updated: 0, unchanged: 1, deleted: 0 });

    const cancelled = await run(connection, 'appointments.cancel', { appointmentId: created.output.appointment.externalId! });
    expect(await writeThrough(cancelled.records)).toMatchObject({ deleted: 1 });
    // The sync sees the cancellation as Google shows it, a tombstone: already stored.
    expect(await incremental()).toEqual({ fetched: 1, created: 0, updated: 0, unchanged: 0, deleted: 0 });
    const [tombstone] = await storedRecords(suite.database.db, connection.connectionId, 'events');
    expect(tombstone.deletedAt).not.toBeNull();
  });

  it('writes need the calendar.events scope and a calendar the account may write to', async () => {
    const readOnly = issueAccessToken(suite.sandbox, { provider: 'google-calendar', scopes: ['https://www.googleapis.com/auth/calendar.readonly'] });
    const insert = (calendar: string, token: string) =>
      fetch(`${suite.sandbox.url}/www.googleapis.com/calendar/v3/calendars/${encodeURIComponent(calendar)}/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ start: { dateTime: at('09:00') }, end: { dateTime: at('10:00') } }),
      });
    expect((await insert('primary', readOnly)).status).toBe(403);
    const calendars = (await google('/users/me/calendarList')).body.items as { id: string; accessRole: string }[];
    const holidays = calendars.find((c) => c.accessRole === 'reader')!.id;
    const refused = await insert(holidays, issueAccessToken(suite.sandbox, { provider: 'google-calendar' }));
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { errors: { reason: string }[] } }).error.errors[0].reason).toBe('requiredAccessLevel');
    // A reused id is refused even after the event was deleted.
    const first = await google('/calendars/primary/events', { method: 'POST', json: { id: 'reused00001', start: { dateTime: at('09:00') }, end: { dateTime: at('10:00') } } });
    expect(first.status).toBe(200);
    expect((await google('/calendars/primary/events/reused00001', { method: 'DELETE' })).status).toBe(204);
    expect((await google('/calendars/primary/events/reused00001', { method: 'DELETE' })).status).toBe(410);
    expect((await google('/calendars/primary/events/reused00001')).body).toMatchObject({ id: 'reused00001', status: 'cancelled' });
    const again = await google('/calendars/primary/events', { method: 'POST', json: { id: 'reused00001', start: { dateTime: at('11:00') }, end: { dateTime: at('12:00') } } });
    expect(again.status).toBe(409);
    expect(again.body.error.errors[0].reason).toBe('duplicate');
    expect((await google('/calendars/primary/events', { method: 'POST', json: { id: 'NOT-base32hex', start: { dateTime: at('11:00') }, end: { dateTime: at('12:00') } } })).status).toBe(400);
  });
});
