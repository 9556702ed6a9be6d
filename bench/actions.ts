// npm run bench:actions — the public actions API under load (issue 13): BENCH_CLIENTS (default 50)
// concurrent clients run contacts.lookup, availability.get and appointments.create on a Square and
// a Google Calendar connection for BENCH_SECONDS (default 5), then a storm of BENCH_STORM (default
// 1,000) retries of one appointments.create with one Idempotency-Key, BENCH_STORM_CONCURRENCY
// (default 50) at a time (BENCH_STORM_PROVIDER=google-calendar storms Google instead of Square).
// Prints the hub's own overhead per call (p50/p99), the 5xx count, the storm's answers and the
// bookings the provider holds for the storm's slot afterwards, against the targets: overhead p99
// < 15 ms, zero 5xx, exactly one booking.
//
// What is measured. Every call goes through the public API route — the POST handler of
// app/api/v1/connections/[connectionId]/actions/[action]/route.ts, with `Authorization: Bearer`
// and a workspace API key (createApiKey), so authentication, the per-key rate limiter, runAction,
// the Idempotency-Key table, write-through and the action log all run. It runs IN PROCESS: a child
// (this file with `serve`) calls the route handler behind a plain node:http server, as
// bench/webhooks.ts serves receiveWebhook, so Next's router and proxy are not included. The rate
// limiter runs but with API_RATE_LIMIT_PER_MINUTE=1000000, or the default (120 a minute per key)
// would answer most of the load 429. Database: PGlite, and PostgreSQL too when BENCH_DATABASE_URL
// is set (a scratch database of its own, dropped afterwards; BENCH_ENGINES=pglite|postgres picks).
//
// Hub overhead per call = the latency the client measured (request written → whole answer read)
// minus the time the sandbox spent serving that call's provider requests. The sandbox runs in a
// process of its own (this file with `sandbox`) whose request listener is wrapped: each provider
// answer carries `x-bench-service-us`, the time from the sandbox's `request` event to its
// writeHead (its handler, any responseDelayMs, its body read). In the hub, `fetch` is wrapped for
// URLs of the sandbox and, through AsyncLocalStorage, adds each answer's service time to the API
// call it was made for; the node:http wrapper returns the sum to the client in
// `x-bench-sandbox-us` (with the provider request count and the handler's own time). The actions
// used make their provider requests one after another, so that sum is the sandbox's share of the
// call's wall time. Everything else counts as hub overhead: the hub's code and database, the
// loopback hops to the sandbox and back, the client↔hub hop and the load generator's own event
// loop — and a request waiting in the sandbox's socket while the sandbox is busy with another one
// (the listener cannot see that wait), so on a loaded machine the figure errs against the hub.
// A short warm-up (every client's connection opened, each call kind a few times) runs before the
// clock starts, then an unloaded baseline (BENCH_BASELINE_CALLS, default 40, one at a time), so
// the table tells the hub's cost per call apart from queueing: with closed-loop clients, latency
// ≈ clients ÷ throughput.
//
// Traffic stays on 127.0.0.1. BENCH_TIME_LIMIT (seconds, default 300) bounds the whole run.
import { spawn, type ChildProcess } from 'node:child_process';
import { AsyncLocalStorage } from 'node:async_hooks';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Temporal } from 'temporal-polyfill';
import { freePort } from './processes';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 50);
const STORM = Number(process.env.BENCH_STORM ?? 1000);
const STORM_CONCURRENCY = Number(process.env.BENCH_STORM_CONCURRENCY ?? 50);
const STORM_PROVIDER = (process.env.BENCH_STORM_PROVIDER ?? 'square') as ProviderId;
/** Mean pause of each client between its calls (default 0: closed loop, the next call as soon as the last answered). */
const THINK_MS = Number(process.env.BENCH_THINK_MS ?? 0);
/** Calls of the unloaded baseline (one client, one call at a time) run before the load. */
const BASELINE_CALLS = Number(process.env.BENCH_BASELINE_CALLS ?? 40);
const TIME_LIMIT_S = Number(process.env.BENCH_TIME_LIMIT ?? 300);
const REQUEST_TIMEOUT_MS = 30_000;
const TARGET_OVERHEAD_P99_MS = 15;
/** The header each sandbox answer carries its service time in (microseconds). */
const SERVICE_HEADER = 'x-bench-service-us';

type ProviderId = 'square' | 'google-calendar';

// ---------------------------------------------------------------------------------------------
// Messages between the roles

