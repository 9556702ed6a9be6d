// The device cookie that lets an account's own browser keep its sign-in allowance while strangers
// are locked out (issue 12, finding 7): bound to its email by an HMAC under the session secret.
import { beforeAll, describe, expect, it } from 'vitest';
import { deviceCookieValue, deviceFromCookie } from '@/lib/auth/device-cookie';

beforeAll(() => {
  process.env.SESSION_SECRET = 'unit-test-secret-that-is-long-enough-0123456789';
});

describe('device cookie', () => {
  it('names its device for the email it was issued for, and only that one', () => {
    const value = deviceCookieValue('ada@example.test');
    const [id] = value.split('.');
    expect(deviceFromCookie(value, 'ada@example.test')).toBe(id);
    expect(deviceFromCookie(value, 'grace@example.test')).toBeNull();
    // Kept across sign-ins: the same id, re-bound.
    expect(deviceFromCookie(deviceCookieValue('ada@example.test', id), 'ada@example.test')).toBe(id);
  });

  it('refuses forged, altered, re-keyed and malformed values', () => {
    const value = deviceCookieValue('ada@example.test');
    const [id, mac] = value.split('.');
    const flipped = `${id}.${mac[0] === 'A' ? 'B' : 'A'}${mac.slice(1)}`;
    expect(deviceFromCookie(flipped, 'ada@example.test')).toBeNull();
    expect(deviceFromCookie(`${'x'.repeat(22)}.${mac}`, 'ada@example.test')).toBeNull();
    expect(deviceFromCookie(undefined, 'ada@example.test')).toBeNull();
    expect(deviceFromCookie('garbage', 'ada@example.test')).toBeNull();
    expect(deviceFromCookie(`${value}\u0000`, 'ada@example.test')).toBeNull();
    const before = process.env.SESSION_SECRET;
    process.env.SESSION_SECRET = 'another-secret-that-is-long-enough-0123456789';
    try {
      expect(deviceFromCookie(value, 'ada@example.test')).toBeNull();
    } finally {
      process.env.SESSION_SECRET = before;
    }
  });
});
