import { describe, expect, it } from 'vitest';
import { AddressRefused, checkEndpointUrl, checkUrlShape, refusedAddressReason, type Resolver } from '@/lib/outbound/address-check';

const REFUSED: [string, string][] = [
  ['127.0.0.1', 'loopback'],
  ['127.255.255.254', 'loopback'],
  ['10.0.0.1', 'private'],
  ['172.16.5.4', 'private'],
  ['192.168.1.1', 'private'],
  ['169.254.169.254', 'linkLocal'], // cloud metadata service
  ['100.64.0.1', 'carrierGradeNat'],
  ['100.127.255.254', 'carrierGradeNat'],
  ['100.100.100.200', 'carrierGradeNat'], // Alibaba metadata
  ['0.0.0.0', 'unspecified'],
  ['224.0.0.1', 'multicast'],
  ['255.255.255.255', 'broadcast'],
  ['240.0.0.1', 'reserved'],
  ['::1', 'loopback'],
  ['::', 'unspecified'],
  ['fe80::1', 'linkLocal'],
  ['fd00::1', 'uniqueLocal'],
  ['fdff:ffff::1', 'uniqueLocal'],
  ['fc00::1', 'uniqueLocal'],
  ['fd00:ec2::254', 'uniqueLocal'], // AWS metadata over IPv6
  ['ff02::1', 'multicast'],
  ['::ffff:127.0.0.1', 'loopback'],
  ['::ffff:10.0.0.1', 'private'],
  ['::ffff:169.254.169.254', 'linkLocal'],
  ['::ffff:7f00:1', 'loopback'],
  ['64:ff9b::7f00:1', 'rfc6052'],
  ['2002:7f00:1::', '6to4'],
];

const ALLOWED = ['8.8.8.8', '1.1.1.1', '93.184.216.34', '100.63.255.255', '100.128.0.0', '172.32.0.1', '2606:4700:4700::1111', '2001:4860:4860::8888', '::ffff:8.8.8.8'];

describe('outbound address checks', () => {
  it.each(REFUSED)('refuses %s (%s)', (address, range) => {
    expect(refusedAddressReason(address)).toBe(`${range} address`);
  });

  it.each(ALLOWED)('allows %s', (address) => {
    expect(refusedAddressReason(address)).toBeNull();
  });

  it('refuses what is not an address', () => {
    expect(refusedAddressReason('localhost')).toBe('not an IP address');
  });

  const resolveTo =
    (...addresses: string[]): Resolver =>
    async () =>
      addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

  it('checks every address a host resolves to when a URL is saved', async () => {
    await expect(checkEndpointUrl('https://hooks.example.com/x', { resolve: resolveTo('93.184.216.34'), allowPrivate: false })).resolves.toBeInstanceOf(URL);
    await expect(checkEndpointUrl('https://hooks.example.com/x', { resolve: resolveTo('93.184.216.34', '10.0.0.7'), allowPrivate: false })).rejects.toThrow(
      /10\.0\.0\.7, a private address/,
    );
    await expect(checkEndpointUrl('https://[::ffff:127.0.0.1]/x', { allowPrivate: false })).rejects.toBeInstanceOf(AddressRefused);
    await expect(checkEndpointUrl('https://169.254.169.254/latest/meta-data', { allowPrivate: false })).rejects.toThrow(/linkLocal/);
    await expect(checkEndpointUrl('https://nowhere.example/x', { resolve: async () => [], allowPrivate: false })).rejects.toThrow(/does not resolve/);
  });

  it('lets the development setting through, and nothing else changes', async () => {
    await expect(checkEndpointUrl('http://127.0.0.1:9/x', { allowPrivate: true })).resolves.toBeInstanceOf(URL);
  });

  it('requires https in production and a plain http(s) URL everywhere', () => {
    expect(() => checkUrlShape('http://hooks.example.com', { production: true, allowPrivate: false })).toThrow(/https/);
    // The development setting (local receivers speak http) lifts it, on a production build too.
    expect(checkUrlShape('http://127.0.0.1:9/x', { production: true, allowPrivate: true }).protocol).toBe('http:');
    expect(checkUrlShape('http://hooks.example.com', { production: false }).protocol).toBe('http:');
    expect(() => checkUrlShape('ftp://hooks.example.com')).toThrow(AddressRefused);
    expect(() => checkUrlShape('https://user:pw@hooks.example.com')).toThrow(/user name/);
    expect(() => checkUrlShape('not a url')).toThrow(/full URL/);
  });
});