interface HubReady {
  kind: 'ready';
  url: string;
  engine: string;
  apiKey: string;
  connections: Record<ProviderId, string>;
}
type HubMessage = HubReady | { kind: 'stopped' } | { kind: 'failed'; message: string };
type SandboxMessage = { kind: 'ready'; url: string } | { kind: 'token'; token: string } | { kind: 'failed'; message: string };

function nextMessage<M extends { kind: string }, K extends M['kind']>(child: ChildProcess, kind: K): Promise<Extract<M, { kind: K }>> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`a bench child exited (${code}) before answering ${kind}`));
    const onMessage = (message: M) => {
      if (message.kind === 'failed') {
        cleanup();
        reject(new Error((message as unknown as { message: string }).message));
      } else if (message.kind === kind) {
        cleanup();
        resolve(message as Extract<M, { kind: K }>);
      }
    };
    const cleanup = () => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** What the time limit stops and removes if it strikes. */
const children = new Set<ChildProcess>();
const scratchDirs = new Set<string>();

function spawnRole(role: 'serve' | 'sandbox', env: Record<string, string>): ChildProcess {
  // BENCH_CPU_PROFILE=<dir>: the hub writes a CPU profile there (open it in Chrome DevTools).
  const profile = role === 'serve' && process.env.BENCH_CPU_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', __filename, role], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

// ---------------------------------------------------------------------------------------------
// The sandbox role: the provider sandbox, each answer stamped with its service time

async function sandboxRole(): Promise<void> {
  // startSandbox calls http.createServer when it starts: wrap the listener it passes.
  const createServer = http.createServer;
  (http as { createServer: unknown }).createServer = (...args: unknown[]) => {
    const at = args.findIndex((arg) => typeof arg === 'function');
    const listener = args[at] as http.RequestListener;
    args[at] = ((req: http.IncomingMessage, res: http.ServerResponse) => {
      const started = performance.now();
      const writeHead = res.writeHead;
      res.writeHead = function (this: http.ServerResponse, ...rest: unknown[]) {
        this.setHeader(SERVICE_HEADER, String(Math.round((performance.now() - started) * 1000)));
        return (writeHead as (...a: unknown[]) => http.ServerResponse).apply(this, rest);
      } as typeof res.writeHead;
      listener(req, res);
    }) as http.RequestListener;
    return (createServer as (...a: unknown[]) => http.Server)(...args);
  };
  const { startSandbox, issueAccessToken } = await import('../tests/sandbox/server');
  const sandbox = await startSandbox({ port: Number(process.env.BENCH_SANDBOX_PORT) });
  const send = (message: SandboxMessage) => process.send?.(message);
  process.on('message', (message: { kind: string; provider?: string }) => {
    if (message.kind === 'token') {
      send({ kind: 'token', token: issueAccessToken(sandbox, { provider: message.provider as Parameters<typeof issueAccessToken>[1]['provider'] }) });
    }
  });
  process.on('disconnect', () => void sandbox.close().finally(() => process.exit(0)));
  send({ kind: 'ready', url: sandbox.url });
}

// ---------------------------------------------------------------------------------------------
// The hub role: the route handler behind node:http

async function serveRole(): Promise<void> {
  const { openDatabase } = await import('../lib/db/engine');
  const { migrate } = await import('../lib/db/migrate');
  const { createLocalAccount } = await import('../lib/auth/local-accounts');
  const { createWorkspace } = await import('../lib/workspaces/workspaces');
  const { createApiKey } = await import('../lib/api-keys/keys');
  const { connectViaSandbox } = await import('../tests/support/connect');
  const send = (message: HubMessage) => process.send?.(message);
  const sandboxUrl = process.env.PROVIDER_SANDBOX_URL!;

  const adminUrl = process.env.BENCH_ENGINE === 'postgres' ? process.env.BENCH_DATABASE_URL : undefined;
  const dataDir = process.env.DATA_DIR!;
  // On a server, a database of its own (dropped afterwards), so earlier runs' rows do not count.
  const scratch = adminUrl ? `ih_bench_actions_${crypto.randomBytes(4).toString('hex')}` : null;
  const admin = adminUrl ? (await import('postgres')).default(adminUrl, { max: 1, onnotice: () => {} }) : null;
  if (admin && scratch) await admin.unsafe(`create database ${scratch}`);
  const url = adminUrl && scratch ? Object.assign(new URL(adminUrl), { pathname: `/${scratch}` }).toString() : null;
  const database = url ? await openDatabase({ engine: 'postgres', url }) : await openDatabase({ engine: 'pglite', dataDir: path.join(dataDir, 'pglite') });
  await migrate(database);
  const db = database.db;
  // The app's getDb() (lib/db/app-database.ts) answers this database, as tests/integration/route-harness.ts does.
  (globalThis as Record<symbol, unknown>)[Symbol.for('integration-hub.database')] = Promise.resolve(database);

  const user = await createLocalAccount(db, { email: `bench-actions-${Date.now()}@example.test`, password: 'bench password 1' });
  const workspaceId = (await createWorkspace(db, user, 'Actions bench')).id;
  const connections = {} as Record<ProviderId, string>;
  for (const provider of ['square', 'google-calendar'] as const) {
    connections[provider] = (await connectViaSandbox(db, user, workspaceId, provider)).connectionId;
  }
  const { secret } = await createApiKey(db, user, workspaceId, { name: 'Actions bench', scopes: ['actions:read', 'actions:write'] });
  const { POST } = await import('../app/api/v1/connections/[connectionId]/actions/[action]/route');

  // The sandbox time of each API call: the service times its provider answers carry.
  const calls = new AsyncLocalStorage<{ sandboxUs: number; requests: number }>();
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const response = await realFetch(input, init);
    const target = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const call = calls.getStore();
    if (call && target.startsWith(sandboxUrl)) {
      call.requests += 1;
      call.sandboxUs += Number(response.headers.get(SERVICE_HEADER) ?? 0);
    }
    return response;
  };

  const server = http.createServer((req, res) => {
    void (async () => {
      const started = performance.now();
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
      const route = /^\/api\/v1\/connections\/([^/]+)\/actions\/([^/]+)$/.exec(url.pathname);
      if (!route || req.method !== 'POST') {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{"error":"not found"}');
        return;
      }
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (Array.isArray(value)) for (const item of value) headers.append(name, item);
        else if (value !== undefined) headers.set(name, value);
      }
      const request = new Request(url, { method: 'POST', headers, body: Buffer.concat(chunks) });
      const call = { sandboxUs: 0, requests: 0 };
      const params = { connectionId: decodeURIComponent(route[1]), action: decodeURIComponent(route[2]) };
      const response = await calls.run(call, () => POST(request, { params: Promise.resolve(params) }));
      const body = Buffer.from(await response.arrayBuffer());
      const out: Record<string, string> = Object.fromEntries(response.headers);
      out['x-bench-sandbox-us'] = String(call.sandboxUs);
      out['x-bench-provider-requests'] = String(call.requests);
      out['x-bench-handler-us'] = String(Math.round((performance.now() - started) * 1000));
      res.writeHead(response.status, out);
      res.end(body);
    })().catch((error: unknown) => {
      console.error('[bench hub]', error);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: (error as Error).message }));
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(Number(process.env.BENCH_PORT), '127.0.0.1', resolve));
  send({
    kind: 'ready',
    url: `http://127.0.0.1:${process.env.BENCH_PORT}`,
    engine: database.engine === 'pglite' ? 'PGlite' : 'PostgreSQL',
    apiKey: secret,
    connections,
  });

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await database.close();
    if (admin && scratch) {
      await admin.unsafe(`drop database if exists ${scratch} with (force)`);
      await admin.end();
    }
  };
  process.on('message', (message: { kind: string }) => {
    if (message.kind !== 'stop') return;
    stop()
      .then(() => {
        send({ kind: 'stopped' });
        process.exit(0);
      })
      .catch((error: unknown) => send({ kind: 'failed', message: (error as Error).message }));
  });
  // The load generator went away (its time limit, say): clean up all the same.
  process.on('disconnect', () => void stop().finally(() => process.exit(0)));
}

