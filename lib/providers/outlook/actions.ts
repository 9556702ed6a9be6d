// Outlook actions through Microsoft Graph. Options read (all optional):
//   calendarId  the calendar bookings go into (default: the user's default calendar, GET /me/calendar);
//   schedules   the mailboxes whose free/busy time counts (default: the signed-in user's own).
//
// Availability: POST /me/calendar/getSchedule (https://learn.microsoft.com/graph/api/calendar-getschedule)
// answers scheduleItems with a status per block (free, tentative, busy, oof, workingElsewhere);
// everything but "free" is busy time. availabilityViewInterval is 5–1,440 minutes (documented);
// the longest span per call is undocumented there (reported as under 42 days, shared/providers.md,
// unverified), so windows go in SCHEDULE_CHUNK_DAYS chunks.
//
// Booking: POST /me/calendars/{id}/events with `transactionId`, "a custom identifier specified by a
// client app for the server to avoid redundant POST operations in case of client retries"
// (https://learn.microsoft.com/graph/api/resources/event): derived from the Idempotency-Key, so a
// retry gets the first attempt's event back instead of a second one. Graph allows overlapping
// events, so a booking checks getSchedule first (slot_unavailable when taken) and, because two
// bookers can pass that check together, lists the slot after inserting: if another event overlapping
// it was created earlier (createdDateTime, then id), this booking withdraws and answers
// slot_unavailable; of concurrent hub bookings exactly the first survives.
// Cancel: POST /me/events/{id}/cancel (organizer only; attendees get the cancellation). Reschedule:
// PATCH start and end after checking the new slot is free apart from the event itself.
import crypto from 'node:crypto';
import { z } from 'zod';
import { ActionError } from '../../actions/errors';
import { optionList, optionString } from '../../actions/options';
import type { ActionInput, ActionOutput } from '../../actions/schemas';
import { busyWindow, freeSlots, isFree, type TimeRange } from '../../actions/slots';
import { appointmentWriteThrough } from '../../actions/write-through';
import type { ActionContext, ActionResult, ProviderActions, ProviderClient } from '../types';
import { GRAPH, isStatus } from './graph';
import { defaultMappings } from './mappings';

const RESOURCE = 'events';
const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
export const SCHEDULE_CHUNK_DAYS = 31;
const UTC = { prefer: 'outlook.timezone="UTC"' };

const graphTime = z.object({ dateTime: z.string(), timeZone: z.string().optional() }).passthrough();
const eventSchema = z
  .object({
    id: z.string().min(1),
    createdDateTime: z.string().optional(),
    isCancelled: z.boolean().optional(),
    showAs: z.string().optional(),
    transactionId: z.string().nullish(),
    subject: z.string().nullish(),
    start: graphTime.optional(),
    end: graphTime.optional(),
  })
  .passthrough();
type GraphEvent = z.infer<typeof eventSchema>;
const eventList = z.object({ value: z.array(eventSchema), '@odata.nextLink': z.string().optional() });
const scheduleAnswer = z.object({
  value: z.array(
    z
      .object({
        scheduleId: z.string(),
        scheduleItems: z.array(z.object({ status: z.string(), start: graphTime, end: graphTime }).passthrough()).default([]),
        error: z.object({ message: z.string().optional(), responseCode: z.string().optional() }).passthrough().optional(),
      })
      .passthrough(),
  ),
});

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
/** Graph's dateTimeTimeZone wants a wall time without offset; ours are all UTC. */
const utcTime = (ms: number) => ({ dateTime: new Date(ms).toISOString().replace(/\.\d{3}Z$/, ''), timeZone: 'UTC' });
/** A UTC wall time from Graph ("2027-03-01T09:00:00.0000000") as an instant. */
const instantOf = (time: { dateTime: string } | undefined) => (time ? Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(time.dateTime) ? time.dateTime : `${time.dateTime}Z`) : NaN);

/** The transactionId a booking with this Idempotency-Key carries (the runner scopes keys to workspace and action). */
export function transactionIdFor(idempotencyKey: string): string {
  return crypto.createHash('sha256').update('integration-hub:outlook:transaction:').update(idempotencyKey).digest('base64url').slice(0, 40);
}

async function ownMailbox(client: ProviderClient): Promise<string> {
  const { body } = await client.request(`${GRAPH}/me?$select=mail,userPrincipalName`);
  const me = z.object({ mail: z.string().nullish(), userPrincipalName: z.string().nullish() }).parse(body);
  const address = me.mail ?? me.userPrincipalName;
  if (!address) throw new ActionError('provider_error', 'Microsoft Graph gave no mailbox address for the signed-in user.');
  return address;
}

