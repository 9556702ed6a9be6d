// Fresha actions (partner API v2, UNVERIFIED: Fresha publishes no public API; these endpoints follow
// the product spec's partner contract in the style of the clients and appointments listings in
// resources.ts, and the sandbox plays the same contract): client lookup and create, availability,
// and booking, cancelling and rescheduling appointments.
//   GET  /v2/clients?filter[email]=… | filter[phone]=…      exact lookups (unpaged)
//   POST /v2/clients                                        {data: {type: "client", attributes}}
//   GET  /v2/availability?filter[service_id]&filter[staff_id]&filter[from]&filter[to]
//                                                           free windows per staff member (≤ 31 days)
//   POST /v2/appointments                                   {data: {type: "appointment", attributes}}
//   GET | PATCH /v2/appointments/{id}; POST /v2/appointments/{id}/cancel
// Writes need the clients:write / appointments:write scopes, which the app now asks for; a
// connection made before that answers needs_reauth (reconnect to grant them).
//
// Options read: serviceId (required by availability.get and appointments.create), staffId(s)
// (availability: only these; booking: this one, default whoever Fresha finds free), clientId
// (book for this client instead of finding one by the attendee).
//
// Availability: the windows are free time per staff member; slots come from lib/actions/slots.ts
// per staff member (time outside their windows is busy, buffers included) and are joined (a slot is
// offered when any one staff member can take it).
//
// Idempotency: every POST carries an Idempotency-Key (the request's, or one derived from it for the
// client a booking creates), which the contract says Fresha replays for 24 hours. A booking checks
// the slot first (slot_unavailable when taken) unless an earlier attempt may have committed
// (ActionContext.retry): then the same request goes again and Fresha answers the first booking.
// A refusal with slot_unavailable at booking time (taken in the meantime) answers slot_unavailable.
// Clients are looked up before one is created, so an attendee already known is not duplicated.
//
// Outputs are mapped with the default clients and appointments mappings, as the sync stores them,
// and what a write creates or changes is written through in exactly the listings' shape.
import crypto from 'node:crypto';
import { z } from 'zod';
import { ActionError } from '../../actions/errors';
import type { ActionInput, ActionOutput } from '../../actions/schemas';
import { busyWindow, slotsInAnyFreeSpans } from '../../actions/slots';
import { HttpError } from '../../http/errors';
import { applyMapping, compileMapping, type CompiledMapping } from '../../mapping/interpreter';
import { Appointment, Contact } from '../../mapping/model';
import { ProviderHttpError } from '../errors';
import type { ActionContext, ActionRecord, ActionResult, ProviderActions, ProviderClient, RequestOptions } from '../types';
import { defaultMappings } from './mappings';
import { API, freshaItem, type FreshaItem } from './resources';

const MINUTE_MS = 60_000;
/** The contract's limit on one availability request. */
const AVAILABILITY_CHUNK_MS = 31 * 24 * 60 * MINUTE_MS;

type Options = Record<string, string | string[] | number | boolean> | undefined;
type Resource = 'clients' | 'appointments';

const single = z.object({ data: freshaItem });
const list = z.object({ data: z.array(freshaItem) });
const windowList = z.object({
  data: z.array(z.object({ attributes: z.object({ staff_id: z.string(), starts_at: z.string(), ends_at: z.string() }).passthrough() }).passthrough()),
});

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

// ── Errors ───────────────────────────────────────────────────────────────────────────────────────

/** The contract's error code, which describeError (index.ts) puts in brackets after the title. */
function codeOf(error: unknown): string | undefined {
  if (!(error instanceof ProviderHttpError)) return undefined;
  return /\(([a-z_]+)\)$/.exec(error.providerMessage)?.[1];
}

/** Calls Fresha; a write refused for want of a scope asks for a reconnect (the app asks for write scopes now). */
async function fresha(client: ProviderClient, path: string, options: RequestOptions = {}): Promise<unknown> {
  try {
    return (await client.request(`${API}${path}`, options)).body;
  } catch (error) {
    if (codeOf(error) === 'insufficient_scope') {
      throw new HttpError('needs_reauth', `Fresha refused: this connection was granted before bookings were possible (${(error as ProviderHttpError).providerMessage}); reconnect it to allow them.`);
    }
    throw error;
  }
}

