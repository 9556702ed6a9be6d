// The local-accounts session cookie. Its value is an opaque random token; the session it names is
// a row in app_private.sessions (lib/auth/sessions.ts), and only that row decides whether it is
// valid, so a session can be revoked. SESSION_SECRET (or the embedded default's generated secret)
// signs the device cookie (device-cookie.ts).
import { getDb } from '../db/app-database';
import { localSecret } from '../crypto/local-secrets';
import { newLinkToken } from './link-tokens';
import { createSession, resolveSession } from './sessions';

export const SESSION_COOKIE = 'ih_session';

export interface SessionUser {
  userId: string;
  email: string;
}

export function sessionSecret(): Buffer {
  const secret = process.env.SESSION_SECRET ?? localSecret('session-secret');
  if (secret.length < 32) throw new Error('SESSION_SECRET must be at least 32 characters');
  return Buffer.from(secret, 'utf8');
}

/**
 * Starts a session for `user` in the app's database (as signing in does, without the password)
 * and returns the cookie's value. For an account that does not exist, a token naming no session.
 */
export async function signSessionToken(user: SessionUser, now = new Date()): Promise<string> {
  const issued = await createSession(await getDb(), user.userId, {}, now);
  return issued?.token ?? newLinkToken().token;
}

/** The account a cookie's token is a live session of, or null. */
export async function verifySessionToken(token: string, now = new Date()): Promise<SessionUser | null> {
  const session = await resolveSession(await getDb(), token, now);
  return session ? { userId: session.userId, email: session.email } : null;
}