// ---------------------------------------------------------------------------------------------
// The load generator role

/**
 * Square's sandbox catalog (tests/sandbox/providers/square/*): loaded by a non-literal specifier
 * and typed here, so the bench still type-checks when Square is removed (scripts/provider-drill.sh).
 */
interface SquareSandbox {
  SQUARE_SERVICES: readonly { id: string; name: string; durationMinutes: number }[];
  teamMembersOf(account: string): string[];
  LOCATION_TIME_ZONE: string;
  PROFILE: { accounts: readonly { id: string }[] };
  SQUARE_VERSION: string;
}

async function loadSquareSandbox(): Promise<SquareSandbox> {
  const load = (name: string) => import(`../tests/sandbox/providers/square/${name}` as string) as Promise<Partial<SquareSandbox>>;
  const [writes, accounts] = await Promise.all([load('writes'), load('accounts')]);
  return { ...writes, ...accounts } as SquareSandbox;
}

type Kind = 'square contacts.lookup' | 'square availability.get' | 'google availability.get' | 'square appointments.create' | 'google appointments.create';
/** Each client walks this round, from its own offset: 2 lookups, 4 availability, 2 bookings in 8. */
const ROUND: Kind[] = [
  'square contacts.lookup',
  'square availability.get',
  'google availability.get',
  'square appointments.create',
  'square contacts.lookup',
  'google availability.get',
  'square availability.get',
  'google appointments.create',
];

