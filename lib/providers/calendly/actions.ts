// Calendly actions: availability, booking and cancelling. Calendly has no reschedule endpoint
// (an invitee reschedules through their own link), so reschedule is not declared.
//   GET  /event_type_available_times?event_type&start_time&end_time   future only, ≤ 7 days a call
//        (https://developer.calendly.com/api-docs/calendly-api/event-types/list-event-type-available-times)
//   POST /invitees   the Scheduling API: books a time of an event type for an invitee; paid plans
//        only, with tight per-user limits (Trial 5/day; paid 10/min, 50/h, 100/day)
//        (https://developer.calendly.com/release-notes/2026/4/15)
//   POST /scheduled_events/{uuid}/cancellation {reason}
// Options read: eventType (URI or uuid of the event type to find time for and book; default the
// user's active event type whose duration equals durationMinutes), location (booking: a location
// kind the event type offers, e.g. "zoom_conference").
//
// Availability comes from Calendly, which already applies the host's schedule, buffers and notice;
// the request's working hours and minimum notice narrow it further (each offered start is kept when
// lib/actions/slots.ts would offer it too). Buffers are the host's, set at Calendly. Windows are clamped to the future and split
// into ≤ 7-day calls.
//
// Booking has no idempotency key at Calendly. When an earlier attempt with the same key may have
// committed (ActionContext.retry), the invitee's active events at that start are looked up first
// and an existing booking is answered instead of a second one.
import { z } from 'zod';
import { ActionError } from '../../actions/errors';
import type { ActionInput, ActionOutput } from '../../actions/schemas';
import { slotsAtOfferedStarts } from '../../actions/slots';
import { appointmentWriteThrough } from '../../actions/write-through';
import { ProviderHttpError } from '../errors';
import type { ActionContext, ActionRecord, ActionResult, ProviderActions, ProviderClient } from '../types';
import { API, calendly, calendlyObject, collectionOf, connectedUser, uuidOf, type CalendlyObject } from './api';
import { defaultMappings } from './mappings';

const MINUTE_MS = 60_000;
/** Calendly's limit on one available-times request. */
export const AVAILABLE_TIMES_CHUNK_MS = 7 * 24 * 60 * MINUTE_MS;

type Options = Record<string, string | string[] | number | boolean> | undefined;

const eventType = z
  .object({ uri: z.string(), active: z.boolean().optional(), duration: z.number().int().optional(), name: z.string().optional() })
  .passthrough();
const eventTypes = collectionOf(eventType);
const availableTimes = z.object({
  collection: z.array(z.object({ status: z.string(), start_time: z.string(), invitees_remaining: z.number().optional() }).passthrough()),
});
const single = z.object({ resource: calendlyObject });
const invitee = z.object({ uri: z.string(), event: z.string(), email: z.string().optional() }).passthrough();

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

