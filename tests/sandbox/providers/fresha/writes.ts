// Fresha partner API v2 writes and booking reads (unverified: Fresha publishes no public API; this
// follows the product spec's partner contract in the style of the listings in data.ts: JSON:API
// documents, `{ errors: [{ status, code, title }] }` errors, clients:write / appointments:write scopes).
//  - POST /v2/clients {data: {type: "client", attributes}} → 201 {data}; an email already on a live
//    client answers 409 client_exists (meta.client_id).
//  - GET /v2/availability?filter[service_id]&filter[staff_id]&filter[from]&filter[to]
//    [&filter[exclude_appointment_id]]: free windows (not slots) per staff member, as instants,
//    where the service fits: the staff member's working hours in the business's zone minus their
//    live appointments. At most 31 days per request.
//  - POST /v2/appointments {data: {type: "appointment", attributes: {client_id, service_id,
//    staff_id?, starts_at, ends_at?, notes?}}} → 201 {data}; without staff_id the first staff
//    member free for the whole slot takes it; a slot taken answers 409 slot_unavailable.
//  - GET /v2/appointments/{id}; PATCH /v2/appointments/{id} (new starts_at / ends_at, checked
//    like a booking with the appointment itself left out); POST /v2/appointments/{id}/cancel
//    (status "cancelled"; cancelling again answers the cancelled appointment).
//  - POSTs honour an Idempotency-Key header for 24 hours: the same key and body replay the first
//    answer; the same key with another body answers 422 idempotency_key_reused.
// Created and changed records land in the datasets the listings read (as changes in the change
// log), so the next incremental sync sees them. Committed writes answer through afterWrite (the
// dropResponseAfterWrite knob). Requests are handled one at a time, each to completion.
import crypto from 'node:crypto';
import { Temporal } from 'temporal-polyfill';
import { getDataset, type Dataset, type Fields } from '../../data';
import { afterWrite, pageGate, parseTimestamp } from '../../data-faults';
import { json, readJson, type Reply, type RequestContext, type Route } from '../../http';
import { authorize, error, faults, freshaDataSpecs, FRESHA_SERVICES, FRESHA_STAFF, renderItem } from './data';

const HOST = 'api.fresha.com';
const PROVIDER = 'fresha';
/** The business's zone (GET /v2/me) and its team's hours there: Monday to Saturday, 09:00–18:00. */
export const BUSINESS_ZONE = 'Europe/London';
const WORKING_DAYS = [1, 2, 3, 4, 5, 6];
const OPENS = '09:00';
const CLOSES = '18:00';
const MINUTE_MS = 60_000;
const MAX_AVAILABILITY_MS = 31 * 24 * 60 * MINUTE_MS;
const IDEMPOTENCY_MS = 24 * 3600 * 1000;
const LIVE_STATUSES = new Set(['booked', 'confirmed', 'arrived', 'completed']);

// ── Idempotency-Key: per business, forgotten with the sandbox's data ─────────────────────────────

interface Remembered {
  fingerprint: string;
  reply: Reply;
  at: number;
}
const REMEMBERED = new WeakMap<Dataset, Map<string, Remembered>>();

/** Replays or refuses a repeated key; otherwise `remember` stores the answer to this request. */
function idempotent(ctx: RequestContext, account: string, handle: () => Reply): Reply {
  const key = String(ctx.headers['idempotency-key'] ?? '').trim();
  if (!key) return handle();
  // Keyed by the business's clients dataset, which a reset (or a new dataset size) rebuilds.
  const anchor = getDataset(ctx.state, freshaDataSpecs.clients, account);
  let keys = REMEMBERED.get(anchor);
  if (!keys) REMEMBERED.set(anchor, (keys = new Map()));
  const fingerprint = crypto.createHash('sha256').update(`${ctx.method} ${ctx.path}\n`).update(ctx.body).digest('hex');
  const seen = keys.get(key);
  if (seen && Date.now() - seen.at < IDEMPOTENCY_MS) {
    if (seen.fingerprint !== fingerprint) return error(422, 'idempotency_key_reused', 'This Idempotency-Key was used with a different request');
    return { ...seen.reply, headers: { ...seen.reply.headers, 'idempotent-replayed': 'true' } };
  }
  const reply = handle();
  // Refusals are not remembered (the request may be fixed and sent again with its key).
  if (reply.status < 300) keys.set(key, { fingerprint, reply: { ...reply, drop: undefined }, at: Date.now() });
  return reply;
}

