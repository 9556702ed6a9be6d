// npm run bench:sync — syncs N sandbox contacts (default 100,000) into PGlite and into PostgreSQL
// 15, re-syncs them unchanged, and measures, in the same run on the same server, a raw COPY of the
// same rows as the ceiling. Two providers: Salesforce (batches of 2,000) and HubSpot (pages of 100,
// so HTTP round trips to the sandbox weigh more). The sandbox runs in its own process, and PGlite's
// data directory is created beforehand so its one-off initdb is not counted.
//
// Engines (BENCH_ENGINES, default `pglite,postgres`): `pglite` is the app's embedded database as
// the app runs it, in its own process over the wire protocol (lib/db/embedded-process.ts);
// `pglite-in-process` is PGlite inside the syncing process, as the app ran it before (and as tests
// and scripts still do), for comparison; `postgres` is a PostgreSQL 15 server.
//
// While the first full sync runs, the dashboard is in use: up to 4 requests a second (one at a time,
// as a person browsing) to the records list and the overview, through the route handlers themselves (bench/next-headers-shim.ts, as in
// bench/dashboard.ts). Printed per run: records/s, the app process's peak RSS and the database
// process's (PGlite's own process; PostgreSQL's server is not counted), the app's event-loop delay
// p99 and max during that sync (perf_hooks.monitorEventLoopDelay), and the dashboard requests'
// p50/p95. Goals (issue 15): app peak RSS < 300 MB, event-loop delay p99 < 50 ms.
//
// Memory: "app peak RSS" and the database process's peak cover the three syncs (first full,
// unchanged full, unchanged incremental) and nothing else; a second table prints, per phase (the
// three syncs, then the COPY ceiling), the peaks of the app's RSS, V8 heapUsed and external memory
// and of the database process's RSS. The ceiling reads and copies 5,000 rows at a time, so the app
// never holds all the rows. V8 grows its heap lazily while memory is plentiful: to see what the app
// needs rather than what it was allowed, cap it, e.g. NODE_OPTIONS=--max-old-space-size=160.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { sql } from 'drizzle-orm';
import { openEmbeddedDatabase } from '../lib/db/embedded-process';
import { openDatabase, rowsOf, type Database } from '../lib/db/engine';
import { createSession } from '../lib/auth/sessions';
import { SESSION_COOKIE } from '../lib/auth/session-token';
import { migrate } from '../lib/db/migrate';
import { createWorkspace } from '../lib/workspaces/workspaces';
import { SyncRunner } from '../lib/sync/runner';
import { requestSync } from '../lib/sync/runs';
import { createLocalAccount } from '../lib/auth/local-accounts';
import { connectViaSandbox } from '../tests/support/connect';
import { installNextHeadersShim, inRequest } from './next-headers-shim';
import { freePort, startSandboxProcess } from './processes';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 100_000);
const PROVIDERS = {
  salesforce: { label: 'Salesforce contacts', dataset: { 'salesforce.contacts': RECORDS, 'salesforce.opportunities': 0 }, resource: 'contacts' },
  hubspot: { label: 'HubSpot contacts', dataset: { 'hubspot.contacts': RECORDS, 'hubspot.deals': 0 }, resource: 'contacts' },
} as const;
type ProviderId = keyof typeof PROVIDERS;
const providerIds = (process.env.BENCH_PROVIDERS ?? 'salesforce,hubspot').split(',') as ProviderId[];
type Engine = 'pglite' | 'pglite-in-process' | 'postgres';
const engines = (process.env.BENCH_ENGINES ?? 'pglite,postgres').split(',') as Engine[];
/** Dashboard requests per second while the first sync runs (at most: the next waits for the answer). */
const DASHBOARD_RPS = Number(process.env.BENCH_DASHBOARD_RPS ?? 4);
// The benchmark drives runs itself; connecting must not start a background runner as well.
process.env.JOB_RUNNER = 'none';