interface Answer {
  status: number;
  ms: number;
  sandboxMs: number;
  handlerMs: number;
  providerRequests: number;
  replayed: boolean;
  code?: string;
  /** A transport failure (no HTTP answer at all). */
  error?: string;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: Math.max(CLIENTS, STORM_CONCURRENCY) });

function post(base: string, apiKey: string, connectionId: string, action: string, input: unknown, idempotencyKey?: string): Promise<Answer> {
  const body = Buffer.from(JSON.stringify(input));
  const url = new URL(`/api/v1/connections/${connectionId}/actions/${action}`, base);
  const headers: Record<string, string> = {
    authorization: `Bearer ${apiKey}`,
    'content-type': 'application/json',
    'content-length': String(body.length),
  };
  if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
  return new Promise((resolve) => {
    const started = performance.now();
    const request = http.request(url, { method: 'POST', headers, agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const ms = performance.now() - started;
        const status = response.statusCode ?? 0;
        let code: string | undefined;
        if (status >= 400) {
          try {
            code = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { code?: string }).code;
          } catch {
            code = 'unreadable';
          }
        }
        const number = (name: string) => Number(response.headers[name] ?? 0);
        resolve({
          status,
          ms,
          sandboxMs: number('x-bench-sandbox-us') / 1000,
          handlerMs: number('x-bench-handler-us') / 1000,
          providerRequests: number('x-bench-provider-requests'),
          replayed: response.headers['idempotent-replayed'] === 'true',
          code,
        });
      });
      response.on('error', (error) => resolve({ status: 0, ms: performance.now() - started, sandboxMs: 0, handlerMs: 0, providerRequests: 0, replayed: false, error: error.message }));
    });
    request.setTimeout(REQUEST_TIMEOUT_MS, () => request.destroy(new Error('timed out')));
    request.on('error', (error) => resolve({ status: 0, ms: performance.now() - started, sandboxMs: 0, handlerMs: 0, providerRequests: 0, replayed: false, error: error.message }));
    request.end(body);
  });
}

/** Nearest-rank percentile of unsorted values. */
function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
const fmt = (ms: number) => (Number.isNaN(ms) ? '–' : `${ms.toFixed(1)} ms`);
const count = (n: number) => n.toLocaleString('en');

interface Plan {
  square: SquareSandbox;
  zone: string;
  consultation: { id: string; durationMinutes: number };
  teamMembers: string[];
  /** A Monday at least a week ahead (Square offers only future slots); the storm books on it. */
  day0: Temporal.PlainDate;
}

function plan(square: SquareSandbox): Plan {
  const zone = square.LOCATION_TIME_ZONE;
  let day0 = Temporal.Now.plainDateISO(zone).add({ days: 7 });
  while (day0.dayOfWeek !== 1) day0 = day0.add({ days: 1 });
  const consultation = square.SQUARE_SERVICES.find((s) => s.name === 'Consultation')!;
  return { square, zone, consultation, teamMembers: square.teamMembersOf(square.PROFILE.accounts[0].id), day0 };
}

const localInstant = (p: Plan, date: Temporal.PlainDate, hhmm: string) =>
  date.toPlainDateTime(Temporal.PlainTime.from(hhmm)).toZonedDateTime(p.zone).toInstant().toString();

/** The n-th weekday of the load range (the week after day0; the storm keeps day0 to itself). */
function loadDay(p: Plan, n: number): Temporal.PlainDate {
  return p.day0.add({ days: 7 + 7 * Math.floor(n / 5) + (n % 5) });
}

const attendee = (n: number) => {
  const i = n % 25;
  return { name: `Bench Person ${i}`, email: `bench.person.${i}@example.com`, phone: `+4477009001${String(i).padStart(2, '0')}` };
};

