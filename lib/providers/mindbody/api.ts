// Mindbody Public API v6 plumbing shared by the connection test and the actions: the site headers,
// staff user tokens, the site's time zone and Mindbody's site-local date-times.
//
// Sources (✔ below): Mindbody's v6 Swagger client docs from its API-Examples repository (SDKs/Ruby/
// docs: AppointmentApi.md, AddAppointmentRequest.md, UpdateAppointmentRequest.md, Appointment.md,
// Availability.md, Client.md, AddClientRequest.md, GetClientsRequest.md; read in the mirror
// github.com/parserrr/API-Examples) and the v6 OpenAPI description republished at
// github.com/api-evangelist/mindbody (openapi/mindbody-{appointment,client,site,user-token}-api-openapi.yml).
//  - Every call carries `Api-Key` and `SiteId` headers ✔.
//  - Staff-level calls (client search, AddClient, AddAppointment, UpdateAppointment,
//    StaffAppointments) take a staff user token in `Authorization` ✔, issued by
//    `POST /usertoken/issue {Username, Password}` → `{TokenType, AccessToken, Expires, User}` ✔.
//    The header carries the bare token, as providers.md and Mindbody's examples show it ~.
//  - Errors are `{ Error: { Message, Code } }` ✔; lists carry
//    `PaginationResponse {RequestedLimit, RequestedOffset, PageSize, TotalResults}` ✔ and take
//    `request.limit` (≤ 200 ~) and `request.offset`.
//  - Appointment and availability times are the site's local wall-clock time without an offset ✔
//    (providers.md: "bookableitems: windows in site-local time").
//  - Site.TimeZone is documented only as "the time zone the site is located in" ✔: its format is
//    unverified. IANA names are used as they are; common Windows names are translated; anything
//    else needs options.siteTimeZone.
import { Temporal } from 'temporal-polyfill';
import { z } from 'zod';
import { ActionError } from '../../actions/errors';
import { ProviderHttpError, ProviderProtocolError } from '../errors';
import type { ProviderClient, RequestOptions, TokenSet } from '../types';

export const API = 'https://api.mindbodyonline.com/public/v6';
/** The most Mindbody gives per page (request.limit) ~. */
export const PAGE_LIMIT = 200;
/** A listing longer than this many pages is refused rather than walked forever. */
const MAX_PAGES = 50;

type Options = Record<string, string | string[] | number | boolean> | undefined;

export const pagination = z
  .object({ RequestedLimit: z.number().optional(), RequestedOffset: z.number().optional(), PageSize: z.number(), TotalResults: z.number() })
  .passthrough();

const sitesResponse = z.object({
  Sites: z.array(z.object({ Id: z.number().int(), Name: z.string(), TimeZone: z.string().nullish() }).passthrough()),
});
export type MindbodySite = z.infer<typeof sitesResponse>['Sites'][number];

const issueResponse = z.object({ AccessToken: z.string().min(1), Expires: z.string().nullish(), TokenType: z.string().nullish() }).passthrough();

export const siteIdOf = (client: ProviderClient) => client.tokens.extra?.siteId ?? '';

export function siteHeaders(client: ProviderClient): Record<string, string> {
  return { 'Api-Key': client.tokens.accessToken, SiteId: siteIdOf(client) };
}

export interface StaffLogin {
  username: string;
  password: string;
}

/** The staff login saved with the connection (optional fields; both or neither). */
export function staffLoginOf(client: ProviderClient): StaffLogin | null {
  const username = client.tokens.extra?.staffUsername;
  const password = client.tokens.extra?.staffPassword;
  return username && password ? { username, password } : null;
}

// ── Staff user tokens ────────────────────────────────────────────────────────────────────────────
// A staff user token is stored encrypted with the connection's other credentials (TokenSet.extra:
// staffToken, staffTokenExpiresAt, staffTokenRenewals), never logged or answered. Shortly before it
// expires it is renewed (POST /usertoken/renew with the token in Authorization: "24hrs from current
// expiration, up to 7 renewals" ✔ mindbody-user-token-api-openapi.yml); when renewal is refused or
// used up, a new one is issued with the staff login. Renewing and issuing happen under the
// connection's credentials lock (ProviderClient.updateTokens), so two requests never renew one token
// twice, and a request that waited finds the token the other one stored.

