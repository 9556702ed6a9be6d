// What a Mindbody sandbox site holds and how every v6 endpoint checks its caller: the Api-Key and
// SiteId headers, staff user tokens (Authorization), Mindbody's `{ Error: { Message, Code } }`
// errors and its `request.limit` / `request.offset` pagination with `PaginationResponse`.
//
// Each site has the same small business: one location, two staff members working fixed hours in
// the site's local time, two session types. Clients are a seeded dataset (120 by default, plus
// those AddClient creates); appointments start empty and are what AddAppointment books. All times
// are the site's wall-clock time without an offset, as Mindbody writes them. Error codes other
// than DeniedAccess are the sandbox's own labels (Mindbody documents few).
import crypto from 'node:crypto';
import { Temporal } from 'temporal-polyfill';
import { DAY_MS, getDataset, type Dataset, type Fields, type ResourceSpec } from '../../data';
import { between, email, personName, phone, pick } from '../../data-fake';
import { intParam, type FaultReplies } from '../../data-faults';
import { json, type Reply, type RequestContext } from '../../http';
import { findSite, type MindbodySite } from './accounts';

export const MINDBODY_SANDBOX_KEY = 'sandbox-mindbody-key';
export const HOST = 'api.mindbodyonline.com';
export const BASE = '/public/v6';
/** How long a staff user token lives (Mindbody's own lifetime is not documented; renewals add 24 h ~). */
const STAFF_TOKEN_MS = 24 * 3600 * 1000;

export const error = (status: number, code: string, message: string) => json(status, { Error: { Message: message, Code: code } });

export const faults: FaultReplies = {
  failed: (status) => error(status, status >= 500 ? 'InternalError' : 'BadRequest', `Forced by the sandbox (HTTP ${status}).`),
  rateLimited: () => error(429, 'TooManyRequests', 'The rate limit for this API key was exceeded.'),
};

// ── The business ─────────────────────────────────────────────────────────────────────────────────

export interface StaffMember {
  Id: number;
  FirstName: string;
  LastName: string;
  /** ISO weekdays (1 Monday … 7 Sunday) worked, and the hours, site-local. */
  days: number[];
  from: string;
  to: string;
}

export const STAFF: StaffMember[] = [
  { Id: 11, FirstName: 'Ava', LastName: 'Reed', days: [1, 2, 3, 4, 5], from: '09:00', to: '17:00' },
  { Id: 12, FirstName: 'Ben', LastName: 'Cole', days: [1, 2, 3, 4, 5, 6, 7], from: '10:00', to: '16:00' },
];
export const SESSION_TYPES = [
  { Id: 101, Name: 'Deep Tissue Massage', DefaultTimeLength: 60, ProgramId: 21, Type: 'Appointment', OnlineDescription: 'An hour of deep tissue massage.' },
  { Id: 102, Name: 'Consultation', DefaultTimeLength: 30, ProgramId: 21, Type: 'Appointment', OnlineDescription: 'A half-hour consultation.' },
];
export const PROGRAMS = [{ Id: 21, Name: 'Bodywork', ScheduleType: 'Appointment', CancelOffset: 0 }];
export const LOCATIONS = [{ Id: 1, Name: 'Main Studio', Address: '1 Market St', City: 'Springfield', BusinessDescription: 'The sandbox studio', HasClasses: true }];

export const staffJson = (s: StaffMember) => ({ Id: s.Id, FirstName: s.FirstName, LastName: s.LastName, DisplayName: `${s.FirstName} ${s.LastName}`, Name: `${s.FirstName} ${s.LastName}`, IsMale: false });

// ── Clients: a seeded dataset ────────────────────────────────────────────────────────────────────

export const clientsSpec: ResourceSpec = {
  key: 'mindbody.clients',
  provider: 'mindbody',
  resource: 'clients',
  // Client ids are the business's own strings; here the UniqueId as text, which sorts in index order.
  idOf: (index) => String(100001 + index),
  generate(rng, { index }) {
    const { first, last } = personName(rng);
    return { FirstName: first, LastName: last, Email: email(first, last, index, rng), MobilePhone: phone(rng) };
  },
  update(fields, rng) {
    fields.MobilePhone = phone(rng);
  },
};

