// Acuity's API v1 in the sandbox: OAuth bearer tokens or HTTP Basic (user id : API key), GET /me, the error envelope
// { status_code, message, error }, and appointments and clients (lists, one appointment).
// GET /appointments filters by appointment date (minDate / maxDate, inclusive, in the business's
// time zone), email, and canceled / showall; returns at most `max` (default 100), ordered by time
// (direction=ASC oldest first, else newest first). GET /clients answers every live client.
import { Temporal } from 'temporal-polyfill';
import { getDataset, DAY_MS, type Dataset, type Fields, type ResourceSpec } from '../../data';
import { email as fakeEmail, personName, phone, pick, quarterHour, tag } from '../../data-fake';
import { intParam, isoMs, pageGate, type FaultReplies } from '../../data-faults';
import { json, type Reply, type RequestContext, type Route } from '../../http';
import { authenticate, identityHandler } from '../../oauth';
import { API_HOST, APPOINTMENT_TYPES, CALENDARS, findAccount, PROFILE, type AcuityAccount } from './accounts';

const PROVIDER = PROFILE.id;
const MINUTE_MS = 60_000;

export const acuityError = (status: number, message: string, error: string, headers: Record<string, string> = {}): Reply => json(status, { status_code: status, message, error }, headers);
export const faults: FaultReplies = {
  failed: (status) => acuityError(status, `Forced by the sandbox (HTTP ${status}).`, status >= 500 ? 'server_error' : 'bad_request'),
  rateLimited: () => acuityError(429, 'Too many requests', 'too_many_requests'),
};

/**
 * The account an OAuth bearer token was granted for, or whose user id and API key the Basic header
 * carries (`basic`: which of the two it was), or the 401.
 */
export function authorize(ctx: RequestContext): { ok: true; account: AcuityAccount; basic: boolean } | { ok: false; reply: Reply } {
  const header = String(ctx.headers.authorization ?? '');
  if (/^Bearer\s/i.test(header)) {
    const auth = authenticate(ctx, PROVIDER);
    const account = auth.ok ? findAccount(auth.grant.accountId) : undefined;
    if (!account) return { ok: false, reply: acuityError(401, 'Unauthorized: the access token is not valid.', 'unauthorized') };
    return { ok: true, account, basic: false };
  }
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header.trim());
  const decoded = match ? Buffer.from(match[1], 'base64').toString('utf8') : '';
  const at = decoded.indexOf(':');
  const account = at > 0 ? findAccount(decoded.slice(0, at)) : undefined;
  if (!account || decoded.slice(at + 1) !== account.apiKey) {
    return { ok: false, reply: acuityError(401, 'Unauthorized: the user ID and API key do not match.', 'unauthorized', { 'www-authenticate': 'Basic realm="Acuity Scheduling"' }) };
  }
  return { ok: true, account, basic: true };
}

const appointmentId = (index: number, account: string) => `${account.slice(-1)}${String(index).padStart(8, '0')}`;

export const appointmentsSpec: ResourceSpec = {
  key: 'acuity.appointments',
  provider: PROVIDER,
  resource: 'appointments',
  idOf: appointmentId,
  // On the quarter hour, from three weeks before creation to six weeks after.
  startAt: (rng, { createdAt }) => quarterHour(createdAt + (rng() * 63 - 21) * DAY_MS),
  generate(rng, { index }) {
    const { first, last } = personName(rng);
    const type = pick(rng, APPOINTMENT_TYPES);
    const calendar = pick(rng, CALENDARS);
    return { firstName: first, lastName: last, email: fakeEmail(first, last, index, rng), phone: phone(rng), typeId: type.id, calendarId: calendar.id, notes: '', location: '' };
  },
  update(fields, rng) {
    fields.notes = pick(rng, ['Running late', 'Bring referral letter', 'Prefers Alex', 'Paid at the desk', 'New phone number']);
    fields.phone = phone(rng);
  },
};

/** Clients have no id at Acuity; the sandbox keys them by email, which sorts in index order. */
const clientEmail = (index: number, account: string) => `client${String(index).padStart(6, '0')}.${tag(account).slice(0, 4)}@acuity-sandbox.example`;