/** Renew when less than this is left. */
export const STAFF_TOKEN_RENEW_BEFORE_MS = 60 * 60_000;
/** Renewals Mindbody allows per token ✔. */
export const STAFF_TOKEN_MAX_RENEWALS = 7;
/** How much a renewal adds when Mindbody's answer does not say ✔ (24 hours from the current expiry). */
const RENEWAL_MS = 24 * 3600_000;
/** When Mindbody gives no Expires: the shortest lifetime worth assuming. */
const DEFAULT_TOKEN_MS = 60 * 60_000;

export interface StaffToken {
  token: string;
  expiresAt: number;
  renewals: number;
}

/** Mindbody's Expires ("Token expiration in UTC" ✔), with or without its Z. */
function utcMs(value: string | null | undefined): number {
  if (!value) return NaN;
  return Date.parse(/(Z|[+-]\d\d:?\d\d)$/i.test(value) ? value : `${value}Z`);
}

export function storedStaffToken(tokens: TokenSet): StaffToken | null {
  const token = tokens.extra?.staffToken;
  const expiresAt = Date.parse(tokens.extra?.staffTokenExpiresAt ?? '');
  if (!token || Number.isNaN(expiresAt)) return null;
  return { token, expiresAt, renewals: Number(tokens.extra?.staffTokenRenewals ?? '0') || 0 };
}

function withStaffToken(tokens: TokenSet, staff: StaffToken): TokenSet {
  return {
    ...tokens,
    extra: { ...tokens.extra, staffToken: staff.token, staffTokenExpiresAt: new Date(staff.expiresAt).toISOString(), staffTokenRenewals: String(staff.renewals) },
  };
}

/** Issues a staff user token (the connection test calls this to check the login). */
export async function issueStaffToken(client: ProviderClient, login: StaffLogin, now = Date.now()): Promise<StaffToken> {
  const { body } = await client.request(`${API}/usertoken/issue`, {
    method: 'POST',
    bearer: false,
    headers: siteHeaders(client),
    json: { Username: login.username, Password: login.password },
  });
  const issued = issueResponse.parse(body);
  const expires = utcMs(issued.Expires);
  return { token: issued.AccessToken, expiresAt: Number.isNaN(expires) ? now + DEFAULT_TOKEN_MS : expires, renewals: 0 };
}

/** POST /usertoken/renew ✔; its answer is documented only as "200 OK", so what it leaves out is kept (~). */
export async function renewStaffToken(client: ProviderClient, current: StaffToken): Promise<StaffToken> {
  const { body } = await client.request(`${API}/usertoken/renew`, {
    method: 'POST',
    bearer: false,
    headers: { ...siteHeaders(client), Authorization: current.token },
  });
  const renewed = issueResponse.partial().safeParse(body ?? {}).data ?? {};
  const expires = utcMs(renewed.Expires);
  return {
    token: renewed.AccessToken || current.token,
    expiresAt: Number.isNaN(expires) ? current.expiresAt + RENEWAL_MS : expires,
    renewals: current.renewals + 1,
  };
}

/** A refusal (not a rate limit or an outage): renewal will not work, issuing a new token may. */
const refused = (error: unknown) => error instanceof ProviderHttpError && error.status < 500 && error.status !== 429;

/**
 * A staff user token good for the next call: the stored one, else one renewed or issued (and
 * stored). `rejected` is a token Mindbody just refused: never answered again.
 */
