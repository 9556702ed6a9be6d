// Issue 12, finding 7: forwarded client addresses are trusted only from configured proxies.
// trustedClientAddress is what sign-in lockouts, sign-up limits and session listings key on.
import { afterEach, describe, expect, it } from 'vitest';
import { behindTrustedProxies, trustedClientAddress } from '@/lib/http/client-address';

const request = (headers: Record<string, string>) => new Request('http://hub.test/api/auth/sign-in', { method: 'POST', headers });
const saved = process.env.TRUSTED_PROXIES;
afterEach(() => {
  if (saved === undefined) delete process.env.TRUSTED_PROXIES;
  else process.env.TRUSTED_PROXIES = saved;
});

describe('trustedClientAddress', () => {
  it('ignores X-Forwarded-For and X-Real-IP without TRUSTED_PROXIES (the app faces clients directly)', () => {
    delete process.env.TRUSTED_PROXIES;
    expect(behindTrustedProxies()).toBe(false);
    expect(trustedClientAddress(request({ 'x-forwarded-for': '198.51.100.4' }))).toBeNull();
    expect(trustedClientAddress(request({ 'x-forwarded-for': '6.6.6.6, 198.51.100.4' }))).toBeNull();
    expect(trustedClientAddress(request({ 'x-real-ip': '198.51.100.9' }))).toBeNull();
    process.env.TRUSTED_PROXIES = ' , not-an-address';
    expect(behindTrustedProxies()).toBe(false);
    expect(trustedClientAddress(request({ 'x-forwarded-for': '198.51.100.4' }))).toBeNull();
  });

  it('behind listed proxies, takes the nearest untrusted hop from the right; what the client prepended is ignored', () => {
    process.env.TRUSTED_PROXIES = '10.0.0.0/8, 203.0.113.7, fd00::/8';
    expect(behindTrustedProxies()).toBe(true);
    // The client forged "6.6.6.6"; the edge proxy appended the address it saw (198.51.100.4), then a CDN hop.
    expect(trustedClientAddress(request({ 'x-forwarded-for': '6.6.6.6, 198.51.100.4, 10.1.2.3, 203.0.113.7' }))).toBe('198.51.100.4');
    expect(trustedClientAddress(request({ 'x-forwarded-for': '198.51.100.4' }))).toBe('198.51.100.4');
    expect(trustedClientAddress(request({ 'x-forwarded-for': '[2001:DB8::1]:443, fd00::5' }))).toBe('2001:db8::1');
    expect(trustedClientAddress(request({ 'x-forwarded-for': '::ffff:198.51.100.4' }))).toBe('198.51.100.4');
  });

  it('vouches for nobody when the chain has garbage where the client should be, only proxies, or nothing', () => {
    process.env.TRUSTED_PROXIES = '10.0.0.0/8';
    expect(trustedClientAddress(request({ 'x-forwarded-for': '198.51.100.4, garbage, 10.0.0.1' }))).toBeNull();
    expect(trustedClientAddress(request({ 'x-forwarded-for': '10.0.0.9, 10.0.0.1' }))).toBeNull();
    expect(trustedClientAddress(request({}))).toBeNull();
    // X-Real-IP is never read: only an appended X-Forwarded-For entry is something the proxy wrote.
    expect(trustedClientAddress(request({ 'x-real-ip': '198.51.100.9' }))).toBeNull();
  });
});