export const clientsSpec: ResourceSpec = {
  key: 'acuity.clients',
  provider: PROVIDER,
  resource: 'clients',
  idOf: clientEmail,
  generate(rng) {
    const { first, last } = personName(rng);
    return { firstName: first, lastName: last, phone: phone(rng), notes: '' };
  },
  update(fields, rng) {
    fields.phone = phone(rng);
  },
};

export const acuitySpecs = { appointments: appointmentsSpec, clients: clientsSpec };

export function replaceFields(dataset: Dataset, index: number, next: Fields): void {
  const fields = dataset.fields(index);
  for (const key of Object.keys(fields)) delete fields[key];
  Object.assign(fields, next);
}

/** "2016-02-03T14:00:00-0800": Acuity's datetime, in the business's zone, offset without a colon. */
export function acuityDatetime(ms: number, timezone: string): string {
  const zoned = Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(timezone);
  const offset = zoned.offset.replace(':', '');
  return `${zoned.toPlainDateTime().toString({ smallestUnit: 'second' })}${offset}`;
}

export const localDate = (ms: number, timezone: string) => Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(timezone).toPlainDate().toString();

function clock(ms: number, timezone: string): string {
  const t = Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(timezone);
  return `${((t.hour + 11) % 12) + 1}:${String(t.minute).padStart(2, '0')}${t.hour < 12 ? 'am' : 'pm'}`;
}

export function renderAppointment(account: AcuityAccount, dataset: Dataset, index: number) {
  const fields = dataset.fields(index);
  const type = APPOINTMENT_TYPES.find((t) => t.id === fields.typeId) ?? APPOINTMENT_TYPES[0];
  const calendar = CALENDARS.find((c) => c.id === fields.calendarId) ?? CALENDARS[0];
  const start = dataset.startAt[index];
  const id = Number(dataset.idOf(index));
  const zone = account.timezone;
  return {
    id,
    firstName: fields.firstName,
    lastName: fields.lastName,
    phone: fields.phone,
    email: fields.email,
    date: Temporal.Instant.fromEpochMilliseconds(start).toZonedDateTimeISO(zone).toPlainDate().toLocaleString('en-US', { month: 'long', day: 'numeric', year: 'numeric' }),
    time: clock(start, zone),
    endTime: clock(start + type.duration * MINUTE_MS, zone),
    dateCreated: localDate(dataset.createdAt[index], zone),
    datetimeCreated: acuityDatetime(dataset.createdAt[index], zone),
    datetime: acuityDatetime(start, zone),
    price: type.price,
    priceSold: type.price,
    paid: 'no',
    amountPaid: '0.00',
    type: type.name,
    appointmentTypeID: type.id,
    classID: null,
    addonIDs: [],
    category: '',
    duration: String(type.duration),
    calendar: calendar.name,
    calendarID: calendar.id,
    certificate: null,
    confirmationPage: `https://app.acuityscheduling.com/schedule.php?owner=${account.id}&action=appt&id%5B%5D=${id}`,
    location: fields.location,
    notes: fields.notes,
    timezone: zone,
    calendarTimezone: zone,
    canceled: dataset.isDeleted(index),
    canClientCancel: true,
    canClientReschedule: true,
    labels: null,
    forms: [],
    formsText: '',
  };
}

function renderClient(dataset: Dataset, index: number) {
  const fields = dataset.fields(index);
  return { firstName: fields.firstName, lastName: fields.lastName, email: dataset.idOf(index), phone: fields.phone, notes: fields.notes };
}

const dateParam = (value: string | null) => (value === null ? null : /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : undefined);