/** Builds every call kind's request; booking slots are handed out once each, so no two bookings collide. */
function requests(p: Plan) {
  let squareSlot = 0;
  let googleSlot = 0;
  let lookups = 0;
  const random = (n: number) => Math.floor(Math.random() * n);
  const squareBooking = (start: string, teamMemberId: string, who: ReturnType<typeof attendee>) => ({
    start,
    durationMinutes: p.consultation.durationMinutes,
    timeZone: p.zone,
    title: 'Consultation',
    description: 'Booked by bench:actions',
    attendee: who,
    options: { serviceVariationId: p.consultation.id, teamMemberId },
  });
  const googleBooking = (start: string, who: ReturnType<typeof attendee>) => ({
    start,
    durationMinutes: 60,
    timeZone: p.zone,
    title: 'Consultation',
    description: 'Booked by bench:actions',
    attendee: who,
  });
  const build = (kind: Kind): { provider: ProviderId; action: string; input: unknown; key?: string } => {
    switch (kind) {
      case 'square contacts.lookup': {
        const who = attendee(lookups++);
        return { provider: 'square', action: 'contacts.lookup', input: lookups % 2 ? { phone: who.phone } : { email: who.email } };
      }
      case 'square availability.get': {
        const day = loadDay(p, random(10));
        return {
          provider: 'square',
          action: 'availability.get',
          input: {
            start: localInstant(p, day, '00:00'),
            end: localInstant(p, day.add({ days: 1 }), '00:00'),
            durationMinutes: p.consultation.durationMinutes,
            timeZone: p.zone,
            workingHours: { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' },
            options: { serviceVariationId: p.consultation.id },
          },
        };
      }
      case 'google availability.get': {
        const day = p.day0.add({ days: 1 + random(10) });
        return {
          provider: 'google-calendar',
          action: 'availability.get',
          input: {
            start: localInstant(p, day, '00:00'),
            end: localInstant(p, day.add({ days: 1 }), '00:00'),
            durationMinutes: 60,
            timeZone: p.zone,
            workingHours: { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' },
          },
        };
      }
      case 'square appointments.create': {
        // 32 a weekday: four team members, on the hour from 09:00 to 16:00 (60-minute Consultation).
        const n = squareSlot++;
        const k = n % 32;
        const start = localInstant(p, loadDay(p, Math.floor(n / 32)), `${String(9 + Math.floor(k / 4)).padStart(2, '0')}:00`);
        return { provider: 'square', action: 'appointments.create', input: squareBooking(start, p.teamMembers[k % 4], attendee(n)), key: crypto.randomUUID() };
      }
      case 'google appointments.create': {
        // Back to back from the day after day0 (Google has no opening hours); the storm's day is before.
        const n = googleSlot++;
        const start = new Date(Date.parse(localInstant(p, p.day0.add({ days: 1 }), '00:00')) + n * 3_600_000).toISOString();
        return { provider: 'google-calendar', action: 'appointments.create', input: googleBooking(start, attendee(n)), key: crypto.randomUUID() };
      }
    }
  };
  const storm = (provider: ProviderId) => {
    const who = { name: 'Storm Booker', email: 'storm.booker@example.com', phone: '+447700900199' };
    const start = localInstant(p, p.day0, '10:00');
    return provider === 'square'
      ? { provider, action: 'appointments.create', input: squareBooking(start, p.teamMembers[0], who), start }
      : { provider, action: 'appointments.create', input: googleBooking(start, who), start };
  };
  return { build, storm };
}

interface Call extends Answer {
  kind: Kind;
}

interface EngineResult {
  engine: string;
  baseline: Call[];
  load: { calls: Call[]; seconds: number };
  storm: { answers: Answer[]; seconds: number; bookings: number; providerWrites: number; provider: ProviderId; key: string };
}

async function sandboxStats(sandboxUrl: string): Promise<Record<string, number>> {
  const stats = (await (await fetch(`${sandboxUrl}/_sandbox/stats`)).json()) as { dataRequests: Record<string, number> };
  return stats.dataRequests;
}

/** Live bookings the provider holds at the storm's start, asked of the sandbox's API with a token of its own. */
async function bookingsAt(sandbox: ChildProcess, sandboxUrl: string, p: Plan, provider: ProviderId, start: string): Promise<number> {
  const tokenAnswer = nextMessage<SandboxMessage, 'token'>(sandbox, 'token');
  sandbox.send({ kind: 'token', provider });
  const { token } = await tokenAnswer;
  const at = Date.parse(start);
  const from = new Date(at - 3_600_000).toISOString();
  const to = new Date(at + 3_600_000).toISOString();
  if (provider === 'square') {
    const response = await fetch(`${sandboxUrl}/connect.squareup.com/v2/bookings?start_at_min=${from}&start_at_max=${to}&limit=100`, {
      headers: { authorization: `Bearer ${token}`, 'square-version': p.square.SQUARE_VERSION },
    });
    const body = (await response.json()) as { bookings?: { start_at: string; status: string }[] };
    if (!response.ok) throw new Error(`listing Square bookings answered ${response.status}: ${JSON.stringify(body)}`);
    return (body.bookings ?? []).filter((b) => Date.parse(b.start_at) === at && !/^(CANCELLED|DECLINED)/.test(b.status)).length;
  }
  const response = await fetch(`${sandboxUrl}/www.googleapis.com/calendar/v3/calendars/primary/events?timeMin=${from}&timeMax=${to}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const body = (await response.json()) as { items?: { status?: string; start?: { dateTime?: string } }[] };
  if (!response.ok) throw new Error(`listing Google events answered ${response.status}: ${JSON.stringify(body)}`);
  return (body.items ?? []).filter((e) => e.status !== 'cancelled' && Date.parse(e.start?.dateTime ?? '') === at).length;
}

async function runEngine(engine: 'pglite' | 'postgres', square: SquareSandbox): Promise<EngineResult> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ih-bench-actions-'));
  scratchDirs.add(dataDir);
  const sandbox = spawnRole('sandbox', { BENCH_SANDBOX_PORT: String(await freePort()) });
  let hub: ChildProcess | null = null;
  try {
    const { url: sandboxUrl } = await nextMessage<SandboxMessage, 'ready'>(sandbox, 'ready');
    const knobs = await fetch(`${sandboxUrl}/_sandbox/knobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ autoApprove: true, dataset: { 'square.customers': 50, 'square.bookings': 0, 'google-calendar.events': 0 } }),
    });
    if (!knobs.ok) throw new Error(`the sandbox refused the knobs: ${await knobs.text()}`);
    hub = spawnRole('serve', {
      BENCH_ENGINE: engine,
      BENCH_PORT: String(await freePort()),
      PROVIDER_SANDBOX_URL: sandboxUrl,
      DATA_DIR: dataDir,
      JOB_RUNNER: 'none',
      API_RATE_LIMIT_PER_MINUTE: '1000000',
      DEFAULT_PHONE_REGION: 'GB',
    });
    const ready = await nextMessage<HubMessage, 'ready'>(hub, 'ready');
    const p = plan(square);
    const { build, storm } = requests(p);
    const call = async (kind: Kind): Promise<Call> => {
      const r = build(kind);
      return { kind, ...(await post(ready.url, ready.apiKey, ready.connections[r.provider], r.action, r.input, r.key)) };
    };

    // Warm-up (not measured): every client's keep-alive connection opened, each kind a few times.
    // Clients keep their connections, as API clients do; opening them under load would measure
    // something else: Node accepts one new connection per event-loop turn, and with PGlite's work
    // chained through microtasks a turn under load lasts as long as the whole queue, so a new
    // connection can wait seconds before the hub even sees it.
    await Promise.all(Array.from({ length: Math.max(CLIENTS, STORM_CONCURRENCY) }, (_, i) => call(ROUND[i % ROUND.length])));
    for (let i = 0; i < 2; i++) await Promise.all(ROUND.map((kind) => call(kind)));

    // The unloaded baseline: one client, one call at a time.
    const baseline: Call[] = [];
    for (let i = 0; i < BASELINE_CALLS; i++) baseline.push(await call(ROUND[i % ROUND.length]));

    // The load: CLIENTS clients, each calling one after another until the time is up.
    const calls: Call[] = [];
    const loadStarted = performance.now();
    const deadline = loadStarted + SECONDS * 1000;
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, client) => {
        // Paced clients start at random and pause a random 0–2 × THINK_MS, so they do not move as one herd.
        const pause = (scale: number) =>
          new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(Math.random() * scale * THINK_MS, deadline - performance.now()))));
        if (THINK_MS > 0) await pause(1);
        for (let i = client; performance.now() < deadline; i++) {
          calls.push(await call(ROUND[i % ROUND.length]));
          if (THINK_MS > 0) await pause(2);
        }
      }),
    );
    const loadSeconds = (performance.now() - loadStarted) / 1000;

    // The storm: one booking, STORM times, one Idempotency-Key, STORM_CONCURRENCY in flight.
    const target = storm(STORM_PROVIDER);
    const key = crypto.randomUUID();
    const writesEndpoint = STORM_PROVIDER === 'square' ? 'square.bookingWrites' : 'google-calendar.eventWrites';
    const writesBefore = (await sandboxStats(sandboxUrl))[writesEndpoint] ?? 0;
    const answers: Answer[] = [];
    let sent = 0;
    const stormStarted = performance.now();
    await Promise.all(
      Array.from({ length: Math.min(STORM_CONCURRENCY, STORM) }, async () => {
        while (sent < STORM) {
          sent += 1;
          answers.push(await post(ready.url, ready.apiKey, ready.connections[target.provider], target.action, target.input, key));
        }
      }),
    );
    const stormSeconds = (performance.now() - stormStarted) / 1000;
    const providerWrites = ((await sandboxStats(sandboxUrl))[writesEndpoint] ?? 0) - writesBefore;
    const bookings = await bookingsAt(sandbox, sandboxUrl, p, STORM_PROVIDER, target.start);

    const stopped = nextMessage<HubMessage, 'stopped'>(hub, 'stopped');
    const exited = new Promise((resolve) => hub!.once('exit', resolve));
    hub.send({ kind: 'stop' });
    await stopped;
    await exited;
    return {
      engine: ready.engine === 'PGlite' ? 'PGlite (on disk)' : 'PostgreSQL',
      baseline,
      load: { calls, seconds: loadSeconds },
      storm: { answers, seconds: stormSeconds, bookings, providerWrites, provider: STORM_PROVIDER, key },
    };
  } finally {
    if (hub && hub.exitCode === null) hub.kill();
    if (sandbox.exitCode === null) sandbox.kill();
    fs.rmSync(dataDir, { recursive: true, force: true });
    scratchDirs.delete(dataDir);
  }
}

