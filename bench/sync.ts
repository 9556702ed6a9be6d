// npm run bench:sync — syncs N sandbox contacts (default 100,000) into PGlite and into PostgreSQL
// 15, re-syncs them unchanged, and measures, in the same run on the same server, a raw COPY of the
// same rows as the ceiling. Two providers: Salesforce (batches of 2,000) and HubSpot (pages of 100,
// so HTTP round trips to the sandbox weigh more). Prints records/s and the peak RSS of the syncing
// process; the sandbox runs in its own process, and PGlite's data directory is created beforehand
// so its one-off initdb is not counted (the RSS at rest column shows what an idle database costs).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { openDatabase, rowsOf, type Database } from '../lib/db/engine';
import { migrate } from '../lib/db/migrate';
import { createWorkspace } from '../lib/workspaces/workspaces';
import { SyncRunner } from '../lib/sync/runner';
import { requestSync } from '../lib/sync/runs';
import { createLocalAccount } from '../lib/auth/local-accounts';
import { connectViaSandbox } from '../tests/support/connect';
import { freePort, startSandboxProcess } from './processes';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 100_000);
const PROVIDERS = {
  salesforce: { label: 'Salesforce contacts', dataset: { 'salesforce.contacts': RECORDS, 'salesforce.opportunities': 0 }, resource: 'contacts' },
  hubspot: { label: 'HubSpot contacts', dataset: { 'hubspot.contacts': RECORDS, 'hubspot.deals': 0 }, resource: 'contacts' },
} as const;
type ProviderId = keyof typeof PROVIDERS;
const providerIds = (process.env.BENCH_PROVIDERS ?? 'salesforce,hubspot').split(',') as ProviderId[];
const engines = (process.env.BENCH_ENGINES ?? 'pglite,postgres').split(',') as ('pglite' | 'postgres')[];
// The benchmark drives runs itself; connecting must not start a background runner as well.
process.env.JOB_RUNNER = 'none';

function peakRss() {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 25);
  return { stop: () => (clearInterval(timer), Math.max(peak, process.memoryUsage().rss)) };
}

async function timed<T>(work: () => Promise<T>): Promise<{ seconds: number; result: T }> {
  const started = process.hrtime.bigint();
  const result = await work();
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, result };
}

async function benchProvider(engine: string, database: Database, sandboxUrl: string, providerId: ProviderId) {
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

  const atRest = process.memoryUsage().rss;
  const rss = peakRss();
  const first = await timed(() => sync('full'));
  const unchangedFull = await timed(() => sync('full'));
  const unchangedIncremental = await timed(() => sync('incremental'));
  const peak = rss.stop();

  // The ceiling: COPY the same rows (as stored) into an empty table of the same shape.
  const rows = rowsOf<{ external_id: string; raw: string; content_hash: string }>(
    await database.db.execute(sql`select external_id, raw::text as raw, content_hash from public.synced_records where connection_id = ${connectionId}`),
  );
  const csvField = (value: string) => `"${value.replace(/"/g, '""')}"`;
  const csv = rows
    .map((r) => [workspaceId, connectionId, bench.resource, r.external_id, csvField(r.raw), r.content_hash].join(','))
    .join('\n');
  // Same columns, defaults and indexes as synced_records: the ceiling pays for the same indexes.
  await database.execScript('create table public.bench_copy (like public.synced_records including defaults including indexes)');
  const copy = await timed(() =>
    database.copyCsv('public.bench_copy', ['workspace_id', 'connection_id', 'resource', 'external_id', 'raw', 'content_hash'], `${csv}\n`),
  );
  await database.execScript('drop table public.bench_copy');
  if (rows.length !== RECORDS) throw new Error(`stored ${rows.length} records, expected ${RECORDS}`);

  const rate = (seconds: number) => Math.round(RECORDS / seconds);
  const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
  return {
    engine,
    records: bench.label,
    'first sync rec/s': rate(first.seconds),
    'unchanged full rec/s': rate(unchangedFull.seconds),
    'unchanged incr. s': unchangedIncremental.seconds.toFixed(2),
    'COPY rec/s': rate(copy.seconds),
    'sync / COPY': `${Math.round((100 * copy.seconds) / first.seconds)}%`,
    'unchanged speed-up': `${(first.seconds / unchangedFull.seconds).toFixed(1)}×`,
    'RSS at rest MB': mb(atRest),
    'peak RSS MB': mb(peak),
  };
}

async function benchEngine(name: string, database: Database, sandboxUrl: string, providerId: ProviderId) {
  await migrate(database);
  return benchProvider(name, database, sandboxUrl, providerId);
}

/** One engine and provider per child process, so each peak RSS is that run's alone. */
async function runEngine(engine: 'pglite' | 'postgres', dir: string, sandboxUrl: string, providerId: ProviderId): Promise<Record<string, unknown>> {
  try {
    if (engine === 'pglite') {
      const pglite = await openDatabase({ engine: 'pglite', dataDir: path.join(dir, 'pglite') });
      try {
        return await benchEngine('PGlite (on disk)', pglite, sandboxUrl, providerId);
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
  if (engine === 'pglite' || engine === 'postgres') {
    process.env.PROVIDER_SANDBOX_URL = sandboxUrl;
    console.log(`RESULT ${JSON.stringify(await runEngine(engine, dir, sandboxUrl, providerId as ProviderId))}`);
    return;
  }
  const sandbox = await startSandboxProcess();
  const results = [];
  try {
    for (const [name, providerId] of engines.flatMap((e) => providerIds.map((p) => [e, p] as const))) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ih-bench-'));
      if (name === 'pglite') await preparePglite(dir);
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
  console.log(`\nSync benchmark: ${RECORDS.toLocaleString('en')} sandbox contacts per provider (Salesforce batches of 2,000; HubSpot pages of 100)\n`);
  console.table(results);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