export async function staffToken(client: ProviderClient, options: { rejected?: string; now?: number } = {}): Promise<string> {
  const login = requireStaffLogin(client);
  const now = options.now ?? Date.now();
  const usable = (t: StaffToken) => t.token !== options.rejected && t.expiresAt - STAFF_TOKEN_RENEW_BEFORE_MS > now;
  const current = storedStaffToken(client.tokens);
  if (current && usable(current)) return current.token;
  const obtain = async (stored: TokenSet): Promise<{ tokens?: TokenSet; result: StaffToken }> => {
    const held = storedStaffToken(stored);
    // Another request renewed it while this one waited for the lock.
    if (held && usable(held)) return { result: held };
    let fresh: StaffToken | null = null;
    if (held && held.token !== options.rejected && held.expiresAt > now && held.renewals < STAFF_TOKEN_MAX_RENEWALS) {
      fresh = await renewStaffToken(client, held).catch((error: unknown) => {
        if (refused(error)) return null;
        throw error;
      });
    }
    fresh ??= await issueStaffToken(client, login, now);
    return { tokens: withStaffToken(stored, fresh), result: fresh };
  };
  if (client.updateTokens) return (await client.updateTokens(obtain)).token;
  // Not saved yet (the connection test at connect): the token is saved with the connection.
  const { tokens, result } = await obtain(client.tokens);
  if (tokens) client.tokens.extra = tokens.extra;
  return result.token;
}

export function requireStaffLogin(client: ProviderClient): StaffLogin {
  const login = staffLoginOf(client);
  if (!login) {
    throw new ActionError(
      'action_not_supported',
      'This Mindbody connection has no staff login: reconnect it with a staff username and password to look up clients and book (Mindbody needs a staff user token for these).',
    );
  }
  return login;
}

export interface MindbodyRequest extends Omit<RequestOptions, 'bearer'> {
  /** Send a staff user token (Authorization). */
  staff?: boolean;
}

/** One Mindbody call: site headers, and a staff user token where asked. */
export async function mindbodyRequest<T = unknown>(client: ProviderClient, path: string, options: MindbodyRequest = {}): Promise<T> {
  const { staff, headers, ...rest } = options;
  const send = async (token?: string) =>
    (await client.request<T>(`${API}${path}`, { ...rest, bearer: false, headers: { ...siteHeaders(client), ...(token ? { Authorization: token } : {}), ...headers } })).body;
  if (!staff) return send();
  const token = await staffToken(client);
  try {
    return await send(token);
  } catch (error) {
    // A rejected token was not used: nothing was done, so the call may go again with a new one.
    if (!(error instanceof ProviderHttpError) || error.status !== 401) throw error;
  }
  return send(await staffToken(client, { rejected: token }));
}

/** Pages through a v6 listing (request.limit / request.offset, PaginationResponse). */
export async function listAll<T>(client: ProviderClient, path: string, query: URLSearchParams, key: string, item: z.ZodType<T>, staff = false): Promise<T[]> {
  const page = z.object({ PaginationResponse: pagination.nullish() }).passthrough();
  const list = z.array(item).nullish();
  const out: T[] = [];
  for (let n = 0, offset = 0; n < MAX_PAGES; n++) {
    const params = new URLSearchParams(query);
    params.set('request.limit', String(PAGE_LIMIT));
    params.set('request.offset', String(offset));
    const body = page.parse(await mindbodyRequest(client, `${path}?${params}`, { staff }));
    const items = list.parse(body[key]) ?? [];
    out.push(...items);
    const total = body.PaginationResponse?.TotalResults;
    offset += items.length;
    if (items.length === 0 || total === undefined || offset >= total) return out;
  }
  throw new ProviderProtocolError(`Mindbody's ${path} listing did not end after ${MAX_PAGES} pages`);
}

// ── The site and its time zone ─────────────────────────────────────────────────────────────────

export async function fetchSite(client: ProviderClient): Promise<MindbodySite> {
  const siteId = siteIdOf(client);
  const body = await mindbodyRequest(client, `/site/sites?request.siteIds=${encodeURIComponent(siteId)}`);
  const site = sitesResponse.parse(body).Sites.find((s) => String(s.Id) === siteId);
  if (!site) throw new ProviderProtocolError(`Mindbody did not return site ${siteId} for this API key`);
  return site;
}