// ── Seeded appointments and class visits: datasets ───────────────────────────────────────────────
// What the site had booked before the app arrived, spread over the past and next 90 days (the
// window the app syncs). Appointments cancel (a deletion shows as Status "Cancelled"); a removed
// class visit is no longer listed.

const HOUR_MS = 3600_000;
const APPOINTMENT_STATUSES = ['Booked', 'Confirmed', 'Arrived', 'Completed'];

export const appointmentsSpec: ResourceSpec = {
  key: 'mindbody.appointments',
  provider: 'mindbody',
  resource: 'appointments',
  // Seven digits, above the ids AddAppointment hands out, sorting in index order.
  idOf: (index) => String(1_000_001 + index),
  startAt: (rng, { createdAt }) => Math.round((createdAt + rng() * 90 * DAY_MS) / (15 * 60_000)) * 15 * 60_000,
  generate(rng, { sizeOf }) {
    return {
      StaffId: pick(rng, [11, 12]),
      SessionTypeId: pick(rng, [101, 102]),
      ClientId: String(100001 + between(rng, 0, Math.max(sizeOf('clients') - 1, 0))),
      Status: pick(rng, APPOINTMENT_STATUSES),
      Notes: pick(rng, [null, 'First visit', 'Prefers firm pressure', 'Running late usually']),
    };
  },
  update(fields) {
    fields.Status = APPOINTMENT_STATUSES[(APPOINTMENT_STATUSES.indexOf(String(fields.Status)) + 1) % APPOINTMENT_STATUSES.length];
  },
};

/** The site's classes: each meets on the hour; a class is one type at one start. */
export const CLASS_TYPES = [
  { Id: 301, Name: 'Vinyasa Flow', minutes: 60, StaffId: 11 },
  { Id: 302, Name: 'Mat Pilates', minutes: 45, StaffId: 12 },
];

export const classVisitsSpec: ResourceSpec = {
  key: 'mindbody.class_visits',
  provider: 'mindbody',
  resource: 'class_visits',
  idOf: (index) => String(2_000_001 + index),
  // A class a week at 18:00 UTC, so each class has several visits (as real ones do), within the
  // 90 days either side of now that the app's window covers.
  startAt: (rng, { createdAt }) => Math.floor((createdAt + 7 * DAY_MS + rng() * 77 * DAY_MS) / (7 * DAY_MS)) * 7 * DAY_MS + 18 * HOUR_MS,
  generate(rng, { sizeOf }) {
    return {
      ClassTypeId: pick(rng, CLASS_TYPES).Id,
      ClientId: String(100001 + between(rng, 0, Math.max(sizeOf('clients') - 1, 0))),
      SignedIn: false,
      LateCancelled: false,
      MakeUp: rng() < 0.1,
    };
  },
  update(fields) {
    // A visit's life: booked → signed in → (a new edit) booked again, for the sake of change.
    fields.SignedIn = !fields.SignedIn;
  },
};

/** A class's id: its type and its start hour, so every visit of one class names the same id. */
export const classIdOf = (typeId: number, startMs: number) => typeId * 1_000_000 + Math.round(startMs / HOUR_MS) % 1_000_000;

export function appointmentsDataset(ctx: RequestContext, site: MindbodySite): Dataset {
  return getDataset(ctx.state, appointmentsSpec, site.id);
}

export function classVisitsDataset(ctx: RequestContext, site: MindbodySite): Dataset {
  return getDataset(ctx.state, classVisitsSpec, site.id);
}

