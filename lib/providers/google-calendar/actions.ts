// Google Calendar actions: availability from freeBusy, and booking, cancelling and rescheduling
// events. Options read (all optional):
//   calendarId   the calendar bookings go into (default "primary");
//   calendarIds  the calendars whose busy time counts (default: ["primary"] for availability, the
//                booking calendar for writes);
//   sendUpdates  Google's guest notifications on writes: "all" (default), "externalOnly", "none".
//
// Idempotency. events.insert takes no request id, but it takes a client-chosen event id and refuses
// a reused one with 409, even after the event was deleted. So the event id is derived from the
// Idempotency-Key (eventIdFor): a retry inserts the same id and cannot create a second event, and a
// 409 means an earlier attempt committed (perhaps losing its response), so that event is fetched
// and answered. Each booking carries a hash of its request in a private extended property, so an id
// clash with a different booking answers `conflict` instead of someone else's event.
//
// Booking conflicts. Google allows overlapping events; nothing at Google refuses a double booking.
// A booking checks freeBusy just before inserting (slot_unavailable when taken), and, because two
// bookers can both pass that check, lists the slot right after inserting: if another live, opaque
// event overlapping it was created earlier (Google's `created`, then the id), this booking withdraws
// (deletes its event) and answers slot_unavailable. Every booker applies the same rule to the same
// order, so of concurrent hub bookings of overlapping slots on one calendar exactly the first
// survives, given that Google lists its own committed writes. It does not stop people or other
// tools from adding overlapping events outside the hub, and calendars other than the booking one
// (calendarIds) are only checked before the insert.
//
// Cancelling deletes the event (events.delete). Google has no separate "cancelled" state: a deleted
// event is an event with status "cancelled" (patching the status to "cancelled" deletes it too), and
// that is exactly what the events sync sees next: the event in the incremental listing with status
// "cancelled", stored as a tombstone. Delete is the documented call, sends guests the cancellation
// (sendUpdates), and a repeated delete answers 410, which is taken as done. events.get always
// returns a deleted event, so the cancelled event is fetched and answered.
import crypto from 'node:crypto';
import { z } from 'zod';
import { ActionError } from '../../actions/errors';
import { optionList, optionString, type ActionOptions } from '../../actions/options';
import type { ActionInput, ActionOutput } from '../../actions/schemas';
import { busyWindow, freeSlots, isFree, mergeSpans, type TimeRange } from '../../actions/slots';
import { appointmentWriteThrough } from '../../actions/write-through';
import { ProviderHttpError } from '../errors';
import type { ActionContext, ActionResult, ProviderActions, ProviderClient } from '../types';
import { defaultMappings } from './mappings';

const API = 'https://www.googleapis.com/calendar/v3';
const RESOURCE = 'events';
const MINUTE_MS = 60_000;
/**
 * freeBusy refuses long ranges (400 timeRangeTooLong, "The requested time range is too long").
 * Google's reference gives no number; callers report about 90 days, so windows go in 60-day chunks.
 */
const FREEBUSY_CHUNK_MS = 60 * 24 * 60 * MINUTE_MS;
/** freeBusy answers for at most 50 calendars per query (calendarExpansionMax). */
const FREEBUSY_MAX_CALENDARS = 50;
/** The private extended property holding a hash of the booking request. */
const REQUEST_PROPERTY = 'integrationHubRequest';

// Loose at every level: what is parsed is also what is stored, so nothing may be dropped.
const eventTime = z.object({ dateTime: z.string().optional(), date: z.string().optional(), timeZone: z.string().optional() }).passthrough();
const eventSchema = z
  .object({
    id: z.string().min(1),
    status: z.string().optional(),
    created: z.string().optional(),
    transparency: z.string().optional(),
    start: eventTime.optional(),
    end: eventTime.optional(),
    extendedProperties: z.object({ private: z.record(z.string(), z.string()).optional() }).passthrough().optional(),
  })
  .passthrough();
type GoogleEvent = z.infer<typeof eventSchema>;

const eventList = z.object({ items: z.array(eventSchema), nextPageToken: z.string().optional() });

