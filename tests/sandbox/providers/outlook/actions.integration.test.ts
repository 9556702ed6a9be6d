// Outlook actions against the provider sandbox, called directly with a real ProviderClient on a
// connection made through the sandbox's OAuth: availability from getSchedule in chunks Graph
// accepts, booking once per Idempotency-Key through transactionId (also when the first answer was
// lost), slot conflicts (including two bookers at once), cancel and reschedule.
import { beforeEach, describe, expect, it } from 'vitest';
import { ActionError } from '@/lib/actions/errors';
import { TemporaryProviderError } from '@/lib/providers/errors';
import { outlookActions, SCHEDULE_CHUNK_DAYS, transactionIdFor } from '@/lib/providers/outlook/actions';
import type { ProviderClient } from '@/lib/providers/types';
import { issueAccessToken } from '../../server';
import { connectForActions, expectActionError, handlerRunner, rejection, type RawActionInput as Input } from '../../../support/actions';
import { connectViaSandbox } from '../../../support/connect';
import { testEngine } from '../../../support/database';
import { sandboxSuite } from '../../../support/sandbox-suite';
import { MAX_SCHEDULE_DAYS } from './writes';

const suite = sandboxSuite();
const NOW = new Date('2027-06-01T00:00:00Z');
const ZONE = 'Europe/London';
/** Monday 7 June 2027. */
const DAY = '2027-06-07';
const at = (hhmmUtc: string) => `${DAY}T${hhmmUtc}:00Z`;

beforeEach(() => {
  // Empty calendars: every event in these tests is one the test put there.
  suite.sandbox.setKnobs({ dataset: { 'outlook.events': 0 } });
});

const connect = () => connectForActions(suite, 'Outlook actions', (workspaceId) => connectViaSandbox(suite.database.db, suite.admin, workspaceId, 'outlook'));
const run = handlerRunner(suite, outlookActions, NOW);