/** Resident memory of another process (Linux /proc), in bytes; 0 when unknown. */
function rssOf(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Peak memory of one phase: this process's RSS and V8 heap, and the database process's RSS. */
interface PhasePeak {
  app: number;
  heapUsed: number;
  external: number;
  database: number;
}

/**
 * Samples memory every 25 ms until stopped: this process's RSS, heapUsed and external (which
 * includes arrayBuffers), and, when given, the database process's RSS. The sampler keeps four
 * numbers, so it adds nothing to what it measures.
 */
function peakMemory(databasePid?: number) {
  const peak: PhasePeak = { app: 0, heapUsed: 0, external: 0, database: 0 };
  const sample = () => {
    const usage = process.memoryUsage();
    peak.app = Math.max(peak.app, usage.rss);
    peak.heapUsed = Math.max(peak.heapUsed, usage.heapUsed);
    peak.external = Math.max(peak.external, usage.external);
    if (databasePid) peak.database = Math.max(peak.database, rssOf(databasePid));
  };
  sample();
  const timer = setInterval(sample, 25);
  return {
    stop: (): PhasePeak => {
      clearInterval(timer);
      sample();
      return { ...peak };
    },
  };
}

/** Runs one phase of the benchmark and answers its duration and memory peaks. */
async function phase<T>(databasePid: number | undefined, work: () => Promise<T>): Promise<{ seconds: number; result: T; peak: PhasePeak }> {
  const memory = peakMemory(databasePid);
  try {
    const { seconds, result } = await timed(work);
    return { seconds, result, peak: memory.stop() };
  } finally {
    memory.stop();
  }
}

type RouteModule = { GET: (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response> };

/**
 * Uses the dashboard while a sync runs, as a person would: one request at a time, alternating the
 * records list and the overview, each through its route handler with a real session cookie, then
 * a pause of 1/DASHBOARD_RPS s before the next (a closed loop: a slow answer delays the next
 * request instead of piling requests up). Returns the stop function, which answers the requests'
 * times (ms) and fails if any answered other than 200.
 */
async function browseDashboard(database: Database, userId: string, workspaceId: string, connectionId: string) {
  const session = await createSession(database.db, userId);
  if (!session) throw new Error('no session');
  const W = 'app/api/workspaces/[workspaceId]';
  const load = async (file: string) => (await import(pathToFileURL(path.resolve(file)).href)) as RouteModule;
  const routes: { module: RouteModule; url: string; params: Record<string, string> }[] = [
    { module: await load(`${W}/connections/[connectionId]/records/route.ts`), url: `/api/workspaces/${workspaceId}/connections/${connectionId}/records`, params: { workspaceId, connectionId } },
    { module: await load(`${W}/overview/route.ts`), url: `/api/workspaces/${workspaceId}/overview`, params: { workspaceId } },
  ];
  const times: number[] = [];
  const failures: string[] = [];
  let running = true;
  const browsing = (async () => {
    for (let n = 0; running; n++) {
      const route = routes[n % routes.length];
      await inRequest({ cookies: { [SESSION_COOKIE]: session.token }, headers: { host: 'localhost' } }, async () => {
        const started = performance.now();
        const response = await route.module.GET(new Request(`http://localhost${route.url}`), { params: Promise.resolve(route.params) });
        await response.text();
        times.push(performance.now() - started);
        if (response.status !== 200) failures.push(`${route.url}: ${response.status}`);
      }).catch((error: Error) => void failures.push(error.message));
      await new Promise((resolve) => setTimeout(resolve, 1000 / DASHBOARD_RPS));
    }
  })();
  return async () => {
    running = false;
    await browsing;
    if (failures.length > 0) throw new Error(`dashboard requests failed: ${failures.slice(0, 3).join('; ')}`);
    return times.sort((a, b) => a - b);
  };
}

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : 0);

async function timed<T>(work: () => Promise<T>): Promise<{ seconds: number; result: T }> {
  const started = process.hrtime.bigint();
  const result = await work();
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, result };
}

/** Rows per COPY of the ceiling: the app holds one chunk's rows and CSV at a time, never all 100,000. */
const CEILING_CHUNK = 5_000;

/**
 * The ceiling: COPY the connection's rows (as stored) into an empty table of the same shape, a
 * chunk at a time (keyset on external_id). Only the COPY statements are timed, not the reads.
 */
async function copyCeiling(database: Database, workspaceId: string, connectionId: string, resource: string) {
  const csvField = (value: string) => `"${value.replace(/"/g, '""')}"`;
  // Same columns, defaults and indexes as synced_records: the ceiling pays for the same indexes.
  await database.execScript('create table public.bench_copy (like public.synced_records including defaults including indexes)');
  let copySeconds = 0;
  let rows = 0;
  try {
    for (let after = ''; ; ) {
      const chunk = rowsOf<{ external_id: string; raw: string; content_hash: string }>(
        await database.db.execute(sql`
          select external_id, raw::text as raw, content_hash from public.synced_records
          where connection_id = ${connectionId} and resource = ${resource} and external_id > ${after}
          order by external_id limit ${CEILING_CHUNK}`),
      );
      if (chunk.length === 0) break;
      const csv = chunk.map((r) => [workspaceId, connectionId, resource, r.external_id, csvField(r.raw), r.content_hash].join(',')).join('\n');
      const copy = await timed(() =>
        database.copyCsv('public.bench_copy', ['workspace_id', 'connection_id', 'resource', 'external_id', 'raw', 'content_hash'], `${csv}\n`),
      );
      copySeconds += copy.seconds;
      rows += chunk.length;
      after = chunk[chunk.length - 1].external_id;
    }
  } finally {
    await database.execScript('drop table public.bench_copy');
  }
  return { copySeconds, rows };
}