const freeBusyAnswer = z.object({
  calendars: z.record(
    z.string(),
    z.object({
      busy: z.array(z.object({ start: z.string(), end: z.string() })).default([]),
      errors: z.array(z.object({ domain: z.string().optional(), reason: z.string() })).optional(),
    }),
  ),
});

const BASE32HEX = '0123456789abcdefghijklmnopqrstuv';

/**
 * The Google event id a booking with this Idempotency-Key gets: SHA-256 of the key (the runner
 * scopes it to workspace and action) in base32hex, 52 characters of a–v0–9, as event ids must be.
 */
export function eventIdFor(idempotencyKey: string): string {
  const digest = crypto.createHash('sha256').update('integration-hub:google-calendar:event-id:').update(idempotencyKey).digest();
  let out = '';
  let value = 0;
  let bits = 0;
  for (const byte of digest) {
    value = ((value << 8) | byte) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += BASE32HEX[(value >>> bits) & 31];
    }
  }
  if (bits > 0) out += BASE32HEX[(value << (5 - bits)) & 31];
  return out;
}

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

function sendUpdates(options: ActionOptions): string {
  const value = optionString(options, 'sendUpdates') ?? 'all';
  if (!['all', 'externalOnly', 'none'].includes(value)) {
    throw new ActionError('validation_failed', 'options.sendUpdates must be all, externalOnly or none', [{ pointer: '/options/sendUpdates', detail: 'expected all, externalOnly or none' }]);
  }
  return value;
}

const eventsUrl = (calendarId: string) => `${API}/calendars/${encodeURIComponent(calendarId)}/events`;
const eventUrl = (calendarId: string, eventId: string) => `${eventsUrl(calendarId)}/${encodeURIComponent(eventId)}`;

const isStatus = (error: unknown, ...statuses: number[]) => error instanceof ProviderHttpError && statuses.includes(error.status);

/** Busy time per calendar over the range, in chunks Google accepts. Calendar errors are provider errors. */
async function busyByCalendar(client: ProviderClient, calendarIds: string[], range: TimeRange, timeZone: string): Promise<Map<string, TimeRange[]>> {
  const busy = new Map<string, TimeRange[]>(calendarIds.map((id) => [id, []]));
  const end = Date.parse(range.end);
  for (let from = Date.parse(range.start); from < end; from += FREEBUSY_CHUNK_MS) {
    const to = Math.min(from + FREEBUSY_CHUNK_MS, end);
    for (let n = 0; n < calendarIds.length; n += FREEBUSY_MAX_CALENDARS) {
      const ids = calendarIds.slice(n, n + FREEBUSY_MAX_CALENDARS);
      const { body } = await client.request(`${API}/freeBusy`, {
        method: 'POST',
        json: { timeMin: iso(from), timeMax: iso(to), timeZone, items: ids.map((id) => ({ id })) },
      });
      const answer = freeBusyAnswer.parse(body);
      for (const id of ids) {
        const entry = answer.calendars[id];
        if (!entry) throw new ActionError('provider_error', `Google gave no free/busy time for calendar ${id}.`);
        if (entry.errors && entry.errors.length > 0) {
          throw new ActionError('provider_error', `Google could not give free/busy time for calendar ${id}: ${entry.errors.map((e) => e.reason).join(', ')}.`);
        }
        busy.get(id)!.push(...entry.busy);
      }
    }
  }
  return busy;
}

async function busyTime(client: ProviderClient, calendarIds: string[], range: TimeRange, timeZone: string): Promise<TimeRange[]> {
  return [...(await busyByCalendar(client, calendarIds, range, timeZone)).values()].flat();
}

/** The event, or null when the calendar does not have it (a deleted one it does: status "cancelled"). */
async function getEvent(client: ProviderClient, calendarId: string, eventId: string): Promise<GoogleEvent | null> {
  try {
    const { body } = await client.request(eventUrl(calendarId, eventId));
    return eventSchema.parse(body);
  } catch (error) {
    if (isStatus(error, 404)) return null;
    throw error;
  }
}