function option(options: Options, name: string): string | undefined {
  const value = options?.[name];
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

function appointmentResult(event: CalendlyObject, extra: ActionRecord[] = []): ActionResult<ActionOutput<'appointments.create'>> {
  return appointmentWriteThrough(defaultMappings.scheduled_events, "Calendly's event", { resource: 'scheduled_events', externalId: uuidOf(event.uri), data: event }, event, extra);
}

/** The event type to use: the one named in options, else the active one lasting `minutes`. */
async function pickEventType(client: ProviderClient, options: Options, minutes: number): Promise<string> {
  const named = option(options, 'eventType');
  if (named) return named.startsWith('https://') ? named : `${API}/event_types/${encodeURIComponent(named)}`;
  const user = await connectedUser(client);
  const body = eventTypes.parse(await calendly(client, `/event_types?${new URLSearchParams({ user: user.uri, active: 'true', count: '100' })}`));
  const match = body.collection.find((type) => type.active !== false && type.duration === minutes);
  if (!match) {
    const offered = body.collection.map((type) => `${type.name ?? uuidOf(type.uri)} (${type.duration ?? '?'} min)`).join(', ') || 'none';
    throw new ActionError('validation_failed', `options.eventType: no active Calendly event type lasts ${minutes} minutes (offered: ${offered}); name one in options.eventType.`, [
      { pointer: '/options/eventType', detail: 'required when no event type has this duration' },
    ]);
  }
  return match.uri;
}

/** Calendly's available start times in [from, to), 7 days a call. */
async function availableStarts(client: ProviderClient, type: string, from: number, to: number): Promise<number[]> {
  const starts: number[] = [];
  for (let start = from; start < to; start += AVAILABLE_TIMES_CHUNK_MS) {
    const end = Math.min(start + AVAILABLE_TIMES_CHUNK_MS, to);
    const query = new URLSearchParams({ event_type: type, start_time: iso(start), end_time: iso(end) });
    const body = availableTimes.parse(await calendly(client, `/event_type_available_times?${query}`));
    for (const time of body.collection) if (time.status === 'available') starts.push(Date.parse(time.start_time));
  }
  return starts;
}

async function availability(context: ActionContext, input: ActionInput<'availability.get'>): Promise<ActionResult<ActionOutput<'availability.get'>>> {
  const type = await pickEventType(context.client, input.options, input.durationMinutes);
  // Calendly answers only for the future: a window reaching into the past starts a minute from now.
  const from = Math.max(Date.parse(input.start), context.now.getTime() + MINUTE_MS);
  const to = Date.parse(input.end);
  if (from >= to) return { output: { timeZone: input.timeZone, slots: [] } };
  const starts = await availableStarts(context.client, type, from, to);
  const duration = input.durationMinutes * MINUTE_MS;
  const inWindow = starts.filter((start) => start >= Date.parse(input.start) && start + duration <= to);
  // Calendly's own grid decides the starts; the request's working hours and notice only narrow them.
  return { output: { timeZone: input.timeZone, slots: slotsAtOfferedStarts({ ...input, now: context.now }, inWindow) } };
}

async function eventOf(client: ProviderClient, eventUri: string): Promise<CalendlyObject> {
  return single.parse(await calendly(client, `/scheduled_events/${encodeURIComponent(uuidOf(eventUri))}`)).resource;
}

/** An active event at `start` that this invitee booked (what an earlier attempt may have created). */
async function existingBooking(client: ProviderClient, email: string, start: number): Promise<{ event: CalendlyObject; invitee: CalendlyObject } | null> {
  const user = await connectedUser(client);
  const query = new URLSearchParams({ user: user.uri, invitee_email: email, status: 'active', min_start_time: iso(start), max_start_time: iso(start + MINUTE_MS) });
  const events = collectionOf(calendlyObject).parse(await calendly(client, `/scheduled_events?${query}`));
  for (const event of events.collection) {
    const people = collectionOf(calendlyObject).parse(await calendly(client, `/scheduled_events/${encodeURIComponent(uuidOf(event.uri))}/invitees?email=${encodeURIComponent(email)}`));
    const match = people.collection.find((person) => person.status !== 'canceled');
    if (match) return { event, invitee: match };
  }
  return null;
}

function refusal(error: unknown): ActionError | null {
  if (!(error instanceof ProviderHttpError)) return null;
  if (error.status === 403 || error.status === 402) {
    return new ActionError(
      'action_not_supported',
      `Calendly refused to book: ${error.providerMessage}. Booking through the API (the Scheduling API) needs a paid Calendly plan on the connected account; the invitee can still book through the event type's scheduling link.`,
    );
  }
  if (error.status === 409 || (error.status === 400 && /avail|taken|booked/i.test(error.providerMessage))) {
    return new ActionError('slot_unavailable', `That time cannot be booked at Calendly: ${error.providerMessage}`);
  }
  if (error.status === 400 || error.status === 422) return new ActionError('validation_failed', `Calendly refused the booking: ${error.providerMessage}`);
  if (error.status === 404) return new ActionError('not_found', `Calendly does not know that event type: ${error.providerMessage}`);
  return null;
}

async function book(context: ActionContext, input: ActionInput<'appointments.create'>): Promise<ActionResult<ActionOutput<'appointments.create'>>> {
  const { client } = context;
  const email = input.attendee.email;
  if (!email) throw new ActionError('validation_failed', 'attendee.email: Calendly books invitees by email.', [{ pointer: '/attendee/email', detail: 'required by Calendly' }]);
  const start = Date.parse(input.start);
  if (context.retry) {
    const found = await existingBooking(client, email, start);
    if (found) return appointmentResult(found.event, [{ resource: 'invitees', externalId: uuidOf(found.invitee.uri), data: found.invitee }]);
  }
  const type = await pickEventType(client, input.options, input.durationMinutes);
  const location = option(input.options, 'location');
  let created: z.infer<typeof invitee>;
  try {
    const body = await calendly(client, '/invitees', {
      method: 'POST',
      json: {
        event_type: type,
        start_time: iso(start),
        invitee: { name: input.attendee.name ?? email, email, timezone: input.timeZone },
        ...(location ? { location: { kind: location } } : {}),
        ...(input.description ? { questions_and_answers: [{ question: 'Notes', answer: input.description, position: 0 }] } : {}),
      },
    });
    created = z.object({ resource: invitee }).parse(body).resource;
  } catch (error) {
    throw refusal(error) ?? error;
  }
  const event = await eventOf(client, created.event);
  return appointmentResult(event, [{ resource: 'invitees', externalId: uuidOf(created.uri), data: created }]);
}

async function cancel(context: ActionContext, input: ActionInput<'appointments.cancel'>): Promise<ActionResult<ActionOutput<'appointments.cancel'>>> {
  const uuid = uuidOf(input.appointmentId);
  let event: CalendlyObject;
  try {
    event = await eventOf(context.client, uuid);
  } catch (error) {
    if (error instanceof ProviderHttpError && error.status === 404) throw new ActionError('not_found', `Calendly has no scheduled event ${uuid}.`);
    throw error;
  }
  // Cancelling twice is refused by Calendly; a retry of a cancel that went through answers the result.
  if (event.status === 'canceled') return appointmentResult(event);
  try {
    await calendly(context.client, `/scheduled_events/${encodeURIComponent(uuid)}/cancellation`, { method: 'POST', json: input.reason ? { reason: input.reason } : {} });
  } catch (error) {
    if (error instanceof ProviderHttpError && error.status === 403) throw new ActionError('conflict', `Calendly refused to cancel: ${error.providerMessage}`);
    throw error;
  }
  return appointmentResult(await eventOf(context.client, uuid));
}

export const calendlyActions: ProviderActions = {
  'availability.get': availability,
  'appointments.create': book,
  'appointments.cancel': cancel,
};