/** A seeded appointment as the write endpoints store theirs (cancelled when deleted). */
export function seededAppointment(dataset: Dataset, index: number, site: MindbodySite): StoredAppointment {
  const f = dataset.fields(index);
  const type = SESSION_TYPES.find((t) => t.Id === f.SessionTypeId) ?? SESSION_TYPES[0];
  const start = dataset.startAt[index];
  return {
    Id: Number(dataset.idOf(index)),
    Status: dataset.isDeleted(index) ? 'Cancelled' : String(f.Status),
    StartDateTime: localStamp(start, site.timeZone),
    EndDateTime: localStamp(start + type.DefaultTimeLength * 60_000, site.timeZone),
    Duration: type.DefaultTimeLength,
    Notes: (f.Notes as string | null) ?? null,
    StaffId: Number(f.StaffId),
    ClientId: String(f.ClientId),
    LocationId: LOCATIONS[0].Id,
    SessionTypeId: type.Id,
    ProgramId: type.ProgramId,
    StaffRequested: false,
    FirstAppointment: false,
  };
}

/** Every appointment of the site: the seeded ones (unless a write replaced them) and the booked ones. */
export function allAppointments(ctx: RequestContext, site: MindbodySite, store: SiteStore): StoredAppointment[] {
  const dataset = appointmentsDataset(ctx, site);
  const seeded: StoredAppointment[] = [];
  for (let index = 0; index < dataset.count; index++) {
    const id = Number(dataset.idOf(index));
    if (!store.appointments.has(id)) seeded.push(seededAppointment(dataset, index, site));
  }
  return [...seeded, ...store.appointments.values()];
}

/** One class visit as the v6 Visit model names its fields ✔ (class API, Visit). */
export function renderVisit(dataset: Dataset, index: number, site: MindbodySite): Fields {
  const f = dataset.fields(index);
  const type = CLASS_TYPES.find((t) => t.Id === f.ClassTypeId) ?? CLASS_TYPES[0];
  const start = dataset.startAt[index];
  return {
    Id: Number(dataset.idOf(index)),
    ClassId: classIdOf(type.Id, start),
    ClientId: String(f.ClientId),
    ClientUniqueId: Number(f.ClientId),
    SiteId: site.siteId,
    LocationId: LOCATIONS[0].Id,
    StaffId: type.StaffId,
    Name: type.Name,
    ServiceName: null,
    StartDateTime: localStamp(start, site.timeZone),
    EndDateTime: localStamp(start + type.minutes * 60_000, site.timeZone),
    SignedIn: Boolean(f.SignedIn),
    LateCancelled: Boolean(f.LateCancelled),
    MakeUp: Boolean(f.MakeUp),
    Missed: false,
    WebSignup: false,
    Action: 'None',
    AppointmentId: 0,
    LastModifiedDateTime: new Date(dataset.updatedAt[index]).toISOString(),
  };
}

/** Mindbody's CreationDate: "always returns in the format yyyy-mm-ddThh:mm:ss:ms" ✔ (rendered here without the ms). */
const localStamp = (ms: number, zone: string) => Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(zone).toPlainDateTime().toString({ smallestUnit: 'second' });

export function renderClient(dataset: Dataset, index: number, site: MindbodySite): Fields {
  const id = dataset.idOf(index);
  const fields = dataset.fields(index);
  return {
    Id: id,
    UniqueId: Number(id),
    FirstName: fields.FirstName ?? null,
    LastName: fields.LastName ?? null,
    MiddleName: null,
    Email: fields.Email ?? null,
    MobilePhone: fields.MobilePhone ?? null,
    HomePhone: fields.HomePhone ?? null,
    WorkPhone: fields.WorkPhone ?? null,
    Notes: fields.Notes ?? null,
    // A deactivated client stays listed (request.includeInactive) as inactive: Mindbody has no deletion.
    Status: dataset.isDeleted(index) ? 'Inactive' : 'Active',
    Active: !dataset.isDeleted(index),
    IsProspect: false,
    CreationDate: localStamp(dataset.createdAt[index], site.timeZone),
    LastModifiedDateTime: new Date(dataset.updatedAt[index]).toISOString(),
  };
}