/** The calendar's own id: what the events sync stores records under ("primary" is an alias). */
async function resolveCalendarId(client: ProviderClient, calendarId: string): Promise<string> {
  if (calendarId !== 'primary') return calendarId;
  const { body } = await client.request(`${API}/calendars/primary`);
  return z.object({ id: z.string().min(1) }).parse(body).id;
}

/** "calendarId/eventId" (an Appointment's externalId), or a bare event id in options.calendarId. */
function appointmentRef(appointmentId: string, options: ActionOptions): { calendarId: string; eventId: string } {
  const slash = appointmentId.lastIndexOf('/');
  if (slash > 0 && slash < appointmentId.length - 1) return { calendarId: appointmentId.slice(0, slash), eventId: appointmentId.slice(slash + 1) };
  return { calendarId: optionString(options, 'calendarId') ?? 'primary', eventId: appointmentId };
}

const instantOf = (time: GoogleEvent['start']) => (time?.dateTime ? Date.parse(time.dateTime) : time?.date ? Date.parse(`${time.date}T00:00:00Z`) : NaN);

/** Whether the event holds busy time (what freeBusy counts): live and not marked free. */
const holdsTime = (event: GoogleEvent) => event.status !== 'cancelled' && event.transparency !== 'transparent';

/** The event mapped as the sync maps it (the default mapping), and the record the sync would store. */
function appointmentResult(calendarId: string, event: GoogleEvent, deleted = false): ActionResult<ActionOutput<'appointments.create'>> {
  const record = { resource: RESOURCE, externalId: `${calendarId}/${event.id}`, data: { calendarId, ...event }, ...(deleted ? { deleted: true } : {}) };
  return appointmentWriteThrough(defaultMappings[RESOURCE], "Google's event", record, event);
}

/** Lists the live events of a calendar that overlap the range. */
async function eventsOverlapping(client: ProviderClient, calendarId: string, range: TimeRange): Promise<GoogleEvent[]> {
  const events: GoogleEvent[] = [];
  let pageToken: string | undefined;
  do {
    const query = new URLSearchParams({ timeMin: range.start, timeMax: range.end, singleEvents: 'true', showDeleted: 'false', maxResults: '250' });
    if (pageToken) query.set('pageToken', pageToken);
    const { body } = await client.request(`${eventsUrl(calendarId)}?${query}`);
    const page = eventList.parse(body);
    events.push(...page.items);
    pageToken = page.nextPageToken;
  } while (pageToken);
  const start = Date.parse(range.start);
  const end = Date.parse(range.end);
  return events.filter((event) => holdsTime(event) && instantOf(event.start) < end && instantOf(event.end) > start);
}

/** Google's order of commitment: created, then id. */
const committedBefore = (a: GoogleEvent, b: GoogleEvent) => {
  const at = Date.parse(a.created ?? '');
  const bt = Date.parse(b.created ?? '');
  return at !== bt ? at < bt : a.id < b.id;
};

/**
 * After inserting: withdraws this booking when another event overlapping it was committed first
 * (two bookers passed the freeBusy check together). See the header for the guarantee.
 */
async function keepIfFirst(client: ProviderClient, calendarId: string, event: GoogleEvent, send: string): Promise<void> {
  if (!holdsTime(event)) return;
  const range = { start: iso(instantOf(event.start)), end: iso(instantOf(event.end)) };
  const rivals = (await eventsOverlapping(client, calendarId, range)).filter((other) => other.id !== event.id && committedBefore(other, event));
  if (rivals.length === 0) return;
  try {
    await client.request(`${eventUrl(calendarId, event.id)}?sendUpdates=${send}`, { method: 'DELETE' });
  } catch (error) {
    if (!isStatus(error, 404, 410)) throw error;
  }
  throw new ActionError('slot_unavailable', `The slot from ${range.start} to ${range.end} was taken by another booking a moment earlier.`);
}

function requestHash(input: ActionInput<'appointments.create'>, calendarId: string): string {
  const { start, durationMinutes, timeZone, title, description, attendee } = input;
  const canonical = JSON.stringify([calendarId, iso(Date.parse(start)), durationMinutes, timeZone, title, description ?? null, attendee.email ?? null, attendee.phone ?? null, attendee.name ?? null]);
  return crypto.createHash('sha256').update(canonical).digest('base64url');
}

