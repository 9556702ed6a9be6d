// npm run bench:webhooks — signed webhook deliveries at the app's real route, through the
// production build as a provider reaches it: `next start` (its router, proxy and route handler),
// with the in-process job runner, on a fresh database per engine. Realistic HubSpot (v3) and
// Square deliveries, 10% of them duplicates (a provider retrying: the same event signed afresh),
// driven by autocannon; then it waits until everything acknowledged has been processed, stops the
// app, and counts in the database: every acknowledged unique delivery stored and processed, and
// every acknowledged retry counted as a duplicate.
//
// Processes: this one (autocannon and the signing), `next start`, the provider sandbox, and on
// PostgreSQL the server. On a shared machine they compete for the same cores: the load average
// printed with each table says how busy it was.
//
// BENCH_ENGINES=pglite,postgres (default: pglite, plus postgres when BENCH_DATABASE_URL is set;
// `postgres` without a URL starts a throwaway PostgreSQL 15 with scripts/postgres-server.sh),
// BENCH_SECONDS (20), BENCH_CONNECTIONS (20), BENCH_WARMUP_SECONDS (3), NEXT_DIST_DIR (the build
// to run, default .next as `npm run build` makes it; built when missing or stale, see BENCH_BUILD in processes.ts),
// BENCH_PROFILE=<dir> (a CPU profile of the app process).
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureProductionBuild, freePort, processTreeCpuSeconds, startNextApp, startSandboxProcess, type AppProcess } from './processes';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const DIST_DIR = process.env.NEXT_DIST_DIR ?? '.next';
const DUPLICATE_SHARE = 0.1;
const HUBSPOT_CONTACTS = 2_000;
const DRAIN_TIMEOUT_MS = 180_000;
const TARGET = { perSecond: 1_500, p99Ms: 50 };
const DEMO = { email: 'admin@demo.local', password: 'integration-hub-demo' };

/**
 * The two providers' sandbox signers and event builders (tests/sandbox/providers/<id>/webhooks.ts).
 * Loaded by a non-literal specifier and typed here, so the bench still type-checks when either
 * provider is removed (scripts/provider-drill.sh); running it needs both.
 */
interface WireFormats {
  hubspotEvents(events: { subscriptionType: string; objectId: number; propertyName?: string; propertyValue?: string; eventId?: number }[], defaults: { portalId: number }): unknown[];
  signHubspotV3(options: { method: string; uri: string; body: string; secret: string; timestampMs: number }): Record<string, string>;
  SANDBOX_SQUARE_SIGNATURE_KEY: string;
  signSquare(options: { notificationUrl: string; body: string; signatureKey: string }): Record<string, string>;
  squareEvent(options: { merchantId: string; type: 'customer.updated'; object: { id: string; version?: number } & Record<string, unknown>; eventId?: string }): Record<string, unknown>;
}

async function loadWireFormats(): Promise<WireFormats> {
  const providerModule = (id: string) => import(`../tests/sandbox/providers/${id}/webhooks` as string) as Promise<Partial<WireFormats>>;
  const [hubspot, square] = await Promise.all([providerModule('hubspot'), providerModule('square')]);
  return { ...hubspot, ...square } as WireFormats;
}

// ---------------------------------------------------------------------------------------------
// Talking to the app as a browser would: a session cookie, same-origin JSON.

class Browser {
  private readonly cookies = new Map<string, string>();

  constructor(readonly base: string) {}