async function benchProvider(engine: string, database: Database, sandboxUrl: string, providerId: ProviderId, databasePid?: number) {
  const bench = PROVIDERS[providerId];
  const user = await createLocalAccount(database.db, { email: `bench-${providerId}-${Date.now()}@example.test`, password: 'bench password 1' });
  const workspaceId = (await createWorkspace(database.db, user, 'Bench')).id;
  await fetch(`${sandboxUrl}/_sandbox/knobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ autoApprove: true, dataset: bench.dataset }),
  });
  const { connectionId } = await connectViaSandbox(database.db, user, workspaceId, providerId);
  const runner = new SyncRunner(database.db);
  const sync = async (mode: 'full' | 'incremental') => {
    const { runId } = await requestSync(database.db, { workspaceId, connectionId, trigger: 'manual', mode });
    const outcome = await runner.runToEnd(runId);
    if (outcome !== 'succeeded') throw new Error(`${mode} sync ${outcome}`);
  };

  const atRest = process.memoryUsage();
  const databaseAtRest = databasePid ? rssOf(databasePid) : 0;
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  const stopDashboard = await browseDashboard(database, user.userId, workspaceId, connectionId);
  loopDelay.enable();
  const first = await phase(databasePid, () => sync('full'));
  loopDelay.disable();
  const dashboard = await stopDashboard();
  const unchangedFull = await phase(databasePid, () => sync('full'));
  const unchangedIncremental = await phase(databasePid, () => sync('incremental'));
  const ceiling = await phase(databasePid, () => copyCeiling(database, workspaceId, connectionId, bench.resource));
  if (ceiling.result.rows !== RECORDS) throw new Error(`stored ${ceiling.result.rows} records, expected ${RECORDS}`);
  const copySeconds = ceiling.result.copySeconds;

  const rate = (seconds: number) => Math.round(RECORDS / seconds);
  const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
  return {
    engine,
    records: bench.label,
    'first sync rec/s': rate(first.seconds),
    'unchanged full rec/s': rate(unchangedFull.seconds),
    'unchanged incr. s': unchangedIncremental.seconds.toFixed(2),
    'COPY rec/s': rate(copySeconds),
    'sync / COPY': `${Math.round((100 * copySeconds) / first.seconds)}%`,
    'unchanged speed-up': `${(first.seconds / unchangedFull.seconds).toFixed(1)}×`,
    'app RSS at rest MB': mb(atRest.rss),
    // The syncs only (first, unchanged full, unchanged incremental): the ceiling is reported apart.
    'app peak RSS MB': mb(Math.max(first.peak.app, unchangedFull.peak.app, unchangedIncremental.peak.app)),
    'DB process RSS at rest / peak MB': databasePid
      ? `${mb(databaseAtRest)} / ${mb(Math.max(first.peak.database, unchangedFull.peak.database, unchangedIncremental.peak.database))}`
      : engine.includes('in process') ? 'in app' : '(server)',
    'loop delay p99 / max ms': `${(loopDelay.percentile(99) / 1e6).toFixed(1)} / ${(loopDelay.max / 1e6).toFixed(1)}`,
    'dashboard p50 / p95 ms': `${percentile(dashboard, 0.5).toFixed(0)} / ${percentile(dashboard, 0.95).toFixed(0)} (${dashboard.length})`,
    phases: {
      'at rest': { app: mb(atRest.rss), heap: mb(atRest.heapUsed), external: mb(atRest.external), database: mb(databaseAtRest) },
      ...Object.fromEntries(
        (
          [
            ['first sync', first.peak],
            ['unchanged full', unchangedFull.peak],
            ['unchanged incr.', unchangedIncremental.peak],
            ['COPY ceiling', ceiling.peak],
          ] as const
        ).map(([name, p]) => [name, { app: mb(p.app), heap: mb(p.heapUsed), external: mb(p.external), database: mb(p.database) }]),
      ),
    },
  };
}

async function benchEngine(name: string, database: Database, sandboxUrl: string, providerId: ProviderId, databasePid?: number) {
  await migrate(database);
  // The dashboard's route handlers reach the database through getAppDatabase(): hand them this one.
  (globalThis as Record<symbol, unknown>)[Symbol.for('integration-hub.database')] = Promise.resolve(database);
  return benchProvider(name, database, sandboxUrl, providerId, databasePid);
}

/** One engine and provider per child process, so each peak RSS is that run's alone. */
async function runEngine(engine: Engine, dir: string, sandboxUrl: string, providerId: ProviderId): Promise<Record<string, unknown>> {
  installNextHeadersShim();
  try {
    if (engine === 'pglite') {
      const pglite = await openEmbeddedDatabase(path.join(dir, 'pglite'));
      try {
        return await benchEngine('PGlite (own process)', pglite, sandboxUrl, providerId, pglite.serverPid);
      } finally {
        await pglite.close();
      }
    }
    if (engine === 'pglite-in-process') {
      const pglite = await openDatabase({ engine: 'pglite', dataDir: path.join(dir, 'pglite') });
      try {
        return await benchEngine('PGlite (in process)', pglite, sandboxUrl, providerId);
      } finally {
        await pglite.close();
      }
    }
    let url = process.env.BENCH_DATABASE_URL;
    // Its own temp dir: postgres (not root) must own it, and a root-only parent would block it.
    const pgDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ih-bench-pg-'));
    if (!url) url = execFileSync('bash', ['scripts/postgres-server.sh', 'start', pgDir, String(await freePort())], { encoding: 'utf8' }).trim();
    const postgres = await openDatabase({ engine: 'postgres', url, max: 4 });
    try {
      return await benchEngine('PostgreSQL 15', postgres, sandboxUrl, providerId);
    } finally {
      await postgres.close();
      if (!process.env.BENCH_DATABASE_URL) execFileSync('bash', ['scripts/postgres-server.sh', 'stop', pgDir]);
      fs.rmSync(pgDir, { recursive: true, force: true });
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** PGlite's initdb runs once per data directory; do it here, outside the measured process. */
async function preparePglite(dir: string): Promise<void> {
  const pglite = await openDatabase({ engine: 'pglite', dataDir: path.join(dir, 'pglite') });
  await migrate(pglite);
  await pglite.close();
}

async function main() {
  const [engine, dir, sandboxUrl, providerId] = process.argv.slice(2);
  if (engine === 'pglite' || engine === 'pglite-in-process' || engine === 'postgres') {
    process.env.PROVIDER_SANDBOX_URL = sandboxUrl;
    console.log(`RESULT ${JSON.stringify(await runEngine(engine, dir, sandboxUrl, providerId as ProviderId))}`);
    return;
  }
  const sandbox = await startSandboxProcess();
  const results = [];
  try {
    for (const [name, providerId] of engines.flatMap((e) => providerIds.map((p) => [e, p] as const))) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ih-bench-'));
      if (name.startsWith('pglite')) await preparePglite(dir);
      const output = execFileSync(process.execPath, ['--import', 'tsx', 'bench/sync.ts', name, dir, sandbox.url, providerId], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
        maxBuffer: 64 * 1024 * 1024,
      });
      const line = output.split('\n').find((l) => l.startsWith('RESULT '));
      if (!line) throw new Error(`the ${name} benchmark printed no result`);
      results.push(JSON.parse(line.slice('RESULT '.length)));
    }
  } finally {
    sandbox.child.kill('SIGTERM');
  }
  console.log(`\nSync benchmark: ${RECORDS.toLocaleString('en')} sandbox contacts per provider (Salesforce batches of 2,000; HubSpot pages of 100)`);
  console.log(`Loop delay and dashboard times: during the first full sync, with up to ${DASHBOARD_RPS} dashboard requests/s, one at a time. Goals: app peak RSS < 300 MB, loop delay p99 < 50 ms.`);
  const heapCap = /--max-old-space-size=(\d+)/.exec(process.env.NODE_OPTIONS ?? '');
  console.log(`App heap: ${heapCap ? `capped at ${heapCap[1]} MB (NODE_OPTIONS)` : "V8's default limit (it grows its heap lazily: see the header)"}`);
  console.log(`Load average now: ${os.loadavg().map((l) => l.toFixed(2)).join(', ')} (${os.cpus().length} CPUs)\n`);
  // Per phase: peak app RSS, V8 heapUsed, external (Buffers, ArrayBuffers) and database-process RSS, MB.
  console.table(results.map(({ phases: _phases, ...row }) => row));
  console.log('\nMemory per phase, peaks in MB (app RSS / V8 heapUsed / external / DB process RSS; 0: no own DB process):');
  for (const result of results) {
    console.log(`${result.engine}, ${result.records}:`);
    console.table(result.phases);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
