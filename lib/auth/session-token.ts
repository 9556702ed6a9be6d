// The local-accounts session: a short JWT (HS256) in an httpOnly cookie, signed with SESSION_SECRET.
import { jwtVerify, SignJWT } from 'jose';
import { localSecret } from '../crypto/local-secrets';

export const SESSION_COOKIE = 'ih_session';
export const SESSION_TTL_SECONDS = 60 * 60 * 24 * 7;
const ISSUER = 'integration-hub';

export interface SessionUser {
  userId: string;
  email: string;
}

function secretKey(): Uint8Array {
  const secret = process.env.SESSION_SECRET ?? localSecret('session-secret');
  if (secret.length < 32) throw new Error('SESSION_SECRET must be at least 32 characters');
  return new TextEncoder().encode(secret);
}

export async function signSessionToken(user: SessionUser, now = new Date()): Promise<string> {
  const issuedAt = Math.floor(now.getTime() / 1000);
  return new SignJWT({ email: user.email })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(user.userId)
    .setIssuer(ISSUER)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + SESSION_TTL_SECONDS)
    .sign(secretKey());
}

export async function verifySessionToken(token: string): Promise<SessionUser | null> {
  try {
    const { payload } = await jwtVerify(token, secretKey(), { issuer: ISSUER, algorithms: ['HS256'] });
    if (typeof payload.sub !== 'string' || typeof payload.email !== 'string') return null;
    return { userId: payload.sub, email: payload.email };
  } catch {
    return null;
  }
}