  async request(pathOrUrl: string, init: { method?: string; json?: unknown } = {}): Promise<Response> {
    let url = new URL(pathOrUrl, this.base);
    // The app names itself `localhost` in redirects (the OAuth callback): the same server.
    if (url.hostname === 'localhost' && url.port === new URL(this.base).port) url = new URL(`${url.pathname}${url.search}`, this.base);
    const headers: Record<string, string> = {};
    if (url.origin === this.base) {
      headers.origin = this.base;
      if (this.cookies.size) headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    }
    if (init.json !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(url, {
      method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
      headers,
      body: init.json === undefined ? undefined : JSON.stringify(init.json),
      redirect: 'manual',
    });
    if (url.origin === this.base) {
      for (const line of response.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const eq = pair.indexOf('=');
        this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
      }
    }
    return response;
  }

  async json<T>(pathOrUrl: string, init: { method?: string; json?: unknown } = {}): Promise<T> {
    const response = await this.request(pathOrUrl, init);
    if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${pathOrUrl} answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
    return (await response.json()) as T;
  }
}

/** The OAuth code flow against the sandbox (auto-approve), as the Integrations page runs it. */
async function connect(browser: Browser, workspaceId: string, provider: string): Promise<string> {
  const { authorizeUrl } = await browser.json<{ authorizeUrl: string }>(`/api/oauth/${provider}/start`, { json: { workspaceId } });
  const authorize = await browser.request(authorizeUrl);
  const callback = authorize.headers.get('location');
  if (authorize.status !== 302 || !callback) throw new Error(`the sandbox's ${provider} authorize page answered ${authorize.status}`);
  const landed = await browser.request(callback);
  const location = landed.headers.get('location') ?? '';
  const match = /\/integrations\/([0-9a-f-]{36})\?connected=1/.exec(location);
  if (!match) throw new Error(`connecting ${provider} failed: ${landed.status} → ${location}`);
  return match[1];
}

async function until(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return Date.now() - started;
}

type RunCounts = { total: number };
const runsWith = (browser: Browser, workspaceId: string, status: string) =>
  browser.json<RunCounts>(`/api/workspaces/${workspaceId}/sync-runs?status=${status}&pageSize=1`).then((r) => r.total);

async function syncsIdle(browser: Browser, workspaceId: string): Promise<boolean> {
  const [queued, running] = await Promise.all([runsWith(browser, workspaceId, 'queued'), runsWith(browser, workspaceId, 'running')]);
  return queued + running === 0;
}

// ---------------------------------------------------------------------------------------------
// The deliveries

interface Delivery {
  key: string;
  path: string;
  body: string;
}

interface Ledger {
  /** Per delivery key: how many of its sends were acknowledged with 2xx. */
  acked: Map<string, number>;
  sent: number;
  duplicatesSent: number;
  statuses: Map<number, number>;
  /** What the app's answers said: new events and duplicates. */
  answeredReceived: number;
  answeredDuplicates: number;
}

function deliveries(base: string, account: { portalId: number; merchantId: string }, formats: WireFormats, ledger: Ledger) {
  const { hubspotEvents, signHubspotV3, SANDBOX_SQUARE_SIGNATURE_KEY, signSquare, squareEvent } = formats;
  const run = crypto.randomBytes(4).toString('hex');
  const sent: Delivery[] = [];
  let unique = 0;
  const first = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Ken', 'Margaret', 'Donald'];
  const last = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Thompson', 'Hamilton', 'Knuth'];
  const headersOf = (delivery: Delivery): Record<string, string> => ({
    'content-type': 'application/json',
    ...(delivery.path.endsWith('/hubspot')
      ? signHubspotV3({ method: 'POST', uri: `${base}${delivery.path}`, body: delivery.body, secret: 'sandbox-secret-hubspot', timestampMs: Date.now() })
      : signSquare({ notificationUrl: `${base}${delivery.path}`, body: delivery.body, signatureKey: SANDBOX_SQUARE_SIGNATURE_KEY })),
  });
  const fresh = (): Delivery => {
    unique += 1;
    if (unique % 2 === 0) {
      const eventId = 9_000_000_000 + unique;
      const objectId = 1_000_000_001 + Math.floor(Math.random() * HUBSPOT_CONTACTS);
      const body = hubspotEvents(
        [{ subscriptionType: 'contact.propertyChange', objectId, propertyName: 'lifecyclestage', propertyValue: 'customer', eventId }],
        { portalId: account.portalId },
      );
      return { key: String(eventId), path: '/api/webhooks/hubspot', body: JSON.stringify(body) };
    }
    const given = first[unique % first.length];
    const family = last[(unique >> 3) % last.length];
    const now = new Date().toISOString();
    const customer = {
      id: `BENCH${crypto.randomBytes(10).toString('hex').toUpperCase()}`,
      created_at: now,
      updated_at: now,
      given_name: given,
      family_name: family,
      email_address: `${given}.${family}.${unique}@example.com`.toLowerCase(),
      phone_number: `+4420${String(7_000_000 + unique).padStart(8, '0')}`,
      address: { address_line_1: `${unique} Analytical Row`, locality: 'London', postal_code: 'N1 9GU', country: 'GB' },
      preferences: { email_unsubscribed: false },
      creation_source: 'THIRD_PARTY',
      version: 0,
    };
    const eventId = `bench-${run}-${unique}`;
    const body = squareEvent({ merchantId: account.merchantId, type: 'customer.updated', object: customer, eventId });
    return { key: eventId, path: '/api/webhooks/square', body: JSON.stringify(body) };
  };
  return {
    next(): Delivery & { headers: Record<string, string> } {
      ledger.sent += 1;
      let delivery: Delivery;
      if (sent.length > 100 && Math.random() < DUPLICATE_SHARE) {
        ledger.duplicatesSent += 1;
        delivery = sent[Math.floor(Math.random() * sent.length)];
      } else {
        delivery = fresh();
        sent.push(delivery);
      }
      return { ...delivery, headers: headersOf(delivery) };
    },
  };
}

type Autocannon = (options: Record<string, unknown>) => Promise<{
  requests: { average: number; total: number };
  latency: { p50: number; p90: number; p99: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
  '2xx': number;
}>;

/** One autocannon run; every answer is booked against the delivery it answered. */
async function drive(url: string, seconds: number, generator: ReturnType<typeof deliveries>, ledger: Ledger) {
  // A non-literal specifier: autocannon ships no types, and this bench needs a few of its fields.
  const { default: autocannon } = (await import('autocannon' as string)) as { default: Autocannon };
  return autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    method: 'POST',
    requests: [
      {
        // One request in flight per connection: the context holds the one being answered.
        setupRequest: (request: Record<string, unknown>, context: { key?: string }) => {
          const { key, path: requestPath, body, headers } = generator.next();
          context.key = key;
          return { ...request, method: 'POST', path: requestPath, body, headers };
        },
        onResponse: (status: number, body: string, context: { key?: string }) => {
          ledger.statuses.set(status, (ledger.statuses.get(status) ?? 0) + 1);
          if (status < 200 || status >= 300 || !context.key) return;
          ledger.acked.set(context.key, (ledger.acked.get(context.key) ?? 0) + 1);
          try {
            const answer = JSON.parse(body) as { received?: number; duplicates?: number };
            ledger.answeredReceived += answer.received ?? 0;
            ledger.answeredDuplicates += answer.duplicates ?? 0;
          } catch {
            // Counted as acknowledged by its status; the body is only a cross-check.
          }
        },
      },
    ],
  });
}