function bookingDescription(input: ActionInput<'appointments.create'>): string | undefined {
  const { attendee } = input;
  // Guests are invited by email: a name without one, and a phone, go into the description.
  const contact = [attendee.email ? undefined : attendee.name, attendee.phone].filter(Boolean);
  const parts = [input.description, contact.length > 0 ? `Booked for: ${contact.join(', ')}` : undefined].filter(Boolean);
  return parts.length > 0 ? parts.join('\n\n') : undefined;
}

const googleTime = (ms: number, timeZone: string) => ({ dateTime: iso(ms), timeZone });

async function createAppointment(context: ActionContext, input: ActionInput<'appointments.create'>) {
  const { client } = context;
  if (!context.idempotencyKey) throw new ActionError('validation_failed', 'Booking needs an Idempotency-Key.');
  const eventId = eventIdFor(context.idempotencyKey);
  const requestedCalendar = optionString(input.options, 'calendarId') ?? 'primary';
  const checkCalendars = optionList(input.options, 'calendarIds') ?? [requestedCalendar];
  const send = sendUpdates(input.options);
  const hash = requestHash(input, requestedCalendar);
  const start = Date.parse(input.start);
  const slot = { start: iso(start), end: iso(start + input.durationMinutes * MINUTE_MS) };

  /** What an earlier attempt with this key booked: answered if it is this booking and still stands. */
  const settle = async (event: GoogleEvent) => {
    const bookedFor = event.extendedProperties?.private?.[REQUEST_PROPERTY];
    if (bookedFor !== undefined && bookedFor !== hash) {
      throw new ActionError('conflict', `Event ${event.id} was booked with this Idempotency-Key for a different request.`);
    }
    if (event.status === 'cancelled') {
      throw new ActionError('conflict', `The booking made with this Idempotency-Key (event ${event.id}) has since been cancelled or withdrawn; book again with a new key.`);
    }
    const calendarId = await resolveCalendarId(client, requestedCalendar);
    await keepIfFirst(client, requestedCalendar, event, send);
    return appointmentResult(calendarId, event);
  };

  // An earlier attempt may have committed and lost its answer: look before booking again.
  if (context.retry) {
    const earlier = await getEvent(client, requestedCalendar, eventId);
    if (earlier) return settle(earlier);
  }
  if (!isFree(await busyTime(client, checkCalendars, slot, input.timeZone), slot)) {
    // Taken, unless by this very booking.
    const earlier = await getEvent(client, requestedCalendar, eventId);
    if (earlier) return settle(earlier);
    throw new ActionError('slot_unavailable', `The slot from ${slot.start} to ${slot.end} is no longer free.`);
  }
  const body = {
    id: eventId,
    summary: input.title,
    description: bookingDescription(input),
    start: googleTime(start, input.timeZone),
    end: googleTime(Date.parse(slot.end), input.timeZone),
    ...(input.attendee.email ? { attendees: [{ email: input.attendee.email, ...(input.attendee.name ? { displayName: input.attendee.name } : {}) }] } : {}),
    extendedProperties: { private: { [REQUEST_PROPERTY]: hash } },
  };
  let event: GoogleEvent;
  try {
    const { body: answer } = await client.request(`${eventsUrl(requestedCalendar)}?sendUpdates=${send}`, { method: 'POST', json: body });
    event = eventSchema.parse(answer);
  } catch (error) {
    // 409: the id exists, so an earlier attempt with this key committed.
    if (!isStatus(error, 409)) throw error;
    const earlier = await getEvent(client, requestedCalendar, eventId);
    if (!earlier) throw error;
    return settle(earlier);
  }
  return settle(event);
}

async function cancelAppointment(context: ActionContext, input: ActionInput<'appointments.cancel'>) {
  const { client } = context;
  const ref = appointmentRef(input.appointmentId, input.options);
  try {
    await client.request(`${eventUrl(ref.calendarId, ref.eventId)}?sendUpdates=${sendUpdates(input.options)}`, { method: 'DELETE' });
  } catch (error) {
    if (isStatus(error, 404)) throw new ActionError('not_found', `No event ${ref.eventId} in calendar ${ref.calendarId}.`);
    // 410: deleted already (an earlier attempt, or someone else): cancelled is cancelled.
    if (!isStatus(error, 410)) throw error;
  }
  const event = await getEvent(client, ref.calendarId, ref.eventId);
  if (!event) throw new ActionError('not_found', `No event ${ref.eventId} in calendar ${ref.calendarId}.`);
  return appointmentResult(await resolveCalendarId(client, ref.calendarId), event, event.status === 'cancelled');
}