function invalid(pointer: string, detail: string): ActionError {
  return new ActionError('validation_failed', `${pointer.slice(1).replace(/\//g, '.')}: ${detail}`, [{ pointer, detail }]);
}

function optionString(options: Options, name: string): string | undefined {
  const value = options?.[name];
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

function optionList(options: Options, singular: string, plural: string): string[] | undefined {
  const value = options?.[plural] ?? options?.[singular];
  const items = typeof value === 'string' ? [value] : Array.isArray(value) ? value : undefined;
  const ids = items?.map((id) => id.trim()).filter(Boolean);
  return ids && ids.length > 0 ? [...new Set(ids)] : undefined;
}

function requiredService(options: Options): string {
  const id = optionString(options, 'serviceId');
  if (!id) throw invalid('/options/serviceId', 'required: the Fresha service to find time for and book');
  return id;
}

// ── Mapping ──────────────────────────────────────────────────────────────────────────────────────

const compiled: Partial<Record<Resource, CompiledMapping>> = {};

function mapItem<R extends Resource>(resource: R, item: FreshaItem) {
  const mapping = (compiled[resource] ??= compileMapping(defaultMappings[resource]));
  const result = applyMapping(mapping, item);
  if (result.errors.length > 0) {
    throw new ActionError('provider_error', `Fresha's ${resource} record did not map onto the model: ${result.errors.map((e) => `${e.target}: ${e.message}`).join('; ')}`);
  }
  return result.output;
}

const record = (resource: Resource, item: FreshaItem): ActionRecord => ({ resource, externalId: item.id, data: item });

function contactOf(item: FreshaItem) {
  const parsed = Contact.safeParse(mapItem('clients', item));
  return parsed.success ? { contact: parsed.data, resource: 'clients', raw: item } : undefined;
}

function appointmentResult(item: FreshaItem, extra: ActionRecord[] = []): ActionResult<ActionOutput<'appointments.create'>> {
  return {
    output: { appointment: Appointment.parse(mapItem('appointments', item)), resource: 'appointments', raw: item },
    records: [...extra, record('appointments', item)],
  };
}

// ── Clients ──────────────────────────────────────────────────────────────────────────────────────

async function findClients(client: ProviderClient, query: { email?: string; phone?: string }): Promise<FreshaItem[]> {
  const found = new Map<string, FreshaItem>();
  for (const [filter, value] of [['email', query.email], ['phone', query.phone]] as const) {
    if (!value) continue;
    const body = list.parse(await fresha(client, `/clients?${new URLSearchParams({ [`filter[${filter}]`]: value })}`));
    for (const item of body.data) if (!item.attributes.deleted_at && !found.has(item.id)) found.set(item.id, item);
  }
  return [...found.values()];
}

async function createClient(client: ProviderClient, idempotencyKey: string, attributes: Record<string, string | undefined>) {
  try {
    const body = await fresha(client, '/clients', {
      method: 'POST',
      headers: { 'Idempotency-Key': idempotencyKey },
      json: { data: { type: 'client', attributes: Object.fromEntries(Object.entries(attributes).filter(([, v]) => v !== undefined)) } },
    });
    return { item: single.parse(body).data, created: true };
  } catch (error) {
    const code = codeOf(error);
    if (code === 'client_exists') {
      // Created in the meantime (or by an earlier attempt): answer that one.
      const [existing] = await findClients(client, { email: attributes.email });
      if (existing) return { item: existing, created: false };
    }
    if (code === 'invalid_attribute') throw new ActionError('validation_failed', `Fresha refused the client: ${(error as ProviderHttpError).providerMessage}`);
    if (code === 'idempotency_key_reused') throw new ActionError('conflict', 'Fresha already used this Idempotency-Key for a different request; use a new key.');
    throw error;
  }
}

async function lookupContacts(context: ActionContext, input: ActionInput<'contacts.lookup'>) {
  const items = await findClients(context.client, input);
  return { output: { contacts: items.flatMap((item) => contactOf(item) ?? []) } };
}

async function createContact(context: ActionContext, input: ActionInput<'contacts.create'>): Promise<ActionResult<ActionOutput<'contacts.create'>>> {
  if (!context.idempotencyKey) throw new ActionError('validation_failed', 'Creating a client needs an Idempotency-Key.');
  const existing = (await findClients(context.client, input)).map(contactOf).find(Boolean);
  if (existing) return { output: { ...existing, created: false } };
  const { item, created } = await createClient(context.client, context.idempotencyKey, {
    first_name: input.firstName,
    last_name: input.lastName,
    email: input.email,
    phone: input.phone,
    notes: input.notes,
  });
  const result = contactOf(item);
  if (!result) throw new ActionError('provider_error', `Fresha's client ${item.id} has neither an email nor a phone.`);
  return { output: { ...result, created }, ...(created ? { records: [record('clients', item)] } : {}) };
}

// ── Availability ─────────────────────────────────────────────────────────────────────────────────

interface Window {
  staffId: string;
  start: number;
  end: number;
}

async function freeWindows(client: ProviderClient, query: { serviceId: string; staffIds?: string[]; excludeAppointmentId?: string }, from: number, to: number): Promise<Window[]> {
  const windows: Window[] = [];
  for (let start = from; start < to; start += AVAILABILITY_CHUNK_MS) {
    const end = Math.min(start + AVAILABILITY_CHUNK_MS, to);
    const params = new URLSearchParams({ 'filter[service_id]': query.serviceId, 'filter[from]': iso(start), 'filter[to]': iso(end) });
    if (query.staffIds) params.set('filter[staff_id]', query.staffIds.join(','));
    if (query.excludeAppointmentId) params.set('filter[exclude_appointment_id]', query.excludeAppointmentId);
    const body = windowList.parse(await fresha(client, `/availability?${params}`));
    for (const { attributes } of body.data) windows.push({ staffId: attributes.staff_id, start: Date.parse(attributes.starts_at), end: Date.parse(attributes.ends_at) });
  }
  return windows;
}

async function availability(context: ActionContext, input: ActionInput<'availability.get'>) {
  const range = busyWindow(input);
  const from = Date.parse(range.start);
  const to = Date.parse(range.end);
  const windows = await freeWindows(context.client, { serviceId: requiredService(input.options), staffIds: optionList(input.options, 'staffId', 'staffIds') }, from, to);
  const byStaff = new Map<string, Window[]>();
  for (const w of windows) byStaff.set(w.staffId, [...(byStaff.get(w.staffId) ?? []), w]);
  return { output: { timeZone: input.timeZone, slots: slotsInAnyFreeSpans({ ...input, now: context.now }, byStaff.values(), from, to) } };
}

const coversSlot = (windows: Window[], start: number, end: number) => windows.some((w) => w.start <= start && w.end >= end);

// ── Appointments ─────────────────────────────────────────────────────────────────────────────────

/** A key for the client a booking creates: stable per booking, never the booking's own. */
const clientKeyFor = (idempotencyKey: string) => crypto.createHash('sha256').update(`integration-hub:fresha:booking-client:${idempotencyKey}`).digest('hex');

function refusal(error: unknown, slot: string, what: string): never {
  const code = codeOf(error);
  if (code === 'slot_unavailable') throw new ActionError('slot_unavailable', `${slot} was taken by another booking a moment earlier.`);
  if (code === 'idempotency_key_reused') throw new ActionError('conflict', 'Fresha already used this Idempotency-Key for a different booking request; book again with a new key.');
  if (code === 'appointment_not_active') throw new ActionError('conflict', `Fresha refused to ${what}: ${(error as ProviderHttpError).providerMessage}`);
  if (code === 'invalid_attribute') throw new ActionError('validation_failed', `Fresha refused to ${what}: ${(error as ProviderHttpError).providerMessage}`);
  if (code === 'not_found') throw new ActionError('not_found', `Fresha has no such appointment.`);
  throw error;
}

async function createAppointment(context: ActionContext, input: ActionInput<'appointments.create'>) {
  const { client } = context;
  if (!context.idempotencyKey) throw new ActionError('validation_failed', 'Booking needs an Idempotency-Key.');
  const serviceId = requiredService(input.options);
  const staffIds = optionList(input.options, 'staffId', 'staffIds');
  if (staffIds && staffIds.length > 1) throw invalid('/options/staffId', 'give one staff member when booking');
  const start = Date.parse(input.start);
  const end = start + input.durationMinutes * MINUTE_MS;
  const slot = `${iso(start)}–${iso(end)}`;

  // Unless an earlier attempt may have booked it (then the repeated request answers that booking).
  if (!context.retry && !coversSlot(await freeWindows(client, { serviceId, staffIds }, start, end), start, end)) {
    throw new ActionError('slot_unavailable', `Fresha has no one free for ${slot}${staffIds ? ` with staff member ${staffIds[0]}` : ''}.`);
  }

  const records: ActionRecord[] = [];
  let clientId = optionString(input.options, 'clientId');
  if (!clientId) {
    const [known] = await findClients(client, input.attendee);
    if (known) clientId = known.id;
    else {
      const [first, ...rest] = (input.attendee.name ?? '').trim().split(/\s+/).filter(Boolean);
      const made = await createClient(client, clientKeyFor(context.idempotencyKey), {
        first_name: first,
        last_name: rest.join(' ') || undefined,
        email: input.attendee.email,
        phone: input.attendee.phone,
      });
      clientId = made.item.id;
      if (made.created) records.push(record('clients', made.item));
    }
  }

  const attributes = {
    client_id: clientId,
    service_id: serviceId,
    ...(staffIds ? { staff_id: staffIds[0] } : {}),
    starts_at: iso(start),
    ends_at: iso(end),
    notes: [input.title, input.description].filter(Boolean).join('\n\n'),
  };
  let body: unknown;
  try {
    body = await fresha(client, '/appointments', { method: 'POST', headers: { 'Idempotency-Key': context.idempotencyKey }, json: { data: { type: 'appointment', attributes } } });
  } catch (error) {
    refusal(error, slot, 'book');
  }
  return appointmentResult(single.parse(body).data, records);
}

async function getAppointment(client: ProviderClient, id: string): Promise<FreshaItem> {
  try {
    return single.parse(await fresha(client, `/appointments/${encodeURIComponent(id)}`)).data;
  } catch (error) {
    if (error instanceof ProviderHttpError && error.status === 404) throw new ActionError('not_found', `Fresha has no appointment ${id}.`);
    throw error;
  }
}

async function cancelAppointment(context: ActionContext, input: ActionInput<'appointments.cancel'>) {
  const id = input.appointmentId.trim();
  let body: unknown;
  try {
    body = await fresha(context.client, `/appointments/${encodeURIComponent(id)}/cancel`, {
      method: 'POST',
      json: { data: { type: 'appointment_cancellation', attributes: input.reason ? { reason: input.reason } : {} } },
    });
  } catch (error) {
    if (error instanceof ProviderHttpError && error.status === 404) throw new ActionError('not_found', `Fresha has no appointment ${id}.`);
    refusal(error, id, `cancel appointment ${id}`);
  }
  return appointmentResult(single.parse(body).data);
}

async function rescheduleAppointment(context: ActionContext, input: ActionInput<'appointments.reschedule'>) {
  const { client } = context;
  const id = input.appointmentId.trim();
  const current = await getAppointment(client, id);
  const status = String(current.attributes.status ?? '');
  if (status === 'cancelled' || status === 'completed' || status === 'no_show') throw new ActionError('conflict', `Appointment ${id} is ${status} and cannot be rescheduled.`);
  const serviceId = typeof current.attributes.service_id === 'string' ? current.attributes.service_id : undefined;
  const staffId = typeof current.attributes.staff_id === 'string' ? current.attributes.staff_id : undefined;
  if (!serviceId || !staffId) throw new ActionError('provider_error', `Fresha's appointment ${id} names no service or staff member.`);
  const start = Date.parse(input.start);
  const end = start + input.durationMinutes * MINUTE_MS;
  const slot = `${iso(start)}–${iso(end)}`;
  // Its own time does not count against it.
  if (!coversSlot(await freeWindows(client, { serviceId, staffIds: [staffId], excludeAppointmentId: id }, start, end), start, end)) {
    throw new ActionError('slot_unavailable', `${slot} is not free for staff member ${staffId}.`);
  }
  let body: unknown;
  try {
    body = await fresha(client, `/appointments/${encodeURIComponent(id)}`, {
      method: 'PATCH',
      json: { data: { type: 'appointment', id, attributes: { starts_at: iso(start), ends_at: iso(end) } } },
    });
  } catch (error) {
    refusal(error, slot, `move appointment ${id}`);
  }
  return appointmentResult(single.parse(body).data);
}

export const freshaActions: ProviderActions = {
  'contacts.lookup': lookupContacts,
  'contacts.create': createContact,
  'availability.get': availability,
  'appointments.create': createAppointment,
  'appointments.cancel': cancelAppointment,
  'appointments.reschedule': rescheduleAppointment,
};