/** Replaces a created record's generated fields with the given ones. */
export function replaceFields(dataset: Dataset, index: number, fields: Fields): void {
  const stored = dataset.fields(index);
  for (const key of Object.keys(stored)) delete stored[key];
  for (const [key, value] of Object.entries(fields)) if (value !== undefined && value !== null) stored[key] = value;
}

// ── Appointments and staff tokens: per site, forgotten on reset ──────────────────────────────────

export interface StoredAppointment {
  Id: number;
  Status: string;
  StartDateTime: string;
  EndDateTime: string;
  Duration: number;
  Notes: string | null;
  StaffId: number;
  ClientId: string;
  LocationId: number;
  SessionTypeId: number;
  ProgramId: number;
  StaffRequested: boolean;
  FirstAppointment: boolean;
}

export interface SiteStore {
  clients: Dataset;
  appointments: Map<number, StoredAppointment>;
  nextAppointmentId: number;
  /** Staff user token → when it expires (ms) and how often it was renewed. */
  tokens: Map<string, { expiresAt: number; renewals: number }>;
}

// Keyed by the site's clients dataset, which the state rebuilds after a reset: the rest goes with it.
const STORES = new WeakMap<Dataset, SiteStore>();

export function siteStore(ctx: RequestContext, site: MindbodySite): SiteStore {
  const clients = getDataset(ctx.state, clientsSpec, site.id);
  let store = STORES.get(clients);
  if (!store) {
    store = { clients, appointments: new Map(), nextAppointmentId: 10001, tokens: new Map() };
    STORES.set(clients, store);
  }
  return store;
}

export function issueToken(store: SiteStore): { token: string; expiresAt: number } {
  const token = `sbx_mb_staff_${crypto.randomBytes(18).toString('base64url')}`;
  const expiresAt = Date.now() + STAFF_TOKEN_MS;
  store.tokens.set(token, { expiresAt, renewals: 0 });
  return { token, expiresAt };
}

/** Renewals a token allows ✔ ("24hrs from current expiration, up to 7 renewals"). */
export const MAX_RENEWALS = 7;

/** POST /usertoken/renew: the same token, 24 hours past its current expiry; null when unknown, expired or used up. */
export function renewToken(store: SiteStore, token: string): { token: string; expiresAt: number } | null {
  const held = store.tokens.get(token);
  if (!held || held.expiresAt <= Date.now() || held.renewals >= MAX_RENEWALS) return null;
  const renewed = { expiresAt: held.expiresAt + STAFF_TOKEN_MS, renewals: held.renewals + 1 };
  store.tokens.set(token, renewed);
  return { token, expiresAt: renewed.expiresAt };
}

export const renderAppointment = (a: StoredAppointment) => ({ GenderPreference: 'None', ProviderId: null, ClientServiceId: null, Resources: [], ...a });

// ── Callers ──────────────────────────────────────────────────────────────────────────────────────

export type Checked<T> = { ok: true; value: T } | { ok: false; reply: Reply };

/** The Api-Key and SiteId headers every v6 call carries. */
export function siteOf(ctx: RequestContext): Checked<MindbodySite> {
  if (ctx.headers['api-key'] !== MINDBODY_SANDBOX_KEY) return { ok: false, reply: error(401, 'DeniedAccess', 'Authentication failed: the Api-Key header is missing or invalid.') };
  const raw = String(ctx.headers.siteid ?? '');
  const site = /^-?\d{1,10}$/.test(raw) ? findSite(Number(raw)) : undefined;
  if (!site) return { ok: false, reply: error(400, 'InvalidSiteId', `SiteId ${raw} is not a site this key may access.`) };
  return { ok: true, value: site };
}

/** A staff user token of this site in Authorization (bare, or after "Bearer "). */
export function staffOf(ctx: RequestContext, store: SiteStore): Reply | undefined {
  const header = String(ctx.headers.authorization ?? '').trim();
  const token = header.replace(/^Bearer\s+/i, '');
  const expiresAt = token ? store.tokens.get(token)?.expiresAt : undefined;
  if (expiresAt === undefined || expiresAt <= Date.now()) {
    return error(401, 'DeniedAccess', token ? 'The staff user token is invalid or has expired.' : 'This call needs a staff user token in the Authorization header.');
  }
  return undefined;
}