// ── Reading requests ───────────────────────────────────────────────────────────────────────────────

type Body = { ok: true; attributes: Record<string, unknown> } | { ok: false; reply: Reply };

function documentOf(ctx: RequestContext, type: string): Body {
  const parsed = readJson(ctx);
  if (!parsed.ok) return { ok: false, reply: error(400, 'invalid_body', parsed.reason) };
  const data = parsed.value.data as { type?: unknown; attributes?: unknown } | undefined;
  if (!data || typeof data !== 'object' || data.type !== type || !data.attributes || typeof data.attributes !== 'object') {
    return { ok: false, reply: error(400, 'invalid_body', `The body must be {"data": {"type": "${type}", "attributes": {…}}}`) };
  }
  return { ok: true, attributes: data.attributes as Record<string, unknown> };
}

const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : undefined);
const invalid = (pointer: string, title: string) => error(422, 'invalid_attribute', title, { source: { pointer } });

// ── Working hours and busy time ─────────────────────────────────────────────────────────────────

interface Span {
  start: number;
  end: number;
}

/** The staff member's working periods that meet [from, to). */
function shifts(from: number, to: number): Span[] {
  const spans: Span[] = [];
  const last = Temporal.Instant.fromEpochMilliseconds(to).toZonedDateTimeISO(BUSINESS_ZONE).toPlainDate();
  for (let day = Temporal.Instant.fromEpochMilliseconds(from).toZonedDateTimeISO(BUSINESS_ZONE).toPlainDate(); Temporal.PlainDate.compare(day, last) <= 0; day = day.add({ days: 1 })) {
    if (!WORKING_DAYS.includes(day.dayOfWeek)) continue;
    const at = (time: string) => day.toPlainDateTime(Temporal.PlainTime.from(time)).toZonedDateTime(BUSINESS_ZONE).epochMilliseconds;
    spans.push({ start: at(OPENS), end: at(CLOSES) });
  }
  return spans.filter((s) => s.end > from && s.start < to);
}

/** The staff member's live appointments (not cancelled, not deleted, not `except`). */
function busy(appointments: Dataset, staffId: string, except?: number): Span[] {
  const spans: Span[] = [];
  for (let index = 0; index < appointments.count; index++) {
    if (index === except || appointments.isDeleted(index)) continue;
    const fields = appointments.fields(index);
    if (fields.staff_id !== staffId || !LIVE_STATUSES.has(String(fields.status))) continue;
    const start = appointments.startAt[index];
    spans.push({ start, end: start + Number(fields.minutes) * MINUTE_MS });
  }
  return spans;
}

function subtract(spans: Span[], holes: Span[]): Span[] {
  let parts = spans;
  for (const hole of holes) {
    parts = parts.flatMap((part) => {
      if (hole.end <= part.start || hole.start >= part.end) return [part];
      return [...(hole.start > part.start ? [{ start: part.start, end: hole.start }] : []), ...(hole.end < part.end ? [{ start: hole.end, end: part.end }] : [])];
    });
  }
  return parts;
}

function isFree(appointments: Dataset, staffId: string, slot: Span, except?: number): boolean {
  return shifts(slot.start, slot.end).some((s) => slot.start >= s.start && slot.end <= s.end) && busy(appointments, staffId, except).every((b) => b.end <= slot.start || b.start >= slot.end);
}

const iso = (ms: number) => new Date(ms).toISOString();

// ── Routes ─────────────────────────────────────────────────────────────────────────────────────

