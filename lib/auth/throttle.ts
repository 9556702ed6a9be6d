// How often sign-in and sign-up may be tried, counted in app_private.login_attempts (a row per
// attempt, kept for the window; lib/retention deletes older rows).
//
// Sign-in failures count per (email, requester) and per client address — never per email alone,
// so nobody can lock someone else out from elsewhere:
// - the requester is the browser when it holds a device cookie that signed in to this email
//   before (lib/auth/device-cookie.ts), otherwise the client address, otherwise (no trusted proxy
//   vouches for an address, lib/http/client-address.ts) "an unknown address" — shared by every
//   such client, which is why the device cookie matters: it keeps the owner's own browser out of
//   whatever a stranger's failures did to that pool;
// - the per-address count (higher) stops one address spraying many emails; it is skipped for an
//   unknown address (it would be everyone) and for a recognised device.
// Guessing from many addresses at once is bounded by the hashing gate (password-hashing.ts).
//
// Sign-ups count per client address (unknown addresses share one, larger, allowance).
//
// A refusal is 429 rate_limited with Retry-After: the seconds until the oldest counted attempt
// leaves the window.
import { sql } from 'drizzle-orm';
import { rowsOf, type Tx } from '../db/engine';
import { errorResponse, HttpError } from '../http/errors';

/** Sign-in: failures per (email, requester), per client address, and their window. */
export const LOGIN_LIMIT = { attempts: 5, perAddress: 20, windowMinutes: 15 };
/** Sign-up: accounts a client address may try to create per window (all unknown addresses together: `unknownAddress`). */
export const SIGN_UP_LIMIT = { perAddress: 5, unknownAddress: 20, windowMinutes: LOGIN_LIMIT.windowMinutes };

/** Who is asking, as far as anyone can vouch for it. */
export interface Requester {
  /** The client's address, when a trusted proxy vouches for it; null otherwise. */
  address: string | null;
  /** The device id from a device cookie valid for the email being signed in to; null otherwise. */
  device: string | null;
}

export class RateLimitedError extends HttpError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super('rate_limited', message);
    this.name = 'RateLimitedError';
  }
}

interface Counter {
  key: string;
  limit: number;
}

export function signInCounters(email: string, requester: Requester): { pair: Counter; others: Counter[] } {
  const who = requester.device ? `device:${requester.device}` : `ip:${requester.address ?? 'unknown'}`;
  const pair = { key: `sign-in:${email}|${who}`, limit: LOGIN_LIMIT.attempts };
  const others = !requester.device && requester.address ? [{ key: `sign-in-ip:${requester.address}`, limit: LOGIN_LIMIT.perAddress }] : [];
  return { pair, others };
}

export function signUpCounter(requester: Requester): Counter {
  return requester.address
    ? { key: `sign-up-ip:${requester.address}`, limit: SIGN_UP_LIMIT.perAddress }
    : { key: 'sign-up-ip:unknown', limit: SIGN_UP_LIMIT.unknownAddress };
}

/**
 * Counts one attempt on each counter, or refuses (RateLimitedError) when any is already at its
 * limit — then nothing is counted. Returns the new rows' ids (to take back an attempt that never
 * ran). Run it in a short transaction of its own: never hold one open while hashing.
 */
export async function countAttempt(tx: Tx, counters: Counter[], what: string): Promise<string[]> {
  if (!counters.length) return [];
  const list = sql.join(
    counters.map(({ key, limit }) => sql`(${key}::text, ${limit}::int)`),
    sql`, `,
  );
  const window = sql`make_interval(mins => ${LOGIN_LIMIT.windowMinutes})`;
  // Two concurrent attempts on one counter take turns, so neither slips past the limit (the
  // check below is a statement of its own, so it sees what the other one committed).
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(c.key, 0)) from (values ${list}) as c(key, lim) order by c.key`);
  // Per counter, the attempt that has to leave the window before one more is allowed: the
  // limit-th most recent one; its age says how long to wait. Only when no counter has one is the
  // attempt counted (one statement: a round trip fewer on the embedded database's event loop).
  const [answer] = rowsOf<{ seconds: number | null; ids: string[] | string | null }>(
    await tx.execute(sql`
      with c(key, lim) as (values ${list}),
      blocking as (
        select max(ceil(extract(epoch from r.attempted_at + ${window} - now())))::int as seconds
        from c join lateral (
          select a.attempted_at, row_number() over (order by a.attempted_at desc) as n
          from app_private.login_attempts a
          where a.key = c.key and a.attempted_at > now() - ${window}
        ) r on r.n = c.lim
      ),
      counted as (
        insert into app_private.login_attempts (key)
        select c.key from c where (select seconds from blocking) is null
        returning id
      )
      select (select seconds from blocking) as seconds, (select array_agg(id::text) from counted) as ids`),
  );
  if (answer.seconds !== null) {
    const wait = Math.max(1, answer.seconds);
    const minutes = Math.ceil(wait / 60);
    throw new RateLimitedError(`Too many ${what} attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`, wait);
  }
  return textArray(answer.ids);
}

/** A text[] as the drivers hand it over: an array (postgres.js), or its literal '{a,b}' (some paths). */
function textArray(value: string[] | string | null): string[] {
  if (value === null) return [];
  if (Array.isArray(value)) return value;
  return value.replace(/^\{|\}$/g, '').split(',').filter(Boolean);
}

/** Takes back attempts counted by countAttempt (the attempt did not run). */
export async function uncountAttempts(tx: Tx, ids: string[]): Promise<void> {
  if (!ids.length) return;
  await tx.execute(sql`delete from app_private.login_attempts where id in (${sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `)})`);
}

/**
 * A successful sign-in: forgets its (email, requester) pair's failures and takes back the other
 * attempts it counted.
 */
export async function clearCounter(tx: Tx, key: string, alsoIds: string[] = []): Promise<void> {
  const ids = alsoIds.length ? sql` or id in (${sql.join(alsoIds.map((id) => sql`${id}::uuid`), sql`, `)})` : sql``;
  await tx.execute(sql`delete from app_private.login_attempts where key = ${key}${ids}`);
}

/**
 * The answer for a refusal that says when to come back (RateLimitedError, the hashing gate's
 * HashingBusyError): the usual JSON error plus Retry-After. Null for any other error.
 */
export function retryAfterResponse(error: unknown): Response | null {
  if (!(error instanceof HttpError) || !('retryAfterSeconds' in error) || typeof error.retryAfterSeconds !== 'number') return null;
  return errorResponse(error.code, error.message, { headers: { 'retry-after': String(Math.max(1, Math.ceil(error.retryAfterSeconds))) } });
}