/** The whole caller check: site, store, and (where asked) a staff token. */
export function caller(ctx: RequestContext, staff: boolean): Checked<{ site: MindbodySite; store: SiteStore }> {
  const site = siteOf(ctx);
  if (!site.ok) return site;
  const store = siteStore(ctx, site.value);
  const refused = staff ? staffOf(ctx, store) : undefined;
  return refused ? { ok: false, reply: refused } : { ok: true, value: { site: site.value, store } };
}

// ── Requests ─────────────────────────────────────────────────────────────────────────────────────

/** A list parameter: repeated (request.x=1&request.x=2), comma-separated, or indexed (request.x[0]=1). */
export function listParam(ctx: RequestContext, name: string): string[] {
  const values = [...ctx.query.getAll(name)];
  for (const [key, value] of ctx.query) if (key.startsWith(`${name}[`)) values.push(value);
  return values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

export function idsParam(ctx: RequestContext, name: string): Checked<number[] | undefined> {
  const values = listParam(ctx, name);
  if (values.length === 0) return { ok: true, value: undefined };
  if (values.some((v) => !/^-?\d{1,10}$/.test(v))) return { ok: false, reply: error(400, 'InvalidParameter', `${name} must be a list of integers.`) };
  return { ok: true, value: values.map(Number) };
}

/** request.limit (1–200, default 100) and request.offset. */
export function pageParams(ctx: RequestContext): Checked<{ limit: number; offset: number }> {
  const limit = intParam(ctx.query.get('request.limit'), 1, 200);
  const offset = intParam(ctx.query.get('request.offset'), 0, 1_000_000);
  if (limit === null) return { ok: false, reply: error(400, 'InvalidParameter', 'request.limit must be an integer from 1 to 200.') };
  if (offset === null) return { ok: false, reply: error(400, 'InvalidParameter', 'request.offset must be a non-negative integer.') };
  return { ok: true, value: { limit: limit ?? 100, offset: offset ?? 0 } };
}

export function paginated<T>(items: T[], page: { limit: number; offset: number }) {
  const slice = items.slice(page.offset, page.offset + page.limit);
  return { slice, PaginationResponse: { RequestedLimit: page.limit, RequestedOffset: page.offset, PageSize: slice.length, TotalResults: items.length } };
}

/** A date or date-time parameter's local date ("2027-06-07"); undefined when absent, null when unreadable. */
export function dateParam(value: string | null): Temporal.PlainDate | undefined | null {
  if (value === null || value === '') return undefined;
  const match = /^(\d{4}-\d{2}-\d{2})(T[\d:.]+(Z|[+-]\d\d:?\d\d)?)?$/i.exec(value.trim());
  if (!match) return null;
  try {
    return Temporal.PlainDate.from(match[1]);
  } catch {
    return null;
  }
}

/** Wall-clock minutes of a site-local date-time (comparable within one site). */
export function wallMinutes(local: string): number {
  return Date.parse(`${Temporal.PlainDateTime.from(local).toString({ smallestUnit: 'second' })}Z`) / 60_000;
}

export const wallString = (minutes: number) => new Date(minutes * 60_000).toISOString().slice(0, 19);

/** A date-time in a request body: site-local, with any offset dropped (Mindbody reads the wall-clock part). */
export function localParam(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?)(\.\d+)?(Z|[+-]\d\d:?\d\d)?$/i.exec(value.trim());
  if (!match) return null;
  try {
    return Temporal.PlainDateTime.from(match[1]).toString({ smallestUnit: 'second' });
  } catch {
    return null;
  }
}

export const todayAt = (site: MindbodySite) => Temporal.Now.plainDateISO(site.timeZone);
