// The provider sandbox: one local HTTP server playing the providers' OAuth and identity endpoints.
// A real URL https://<host>/<path>?<query> is served at <sandbox url>/<host>/<path>?<query>.
// /_sandbox/* is the control API (stats, knobs, reset, health, data) for tests and the dev UI.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ACCOUNTS, PROVIDERS } from './accounts';
import { json, sleep, type Reply, type RequestContext, type Route } from './http';
import { dataControlAnswer } from './data-control';
import { bindState } from './handles';
import { sandboxClient } from './provider';
import { knobsPatchSchema, mergeKnobs, newSandboxState, type KnobsPatch, type SandboxKnobs, type SandboxStats } from './knobs';
import type { SandboxState } from './state';
import { webhookControl } from './webhooks';

export { ACCOUNTS, PROVIDER_IDS, PROVIDER_NAMES, PROVIDERS, findAccount, sandboxClient, sandboxProvider, isProviderId, accountLabel } from './accounts';
export type { ProviderId, SandboxClient, AccountsByProvider } from './accounts';
export type { SandboxProvider, SandboxDataset, DeletionShape, SampleDeliveryOptions } from './provider';
export type { SandboxKnobs, SandboxStats, KnobsPatch, DataKey, DataEndpoint } from './knobs';
export type { FailureKind, GrantType } from './state';
export { DATA_KEYS } from './knobs';
export type { DataMutation, DataMutationResult } from './data-control';
export { DataControlError } from './data-control';
export { dataCountsOf, issueAccessToken, mutateData, signedDelivery, tokenStatus } from './handles';
export { listingClients, drain } from './data-clients';
export type { ListingClient, Listed } from './data-clients';
export { tamperDelivery, type SignedDelivery } from './webhook-delivery';
export { s256 as codeChallengeS256 } from './oauth';

export interface Sandbox {
  /** e.g. http://127.0.0.1:4010, no trailing slash. */
  url: string;
  close(): Promise<void>;
  /** The live knobs object: mutate it directly, or use setKnobs for a validated merge. */
  knobs: SandboxKnobs;
  /** A snapshot of the counters. */
  stats(): SandboxStats;
  /** Forgets codes, tokens, stats and knobs. */
  reset(): void;
  /** Merges a patch as POST /_sandbox/knobs does (null clears); returns the knobs. */
  setKnobs(patch: KnobsPatch): SandboxKnobs;
}

/** The sandbox URL standing in for a real provider URL. */
export function sandboxUrlOf(sandboxUrl: string, realUrl: string): string {
  const url = new URL(realUrl);
  return `${sandboxUrl}/${url.host}${url.pathname}${url.search}`;
}

const MAX_BODY_BYTES = 1024 * 1024;
const ROUTES: Route[] = PROVIDERS.flatMap((provider) => provider.routes);
const ROUTE_TABLE = new Map<string, Route[]>();
for (const route of ROUTES) {
  if (route.pattern) continue;
  for (const host of route.hosts) {
    const key = `${route.method} ${host}${route.path}`;
    const shared = ROUTE_TABLE.get(key) ?? [];
    // Routes that claim their requests go first; the one without `claims` takes what they leave.
    ROUTE_TABLE.set(key, route.claims ? [route, ...shared] : [...shared, route]);
  }
}
const PATTERN_ROUTES = ROUTES.filter((route) => route.pattern);
const KNOWN_PATHS = new Set(ROUTES.flatMap((route) => (route.pattern ? [] : route.hosts.map((host) => `${host}${route.path}`))));

type Found = { route: Route; params: Record<string, string>; shared?: Route[] } | { route?: undefined; knownPath: boolean };

function findRoute(method: string, host: string, path: string): Found {
  const exact = ROUTE_TABLE.get(`${method} ${host}${path}`);
  if (exact) return { route: exact[0], params: {}, shared: exact };
  let knownPath = KNOWN_PATHS.has(`${host}${path}`);
  for (const route of PATTERN_ROUTES) {
    const match = route.hosts.includes(host) ? route.pattern?.exec(path) : null;
    if (!match) continue;
    if (route.method !== method) {
      knownPath = true;
      continue;
    }
    const params: Record<string, string> = {};
    for (const [name, value] of Object.entries(match.groups ?? {})) {
      if (value === undefined) continue;
      try {
        params[name] = decodeURIComponent(value);
      } catch {
        params[name] = value;
      }
    }
    return { route, params };
  }
  return { knownPath };
}

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'content-type',
};

