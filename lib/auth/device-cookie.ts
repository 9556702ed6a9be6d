// A browser that has signed in to an account carries a device cookie for it: a random device id
// and an HMAC binding it to the account's email. On the next sign-in to that email, the sign-in
// throttle counts this browser's failures on their own (lib/auth/throttle.ts), so failures
// somebody else caused for the same email — from another address, or from the pool of clients
// whose address nobody vouches for — never lock the owner's own browser out.
import crypto from 'node:crypto';
import { sessionSecret } from './session-token';

export const DEVICE_COOKIE = 'ih_device';
export const DEVICE_COOKIE_MAX_AGE_SECONDS = 180 * 24 * 60 * 60;

const SHAPE = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;

function mac(deviceId: string, email: string): string {
  return crypto.createHmac('sha256', sessionSecret()).update(`device-cookie\n${deviceId}\n${email}`).digest('base64url');
}

/** The cookie's value for `email`, keeping the browser's device id when it has one. */
export function deviceCookieValue(email: string, deviceId = crypto.randomBytes(16).toString('base64url')): string {
  return `${deviceId}.${mac(deviceId, email)}`;
}

/** The device id when the cookie was issued for `email` by this app; null otherwise. */
export function deviceFromCookie(value: string | undefined, email: string): string | null {
  const match = SHAPE.exec(value ?? '');
  if (!match) return null;
  const expected = Buffer.from(mac(match[1], email));
  const given = Buffer.from(match[2]);
  return expected.length === given.length && crypto.timingSafeEqual(expected, given) ? match[1] : null;
}