const appointmentsRoute: Route = {
  method: 'GET',
  hosts: [API_HOST],
  path: '/api/v1/appointments',
  handle(ctx) {
    const auth = authorize(ctx);
    if (!auth.ok) return auth.reply;
    const max = intParam(ctx.query.get('max'), 1, 100_000);
    if (max === null) return acuityError(400, 'max must be a positive integer', 'invalid_max');
    const minDate = dateParam(ctx.query.get('minDate'));
    const maxDate = dateParam(ctx.query.get('maxDate'));
    if (minDate === undefined || maxDate === undefined) return acuityError(400, 'minDate and maxDate are dates (YYYY-MM-DD)', 'invalid_date');
    const refused = pageGate(ctx.state, appointmentsSpec.key, 1, faults);
    if (refused) return refused;
    const dataset = getDataset(ctx.state, appointmentsSpec, auth.account.id);
    const email = ctx.query.get('email')?.toLowerCase();
    const showall = ctx.query.get('showall') === 'true';
    const canceledOnly = ctx.query.get('canceled') === 'true';
    const found: number[] = [];
    for (let i = 0; i < dataset.count; i++) {
      const canceled = dataset.isDeleted(i);
      if (!showall && canceled !== canceledOnly) continue;
      const date = localDate(dataset.startAt[i], auth.account.timezone);
      if ((minDate && date < minDate) || (maxDate && date > maxDate)) continue;
      if (email && String(dataset.fields(i).email).toLowerCase() !== email) continue;
      found.push(i);
    }
    const ascending = ctx.query.get('direction') === 'ASC';
    found.sort((a, b) => (dataset.startAt[a] - dataset.startAt[b] || a - b) * (ascending ? 1 : -1));
    return json(200, found.slice(0, max ?? 100).map((i) => renderAppointment(auth.account, dataset, i)));
  },
};

/** The appointment a path names (live or cancelled), or the 404. */
export function appointmentOf(ctx: RequestContext, account: AcuityAccount): { ok: true; dataset: Dataset; index: number } | { ok: false; reply: Reply } {
  const dataset = getDataset(ctx.state, appointmentsSpec, account.id);
  const index = dataset.indexOf(ctx.params.id ?? '');
  if (index === undefined) return { ok: false, reply: acuityError(404, 'The appointment was not found.', 'not_found') };
  return { ok: true, dataset, index };
}

const appointmentRoute: Route = {
  method: 'GET',
  hosts: [API_HOST],
  path: '/api/v1/appointments/{id}',
  pattern: /^\/api\/v1\/appointments\/(?<id>\d+)$/,
  handle(ctx) {
    const auth = authorize(ctx);
    if (!auth.ok) return auth.reply;
    const found = appointmentOf(ctx, auth.account);
    if (!found.ok) return found.reply;
    return json(200, renderAppointment(auth.account, found.dataset, found.index));
  },
};

const clientsRoute: Route = {
  method: 'GET',
  hosts: [API_HOST],
  path: '/api/v1/clients',
  handle(ctx) {
    const auth = authorize(ctx);
    if (!auth.ok) return auth.reply;
    const refused = pageGate(ctx.state, clientsSpec.key, 1, faults);
    if (refused) return refused;
    const dataset = getDataset(ctx.state, clientsSpec, auth.account.id);
    const search = ctx.query.get('search')?.toLowerCase();
    const list = [];
    for (let i = 0; i < dataset.count; i++) {
      if (dataset.isDeleted(i) || dataset.createdAt[i] > ctx.state.data.snapshot()) continue;
      const client = renderClient(dataset, i);
      if (search && !`${client.firstName} ${client.lastName} ${client.email} ${client.phone}`.toLowerCase().includes(search)) continue;
      list.push(client);
    }
    return json(200, list);
  },
};

const meRoute: Route = {
  method: 'GET',
  hosts: [API_HOST],
  path: '/api/v1/me',
  handle: identityHandler(
    PROVIDER,
    (status) => (status === 401 ? acuityError(401, 'Unauthorized', 'unauthorized') : acuityError(status, `Forced by the sandbox (HTTP ${status}).`, 'server_error')),
    (ctx) => {
      const auth = authorize(ctx);
      if (!auth.ok) return auth.reply;
      const { account } = auth;
      return json(200, {
        id: Number(account.id),
        email: account.email,
        name: account.name,
        timezone: account.timezone,
        currency: 'USD',
        plan: 'Powerhouse',
        schedulingPage: `https://app.acuityscheduling.com/schedule.php?owner=${account.id}`,
        firstDayOfWeek: 1,
        createdAt: isoMs(Date.UTC(2020, 0, 1)),
      });
    },
  ),
};

export const acuityDataRoutes: Route[] = [meRoute, appointmentsRoute, appointmentRoute, clientsRoute];