// ---------------------------------------------------------------------------------------------
// One engine

interface Engine {
  name: 'pglite' | 'postgres';
  label: string;
  env: Record<string, string>;
  /** Runs a query against the app's database once the app has stopped. */
  query<T>(text: string): Promise<T[]>;
  /** A PostgreSQL server this bench started itself (its CPU is read from /proc); null otherwise. */
  serverPid: number | null;
  cleanup(): Promise<void>;
}

async function pgliteEngine(): Promise<Engine> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ih-bench-webhooks-'));
  const pgliteDir = path.join(dataDir, 'pglite');
  return {
    name: 'pglite',
    label: 'PGlite (embedded)',
    env: { DATA_DIR: dataDir, PGLITE_DIR: pgliteDir },
    serverPid: null, // the embedded server is the app's child: counted with it
    async query<T>(text: string) {
      // The app has stopped; the directory is ours once its lock is free (an embedded database
      // process may take a moment longer to exit than the app).
      const { acquireDirectoryLock, DatabaseLockedError } = await import('../lib/db/dir-lock');
      let release: (() => void) | null = null;
      await until('the app to release the embedded database', 30_000, async () => {
        try {
          release = acquireDirectoryLock(pgliteDir);
          return true;
        } catch (error) {
          if (error instanceof DatabaseLockedError) return false;
          throw error;
        }
      });
      const { PGlite } = await import('@electric-sql/pglite');
      const pglite = await PGlite.create({ dataDir: pgliteDir });
      try {
        return (await pglite.query<T>(text)).rows;
      } finally {
        await pglite.close();
        (release as (() => void) | null)?.();
      }
    },
    async cleanup() {
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function postgresEngine(adminUrl: string, serverPid: number | null): Promise<Engine> {
  const { default: postgres } = await import('postgres');
  // A database of its own (dropped afterwards), so earlier runs' rows do not count.
  const scratch = `ih_bench_webhooks_${crypto.randomBytes(4).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${scratch}`);
  const url = Object.assign(new URL(adminUrl), { pathname: `/${scratch}` }).toString();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ih-bench-webhooks-'));
  const version = (await admin.unsafe<{ server_version: string }[]>('show server_version'))[0].server_version;
  return {
    name: 'postgres',
    label: `PostgreSQL ${version.split(' ')[0]}`,
    env: { DATA_DIR: dataDir, DATABASE_URL: url },
    serverPid,
    async query<T>(text: string) {
      const client = postgres(url, { max: 1, onnotice: () => {} });
      try {
        return (await client.unsafe(text)) as unknown as T[];
      } finally {
        await client.end();
      }
    },
    async cleanup() {
      await admin.unsafe(`drop database if exists ${scratch} with (force)`);
      await admin.end();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

interface Outcome {
  engine: string;
  rows: [string, string][];
  met: boolean;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en');
const load = () => os.loadavg().map((n) => n.toFixed(2)).join(' ');

async function benchEngine(engine: Engine, sandboxUrl: string, formats: WireFormats): Promise<Outcome> {
  const log = path.join(os.tmpdir(), `ih-bench-webhooks-${engine.name}-${process.pid}.log`);
  let app: AppProcess | null = await startNextApp({
    distDir: DIST_DIR,
    log,
    env: {
      ...engine.env,
      JOB_RUNNER: 'in-process',
      SEED_DEMO: '1',
      PROVIDER_SANDBOX_URL: sandboxUrl,
      // `next start` is a production server; this one may still talk to the provider sandbox.
      PROVIDER_SANDBOX_ALLOW_PRODUCTION: '1',
    },
    // BENCH_PROFILE=<dir>: the app writes a V8 CPU profile there when it stops (open it in Chrome's DevTools).
    nodeArgs: process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_PROFILE)}`] : [],
  });
  try {
    const browser = new Browser(app.url);
    await browser.json('/api/auth/sign-in', { json: DEMO });
    const { workspace } = await browser.json<{ workspace: { id: string } }>('/api/workspaces', { json: { name: `Webhook bench ${Date.now()}` } });
    for (const provider of ['hubspot', 'square']) await connect(browser, workspace.id, provider);
    // The initial syncs run in the app (the in-process runner) before any delivery arrives.
    await until('the initial syncs', 120_000, () => syncsIdle(browser, workspace.id));

    const ledger: Ledger = { acked: new Map(), sent: 0, duplicatesSent: 0, statuses: new Map(), answeredReceived: 0, answeredDuplicates: 0 };
    const generator = deliveries(app.url, { portalId: 4242001, merchantId: 'MLSBX0000000001' }, formats, ledger);
    // Warm-up: the first requests load the route's modules and warm the JIT; their deliveries
    // are checked like the others but their timings are not reported.
    if (WARMUP_SECONDS > 0) await drive(app.url, WARMUP_SECONDS, generator, ledger);
    const before = { sent: ledger.sent, duplicates: ledger.duplicatesSent };
    const loadBefore = load();
    const cpuBefore = processTreeCpuSeconds(app.pid);
    const serverBefore = engine.serverPid ? processTreeCpuSeconds(engine.serverPid) : null;
    const result = await drive(app.url, SECONDS, generator, ledger);
    const cpuAfter = processTreeCpuSeconds(app.pid);
    const serverAfter = engine.serverPid ? processTreeCpuSeconds(engine.serverPid) : null;
    const loadAfter = load();

    // Drained: nothing received or being processed, and no sync run queued or running.
    const drainMs = await until('processing to finish', DRAIN_TIMEOUT_MS, async () => {
      const { statusCounts } = await browser.json<{ statusCounts: Record<string, number> }>(`/api/workspaces/${workspace.id}/webhooks?pageSize=1`);
      return (statusCounts.received ?? 0) + (statusCounts.processing ?? 0) === 0 && (await syncsIdle(browser, workspace.id));
    });
    await app.stop();
    app = null;

    const stored = await engine.query<{ event_id: string; status: string; duplicate_count: number }>(
      `select event_id, status, duplicate_count from public.webhook_events where verification = 'verified' and event_id is not null`,
    );
    const runs = await engine.query<{ status: string; n: number }>(
      `select status, count(*)::int as n from public.sync_runs where trigger = 'webhook' group by status order by status`,
    );
    const byKey = new Map(stored.map((row) => [row.event_id, row]));
    let lost = 0;
    let unprocessed = 0;
    let duplicatesAcked = 0;
    let duplicatesCounted = 0;
    for (const [key, acks] of ledger.acked) {
      duplicatesAcked += acks - 1;
      const row = byKey.get(key);
      if (!row) lost += 1;
      else {
        duplicatesCounted += Number(row.duplicate_count);
        if (row.status !== 'processed' && row.status !== 'ignored') unprocessed += 1;
      }
    }
    const statuses = new Map<string, number>();
    for (const row of stored) statuses.set(row.status, (statuses.get(row.status) ?? 0) + 1);

    const measured2xx = result['2xx'];
    const perSecond = measured2xx / result.duration;
    const other = [...ledger.statuses].filter(([status]) => status < 200 || status >= 300);
    const met =
      perSecond >= TARGET.perSecond && result.latency.p99 < TARGET.p99Ms && lost === 0 && unprocessed === 0 && other.length === 0 && result.errors === 0;
    const rows: [string, string][] = [
      ['engine', engine.label],
      ['load', `${CONNECTIONS} connections for ${result.duration.toFixed(1)} s (after ${WARMUP_SECONDS} s warm-up), ${fmt(ledger.sent - before.sent)} sent, ${fmt(ledger.duplicatesSent - before.duplicates)} of them duplicates`],
      ['acknowledged/s (verified, stored)', `${fmt(perSecond)}  (${fmt(measured2xx)} in ${result.duration.toFixed(1)} s)`],
      ['ack latency p50 / p90 / p99', `${result.latency.p50} / ${result.latency.p90} / ${result.latency.p99} ms (max ${result.latency.max} ms)`],
      ['errors / non-2xx / timeouts', `${result.errors} / ${result.non2xx} / ${result.timeouts}${other.length ? ` (${other.map(([s, n]) => `${s}×${n}`).join(', ')})` : ''}`],
      ['machine load (1/5/15 min)', `${loadBefore} before, ${loadAfter} after`],
      // The app's own cost, and the database's beside it (the embedded server is the app's child;
      // a PostgreSQL server is read by its postmaster's pid): what one core could each sustain.
      ...(cpuBefore !== null && cpuAfter !== null && measured2xx > 0
        ? cpuRows(
            cpuAfter.self - cpuBefore.self,
            serverBefore && serverAfter
              ? serverAfter.self + serverAfter.descendants - serverBefore.self - serverBefore.descendants
              : cpuAfter.descendants - cpuBefore.descendants,
            measured2xx,
          )
        : []),
      ['— including warm-up —', ''],
      ['unique deliveries acknowledged', fmt(ledger.acked.size)],
      ['stored / processed of those', `${fmt(ledger.acked.size - lost)} / ${fmt(ledger.acked.size - lost - unprocessed)}`],
      // Counted can exceed acknowledged by the sends still in flight when a run ended (stored, never answered).
      ['duplicates acknowledged / counted', `${fmt(duplicatesAcked)} / ${fmt(duplicatesCounted)} (answers said ${fmt(ledger.answeredDuplicates)})`],
      ['rows by status', [...statuses].map(([s, n]) => `${s} ${fmt(n)}`).join(', ')],
      ['webhook sync runs', runs.map((r) => `${r.status} ${r.n}`).join(', ') || 'none'],
      ['drained after the last request', `${(drainMs / 1000).toFixed(1)} s`],
      ['lost (acknowledged, not stored)', String(lost)],
      ['stored, not processed', String(unprocessed)],
    ];
    fs.rmSync(log, { force: true });
    return { engine: engine.label, rows, met };
  } catch (error) {
    console.error(`(the app's output is in ${log})`);
    throw error;
  } finally {
    await app?.stop();
  }
}

function print(outcome: Outcome) {
  const width = Math.max(...outcome.rows.map(([label]) => label.length));
  console.log(`\nbench:webhooks — ${outcome.engine}, next start (production build in ${DIST_DIR})`);
  console.log(outcome.rows.map(([label, value]) => (value ? `  ${label.padEnd(width)}  ${value}` : `  ${label}`)).join('\n'));
  console.log(`  target (≥ ${fmt(TARGET.perSecond)}/s, p99 < ${TARGET.p99Ms} ms, 0 lost, all processed): ${outcome.met ? 'met' : 'NOT met'}`);
}

/** Table rows for the CPU the app and the database spent per acknowledged delivery. */
function cpuRows(appSeconds: number, databaseSeconds: number, acknowledged: number): [string, string][] {
  const perDelivery = (seconds: number) => `${((1000 * seconds) / acknowledged).toFixed(2)} ms (${seconds.toFixed(1)} CPU s in all)`;
  const rows: [string, string][] = [['app CPU per acknowledged delivery', `${perDelivery(appSeconds)}; ${fmt(acknowledged / appSeconds)}/s per app CPU second`]];
  // The embedded database (the app's child) or a PostgreSQL server this bench started; an outside
  // server (BENCH_DATABASE_URL) cannot be measured from here.
  if (databaseSeconds > 0.05) rows.push(['database CPU per delivery', perDelivery(databaseSeconds)]);
  return rows;
}

async function main() {
  const engines = (process.env.BENCH_ENGINES ?? (process.env.BENCH_DATABASE_URL ? 'pglite,postgres' : 'pglite'))
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  for (const name of engines) if (name !== 'pglite' && name !== 'postgres') throw new Error(`BENCH_ENGINES: unknown engine "${name}" (pglite, postgres)`);
  ensureProductionBuild(DIST_DIR);
  const formats = await loadWireFormats();
  const sandbox = await startSandboxProcess();
  let pgDir: string | null = null;
  try {
    await fetch(`${sandbox.url}/_sandbox/knobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ autoApprove: true, dataset: { 'hubspot.contacts': HUBSPOT_CONTACTS, 'hubspot.deals': 0, 'square.customers': 500, 'square.bookings': 0 } }),
    });
    let adminUrl = process.env.BENCH_DATABASE_URL ?? null;
    let serverPid: number | null = null;
    if (engines.includes('postgres') && !adminUrl) {
      pgDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ih-bench-webhooks-pg-'));
      const started = spawnSync('bash', ['scripts/postgres-server.sh', 'start', pgDir, String(await freePort())], { encoding: 'utf8' });
      if (started.status !== 0) throw new Error(`could not start PostgreSQL 15: ${started.stderr}`);
      adminUrl = started.stdout.trim();
      serverPid = Number(fs.readFileSync(path.join(pgDir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
    }
    const outcomes: Outcome[] = [];
    for (const name of engines) {
      const engine = name === 'pglite' ? await pgliteEngine() : await postgresEngine(adminUrl!, serverPid);
      try {
        const outcome = await benchEngine(engine, sandbox.url, formats);
        print(outcome);
        outcomes.push(outcome);
      } finally {
        await engine.cleanup();
      }
    }
    console.log(`\n  ${outcomes.every((o) => o.met) ? 'every engine met the target' : 'target NOT met on every engine'}\n`);
  } finally {
    sandbox.child.kill();
    if (pgDir) {
      spawnSync('bash', ['scripts/postgres-server.sh', 'stop', pgDir]);
      fs.rmSync(pgDir, { recursive: true, force: true });
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