class BodyTooLarge extends Error {}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) reject(new BodyTooLarge());
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function control(state: SandboxState, method: string, name: string, query: URLSearchParams, body: Buffer): Reply {
  const reply = (status: number, value: unknown) => json(status, value, CORS);
  if (method === 'OPTIONS') return { status: 204, headers: CORS };
  const route = `${method} ${name}`;
  switch (route) {
    case 'GET health':
      return reply(200, { ok: true });
    case 'GET stats':
      return reply(200, state.snapshotStats());
    case 'GET knobs':
      return reply(200, state.knobs);
    case 'GET accounts':
      return reply(200, {
        // OAuth providers with their client; API-key providers take what their accounts' users type instead.
        providers: PROVIDERS.map(({ id, name, auth }) => ({ id, name, ...(auth.kind === 'oauth2' ? sandboxClient(id) : {}) })),
        accounts: ACCOUNTS,
      });
    case 'GET data':
    case 'POST data':
      return json(...dataControlAnswer(state, method, query, body), CORS);
    case 'POST reset':
      state.reset();
      return reply(200, { ok: true });
    case 'POST knobs': {
      // Any content type: the dev UI may post text/plain to skip a CORS preflight.
      let raw: unknown;
      try {
        raw = JSON.parse(body.toString('utf8') || '{}');
      } catch {
        return reply(400, { error: 'invalid_json', message: 'The knobs body is not valid JSON.' });
      }
      const patch = knobsPatchSchema.safeParse(raw);
      if (!patch.success) return reply(400, { error: 'invalid_knobs', issues: patch.error.issues });
      mergeKnobs(state.knobs, patch.data);
      return reply(200, state.knobs);
    }
    default:
      return reply(404, { error: 'not_found', message: `No control endpoint ${method} /_sandbox/${name}` });
  }
}

async function dispatch(state: SandboxState, fallbackBase: string, req: http.IncomingMessage): Promise<Reply> {
  const method = req.method ?? 'GET';
  const rawUrl = req.url ?? '/';
  const queryAt = rawUrl.indexOf('?');
  const rawQuery = queryAt === -1 ? '' : rawUrl.slice(queryAt + 1);
  const pathname = new URL(rawUrl, 'http://sandbox.invalid').pathname;
  const [, first = '', ...rest] = pathname.split('/');
  const body = await readBody(req);

  if (first === '_sandbox' && rest[0] === 'webhooks') return webhookControl(state, method, rest.slice(1).join('/'), body);
  if (first === '_sandbox') return control(state, method, rest.join('/'), new URLSearchParams(rawQuery), body);

  const host = decodeURIComponent(first).toLowerCase();
  const path = `/${rest.join('/')}`;
  const found = findRoute(method, host, path);
  if (!found.route) {
    if (found.knownPath) return json(405, { error: 'method_not_allowed', message: `${method} is not served at ${host}${path}` });
    return json(404, {
      error: 'sandbox_no_route',
      message: `The provider sandbox does not play ${method} https://${host}${path}. Is the URL rewritten as <sandbox>/<real host>/<real path>?`,
    });
  }
  const ctx: RequestContext = {
    method,
    host,
    path,
    query: new URLSearchParams(rawQuery),
    rawQuery,
    headers: req.headers,
    body,
    state,
    publicBaseUrl: req.headers.host ? `http://${req.headers.host}` : fallbackBase,
    params: found.params,
  };
  // Slows the provider down as a whole, so a person (or a browser test) can watch a sync progress.
  if (state.knobs.responseDelayMs) await sleep(state.knobs.responseDelayMs);
  const route = found.shared ? (found.shared.find((candidate) => !candidate.claims || candidate.claims(ctx)) ?? found.route) : found.route;
  return route.handle(ctx);
}

function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

export async function startSandbox(options: { port?: number; host?: string } = {}): Promise<Sandbox> {
  const host = options.host ?? '127.0.0.1';
  const state = newSandboxState();
  let url = '';

  const server = http.createServer((req, res) => {
    dispatch(state, url, req)
      .catch((error: unknown): Reply => {
        if (error instanceof BodyTooLarge) return json(413, { error: 'payload_too_large' });
        console.error('[provider sandbox]', error);
        return json(500, { error: 'sandbox_error', message: (error as Error).message });
      })
      .then((reply) => {
        // The work is done, the answer never arrives: the client sees the connection close.
        if (reply.drop) {
          res.socket?.destroy();
          return;
        }
        res.writeHead(reply.status, reply.headers);
        res.end(reply.body);
      });
  });

  // Clients (fetch) drop idle sockets after 4 s. The server must keep them longer, or a test whose
  // process was busy for seconds (a big sync on PGlite) sends its next request on a socket the
  // server is closing at that very moment, and gets ECONNRESET.
  server.keepAliveTimeout = 60_000;
  server.headersTimeout = 61_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  url = `http://${urlHost(host)}:${(server.address() as AddressInfo).port}`;

  const sandbox: Sandbox = {
    url,
    // The state keys knobs and counters by plain strings; they hold exactly the registered ids.
    knobs: state.knobs as SandboxKnobs,
    stats: () => state.snapshotStats() as SandboxStats,
    reset: () => state.reset(),
    setKnobs(patch) {
      mergeKnobs(state.knobs, knobsPatchSchema.parse(patch));
      return state.knobs as SandboxKnobs;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive connections (fetch keeps them) would hold close() open.
        server.closeAllConnections();
      }),
  };
  bindState(sandbox, state);
  return sandbox;
}