/** Calls the sandbox's Graph directly, as the account (another person's tool, say). */
async function graph(path: string, init: { method?: string; json?: unknown } = {}) {
  const token = issueAccessToken(suite.sandbox, { provider: 'outlook' });
  const response = await fetch(`${suite.sandbox.url}/graph.microsoft.com/v1.0${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${token}`, ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

const utc = (iso: string) => ({ dateTime: iso.replace(/Z$/, ''), timeZone: 'UTC' });

async function defaultCalendar(): Promise<string> {
  return (await graph('/me/calendar')).body.id;
}

async function seedEvent(startUtc: string, endUtc: string) {
  const { status, body } = await graph(`/me/calendars/${await defaultCalendar()}/events`, {
    method: 'POST',
    json: { subject: 'Existing', start: utc(at(startUtc)), end: utc(at(endUtc)) },
  });
  expect(status, JSON.stringify(body)).toBe(201);
  return body as { id: string };
}

/** Ids of the live events overlapping [from, to) on the default calendar. */
async function eventsBetween(from: string, to: string): Promise<string[]> {
  const query = new URLSearchParams({ startDateTime: at(from), endDateTime: at(to) });
  const { body } = await graph(`/me/calendars/${await defaultCalendar()}/calendarView?${query}`);
  return (body.value as { id: string }[]).map((e) => e.id).sort();
}

const booking = (startUtc: string, extra: Partial<Input<'appointments.create'>> = {}): Input<'appointments.create'> => ({
  start: at(startUtc),
  durationMinutes: 60,
  timeZone: ZONE,
  title: 'Consultation',
  attendee: { name: 'Grace Hopper', email: 'grace@example.com' },
  ...extra,
});

describe(`Outlook actions (${testEngine})`, () => {
  it('availability: getSchedule in chunks Graph accepts, busy time excluded', async () => {
    const connection = await connect();
    await seedEvent('09:00', '10:00');
    // One call over the whole 62 days is more than Graph takes.
    const tooLong = await graph('/me/calendar/getSchedule', {
      method: 'POST',
      json: { schedules: ['adele@sandbox.example'], startTime: utc('2027-06-07T00:00:00Z'), endTime: utc('2027-08-08T00:00:00Z') },
    });
    expect(tooLong).toMatchObject({ status: 400, body: { error: { code: 'ErrorInvalidTimeInterval' } } });
    expect(SCHEDULE_CHUNK_DAYS).toBeLessThan(MAX_SCHEDULE_DAYS);

    const before = suite.sandbox.stats().dataRequests['outlook.getSchedule'];
    const { output } = await run(connection, 'availability.get', {
      start: '2027-06-07T00:00:00Z',
      end: '2027-08-08T00:00:00Z',
      durationMinutes: 60,
      timeZone: 'UTC',
      workingHours: { days: [1, 2, 3, 4, 5], start: '08:00', end: '12:00' },
    });
    // 62 days in 31-day chunks: two calls.
    expect(suite.sandbox.stats().dataRequests['outlook.getSchedule'] - before).toBe(2);
    const first = output.slots.filter((s) => s.start.startsWith(DAY)).map((s) => s.start);
    expect(first).toEqual([at('08:00'), at('10:00'), at('11:00')]);
    // The last chunk answers too: slots on the window's last weekday.
    expect(output.slots.some((s) => s.start.startsWith('2027-08-06'))).toBe(true);
  });

  it('create: books with a transactionId, and the same key books exactly once', async () => {
    const connection = await connect();
    const key = 'workspace-1:appointments.create:abc';
    const first = await run(connection, 'appointments.create', booking('09:00'), { key });
    const raw = first.output.raw as { id: string; transactionId: string };
    expect(raw.transactionId).toBe(transactionIdFor(key));
    expect(first.output.appointment).toMatchObject({ externalId: raw.id, title: 'Consultation', status: 'confirmed', attendees: ['grace@example.com'] });
    expect(Date.parse(String(first.output.appointment.startsAt))).toBe(Date.parse(at('09:00')));
    expect(Date.parse(String(first.output.appointment.endsAt))).toBe(Date.parse(at('10:00')));
    expect(first.records).toEqual([{ resource: 'events', externalId: raw.id, data: { calendarId: await defaultCalendar(), ...raw } }]);

    const again = await run(connection, 'appointments.create', booking('09:00'), { key, retry: true });
    expect((again.output.raw as { id: string }).id).toBe(raw.id);
    expect(await eventsBetween('00:00', '23:59')).toEqual([raw.id]);
    // The same key for a different booking is refused rather than answered with this one.
    await expectActionError(run(connection, 'appointments.create', booking('14:00', { title: 'Something else' }), { key }), 'conflict');
    expect(await eventsBetween('00:00', '23:59')).toEqual([raw.id]);
  });

  it('create: the answer lost after Graph committed, then a retry, books exactly once', async () => {
    const connection = await connect();
    const key = 'workspace-1:appointments.create:lost';
    suite.sandbox.setKnobs({ dropResponseAfterWrite: { outlook: 1 } });
    expect(await rejection(run(connection, 'appointments.create', booking('11:00'), { key }))).toBeInstanceOf(TemporaryProviderError);
    const committed = await eventsBetween('11:00', '12:00');
    expect(committed).toHaveLength(1);
    const retried = await run(connection, 'appointments.create', booking('11:00'), { key, retry: true });
    expect(retried.output.appointment.externalId).toBe(committed[0]);
    expect(await eventsBetween('11:00', '12:00')).toEqual(committed);
  });

  it('create: a taken slot answers slot_unavailable; of two bookers at once exactly one keeps the slot', async () => {
    const connection = await connect();
    const existing = await seedEvent('09:30', '10:30');
    await expectActionError(run(connection, 'appointments.create', booking('09:00'), { key: 'k:taken' }), 'slot_unavailable');
    expect(await eventsBetween('09:00', '10:00')).toEqual([existing.id]);

    // Both pass getSchedule before either inserts.
    let waiting = 0;
    let release!: () => void;
    const allThere = new Promise<void>((resolve) => (release = resolve));
    const barrier = (client: ProviderClient): ProviderClient => ({
      ...client,
      async request(url, options) {
        if (options?.method === 'POST' && /\/events$/.test(url)) {
          waiting += 1;
          if (waiting === 2) release();
          await allThere;
        }
        return client.request(url, options);
      },
    });
    const results = await Promise.allSettled([
      run(connection, 'appointments.create', booking('13:00'), { key: 'k:one', wrap: barrier }),
      run(connection, 'appointments.create', booking('13:30'), { key: 'k:two', wrap: barrier }),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect((lost[0].reason as ActionError).code).toBe('slot_unavailable');
    expect(await eventsBetween('13:00', '14:30')).toHaveLength(1);
  });

  it('cancel and reschedule: moved when free, refused when taken, cancelled events leave the calendar', async () => {
    const connection = await connect();
    const booked = await run(connection, 'appointments.create', booking('09:00'), { key: 'k:booked' });
    const id = booked.output.appointment.externalId!;
    const other = await seedEvent('15:00', '16:00');

    await expectActionError(run(connection, 'appointments.reschedule', { appointmentId: id, start: at('15:30'), durationMinutes: 60, timeZone: ZONE }), 'slot_unavailable');
    // Overlapping only itself is fine.
    const moved = await run(connection, 'appointments.reschedule', { appointmentId: id, start: at('09:30'), durationMinutes: 60, timeZone: ZONE });
    expect(Date.parse(String(moved.output.appointment.startsAt))).toBe(Date.parse(at('09:30')));
    expect((await graph(`/me/events/${id}`)).body.start.dateTime).toMatch(/^2027-06-07T09:30:00/);

    const cancelled = await run(connection, 'appointments.cancel', { appointmentId: id, reason: 'Client asked' });
    expect(cancelled.output.appointment.status).toBe('cancelled');
    expect(cancelled.records).toEqual([expect.objectContaining({ externalId: id, deleted: true })]);
    expect(await eventsBetween('00:00', '23:59')).toEqual([other.id]);
    await expectActionError(run(connection, 'appointments.cancel', { appointmentId: id }), 'not_found');
    await expectActionError(run(connection, 'appointments.reschedule', { appointmentId: 'AAMkNoSuchEvent', start: at('17:00'), durationMinutes: 30, timeZone: ZONE }), 'not_found');
  });
});