/** Windows time zone names (the other form Site.TimeZone may take, unverified) → IANA. */
const WINDOWS_ZONES: Record<string, string> = {
  'Hawaiian Standard Time': 'Pacific/Honolulu',
  'Alaskan Standard Time': 'America/Anchorage',
  'Pacific Standard Time': 'America/Los_Angeles',
  'US Mountain Standard Time': 'America/Phoenix',
  'Mountain Standard Time': 'America/Denver',
  'Central Standard Time': 'America/Chicago',
  'Eastern Standard Time': 'America/New_York',
  'Atlantic Standard Time': 'America/Halifax',
  'Newfoundland Standard Time': 'America/St_Johns',
  'GMT Standard Time': 'Europe/London',
  'Greenwich Standard Time': 'Atlantic/Reykjavik',
  'W. Europe Standard Time': 'Europe/Berlin',
  'Romance Standard Time': 'Europe/Paris',
  'Central Europe Standard Time': 'Europe/Budapest',
  'Central European Standard Time': 'Europe/Warsaw',
  'GTB Standard Time': 'Europe/Bucharest',
  'FLE Standard Time': 'Europe/Kiev',
  'South Africa Standard Time': 'Africa/Johannesburg',
  'Arabian Standard Time': 'Asia/Dubai',
  'India Standard Time': 'Asia/Kolkata',
  'Singapore Standard Time': 'Asia/Singapore',
  'Tokyo Standard Time': 'Asia/Tokyo',
  'AUS Eastern Standard Time': 'Australia/Sydney',
  'E. Australia Standard Time': 'Australia/Brisbane',
  'Cen. Australia Standard Time': 'Australia/Adelaide',
  'W. Australia Standard Time': 'Australia/Perth',
  'New Zealand Standard Time': 'Pacific/Auckland',
};

export function isIanaZone(zone: string): boolean {
  try {
    Temporal.Now.instant().toZonedDateTimeISO(zone);
    return true;
  } catch {
    return false;
  }
}

/** The site's IANA zone: options.siteTimeZone, else Site.TimeZone (IANA or a known Windows name). */
export async function siteTimeZone(client: ProviderClient, options: Options): Promise<string> {
  const override = typeof options?.siteTimeZone === 'string' ? options.siteTimeZone.trim() : '';
  if (override) {
    if (!isIanaZone(override)) throw new ActionError('validation_failed', 'options.siteTimeZone is not an IANA time zone', [{ pointer: '/options/siteTimeZone', detail: 'expected an IANA time zone, e.g. America/Los_Angeles' }]);
    return override;
  }
  const site = await fetchSite(client);
  const zone = site.TimeZone?.trim() ?? '';
  if (zone && isIanaZone(zone)) return zone;
  if (WINDOWS_ZONES[zone]) return WINDOWS_ZONES[zone];
  throw new ActionError('provider_error', `Mindbody gives site ${site.Id}'s time zone as "${zone.slice(0, 64)}", which is not one we know: give options.siteTimeZone (an IANA zone such as America/Los_Angeles).`);
}

// ── Site-local date-times ──────────────────────────────────────────────────────────────────────

/** "2027-06-07T09:00:00" in the site's zone → epoch ms (an ambiguous or skipped time as Temporal's 'compatible'). */
export function fromLocal(local: string, zone: string): number {
  const plain = Temporal.PlainDateTime.from(local.replace(/(Z|[+-]\d\d:?\d\d)$/, ''));
  return plain.toZonedDateTime(zone, { disambiguation: 'compatible' }).epochMilliseconds;
}

/** Epoch ms → the site's wall-clock time as Mindbody writes it: "2027-06-07T09:00:00". */
export function toLocal(ms: number, zone: string): string {
  return Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(zone).toPlainDateTime().toString({ smallestUnit: 'second' });
}

/** The site's local date of an instant: "2027-06-07". */
export function localDate(ms: number, zone: string): string {
  return Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(zone).toPlainDate().toString();
}

export const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
