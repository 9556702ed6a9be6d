// Where outbound webhooks may go. An endpoint URL is a workspace admin's input, and the server
// sends to it from inside our network: without these checks it could reach the database, the
// cloud metadata service (169.254.169.254) or anything else only the server can see (SSRF).
//
// Only globally routable unicast addresses pass. The check runs when a URL is saved (every address
// its host resolves to) and again on every connection the sender opens, on the very address it
// connects to (checkedLookup below), so a host that resolves to a public address when saved and to
// 127.0.0.1 later (DNS rebinding) is refused at send time. OUTBOUND_WEBHOOKS_ALLOW_PRIVATE=1
// lifts the address rule — and, since local receivers speak plain http, the https rule of a
// production build — for development and tests only; never set it on a real deployment.
import dns from 'node:dns';
import net from 'node:net';
import ipaddr from 'ipaddr.js';

export class AddressRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AddressRefused';
  }
}

/** A resolver: every address a host name points at (injectable so tests can simulate rebinding). */
export type Resolver = (hostname: string) => Promise<{ address: string; family: 4 | 6 }[]>;

export const systemResolver: Resolver = async (hostname) => {
  const found = await dns.promises.lookup(hostname, { all: true, verbatim: true });
  return found.map((entry) => ({ address: entry.address, family: entry.family === 6 ? 6 : 4 }));
};

export function allowPrivateAddresses(): boolean {
  return process.env.OUTBOUND_WEBHOOKS_ALLOW_PRIVATE === '1';
}

/** Why an address may not be sent to, or null when it is a public unicast address. */
export function refusedAddressReason(address: string): string | null {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(address.replace(/^\[|\]$/g, '').replace(/%.*$/, ''));
  } catch {
    return 'not an IP address';
  }
  if (parsed.kind() === 'ipv6') {
    const v6 = parsed as ipaddr.IPv6;
    // ::ffff:127.0.0.1 reaches 127.0.0.1: judge the IPv4 address inside.
    if (v6.isIPv4MappedAddress()) return refusedAddressReason(v6.toIPv4Address().toString());
  }
  const range = parsed.range();
  // Everything else ipaddr.js names (loopback, private, linkLocal — the metadata service —,
  // uniqueLocal, carrierGradeNat, multicast, unspecified, broadcast, reserved, and the IPv6
  // translation prefixes 6to4/teredo/rfc6052 that can embed a private IPv4) is refused.
  return range === 'unicast' ? null : `${range} address`;
}

export function isRefusedAddress(address: string): boolean {
  return refusedAddressReason(address) !== null;
}

export interface UrlRules {
  production?: boolean;
  allowPrivate?: boolean;
}

function rules(options: UrlRules) {
  return {
    production: options.production ?? process.env.NODE_ENV === 'production',
    allowPrivate: options.allowPrivate ?? allowPrivateAddresses(),
  };
}

/** The URL's shape: http(s), no credentials, https in production. Throws AddressRefused. */
export function checkUrlShape(raw: string, options: UrlRules = {}): URL {
  const { production, allowPrivate } = rules(options);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AddressRefused('Enter a full URL, like https://example.com/webhooks.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new AddressRefused('The URL must start with https://.');
  if (production && !allowPrivate && url.protocol !== 'https:') throw new AddressRefused('The URL must use https.');
  if (url.username || url.password) throw new AddressRefused('The URL must not carry a user name or password.');
  if (!url.hostname) throw new AddressRefused('The URL has no host.');
  return url;
}

const hostOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, '');

/** Checks a URL when it is saved: its shape, then every address its host resolves to. */
export async function checkEndpointUrl(raw: string, options: UrlRules & { resolve?: Resolver } = {}): Promise<URL> {
  const url = checkUrlShape(raw, options);
  if (rules(options).allowPrivate) return url;
  const host = hostOf(url);
  const addresses = net.isIP(host) ? [{ address: host, family: net.isIP(host) as 4 | 6 }] : await resolveOrRefuse(options.resolve ?? systemResolver, host);
  for (const { address } of addresses) {
    const reason = refusedAddressReason(address);
    if (reason) throw new AddressRefused(`${host} resolves to ${address}, a ${reason}: outbound webhooks only go to public addresses.`);
  }
  return url;
}

async function resolveOrRefuse(resolve: Resolver, host: string) {
  let addresses: Awaited<ReturnType<Resolver>>;
  try {
    addresses = await resolve(host);
  } catch {
    throw new AddressRefused(`${host} does not resolve.`);
  }
  if (addresses.length === 0) throw new AddressRefused(`${host} does not resolve.`);
  return addresses;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;
type LookupFunction = (hostname: string, options: dns.LookupOptions, callback: LookupCallback) => void;

/**
 * A `lookup` for node:http/https (and net.connect): resolves the host, refuses it when any of its
 * addresses is refused, and hands the socket only checked addresses, so what is connected to is
 * what was checked. Node skips `lookup` for IP literals: the sender checks those itself.
 */
export function checkedLookup(resolve: Resolver = systemResolver, allowPrivate = allowPrivateAddresses()): LookupFunction {
  return (hostname, options, callback) => {
    resolveOrRefuse(resolve, hostname)
      .then((addresses) => {
        if (!allowPrivate) {
          for (const { address } of addresses) {
            const reason = refusedAddressReason(address);
            if (reason) throw new AddressRefused(`${hostname} resolved to ${address}, a ${reason}: refused.`);
          }
        }
        const wanted = options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses;
        if (wanted.length === 0) throw new AddressRefused(`${hostname} has no IPv${options.family} address.`);
        if (options.all) callback(null, wanted.map((a) => ({ address: a.address, family: a.family })));
        else callback(null, wanted[0].address, wanted[0].family);
      })
      .catch((error: Error) => callback(Object.assign(error, { code: 'EADDRREFUSED' }) as NodeJS.ErrnoException, '', 0));
  };
}

/** The send-time check of a URL whose host is an IP literal (no lookup happens for those). */
export function checkLiteralHost(url: URL, allowPrivate = allowPrivateAddresses()): void {
  const host = hostOf(url);
  if (allowPrivate || !net.isIP(host)) return;
  const reason = refusedAddressReason(host);
  if (reason) throw new AddressRefused(`${host} is a ${reason}: refused.`);
}