/** Busy blocks of the mailboxes over the range, one getSchedule call per chunk. */
export async function busyTime(client: ProviderClient, schedules: string[], range: TimeRange): Promise<TimeRange[]> {
  const busy: TimeRange[] = [];
  const end = Date.parse(range.end);
  for (let from = Date.parse(range.start); from < end; from += SCHEDULE_CHUNK_DAYS * DAY_MS) {
    const to = Math.min(from + SCHEDULE_CHUNK_DAYS * DAY_MS, end);
    const { body } = await client.request(`${GRAPH}/me/calendar/getSchedule`, {
      method: 'POST',
      headers: UTC,
      json: { schedules, startTime: utcTime(from), endTime: utcTime(to), availabilityViewInterval: 15 },
    });
    for (const info of scheduleAnswer.parse(body).value) {
      if (info.error) throw new ActionError('provider_error', `Microsoft Graph could not give free/busy time for ${info.scheduleId}: ${info.error.message ?? info.error.responseCode ?? 'unknown error'}.`);
      for (const item of info.scheduleItems) {
        if (item.status !== 'free') busy.push({ start: iso(instantOf(item.start)), end: iso(instantOf(item.end)) });
      }
    }
  }
  return busy;
}

async function defaultCalendarId(client: ProviderClient): Promise<string> {
  const { body } = await client.request(`${GRAPH}/me/calendar?$select=id`);
  return z.object({ id: z.string().min(1) }).parse(body).id;
}

async function getEvent(client: ProviderClient, eventId: string): Promise<GraphEvent | null> {
  try {
    const { body } = await client.request(`${GRAPH}/me/events/${encodeURIComponent(eventId)}`, { headers: UTC });
    return eventSchema.parse(body);
  } catch (error) {
    if (isStatus(error, 404)) return null;
    throw error;
  }
}

/** The live events of a calendar overlapping the range (calendarView expands recurrences). */
async function eventsOverlapping(client: ProviderClient, calendarId: string, range: TimeRange): Promise<GraphEvent[]> {
  const events: GraphEvent[] = [];
  let url: string | undefined =
    `${GRAPH}/me/calendars/${encodeURIComponent(calendarId)}/calendarView?${new URLSearchParams({ startDateTime: range.start, endDateTime: range.end })}`;
  while (url) {
    const { body } = await client.request(url, { headers: UTC });
    const page = eventList.parse(body);
    events.push(...page.value);
    url = page['@odata.nextLink'];
  }
  const start = Date.parse(range.start);
  const end = Date.parse(range.end);
  return events.filter((e) => !e.isCancelled && e.showAs !== 'free' && instantOf(e.start) < end && instantOf(e.end) > start);
}

function appointmentResult(calendarId: string, event: GraphEvent, deleted = false): ActionResult<ActionOutput<'appointments.create'>> {
  const record = { resource: RESOURCE, externalId: event.id, data: { calendarId, ...event }, ...(deleted ? { deleted: true } : {}) };
  return appointmentWriteThrough(defaultMappings[RESOURCE], "Graph's event", record, event);
}

const committedBefore = (a: GraphEvent, b: GraphEvent) => {
  const at = Date.parse(a.createdDateTime ?? '');
  const bt = Date.parse(b.createdDateTime ?? '');
  return at !== bt ? at < bt : a.id < b.id;
};

async function keepIfFirst(client: ProviderClient, calendarId: string, event: GraphEvent): Promise<void> {
  const range = { start: iso(instantOf(event.start)), end: iso(instantOf(event.end)) };
  const rivals = (await eventsOverlapping(client, calendarId, range)).filter((other) => other.id !== event.id && committedBefore(other, event));
  if (rivals.length === 0) return;
  try {
    await client.request(`${GRAPH}/me/events/${encodeURIComponent(event.id)}`, { method: 'DELETE' });
  } catch (error) {
    if (!isStatus(error, 404)) throw error;
  }
  throw new ActionError('slot_unavailable', `The slot from ${range.start} to ${range.end} was taken by another booking a moment earlier.`);
}

function bookingBody(input: ActionInput<'appointments.create'>, start: number, end: number, transactionId: string) {
  const { attendee } = input;
  const contact = [attendee.email ? undefined : attendee.name, attendee.phone].filter(Boolean);
  const text = [input.description, contact.length > 0 ? `Booked for: ${contact.join(', ')}` : undefined].filter(Boolean).join('\n\n');
  return {
    subject: input.title,
    ...(text ? { body: { contentType: 'text', content: text } } : {}),
    start: { dateTime: utcTime(start).dateTime, timeZone: 'UTC' },
    end: { dateTime: utcTime(end).dateTime, timeZone: 'UTC' },
    ...(attendee.email ? { attendees: [{ emailAddress: { address: attendee.email, ...(attendee.name ? { name: attendee.name } : {}) }, type: 'required' }] } : {}),
    transactionId,
  };
}