async function rescheduleAppointment(context: ActionContext, input: ActionInput<'appointments.reschedule'>) {
  const { client } = context;
  const ref = appointmentRef(input.appointmentId, input.options);
  const event = await getEvent(client, ref.calendarId, ref.eventId);
  if (!event) throw new ActionError('not_found', `No event ${ref.eventId} in calendar ${ref.calendarId}.`);
  if (event.status === 'cancelled') throw new ActionError('conflict', `Event ${ref.eventId} is cancelled and cannot be rescheduled.`);
  const start = Date.parse(input.start);
  const slot = { start: iso(start), end: iso(start + input.durationMinutes * MINUTE_MS) };
  const calendarId = await resolveCalendarId(client, ref.calendarId);
  const checkCalendars = optionList(input.options, 'calendarIds') ?? [ref.calendarId];
  const busy = await busyByCalendar(client, checkCalendars, slot, input.timeZone);
  const ownTime = holdsTime(event) ? [{ start: instantOf(event.start), end: instantOf(event.end) }] : [];
  const slotMs = { start, end: Date.parse(slot.end) };
  let hiddenByOwn = false;
  for (const [id, blocks] of busy) {
    const own = id === ref.calendarId || (await resolveCalendarId(client, id)) === calendarId;
    const overlapping = mergeSpans(blocks.map((b) => ({ start: Math.max(Date.parse(b.start), slotMs.start), end: Math.min(Date.parse(b.end), slotMs.end) })));
    if (overlapping.length === 0) continue;
    // The event's own busy time does not count against it. freeBusy merges blocks, so what the
    // event covers may hide another event: that part is looked at event by event below.
    const others = own ? overlapping.flatMap((span) => subtract(span, ownTime)) : overlapping;
    if (others.length > 0) throw new ActionError('slot_unavailable', `The slot from ${slot.start} to ${slot.end} is not free.`);
    hiddenByOwn = true;
  }
  if (hiddenByOwn) {
    const clash = (await eventsOverlapping(client, ref.calendarId, slot)).some((other) => other.id !== event.id);
    if (clash) throw new ActionError('slot_unavailable', `The slot from ${slot.start} to ${slot.end} is not free.`);
  }
  const { body } = await client.request(`${eventUrl(ref.calendarId, ref.eventId)}?sendUpdates=${sendUpdates(input.options)}`, {
    method: 'PATCH',
    json: { start: googleTime(start, input.timeZone), end: googleTime(slotMs.end, input.timeZone) },
  });
  return appointmentResult(calendarId, eventSchema.parse(body));
}

/** The parts of `span` that none of `holes` covers. */
function subtract(span: { start: number; end: number }, holes: { start: number; end: number }[]): { start: number; end: number }[] {
  let parts = [span];
  for (const hole of holes) {
    parts = parts.flatMap((part) => {
      if (hole.end <= part.start || hole.start >= part.end) return [part];
      return [
        ...(hole.start > part.start ? [{ start: part.start, end: hole.start }] : []),
        ...(hole.end < part.end ? [{ start: hole.end, end: part.end }] : []),
      ];
    });
  }
  return parts;
}

export const googleCalendarActions: ProviderActions = {
  async 'availability.get'(context, input) {
    const calendarIds = optionList(input.options, 'calendarIds') ?? ['primary'];
    const busy = await busyTime(context.client, calendarIds, busyWindow(input), input.timeZone);
    return { output: { timeZone: input.timeZone, slots: freeSlots({ ...input, now: context.now, busy }) } };
  },
  'appointments.create': createAppointment,
  'appointments.cancel': cancelAppointment,
  'appointments.reschedule': rescheduleAppointment,
};