function report(result: EngineResult): void {
  const { calls, seconds } = result.load;
  const answered = calls.filter((c) => c.status > 0);
  const ok = answered.filter((c) => c.status < 300);
  const overhead = answered.map((c) => c.ms - c.sandboxMs);
  const inHandler = answered.map((c) => c.handlerMs - c.sandboxMs);
  const storm = result.storm.answers;
  const everything = [...result.baseline, ...calls, ...storm];
  const fiveXx = everything.filter((a) => a.status >= 500).length;
  const transport = everything.filter((a) => a.status === 0);
  const byCode = (answers: Answer[]) => {
    const codes = new Map<string, number>();
    for (const a of answers) if (a.status >= 400 || a.status === 0) codes.set(a.code ?? a.error ?? String(a.status), (codes.get(a.code ?? a.error ?? String(a.status)) ?? 0) + 1);
    return codes.size ? [...codes].map(([code, n]) => `${code} ${count(n)}`).join(', ') : 'none';
  };
  const stormOk = storm.filter((a) => a.status >= 200 && a.status < 300);
  const firsts = stormOk.filter((a) => !a.replayed).length;
  const replays = stormOk.filter((a) => a.replayed).length;
  const inUse = storm.filter((a) => a.status === 409 && a.code === 'idempotency_key_in_use').length;
  const otherStorm = storm.length - stormOk.length - inUse;

  const overheadP99 = percentile(overhead, 99);
  const targets = {
    overhead: overheadP99 < TARGET_OVERHEAD_P99_MS,
    fiveXx: fiveXx === 0 && transport.length === 0,
    booking: result.storm.bookings === 1,
  };
  const met = (yes: boolean) => (yes ? 'met' : '**NOT met**');
  const base = result.baseline.filter((c) => c.status > 0);
  const baseOverhead = base.map((c) => c.ms - c.sandboxMs);
  const rows: [string, string, string, string][] = [
    [
      'unloaded baseline (1 client): hub overhead p50 / p99',
      `${fmt(percentile(baseOverhead, 50))} / ${fmt(percentile(baseOverhead, 99))} (${base.length} calls, latency p50 ${fmt(percentile(base.map((c) => c.ms), 50))})`,
      '',
      '',
    ],
    [
      'load',
      `${CLIENTS} clients${THINK_MS > 0 ? `, ${THINK_MS} ms between calls on average` : ', closed loop'}, ${seconds.toFixed(1)} s: ${count(calls.length)} calls, ${Math.round(calls.length / seconds)}/s (${count(ok.length)} 2xx)`,
      '',
      '',
    ],
    ['latency at the client p50 / p99', `${fmt(percentile(answered.map((c) => c.ms), 50))} / ${fmt(percentile(answered.map((c) => c.ms), 99))}`, '', ''],
    ['sandbox time per call p50 / p99', `${fmt(percentile(answered.map((c) => c.sandboxMs), 50))} / ${fmt(percentile(answered.map((c) => c.sandboxMs), 99))}`, '', ''],
    ['**hub overhead** p50 / p99', `${fmt(percentile(overhead, 50))} / **${fmt(overheadP99)}**`, `p99 < ${TARGET_OVERHEAD_P99_MS} ms`, met(targets.overhead)],
    ['… of it inside the route handler p50 / p99', `${fmt(percentile(inHandler, 50))} / ${fmt(percentile(inHandler, 99))}`, '', ''],
    ['4xx during the load', byCode(answered.filter((c) => c.status < 500)), '', ''],
    ['5xx (baseline, load and storm)', `${fiveXx}${transport.length ? `; no answer ${transport.length} (${byCode(transport)})` : ''}`, '0', met(targets.fiveXx)],
    [
      'storm',
      `${count(storm.length)} × ${result.storm.provider} appointments.create, one Idempotency-Key, ${STORM_CONCURRENCY} at a time: ${result.storm.seconds.toFixed(2)} s, p50 ${fmt(percentile(storm.map((a) => a.ms), 50))}, p99 ${fmt(percentile(storm.map((a) => a.ms), 99))}`,
      '',
      '',
    ],
    ['storm answers', `2xx ${count(stormOk.length)} (${firsts} first, ${count(replays)} Idempotent-Replayed), 409 idempotency_key_in_use ${count(inUse)}, other ${otherStorm}${otherStorm ? ` (${byCode(storm.filter((a) => !(a.status >= 200 && a.status < 300) && !(a.status === 409 && a.code === 'idempotency_key_in_use')))})` : ''}`, '', ''],
    ['storm: provider booking writes', String(result.storm.providerWrites), '', ''],
    ['**bookings made by the storm**', `**${result.storm.bookings}**`, 'exactly 1', met(targets.booking)],
  ];
  const header = `bench:actions — ${result.engine}, the route handler in process behind node:http (not next start)`;
  console.log(`\n${header}\n`);
  console.log('| metric | value | target | result |\n|---|---|---|---|');
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);

  console.log('\n| call | calls | latency p50 | latency p99 | sandbox p50 | provider requests | overhead p50 | overhead p99 |\n|---|---|---|---|---|---|---|---|');
  for (const kind of [...new Set(ROUND)]) {
    const mine = answered.filter((c) => c.kind === kind);
    const over = mine.map((c) => c.ms - c.sandboxMs);
    const requests = mine.length ? (mine.reduce((n, c) => n + c.providerRequests, 0) / mine.length).toFixed(1) : '–';
    console.log(
      `| ${kind} | ${count(mine.length)} | ${fmt(percentile(mine.map((c) => c.ms), 50))} | ${fmt(percentile(mine.map((c) => c.ms), 99))} | ${fmt(percentile(mine.map((c) => c.sandboxMs), 50))} | ${requests} | ${fmt(percentile(over, 50))} | ${fmt(percentile(over, 99))} |`,
    );
  }
  const all = targets.overhead && targets.fiveXx && targets.booking;
  console.log(`\n  targets (overhead p99 < ${TARGET_OVERHEAD_P99_MS} ms, 0 × 5xx, exactly one booking): ${all ? 'met' : 'NOT met'}\n`);
}