const createClient: Route = {
  method: 'POST',
  hosts: [HOST],
  path: '/v2/clients',
  handle(ctx) {
    const auth = authorize(ctx, 'clients', 'write');
    if (!auth.ok) return auth.reply;
    const refused = pageGate(ctx.state, 'fresha.clientWrites', 1, faults);
    if (refused) return refused;
    return idempotent(ctx, auth.account, () => {
      const body = documentOf(ctx, 'client');
      if (!body.ok) return body.reply;
      const a = body.attributes;
      const fields: Fields = { first_name: text(a.first_name), last_name: text(a.last_name), email: text(a.email)?.toLowerCase(), phone: text(a.phone), notes: text(a.notes) };
      if (!fields.email && !fields.phone) return invalid('/data/attributes/email', 'A client needs an email or a phone');
      if (!fields.first_name && !fields.last_name) return invalid('/data/attributes/first_name', 'A client needs a name');
      const dataset = getDataset(ctx.state, freshaDataSpecs.clients, auth.account);
      if (fields.email) {
        for (let index = 0; index < dataset.count; index++) {
          if (!dataset.isDeleted(index) && String(dataset.fields(index).email ?? '').toLowerCase() === fields.email) {
            return error(409, 'client_exists', 'A client with this email already exists', { meta: { client_id: dataset.idOf(index) } });
          }
        }
      }
      const index = dataset.create(ctx.state.data.tick());
      replaceFields(dataset, index, fields);
      return afterWrite(ctx.state, PROVIDER, json(201, { data: renderItem(dataset, 'clients', index) }));
    });
  },
};

const availability: Route = {
  method: 'GET',
  hosts: [HOST],
  path: '/v2/availability',
  handle(ctx) {
    const auth = authorize(ctx, 'appointments');
    if (!auth.ok) return auth.reply;
    const refused = pageGate(ctx.state, 'fresha.availability', 1, faults);
    if (refused) return refused;
    const service = FRESHA_SERVICES.find((s) => s.id === ctx.query.get('filter[service_id]'));
    if (!service) return error(400, 'invalid_parameter', 'filter[service_id] must name one of the business’s services', { source: { parameter: 'filter[service_id]' } });
    const staffFilter = ctx.query.get('filter[staff_id]')?.split(',').filter(Boolean);
    const staff = FRESHA_STAFF.filter((s) => !staffFilter || staffFilter.includes(s.id));
    if (staffFilter && staff.length !== staffFilter.length) return error(400, 'invalid_parameter', 'filter[staff_id] names someone not on the team', { source: { parameter: 'filter[staff_id]' } });
    const from = parseTimestamp(ctx.query.get('filter[from]') ?? '');
    const to = parseTimestamp(ctx.query.get('filter[to]') ?? '');
    if (from === undefined || to === undefined || to <= from) return error(400, 'invalid_parameter', 'filter[from] and filter[to] must be ISO 8601 timestamps, from before to', { source: { parameter: 'filter[from]' } });
    if (to - from > MAX_AVAILABILITY_MS) return error(400, 'invalid_parameter', 'The range may span at most 31 days', { source: { parameter: 'filter[to]' } });
    const appointments = getDataset(ctx.state, freshaDataSpecs.appointments, auth.account);
    const excludeId = ctx.query.get('filter[exclude_appointment_id]');
    const except = excludeId ? appointments.indexOf(excludeId) : undefined;
    const data = [];
    for (const member of staff) {
      const windows = subtract(shifts(from, to), busy(appointments, member.id, except))
        .map((w) => ({ start: Math.max(w.start, from), end: Math.min(w.end, to) }))
        .filter((w) => w.end - w.start >= service.minutes * MINUTE_MS);
      for (const w of windows) {
        data.push({ id: `${member.id}:${w.start}`, type: 'availability', attributes: { staff_id: member.id, staff_name: member.name, service_id: service.id, starts_at: iso(w.start), ends_at: iso(w.end) } });
      }
    }
    data.sort((a, b) => a.attributes.starts_at.localeCompare(b.attributes.starts_at) || a.attributes.staff_id.localeCompare(b.attributes.staff_id));
    return json(200, { data, meta: { timezone: BUSINESS_ZONE } });
  },
};

