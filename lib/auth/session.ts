// The one seam the app asks "who is this?": local accounts in embedded mode, Supabase Auth when
// configured. Both answer { userId, email }, which become the RLS claims.
//
// Local sessions live in the database (lib/auth/sessions.ts): the cookie names a row, and the row
// decides. Signing in makes a new session (and ends the one the browser had), signing out ends
// it, "sign out everywhere" ends all of the account's sessions. With Supabase Auth, its own
// server-side sessions do the same: sign-out ends this browser's ("local" scope), sign out
// everywhere all of them ("global" scope).
import { cookies, headers } from 'next/headers';
import type { z } from 'zod';
import { getDb } from '../db/app-database';
import type { Db } from '../db/engine';
import { trustedClientAddress } from '../http/client-address';
import { HttpError } from '../http/errors';
import { DEVICE_COOKIE, DEVICE_COOKIE_MAX_AGE_SECONDS, deviceCookieValue, deviceFromCookie } from './device-cookie';
import { signInSchema, verifyLocalAccount } from './local-accounts';
import { SESSION_COOKIE, type SessionUser } from './session-token';
import {
  createSession,
  resolveSession,
  revokeSessionToken,
  revokeUserSessions,
  rotateSessionToken,
  type ActiveSession,
} from './sessions';
import { getSupabaseSession, supabaseAuthEnabled, supabaseServerClient } from './supabase';
import type { Requester } from './throttle';

export type { SessionUser };

type CookieStore = Awaited<ReturnType<typeof cookies>>;

// One lookup per request however often layouts, pages and handlers ask: keyed on the request's
// cookie store (one object per request) and the token (a sign-in within the request changes it).
const perRequest = new WeakMap<object, Map<string, Promise<ActiveSession | null>>>();

/** The local session the request's cookie names, if it is live. */
export async function currentLocalSession(): Promise<ActiveSession | null> {
  const store = await cookies();
  const token = store.get(SESSION_COOKIE)?.value;
  if (!token) return null;
  let byToken = perRequest.get(store);
  if (!byToken) perRequest.set(store, (byToken = new Map()));
  let session = byToken.get(token);
  if (!session) {
    session = getDb().then((db) => resolveSession(db, token));
    byToken.set(token, session);
  }
  return session;
}

export async function getSession(): Promise<SessionUser | null> {
  if (supabaseAuthEnabled()) return getSupabaseSession();
  const session = await currentLocalSession();
  return session ? { userId: session.userId, email: session.email } : null;
}

const secureCookies = () => process.env.NODE_ENV === 'production' && process.env.INSECURE_COOKIES !== '1';

function setSessionCookie(store: CookieStore, token: string, expiresAt: Date) {
  store.set(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: secureCookies(),
    path: '/',
    maxAge: Math.max(0, Math.floor((expiresAt.getTime() - Date.now()) / 1000)),
  });
}

/** Who is asking: the address a trusted proxy vouches for, and this browser's device cookie for `email`. */
export async function requester(email?: string): Promise<Requester> {
  const address = trustedClientAddress(await headers());
  const device = email ? deviceFromCookie((await cookies()).get(DEVICE_COOKIE)?.value, email) : null;
  return { address, device };
}

export async function signIn(db: Db, input: z.infer<typeof signInSchema>): Promise<SessionUser> {
  if (supabaseAuthEnabled()) {
    const { data, error } = await (await supabaseServerClient()).auth.signInWithPassword(input);
    if (error || !data.user) throw new HttpError('invalid_credentials', 'That email and password do not match an account.');
    return { userId: data.user.id, email: data.user.email ?? input.email };
  }
  const asking = await requester(input.email);
  const user = await verifyLocalAccount(db, input, asking);
  if (!user) throw new HttpError('invalid_credentials', 'That email and password do not match an account.');
  const store = await cookies();
  // A new session id on every sign-in: whatever session this browser held before ends here.
  const previous = store.get(SESSION_COOKIE)?.value;
  if (previous) await revokeSessionToken(db, previous);
  const session = await createSession(db, user.userId, {
    userAgent: (await headers()).get('user-agent'),
    ipAddress: asking.address,
  });
  if (!session) throw new HttpError('invalid_credentials', 'That email and password do not match an account.');
  setSessionCookie(store, session.token, session.expiresAt);
  store.set(DEVICE_COOKIE, deviceCookieValue(user.email, asking.device ?? undefined), {
    httpOnly: true,
    sameSite: 'lax',
    secure: secureCookies(),
    path: '/api/auth',
    maxAge: DEVICE_COOKIE_MAX_AGE_SECONDS,
  });
  return user;
}

/** Ends this browser's session. */
export async function signOut(db: Db): Promise<void> {
  if (supabaseAuthEnabled()) {
    await (await supabaseServerClient()).auth.signOut({ scope: 'local' });
    return;
  }
  const store = await cookies();
  const token = store.get(SESSION_COOKIE)?.value;
  if (token) await revokeSessionToken(db, token);
  store.delete(SESSION_COOKIE);
}

/** Ends every session of the signed-in account, this browser's included. */
export async function signOutEverywhere(db: Db, user: SessionUser): Promise<{ ended: number | null }> {
  if (supabaseAuthEnabled()) {
    const { error } = await (await supabaseServerClient()).auth.signOut({ scope: 'global' });
    if (error) throw new HttpError('unavailable', 'Signing out everywhere did not work just now. Try again in a moment.');
    return { ended: null };
  }
  const ended = await revokeUserSessions(db, user.userId);
  (await cookies()).delete(SESSION_COOKIE);
  return { ended };
}

/**
 * Gives this browser's session a new token after it gained a privilege (its address verified),
 * when the session belongs to `userId`. Nothing to do with Supabase Auth, which issues its own.
 */
export async function rotateCurrentSession(db: Db, userId: string): Promise<void> {
  if (supabaseAuthEnabled()) return;
  const current = await currentLocalSession();
  if (!current || current.userId !== userId) return;
  const store = await cookies();
  const token = store.get(SESSION_COOKIE)?.value;
  const rotated = token ? await rotateSessionToken(db, token) : null;
  if (rotated) setSessionCookie(store, rotated.token, rotated.expiresAt);
}