async function createAppointment(context: ActionContext, input: ActionInput<'appointments.create'>) {
  const { client } = context;
  if (!context.idempotencyKey) throw new ActionError('validation_failed', 'Booking needs an Idempotency-Key.');
  const transactionId = transactionIdFor(context.idempotencyKey);
  const calendarId = optionString(input.options, 'calendarId') ?? (await defaultCalendarId(client));
  const start = Date.parse(input.start);
  const end = start + input.durationMinutes * MINUTE_MS;
  const slot = { start: iso(start), end: iso(end) };
  // The booking this key already made, if any: found in the slot by its transactionId.
  const earlier = async () => (await eventsOverlapping(client, calendarId, slot)).find((event) => event.transactionId === transactionId);
  /** An event this key made is this booking's answer only if it is this booking. */
  const sameBooking = (event: GraphEvent) => {
    if (instantOf(event.start) !== start || instantOf(event.end) !== end || event.subject !== input.title) {
      throw new ActionError('conflict', `Event ${event.id} was booked with this Idempotency-Key for a different request.`);
    }
    return event;
  };

  const schedules = optionList(input.options, 'schedules') ?? [await ownMailbox(client)];
  if (!isFree(await busyTime(client, schedules, slot), slot)) {
    const own = await earlier();
    if (own) return appointmentResult(calendarId, sameBooking(own));
    throw new ActionError('slot_unavailable', `The slot from ${slot.start} to ${slot.end} is no longer free.`);
  }
  const { body } = await client.request(`${GRAPH}/me/calendars/${encodeURIComponent(calendarId)}/events`, {
    method: 'POST',
    headers: UTC,
    json: bookingBody(input, start, end, transactionId),
  });
  // Graph answers a repeated transactionId with the event the first POST created.
  const event = sameBooking(eventSchema.parse(body));
  await keepIfFirst(client, calendarId, event);
  return appointmentResult(calendarId, event);
}

async function cancelAppointment(context: ActionContext, input: ActionInput<'appointments.cancel'>) {
  const { client } = context;
  const event = await getEvent(client, input.appointmentId);
  if (!event) throw new ActionError('not_found', `No event ${input.appointmentId} in this mailbox.`);
  const calendarId = optionString(input.options, 'calendarId') ?? (await calendarOf(client, event.id));
  try {
    await client.request(`${GRAPH}/me/events/${encodeURIComponent(event.id)}/cancel`, {
      method: 'POST',
      json: input.reason ? { comment: input.reason } : {},
    });
  } catch (error) {
    if (isStatus(error, 404)) throw new ActionError('not_found', `No event ${input.appointmentId} in this mailbox.`);
    throw error;
  }
  return appointmentResult(calendarId, { ...event, isCancelled: true }, true);
}

/** The calendar holding an event (what the sync stores beside it). */
async function calendarOf(client: ProviderClient, eventId: string): Promise<string> {
  const { body } = await client.request(`${GRAPH}/me/events/${encodeURIComponent(eventId)}/calendar?$select=id`);
  return z.object({ id: z.string().min(1) }).parse(body).id;
}

async function rescheduleAppointment(context: ActionContext, input: ActionInput<'appointments.reschedule'>) {
  const { client } = context;
  const event = await getEvent(client, input.appointmentId);
  if (!event) throw new ActionError('not_found', `No event ${input.appointmentId} in this mailbox.`);
  if (event.isCancelled) throw new ActionError('conflict', `Event ${input.appointmentId} is cancelled and cannot be rescheduled.`);
  const calendarId = optionString(input.options, 'calendarId') ?? (await calendarOf(client, event.id));
  const start = Date.parse(input.start);
  const end = start + input.durationMinutes * MINUTE_MS;
  const slot = { start: iso(start), end: iso(end) };
  // getSchedule merges nothing away but cannot say which block is this event: list the slot instead.
  const clash = (await eventsOverlapping(client, calendarId, slot)).some((other) => other.id !== event.id);
  if (clash) throw new ActionError('slot_unavailable', `The slot from ${slot.start} to ${slot.end} is not free.`);
  const { body } = await client.request(`${GRAPH}/me/events/${encodeURIComponent(event.id)}`, {
    method: 'PATCH',
    headers: UTC,
    json: { start: utcTime(start), end: utcTime(end) },
  });
  return appointmentResult(calendarId, eventSchema.parse(body));
}

export const outlookActions: ProviderActions = {
  async 'availability.get'(context, input) {
    const schedules = optionList(input.options, 'schedules') ?? [await ownMailbox(context.client)];
    const busy = await busyTime(context.client, schedules, busyWindow(input));
    return { output: { timeZone: input.timeZone, slots: freeSlots({ ...input, now: context.now, busy }) } };
  },
  'appointments.create': createAppointment,
  'appointments.cancel': cancelAppointment,
  'appointments.reschedule': rescheduleAppointment,
};