function replaceFields(dataset: Dataset, index: number, fields: Fields): void {
  const stored = dataset.fields(index);
  for (const key of Object.keys(stored)) delete stored[key];
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) stored[key] = value;
}

/** A change at the provider: a new version in the change log, then exactly these fields. */
function edit(ctx: RequestContext, dataset: Dataset, index: number, changes: Fields, startAt?: number): void {
  const before = { ...dataset.fields(index) };
  dataset.update(index, ctx.state.data.tick());
  replaceFields(dataset, index, { ...before, ...changes });
  if (startAt !== undefined) dataset.startAt[index] = startAt;
}

const slotTaken = () => error(409, 'slot_unavailable', 'The staff member is not free for the whole slot');

const createAppointment: Route = {
  method: 'POST',
  hosts: [HOST],
  path: '/v2/appointments',
  handle(ctx) {
    const auth = authorize(ctx, 'appointments', 'write');
    if (!auth.ok) return auth.reply;
    const refused = pageGate(ctx.state, 'fresha.appointmentWrites', 1, faults);
    if (refused) return refused;
    return idempotent(ctx, auth.account, () => {
      const body = documentOf(ctx, 'appointment');
      if (!body.ok) return body.reply;
      const a = body.attributes;
      const clients = getDataset(ctx.state, freshaDataSpecs.clients, auth.account);
      const clientIndex = typeof a.client_id === 'string' ? clients.indexOf(a.client_id) : undefined;
      if (clientIndex === undefined || clients.isDeleted(clientIndex)) return invalid('/data/attributes/client_id', 'client_id must name a client of the business');
      const service = FRESHA_SERVICES.find((s) => s.id === a.service_id);
      if (!service) return invalid('/data/attributes/service_id', 'service_id must name one of the business’s services');
      const start = typeof a.starts_at === 'string' ? parseTimestamp(a.starts_at) : undefined;
      if (start === undefined) return invalid('/data/attributes/starts_at', 'starts_at must be an ISO 8601 timestamp');
      const end = a.ends_at === undefined ? start + service.minutes * MINUTE_MS : typeof a.ends_at === 'string' ? parseTimestamp(a.ends_at) : undefined;
      if (end === undefined || end <= start) return invalid('/data/attributes/ends_at', 'ends_at must be an ISO 8601 timestamp after starts_at');
      const appointments = getDataset(ctx.state, freshaDataSpecs.appointments, auth.account);
      let staff = FRESHA_STAFF.find((s) => s.id === a.staff_id);
      if (a.staff_id !== undefined && !staff) return invalid('/data/attributes/staff_id', 'staff_id must name someone on the team');
      const slot = { start, end };
      if (staff && !isFree(appointments, staff.id, slot)) return slotTaken();
      staff ??= FRESHA_STAFF.find((s) => isFree(appointments, s.id, slot));
      if (!staff) return slotTaken();
      const index = appointments.create(ctx.state.data.tick());
      replaceFields(appointments, index, {
        client_id: a.client_id,
        service_name: service.name,
        staff_name: staff.name,
        minutes: Math.round((end - start) / MINUTE_MS),
        status: 'booked',
        price: { amount: service.price.toFixed(2), currency: 'GBP' },
        service_id: service.id,
        staff_id: staff.id,
        notes: text(a.notes),
      });
      appointments.startAt[index] = start;
      return afterWrite(ctx.state, PROVIDER, json(201, { data: renderItem(appointments, 'appointments', index) }));
    });
  },
};

/** The appointment the path names, live or cancelled (deleted ones are gone: 404). */
function appointmentOf(ctx: RequestContext, access: 'read' | 'write'): { ok: true; dataset: Dataset; index: number; account: string } | { ok: false; reply: Reply } {
  const auth = authorize(ctx, 'appointments', access);
  if (!auth.ok) return auth;
  const dataset = getDataset(ctx.state, freshaDataSpecs.appointments, auth.account);
  const index = dataset.indexOf(ctx.params.id ?? '');
  if (index === undefined || dataset.isDeleted(index)) return { ok: false, reply: error(404, 'not_found', 'No such appointment') };
  return { ok: true, dataset, index, account: auth.account };
}

