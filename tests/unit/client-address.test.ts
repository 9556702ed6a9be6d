// Which client a request comes from: the rightmost X-Forwarded-For entry (what Next or the proxy
// in front wrote), skipping proxies listed in TRUSTED_PROXIES; never what the client prepended.
import { afterEach, describe, expect, it } from 'vitest';
import { clientAddress } from '@/lib/http/client-address';

const request = (headers: Record<string, string>) => new Request('http://hub.test/api/webhooks/hubspot', { method: 'POST', headers });
const saved = process.env.TRUSTED_PROXIES;
afterEach(() => {
  if (saved === undefined) delete process.env.TRUSTED_PROXIES;
  else process.env.TRUSTED_PROXIES = saved;
});

describe('clientAddress', () => {
  it('takes the rightmost entry: the client cannot choose it by prepending its own', () => {
    delete process.env.TRUSTED_PROXIES;
    expect(clientAddress(request({ 'x-forwarded-for': '198.51.100.4' }))).toBe('198.51.100.4');
    expect(clientAddress(request({ 'x-forwarded-for': '1.1.1.1, 2.2.2.2, 198.51.100.4' }))).toBe('198.51.100.4');
    expect(clientAddress(request({ 'x-forwarded-for': '198.51.100.4:51234' }))).toBe('198.51.100.4');
    expect(clientAddress(request({ 'x-forwarded-for': '::ffff:198.51.100.4' }))).toBe('198.51.100.4');
    expect(clientAddress(request({ 'x-forwarded-for': '[2001:DB8::1]:443' }))).toBe('2001:db8::1');
  });

  it('skips proxies listed in TRUSTED_PROXIES, addresses or ranges', () => {
    process.env.TRUSTED_PROXIES = '10.0.0.0/8, 203.0.113.7, fd00::/8';
    expect(clientAddress(request({ 'x-forwarded-for': '6.6.6.6, 198.51.100.4, 10.1.2.3, 203.0.113.7' }))).toBe('198.51.100.4');
    expect(clientAddress(request({ 'x-forwarded-for': '198.51.100.4, fd00::5' }))).toBe('198.51.100.4');
    // Only proxies: the leftmost is as far as anyone can tell.
    expect(clientAddress(request({ 'x-forwarded-for': '10.0.0.9, 10.0.0.1' }))).toBe('10.0.0.9');
  });

  it('says unknown when no header names an address', () => {
    delete process.env.TRUSTED_PROXIES;
    expect(clientAddress(request({}))).toBe('unknown');
    expect(clientAddress(request({ 'x-forwarded-for': 'not-an-address' }))).toBe('unknown');
    expect(clientAddress(request({ 'x-real-ip': '198.51.100.9' }))).toBe('198.51.100.9');
    process.env.TRUSTED_PROXIES = '10.0.0.0/8';
    expect(clientAddress(request({ 'x-forwarded-for': 'garbage, 10.0.0.1' }))).toBe('unknown');
  });
});
