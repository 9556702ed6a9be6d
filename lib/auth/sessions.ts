// Server-side sessions for local accounts (app_private.sessions). The cookie holds 32 random bytes
// (base64url); the row, found by the token's SHA-256, decides whether it is a session at all:
// - valid while not revoked, before expires_at (absolute: SESSION_MAX_SECONDS after sign-in) and
//   within SESSION_IDLE_SECONDS of last_seen_at (refreshed at most once a minute);
// - signing out revokes the row; "sign out everywhere" revokes all of the account's rows;
// - signing in makes a new row (the one the browser held is revoked: no session id survives a
//   sign-in); a privilege gained in the session itself (a verified address) gives the row a new
//   token; privileges changed by someone else (a role change, a removal) revoke the person's rows.
// With Supabase Auth these rows are unused; revokeUserSessions also ends Supabase's own sessions
// (auth.sessions) when that table exists, so a role change signs the person out there too.
import { and, desc, eq, gt, isNull, lte, or, sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../db/engine';
import { asService } from '../db/rls';
import { authUsers, userSessions } from '../db/schema';
import { hashLinkToken, newLinkToken } from './link-tokens';

/** A session unused for this long ends. */
export const SESSION_IDLE_SECONDS = 7 * 24 * 60 * 60;
/** A session ends this long after sign-in, however busy. */
export const SESSION_MAX_SECONDS = 30 * 24 * 60 * 60;
/** last_seen_at is written at most this often per session. */
export const LAST_SEEN_EVERY_SECONDS = 60;
/** An ended session's row is kept this long (what ended when, for whoever looks into an incident). */
const REVOKED_KEPT_SECONDS = 24 * 60 * 60;

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export interface SessionMeta {
  userAgent?: string | null;
  ipAddress?: string | null;
}

export interface ActiveSession {
  /** The row's id (not the token): names the session in the "your sessions" list. */
  id: string;
  userId: string;
  email: string;
}

export interface IssuedSession {
  id: string;
  /** The cookie's value; never stored. */
  token: string;
  expiresAt: Date;
}

export interface SessionListing {
  id: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  userAgent: string | null;
  ipAddress: string | null;
  current: boolean;
}

const seconds = (n: number) => n * 1000;

function live(now: Date) {
  return and(
    isNull(userSessions.revokedAt),
    gt(userSessions.expiresAt, now),
    gt(userSessions.lastSeenAt, new Date(now.getTime() - seconds(SESSION_IDLE_SECONDS))),
  );
}

/** A short, printable summary of a User-Agent header (what the sessions list shows). */
function summarize(value: string | null | undefined, max: number): string | null {
  if (!value) return null;
  const printable = value.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return printable ? printable.slice(0, max) : null;
}

/**
 * Starts a session for the account; null when there is no such account. Also forgets the
 * account's sessions that have ended (expired, idle, or revoked a day ago), so rows do not pile up.
 */
export async function createSession(db: Db, userId: string, meta: SessionMeta = {}, now = new Date()): Promise<IssuedSession | null> {
  const { token, hash } = newLinkToken();
  const expiresAt = new Date(now.getTime() + seconds(SESSION_MAX_SECONDS));
  const created = await asService(db, async (tx) => {
    await tx
      .delete(userSessions)
      .where(
        and(
          eq(userSessions.userId, userId),
          or(
            lte(userSessions.revokedAt, new Date(now.getTime() - seconds(REVOKED_KEPT_SECONDS))),
            lte(userSessions.expiresAt, now),
            lte(userSessions.lastSeenAt, new Date(now.getTime() - seconds(SESSION_IDLE_SECONDS))),
          ),
        ),
      );
    return rowsOf<{ id: string }>(
      await tx.execute(sql`
        insert into app_private.sessions (token_hash, user_id, created_at, last_seen_at, expires_at, user_agent, ip_address)
        select ${hash}, u.id, ${now.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz,
               ${expiresAt.toISOString()}::timestamptz, ${summarize(meta.userAgent, 200)}, ${summarize(meta.ipAddress, 64)}
        from auth.users u where u.id = ${userId}::uuid
        returning id`),
    );
  });
  return created[0] ? { id: created[0].id, token, expiresAt } : null;
}

/** The live session a cookie's token names, or null; notes that it was seen (at most once a minute). */
export async function resolveSession(db: Db, token: string, now = new Date()): Promise<ActiveSession | null> {
  if (!TOKEN_SHAPE.test(token)) return null;
  return asService(db, async (tx) => {
    const [row] = await tx
      .select({ id: userSessions.id, userId: userSessions.userId, email: authUsers.email, lastSeenAt: userSessions.lastSeenAt })
      .from(userSessions)
      .innerJoin(authUsers, eq(authUsers.id, userSessions.userId))
      .where(and(eq(userSessions.tokenHash, hashLinkToken(token)), live(now)));
    if (!row) return null;
    if (now.getTime() - row.lastSeenAt.getTime() >= seconds(LAST_SEEN_EVERY_SECONDS)) {
      await tx.update(userSessions).set({ lastSeenAt: now }).where(eq(userSessions.id, row.id));
    }
    return { id: row.id, userId: row.userId, email: row.email ?? '' };
  });
}

/** Ends the session a token names (signing out). */
export async function revokeSessionToken(db: Db, token: string, now = new Date()): Promise<void> {
  if (!TOKEN_SHAPE.test(token)) return;
  await asService(db, (tx) =>
    tx
      .update(userSessions)
      .set({ revokedAt: now })
      .where(and(eq(userSessions.tokenHash, hashLinkToken(token)), isNull(userSessions.revokedAt))),
  );
}

/** Ends one of the account's own sessions (from the sessions list); false when it is not theirs or already ended. */
export async function revokeSession(db: Db, userId: string, sessionId: string, now = new Date()): Promise<boolean> {
  const ended = await asService(db, (tx) =>
    tx
      .update(userSessions)
      .set({ revokedAt: now })
      .where(and(eq(userSessions.id, sessionId), eq(userSessions.userId, userId), isNull(userSessions.revokedAt)))
      .returning({ id: userSessions.id }),
  );
  return ended.length > 0;
}

/**
 * Ends every session of the account (sign out everywhere; a privilege change made by someone
 * else), and Supabase Auth's sessions of it where that table exists (a Supabase database).
 * Returns how many local sessions ended.
 */
export async function revokeUserSessions(db: Db, userId: string, now = new Date()): Promise<number> {
  return asService(db, async (tx) => {
    const ended = await tx
      .update(userSessions)
      .set({ revokedAt: now })
      .where(and(eq(userSessions.userId, userId), isNull(userSessions.revokedAt)))
      .returning({ id: userSessions.id });
    // Supabase Auth refuses an access token whose session row is gone, and its refresh tokens go
    // with it. Only where the table exists and this connection may delete from it.
    const [supabase] = rowsOf<{ deletable: boolean }>(
      await tx.execute(sql`select case when to_regclass('auth.sessions') is null then false
                                       else has_table_privilege('auth.sessions', 'delete') end as deletable`),
    );
    if (supabase?.deletable) await tx.execute(sql`delete from auth.sessions where user_id = ${userId}::uuid`);
    return ended.length;
  });
}

/**
 * Gives a live session a new token (the old one stops working at once), keeping its expiry: for
 * a privilege gained within the session. Null when the token names no live session.
 */
export async function rotateSessionToken(db: Db, token: string, now = new Date()): Promise<{ token: string; expiresAt: Date } | null> {
  if (!TOKEN_SHAPE.test(token)) return null;
  const next = newLinkToken();
  const rotated = await asService(db, (tx) =>
    tx
      .update(userSessions)
      .set({ tokenHash: next.hash, lastSeenAt: now })
      .where(and(eq(userSessions.tokenHash, hashLinkToken(token)), live(now)))
      .returning({ expiresAt: userSessions.expiresAt }),
  );
  return rotated[0] ? { token: next.token, expiresAt: rotated[0].expiresAt } : null;
}

/** The account's live sessions, newest first. */
export async function listSessions(db: Db, userId: string, currentId: string | null, now = new Date()): Promise<SessionListing[]> {
  const rows = await asService(db, (tx) =>
    tx
      .select({
        id: userSessions.id,
        createdAt: userSessions.createdAt,
        lastSeenAt: userSessions.lastSeenAt,
        expiresAt: userSessions.expiresAt,
        userAgent: userSessions.userAgent,
        ipAddress: userSessions.ipAddress,
      })
      .from(userSessions)
      .where(and(eq(userSessions.userId, userId), live(now)))
      .orderBy(desc(userSessions.createdAt)),
  );
  return rows.map((row) => ({ ...row, current: row.id === currentId }));
}