const getAppointment: Route = {
  method: 'GET',
  hosts: [HOST],
  path: '/v2/appointments/{id}',
  pattern: /^\/v2\/appointments\/(?<id>[^/]+)$/,
  handle(ctx) {
    const found = appointmentOf(ctx, 'read');
    if (!found.ok) return found.reply;
    return json(200, { data: renderItem(found.dataset, 'appointments', found.index) });
  },
};

const updateAppointment: Route = {
  method: 'PATCH',
  hosts: [HOST],
  path: '/v2/appointments/{id}',
  pattern: /^\/v2\/appointments\/(?<id>[^/]+)$/,
  handle(ctx) {
    const found = appointmentOf(ctx, 'write');
    if (!found.ok) return found.reply;
    const refused = pageGate(ctx.state, 'fresha.appointmentWrites', 1, faults);
    if (refused) return refused;
    const { dataset, index } = found;
    const body = documentOf(ctx, 'appointment');
    if (!body.ok) return body.reply;
    const fields = dataset.fields(index);
    if (!LIVE_STATUSES.has(String(fields.status))) return error(409, 'appointment_not_active', `The appointment is ${String(fields.status)}`);
    const a = body.attributes;
    const oldStart = dataset.startAt[index];
    const start = a.starts_at === undefined ? oldStart : typeof a.starts_at === 'string' ? parseTimestamp(a.starts_at) : undefined;
    if (start === undefined) return invalid('/data/attributes/starts_at', 'starts_at must be an ISO 8601 timestamp');
    const length = Number(fields.minutes) * MINUTE_MS;
    const end = a.ends_at === undefined ? start + length : typeof a.ends_at === 'string' ? parseTimestamp(a.ends_at) : undefined;
    if (end === undefined || end <= start) return invalid('/data/attributes/ends_at', 'ends_at must be an ISO 8601 timestamp after starts_at');
    if (!isFree(dataset, String(fields.staff_id), { start, end }, index)) return slotTaken();
    edit(ctx, dataset, index, { minutes: Math.round((end - start) / MINUTE_MS), ...(text(a.notes) ? { notes: text(a.notes) } : {}) }, start);
    return afterWrite(ctx.state, PROVIDER, json(200, { data: renderItem(dataset, 'appointments', index) }));
  },
};

const cancelAppointment: Route = {
  method: 'POST',
  hosts: [HOST],
  path: '/v2/appointments/{id}/cancel',
  pattern: /^\/v2\/appointments\/(?<id>[^/]+)\/cancel$/,
  handle(ctx) {
    const found = appointmentOf(ctx, 'write');
    if (!found.ok) return found.reply;
    const refused = pageGate(ctx.state, 'fresha.appointmentWrites', 1, faults);
    if (refused) return refused;
    const { dataset, index } = found;
    const status = String(dataset.fields(index).status);
    if (status === 'cancelled') return json(200, { data: renderItem(dataset, 'appointments', index) });
    if (status === 'completed' || status === 'no_show') return error(409, 'appointment_not_active', `The appointment is ${status}`);
    const parsed = ctx.body.length > 0 ? readJson(ctx) : { ok: true as const, value: {} };
    if (!parsed.ok) return error(400, 'invalid_body', parsed.reason);
    const reason = text((parsed.value.data as { attributes?: { reason?: unknown } } | undefined)?.attributes?.reason);
    edit(ctx, dataset, index, { status: 'cancelled', ...(reason ? { cancellation_reason: reason } : {}) });
    return afterWrite(ctx.state, PROVIDER, json(200, { data: renderItem(dataset, 'appointments', index) }));
  },
};

export const freshaWriteRoutes: Route[] = [createClient, availability, createAppointment, getAppointment, updateAppointment, cancelAppointment];
