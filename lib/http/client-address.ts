// Which address a request came from, for per-client limits. A route handler never sees the socket:
// `next start` copies the peer's address into X-Forwarded-For only when the request carries none,
// and a proxy in front appends the address it saw. So the nearest trustworthy entry is the
// rightmost one; entries added by proxies listed in TRUSTED_PROXIES (addresses or CIDR ranges,
// comma-separated: a CDN in front of the proxy) are skipped, right to left, to find the client.
// Everything left of the client's entry was written by the client and is ignored.
//
// Without a proxy that sets the header, a client talking to Next directly can send its own
// X-Forwarded-For: callers must treat the answer as a hint, and bound what all clients together
// can cost (as lib/webhooks/rejection-limit.ts does).
import net from 'node:net';

export const UNKNOWN_CLIENT = 'unknown';

let configured: { raw: string; list: net.BlockList } | null = null;

function trustedProxies(): net.BlockList {
  const raw = process.env.TRUSTED_PROXIES ?? '';
  if (configured?.raw === raw) return configured.list;
  const list = new net.BlockList();
  for (const entry of raw.split(',').map((item) => item.trim()).filter(Boolean)) {
    const [address, prefix] = entry.split('/');
    const type = net.isIPv6(address) ? 'ipv6' : net.isIPv4(address) ? 'ipv4' : null;
    if (!type) {
      console.warn(`TRUSTED_PROXIES: "${entry.slice(0, 60)}" is not an IP address or range; ignored.`);
      continue;
    }
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(prefix), type);
  }
  configured = { raw, list };
  return list;
}

/** An IP address as written in a header, without port or brackets; null when it is none. */
function normalize(entry: string): string | null {
  let value = entry.trim();
  if (value.startsWith('[')) value = value.slice(1, value.indexOf(']') > 0 ? value.indexOf(']') : undefined);
  else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(value)) value = value.slice(0, value.lastIndexOf(':'));
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(value);
  if (mapped) value = mapped[1];
  return net.isIP(value) ? value.toLowerCase() : null;
}

function isTrusted(list: net.BlockList, address: string): boolean {
  return list.check(address, net.isIPv6(address) ? 'ipv6' : 'ipv4');
}

/** The client's address as far as the proxies in front can vouch for it; "unknown" when none says. */
export function clientAddress(request: Request | Headers): string {
  const headers = request instanceof Headers ? request : request.headers;
  const trusted = trustedProxies();
  const chain = (headers.get('x-forwarded-for') ?? '').split(',').map(normalize);
  for (let i = chain.length - 1; i >= 0; i--) {
    const address = chain[i];
    // Garbage where an address belongs: nothing to its left can be attributed to anyone.
    if (address === null) return i === chain.length - 1 ? (normalize(headers.get('x-real-ip') ?? '') ?? UNKNOWN_CLIENT) : UNKNOWN_CLIENT;
    if (!isTrusted(trusted, address) || i === 0) return address;
  }
  return UNKNOWN_CLIENT;
}

/** Whether TRUSTED_PROXIES names any proxy, i.e. the deployment says it sits behind one. */
export function behindTrustedProxies(): boolean {
  trustedProxies();
  return configured !== null && configured.raw.split(',').some((entry) => normalize(entry.split('/')[0]) !== null);
}

/**
 * The client's address for decisions a client must not be able to steer (sign-in lockouts,
 * sign-up limits, the address shown on a session), or null when nobody trustworthy vouches for one.
 *
 * Without TRUSTED_PROXIES the app is taken to face clients directly, and then X-Forwarded-For
 * and X-Real-IP are ignored: a route handler cannot see the socket, and `next start` keeps a
 * client's own X-Forwarded-For (it fills in the peer's address only when the header is absent),
 * so neither header says anything a client did not choose. With TRUSTED_PROXIES the proxy in
 * front must append the address it saw to X-Forwarded-For (nginx `$proxy_add_x_forwarded_for`,
 * most load balancers and CDNs do), and the app's own port must be reachable only through it:
 * the answer is the nearest entry, from the right, that is not a listed proxy. An entry that is
 * not an address, or a chain made only of proxies, vouches for nobody (null).
 */
export function trustedClientAddress(request: Request | Headers): string | null {
  if (!behindTrustedProxies()) return null;
  const headers = request instanceof Headers ? request : request.headers;
  const trusted = trustedProxies();
  const chain = (headers.get('x-forwarded-for') ?? '').split(',').map(normalize);
  for (let i = chain.length - 1; i >= 0; i--) {
    const address = chain[i];
    if (address === null) return null;
    if (!isTrusted(trusted, address)) return address;
  }
  return null;
}