async function main(): Promise<void> {
  const watchdog = setTimeout(() => {
    console.error(`bench:actions took longer than BENCH_TIME_LIMIT=${TIME_LIMIT_S} s; stopping.`);
    // The hub cleans up (its scratch database) when it sees this process go; give it a moment.
    for (const child of children) if (child.connected) child.disconnect();
    setTimeout(() => {
      for (const child of children) child.kill();
      for (const dir of scratchDirs) fs.rmSync(dir, { recursive: true, force: true });
      process.exit(1);
    }, 5_000);
  }, TIME_LIMIT_S * 1000);
  watchdog.unref();
  const engines = (process.env.BENCH_ENGINES ?? (process.env.BENCH_DATABASE_URL ? 'pglite,postgres' : 'pglite')).split(',') as ('pglite' | 'postgres')[];
  if (engines.includes('postgres') && !process.env.BENCH_DATABASE_URL) throw new Error('The postgres engine needs BENCH_DATABASE_URL (a server this bench may create a scratch database on).');
  const square = await loadSquareSandbox();
  console.log(
    `bench:actions: ${CLIENTS} clients for ${SECONDS} s (Square lookups, availability and bookings; Google Calendar availability and bookings), then ${STORM} retries of one ${STORM_PROVIDER} booking`,
  );
  const results: EngineResult[] = [];
  for (const engine of engines) results.push(await runEngine(engine, square));
  agent.destroy();
  // Like the other benches, targets missed are reported, not turned into a failing exit code.
  for (const result of results) report(result);
}

const role = process.argv[2];
if (role === 'serve' || role === 'sandbox') {
  (role === 'serve' ? serveRole() : sandboxRole()).catch((error: unknown) => {
    process.send?.({ kind: 'failed', message: (error as Error).stack ?? String(error) });
    process.exit(1);
  });
} else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
