// npm run bench:dashboard — the dashboard's API at volume (issue 15). Seeds one workspace with
// 1,000 connections, 100,000 sync runs, 1,000,000 records, 1,000,000 webhook deliveries and
// 100,000 activity rows (plus 10,000 action log rows), then measures every dashboard list and
// detail route's server time — first page, a deep page, each filter, record search, a run's
// detail, the overview, issues, activity, webhooks and the action log — and prints p50/p95 per
// route against the targets: p95 < 100 ms for every list and detail, record search < 200 ms.
// Then it times every workspace page through `next start` (the production build, on the same
// database) against the list target.
//
// How it measures. Each engine runs in a child process of its own (this file with `engine`), as
// the app does: the app's database singleton (lib/db/app-database.ts) opens PGlite in a scratch
// directory, or a scratch database on BENCH_DATABASE_URL's server (dropped afterwards). The
// ROUTE HANDLERS themselves (app/api/**/route.ts) are called in process with a real `Request` and
// a real session cookie (a row in app_private.sessions, resolved by getSession like any request),
// through bench/next-headers-shim.ts standing in for Next's request scope; the time is from the
// call to the whole JSON body read, so it includes the session lookup, zod, RLS, the queries and
// serialisation, but not Next's router or the network.
//
// Seeding is set-based SQL (generate_series inside INSERT … SELECT, on the service path) on both
// engines: on PGlite it is the fast path (COPY would first build a million CSV lines in the
// WebAssembly heap), and on PostgreSQL it costs about what COPY does without the client shipping
// the rows. After seeding, ANALYZE runs once, as autovacuum would on a server (PGlite has none).
//
// Knobs: BENCH_SCALE (default 1; 0.1 seeds a tenth), BENCH_SAMPLES (timed calls per route,
// default 20), BENCH_ENGINES=pglite,postgres, BENCH_DATABASE_URL (or DATABASE_URL) for the
// PostgreSQL run, BENCH_EXPLAIN=1 prints the plans of the record search's steps, BENCH_REUSE=1
// keeps the seeded database (PostgreSQL: ih_bench_dashboard_keep_<scale>; PGlite: a directory
// under the temp dir) and measures it again on the next run without seeding (new migrations are
// applied to it first, as on any start). BENCH_PAGES=0 skips the pages; NEXT_DIST_DIR and
// BENCH_BUILD choose and build the production build as for bench:webhooks (bench/processes.ts).
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureProductionBuild, startNextApp } from './processes';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 20);
const WARMUP = 2;
/** BENCH_PAGES=0 skips timing the pages through `next start` (which needs a production build). */
const PAGES = process.env.BENCH_PAGES !== '0';
const DIST_DIR = process.env.NEXT_DIST_DIR ?? '.next';
/** BENCH_REUSE=1: seed a kept database once (per engine and scale), measure it again later. */
const REUSE = process.env.BENCH_REUSE === '1';
const WORKSPACE_NAME = 'Dashboard bench';
const COUNTS = {
  connections: Math.max(10, Math.round(1_000 * SCALE)),
  runs: Math.round(100_000 * SCALE),
  records: Math.round(1_000_000 * SCALE),
  webhooks: Math.round(1_000_000 * SCALE),
  activity: Math.round(100_000 * SCALE),
  actionLogs: Math.round(10_000 * SCALE),
};
/** Share of the records held by the one big connection (the rest spread over the others). */
const BIG_SHARE = 0.9;
const TARGET_LIST_MS = 100;
const TARGET_SEARCH_MS = 200;

interface RouteResult {
  route: string;
  kind: 'list' | 'search' | 'detail' | 'page';
  status: number;
  p50: number;
  p95: number;
  rows: string;
}

interface EngineReport {
  engine: string;
  seedSeconds: Record<string, number>;
  results: RouteResult[];
}

// ---------------------------------------------------------------------------------------------
// The parent: one child per engine, then the tables.

async function main() {
  const url = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
  const engines = (process.env.BENCH_ENGINES ?? (url ? 'pglite,postgres' : 'pglite')).split(',').map((e) => e.trim());
  console.log(
    `Seeding per engine: ${COUNTS.connections.toLocaleString('en')} connections, ${COUNTS.runs.toLocaleString('en')} sync runs, ` +
      `${COUNTS.records.toLocaleString('en')} records, ${COUNTS.webhooks.toLocaleString('en')} webhook deliveries, ` +
      `${COUNTS.activity.toLocaleString('en')} activity rows, ${COUNTS.actionLogs.toLocaleString('en')} action log rows; ${SAMPLES} timed calls per route.`,
  );
  // Pages are timed through the production server: build it first (once), as bench:webhooks does.
  if (PAGES) ensureProductionBuild(DIST_DIR);
  const reports: EngineReport[] = [];
  for (const engine of engines) {
    if (engine === 'postgres' && !url) {
      console.log('postgres: skipped (set BENCH_DATABASE_URL)');
      continue;
    }
    reports.push(await runChild(engine, url));
  }
  for (const report of reports) {
    const seeding = Object.entries(report.seedSeconds).map(([what, s]) => `${what} ${s.toFixed(1)} s`);
    console.log(`\n${report.engine}: ${seeding.length ? `seeded in ${seeding.join(', ')}` : 'a kept database, seeded earlier (BENCH_REUSE)'}`);
    console.table(
      report.results.map((r) => {
        const target = r.kind === 'search' ? TARGET_SEARCH_MS : TARGET_LIST_MS;
        return {
          route: r.route,
          status: r.status,
          'p50 ms': Number(r.p50.toFixed(1)),
          'p95 ms': Number(r.p95.toFixed(1)),
          target: `< ${target}`,
          met: r.status === 200 && r.p95 < target ? 'yes' : 'NO',
          rows: r.rows,
        };
      }),
    );
  }
}

function runChild(engine: string, url: string | undefined): Promise<EngineReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', __filename, 'engine', engine], {
      env: { ...process.env, BENCH_CHILD_URL: url ?? '' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.on('message', (message: { kind: string; report?: EngineReport; error?: string }) => {
      if (message.kind === 'report' && message.report) resolve(message.report);
      if (message.kind === 'failed') reject(new Error(message.error));
    });
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`the ${engine} run exited with ${code}`));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// The child: seed, then measure.

async function child(engine: string) {
  const { installNextHeadersShim, inRequest } = await import('./next-headers-shim');
  installNextHeadersShim();
  let dropDatabase = async () => {};
  let pgliteDir: string | null = null;
  if (engine === 'postgres') {
    const postgres = (await import('postgres')).default;
    const admin = postgres(process.env.BENCH_CHILD_URL!, { max: 1, onnotice: () => {} });
    // BENCH_REUSE keeps one database per scale and seeds it only once: seeding at full scale
    // takes minutes, and re-measuring after a change to a query or a migration does not need it.
    const name = REUSE ? `ih_bench_dashboard_keep_${String(SCALE).replace(/\W/g, '_')}` : `ih_bench_dashboard_${crypto.randomBytes(4).toString('hex')}`;
    const exists = (await admin`select 1 from pg_database where datname = ${name}`).length > 0;
    if (!exists) await admin.unsafe(`create database ${name}`);
    const scratch = new URL(process.env.BENCH_CHILD_URL!);
    scratch.pathname = `/${name}`;
    process.env.DATABASE_URL = scratch.toString();
    dropDatabase = async () => {
      if (!REUSE) await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    };
  } else {
    delete process.env.DATABASE_URL;
    if (REUSE) {
      const kept = path.join(os.tmpdir(), `ih-bench-dashboard-keep-${String(SCALE).replace(/\W/g, '_')}`);
      fs.mkdirSync(kept, { recursive: true });
      process.env.PGLITE_DIR = path.join(kept, 'pglite');
    } else {
      pgliteDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ih-bench-dashboard-'));
      process.env.PGLITE_DIR = path.join(pgliteDir, 'pglite');
    }
  }
  process.env.SEED_DEMO = '0';
  try {
    const { getAppDatabase } = await import('../lib/db/app-database');
    const database = await getAppDatabase();
    const seeded = (REUSE ? await reuseSeeded(database) : null) ?? (await seed(database));
    const measured = await measure(seeded, inRequest, engine);
    const label = `${engine}${database.engine === 'pglite' ? ' (PGlite)' : ' (PostgreSQL)'}`;
    // The embedded database admits one process: this one lets go before `next start` opens it.
    await database.close();
    if (PAGES) measured.push(...(await measurePages(seeded, engine)));
    process.send!({ kind: 'report', report: { engine: label, seedSeconds: seeded.seconds, results: measured } });
  } finally {
    await dropDatabase();
    if (pgliteDir) fs.rmSync(pgliteDir, { recursive: true, force: true });
  }
}

interface Seeded {
  workspaceId: string;
  cookie: string;
  bigConnectionId: string;
  otherConnectionId: string;
  runId: string;
  eventId: string;
  actorId: string;
  searchEmail: string;
  searchExternalId: string;
  seconds: Record<string, number>;
}

async function seed(database: import('../lib/db/engine').Database): Promise<Seeded> {
  const { sql } = await import('drizzle-orm');
  const { rowsOf } = await import('../lib/db/engine');
  const { createLocalAccount } = await import('../lib/auth/local-accounts');
  const { createSession } = await import('../lib/auth/sessions');
  const { createWorkspace } = await import('../lib/workspaces/workspaces');
  const { providers } = await import('../lib/providers/registry');
  const { db } = database;
  const user = await createLocalAccount(db, { email: `bench-dashboard-${Date.now()}@example.test`, password: 'bench password 1' });
  const workspaceId = (await createWorkspace(db, user, WORKSPACE_NAME)).id;
  const session = await createSession(db, user.userId);
  if (!session) throw new Error('no session');
  const seconds: Record<string, number> = {};
  // A bulk load's usual fast path: the table's plain indexes are dropped for the load and built
  // again after it (one sorted build instead of a million insertions each); unique and primary
  // keys stay, so the load is checked as any insert would be.
  const withoutIndexes = async (table: string, script: string) => {
    const indexes = rowsOf<{ name: string; definition: string }>(
      await db.execute(sql`select i.indexname as name, i.indexdef as definition from pg_indexes i
        join pg_class c on c.relname = i.indexname join pg_index x on x.indexrelid = c.oid
        where i.schemaname = 'public' and i.tablename = ${table} and not x.indisunique`),
    );
    return `${indexes.map((i) => `drop index public.${i.name};`).join('\n')}\n${script}\n${indexes.map((i) => `${i.definition};`).join('\n')}`;
  };
  const timed = async (what: string, script: string, table?: string) => {
    const started = performance.now();
    await database.execScript(table ? await withoutIndexes(table, script) : script);
    seconds[what] = (performance.now() - started) / 1000;
    console.log(`${database.engine}: ${what} seeded in ${seconds[what].toFixed(1)} s`);
  };
  const ws = `'${workspaceId}'::uuid`;
  // Connection 0, the big one, gets a provider whose resources are the records' (contacts and
  // deals), so its mapping editor reads real samples; the others spread over every provider.
  const bigProvider = recordsProvider(providers);
  const providerIds = `array[${[bigProvider, ...providers.map((p) => p.id).filter((id) => id !== bigProvider)].map((id) => `'${id}'`).join(', ')}]`;
  const resources = `array['contacts', 'deals']`;
  const firstNames = `array['Ada','Grace','Alan','Edsger','Barbara','Donald','Frances','Ken','Margaret','Dennis','Radia','Tim','Hedy','John','Katherine','Linus','Sophie','Niklaus','Karen','Leslie']`;
  const lastNames = `array['Lovelace','Hopper','Turing','Dijkstra','Liskov','Knuth','Allen','Thompson','Hamilton','Ritchie','Perlman','Berners','Lamarr','Backus','Johnson','Torvalds','Wilson','Wirth','Jones','Lamport']`;
  const bigRecords = Math.round(COUNTS.records * BIG_SHARE);
  const others = COUNTS.connections - 1;

  // Connections: deterministic ids so the other tables can spread over them by number.
  await timed(
    'connections',
    `insert into public.connections (id, workspace_id, provider, display_name, auth_kind, status, account_id, account_label, resources, schedule, created_at, updated_at)
     select ${uuidOf(`'bench-connection-' || g`)}, ${ws}, (${providerIds})[1 + g % ${providers.length}],
            'Connection ' || lpad(g::text, 4, '0'), 'oauth2',
            (array['active','active','active','active','active','active','active','error','paused','needs_reauth'])[1 + g % 10],
            'account-' || g, 'account-' || g || '@example.test', '["contacts","deals"]'::jsonb, 'hourly',
            now() - (g || ' hours')::interval, now() - (g || ' minutes')::interval
     from generate_series(0, ${COUNTS.connections - 1}) g;`,
  );
  // Runs spread over 30 days; a few failed, a few still queued.
  await timed(
    'sync runs',
    `insert into public.sync_runs (id, workspace_id, connection_id, resource, trigger, mode, status, pages_done, records_fetched,
       records_created, records_updated, records_unchanged, records_failed, steps, error, queued_at, started_at, finished_at, created_at, updated_at)
     select ${uuidOf(`'bench-run-' || g`)}, ${ws}, ${uuidOf(`'bench-connection-' || (g % ${COUNTS.connections})`)},
            (${resources})[1 + g % 2], (array['schedule','schedule','schedule','manual','webhook'])[1 + g % 5]::text,
            case when g % 20 = 0 then 'full' else 'incremental' end,
            (array['succeeded','succeeded','succeeded','succeeded','succeeded','succeeded','partial','failed','cancelled','succeeded'])[1 + g % 10],
            1 + g % 7, g % 500, g % 50, g % 100, g % 350, case when g % 10 = 6 then 3 else 0 end,
            jsonb_build_array(jsonb_build_object('kind', 'started', 'at', now()), jsonb_build_object('kind', 'finished', 'at', now())),
            case when g % 10 = 7 then 'The provider answered 503' end,
            t, t + interval '1 second', t + interval '9 seconds', t, t
     from (select g, now() - ((g::bigint * 25920) % 2592000000) * interval '1 millisecond' as t
           from generate_series(1, ${COUNTS.runs}) g) s;`,
    'sync_runs',
  );
  // Records: BIG_SHARE in connection 0, the rest spread over the others; 1 in 100 deleted.
  await timed(
    'records',
    `insert into public.synced_records (workspace_id, connection_id, resource, external_id, raw, content_hash, first_seen_at, last_seen_at, deleted_at)
     select ${ws}, c, (${resources})[1 + (g % 5 = 0)::int], 'rec-' || g,
            jsonb_build_object('id', 'rec-' || g, 'properties', jsonb_build_object(
              'firstname', f, 'lastname', l, 'email', lower(f) || '.' || lower(l) || '.' || g || '@example.com',
              'phone', '+4420' || lpad((g % 100000000)::text, 8, '0'), 'company', l || ' Ltd', 'lifecyclestage', 'lead',
              'lastmodifieddate', to_char(t, 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))),
            md5(g::text), t - interval '30 days', t, case when g % 100 = 0 then t end
     from (select g, t,
                  case when g <= ${bigRecords} then ${uuidOf(`'bench-connection-0'`)}
                       else ${uuidOf(`'bench-connection-' || (1 + g % ${others})`)} end as c,
                  (${firstNames})[1 + g % 20] as f, (${lastNames})[1 + (g / 20) % 20] as l
           from (select g, now() - ((g::bigint * 2593) % 2592000) * interval '1 second' as t
                 from generate_series(1, ${COUNTS.records}) g) base) s;`,
    'synced_records',
  );
  await timed(
    'webhook deliveries',
    `insert into public.webhook_events (workspace_id, connection_id, provider, event_id, dedupe_key, event_type, verification, status,
       headers, payload, received_at, processed_at, scheme, resource, change, outcome, attempts)
     select ${ws}, ${uuidOf(`'bench-connection-' || (g % ${COUNTS.connections})`)}, (${providerIds})[1 + (g % ${COUNTS.connections}) % ${providers.length}],
            'evt-' || g, 'bench-' || g, 'contact.propertyChange', 'verified',
            (array['processed','processed','processed','processed','processed','processed','processed','ignored','failed','received'])[1 + g % 10],
            '{"content-type":"application/json"}'::jsonb, jsonb_build_object('eventId', g, 'objectId', g % 100000, 'propertyName', 'email'),
            t, t + interval '40 milliseconds', 'hmac', 'contacts', 'upsert', 'Stored 1 record', 1
     from (select g, now() - ((g::bigint * 2593) % 2592000000) * interval '1 millisecond' as t
           from generate_series(1, ${COUNTS.webhooks}) g) s;`,
    'webhook_events',
  );
  await timed(
    'activity',
    `insert into public.activity (workspace_id, actor_id, actor_email, action, target_type, target_id, details, created_at)
     select ${ws}, case when g % 3 = 0 then '${user.userId}'::uuid end, case when g % 3 = 0 then '${user.email}' end,
            (array['sync.completed','sync.failed','connection.connected','mapping.saved','connection.status_changed'])[1 + g % 5],
            'connection', md5('bench-connection-' || (g % ${COUNTS.connections}))::text, jsonb_build_object('records', g % 100),
            now() - ((g::bigint * 25920) % 2592000000) * interval '1 millisecond'
     from generate_series(1, ${COUNTS.activity}) g;`,
  );
  await timed(
    'action logs',
    `insert into public.action_logs (workspace_id, connection_id, provider, user_id, action, status, http_status, latency_ms, provider_requests, input, output, created_at)
     select ${ws}, ${uuidOf(`'bench-connection-' || (g % ${COUNTS.connections})`)}, (${providerIds})[1 + (g % ${COUNTS.connections}) % ${providers.length}],
            '${user.userId}'::uuid, (array['contacts.lookup','availability.get','appointments.create'])[1 + g % 3],
            case when g % 25 = 0 then 'failed' else 'succeeded' end, case when g % 25 = 0 then 502 else 200 end,
            20 + g % 300, 1, '{"email":"ada@example.com"}'::jsonb, '{"found":true}'::jsonb,
            now() - ((g::bigint * 259200) % 2592000000) * interval '1 millisecond'
     from generate_series(1, ${COUNTS.actionLogs}) g;`,
  );
  await timed('health issues', healthIssuesScript(ws));
  // A server's autovacuum would have analysed tables this size by now, and vacuumed them (which
  // sets the visibility map index-only scans rely on: without it the first minutes after the load
  // measured heap fetches, 1.3 s for the webhook list's counts). PGlite has no autovacuum, so it is
  // measured as an embedded install runs: analysed, never vacuumed.
  await timed('analyze', database.engine === 'pglite' ? 'analyze;' : 'vacuum analyze;');

  return { ...(await probes(database, workspaceId, user.userId, session.token)), seconds };
}

/**
 * Health issues: one open issue for each connection in a bad state (error, paused, needs_reauth:
 * 3 in 10), and a history of 20 resolved ones per connection, so the issues list, the overview's
 * worst issues and the connection list's health read a table of realistic size.
 */
function healthIssuesScript(ws: string): string {
  const issue = (kind: string, severity: string, title: string) =>
    `'${kind}', '${severity}', '${title}', 'Seeded by bench:dashboard.', '{"kind":"reconnect","label":"Reconnect","href":null}'::jsonb`;
  return `insert into public.health_issues (workspace_id, connection_id, kind, severity, title, explanation, fix, count, first_seen_at, last_seen_at)
     select ${ws}, ${uuidOf(`'bench-connection-' || g`)}, ${issue('sync_failing', 'critical', 'Syncs are failing')}, 1 + g % 9,
            now() - (g || ' minutes')::interval - interval '1 day', now() - (g || ' minutes')::interval
     from generate_series(0, ${COUNTS.connections - 1}) g where g % 10 >= 7;
   insert into public.health_issues (workspace_id, connection_id, kind, severity, title, explanation, fix, status, first_seen_at, last_seen_at, resolved_at)
     select ${ws}, ${uuidOf(`'bench-connection-' || (g % ${COUNTS.connections})`)}, ${issue('rate_limited', 'warning', 'The provider is rate limiting')}, 'resolved',
            t - interval '2 hours', t - interval '1 hour', t
     from (select g, now() - ((g::bigint * 129600) % 2592000000) * interval '1 millisecond' as t
           from generate_series(1, ${COUNTS.connections * 20}) g) s;`;
}

/** The first provider with both resources the seeded records use. */
function recordsProvider(providers: readonly import('../lib/providers/types').ProviderDefinition[]): string {
  const found = providers.find((p) => ['contacts', 'deals'].every((id) => p.resources.some((r) => r.id === id)));
  if (!found) throw new Error('no provider has both a contacts and a deals resource');
  return found.id;
}

/** A kept database's seeded workspace (BENCH_REUSE), with a new session for its owner; null when there is none. */
async function reuseSeeded(database: import('../lib/db/engine').Database): Promise<Seeded | null> {
  const { sql } = await import('drizzle-orm');
  const { rowsOf } = await import('../lib/db/engine');
  const { createSession } = await import('../lib/auth/sessions');
  const [found] = rowsOf<{ id: string; user_id: string }>(
    await database.db.execute(sql`select w.id, m.user_id from public.workspaces w join public.workspace_members m on m.workspace_id = w.id
      where w.name = ${WORKSPACE_NAME} and (select count(*) from public.synced_records r where r.workspace_id = w.id) = ${COUNTS.records} limit 1`),
  );
  if (!found) return null;
  const session = await createSession(database.db, found.user_id);
  if (!session) throw new Error('no session');
  console.log(`${database.engine}: reusing the seeded workspace ${found.id}`);
  // Databases kept before health issues were seeded get them now (seconds, not minutes).
  const [issues] = rowsOf<{ n: number }>(await database.db.execute(sql`select count(*)::int as n from public.health_issues where workspace_id = ${found.id}`));
  if (Number(issues.n) === 0) await database.execScript(healthIssuesScript(`'${found.id}'::uuid`));
  // Kept databases seeded before the big connection's provider was chosen by its resources.
  const { providers } = await import('../lib/providers/registry');
  await database.execScript(`update public.connections set provider = '${recordsProvider(providers)}' where id = ${uuidOf(`'bench-connection-0'`)};`);
  await database.execScript('analyze;');
  return { ...(await probes(database, found.id, found.user_id, session.token)), seconds: {} };
}

async function probes(database: import('../lib/db/engine').Database, workspaceId: string, userId: string, token: string): Promise<Omit<Seeded, 'seconds'>> {
  const { sql } = await import('drizzle-orm');
  const { rowsOf } = await import('../lib/db/engine');
  const { db } = database;
  const bigRecords = Math.round(COUNTS.records * BIG_SHARE);
  const [run] = rowsOf<{ id: string }>(await db.execute(sql`select id from public.sync_runs where workspace_id = ${workspaceId}::uuid order by queued_at desc limit 1 offset ${Math.floor(COUNTS.runs / 2)}`));
  const [event] = rowsOf<{ id: string }>(await db.execute(sql`select id from public.webhook_events where workspace_id = ${workspaceId}::uuid order by received_at desc limit 1 offset ${Math.floor(COUNTS.webhooks / 2)}`));
  const probe = Math.max(1, Math.round(bigRecords * 0.37));
  return {
    workspaceId,
    cookie: token,
    bigConnectionId: md5Uuid('bench-connection-0'),
    otherConnectionId: md5Uuid('bench-connection-1'),
    runId: run.id,
    eventId: event.id,
    actorId: userId,
    searchEmail: `${['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Margaret', 'Dennis', 'Radia', 'Tim', 'Hedy', 'John', 'Katherine', 'Linus', 'Sophie', 'Niklaus', 'Karen', 'Leslie'][probe % 20].toLowerCase()}.${['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Thompson', 'Hamilton', 'Ritchie', 'Perlman', 'Berners', 'Lamarr', 'Backus', 'Johnson', 'Torvalds', 'Wilson', 'Wirth', 'Jones', 'Lamport'][Math.floor(probe / 20) % 20].toLowerCase()}.${probe}@example.com`,
    searchExternalId: `rec-${probe}`,
  };
}

/** A version-4-shaped uuid from the md5 of a text (ids the routes' zod accepts), in JS ... */
function md5Uuid(text: string): string {
  const hex = crypto.createHash('md5').update(text).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** ... and the same in SQL, of a text expression. */
function uuidOf(expression: string): string {
  const h = `md5(${expression})`;
  return `(substr(${h}, 1, 8) || '-' || substr(${h}, 9, 4) || '-4' || substr(${h}, 14, 3) || '-8' || substr(${h}, 18, 3) || '-' || substr(${h}, 21, 12))::uuid`;
}

type InRequest = typeof import('./next-headers-shim').inRequest;

interface RouteCall {
  name: string;
  kind: RouteResult['kind'];
  file: string;
  params: Record<string, string>;
  query?: Record<string, string>;
  /** Follows the first page's nextCursor this many pages deep (cursor lists) before timing. */
  deep?: number;
  /** The key of the rows in the answer, to report how many came back. */
  rowsKey?: string;
}

async function measure(seeded: Seeded, inRequest: InRequest, engine: string): Promise<RouteResult[]> {
  const ws = { workspaceId: seeded.workspaceId };
  const big = { ...ws, connectionId: seeded.bigConnectionId };
  const W = 'app/api/workspaces/[workspaceId]';
  const calls: RouteCall[] = [
    { name: 'overview', kind: 'detail', file: `${W}/overview/route.ts`, params: ws },
    { name: 'connections', kind: 'list', file: `${W}/connections/route.ts`, params: ws, rowsKey: 'connections' },
    { name: 'issues (open)', kind: 'list', file: `${W}/issues/route.ts`, params: ws, rowsKey: 'issues' },
    { name: 'issues (all)', kind: 'list', file: `${W}/issues/route.ts`, params: ws, query: { status: 'all' }, rowsKey: 'issues' },
    { name: 'sync runs: first page', kind: 'list', file: `${W}/sync-runs/route.ts`, params: ws, rowsKey: 'runs' },
    { name: 'sync runs: page 400', kind: 'list', file: `${W}/sync-runs/route.ts`, params: ws, deep: Math.max(2, Math.round(400 * SCALE)), rowsKey: 'runs' },
    { name: 'sync runs: status=failed', kind: 'list', file: `${W}/sync-runs/route.ts`, params: ws, query: { status: 'failed' }, rowsKey: 'runs' },
    { name: 'sync runs: one connection', kind: 'list', file: `${W}/sync-runs/route.ts`, params: ws, query: { connection: seeded.otherConnectionId }, rowsKey: 'runs' },
    { name: 'sync runs: date range', kind: 'list', file: `${W}/sync-runs/route.ts`, params: ws, query: { from: day(-10), to: day(-3) }, rowsKey: 'runs' },
    { name: 'sync run detail', kind: 'detail', file: `${W}/sync-runs/[runId]/route.ts`, params: { ...ws, runId: seeded.runId } },
    { name: 'connection detail', kind: 'detail', file: `${W}/connections/[connectionId]/route.ts`, params: big },
    { name: 'connection webhooks', kind: 'detail', file: `${W}/connections/[connectionId]/webhooks/route.ts`, params: big },
    { name: 'mapping editor', kind: 'detail', file: `${W}/connections/[connectionId]/mappings/[resource]/route.ts`, params: { ...big, resource: 'contacts' } },
    { name: 'records: first page', kind: 'list', file: `${W}/connections/[connectionId]/records/route.ts`, params: big, rowsKey: 'records' },
    { name: 'records: page 4,000', kind: 'list', file: `${W}/connections/[connectionId]/records/route.ts`, params: big, deep: Math.max(2, Math.round(4_000 * SCALE)), rowsKey: 'records' },
    { name: 'records: resource=deals', kind: 'list', file: `${W}/connections/[connectionId]/records/route.ts`, params: big, query: { resource: 'deals' }, rowsKey: 'records' },
    { name: 'records: deleted only', kind: 'list', file: `${W}/connections/[connectionId]/records/route.ts`, params: big, query: { deleted: 'only' }, rowsKey: 'records' },
    { name: 'records: live only', kind: 'list', file: `${W}/connections/[connectionId]/records/route.ts`, params: big, query: { deleted: 'exclude' }, rowsKey: 'records' },
    { name: 'records: search email', kind: 'search', file: `${W}/connections/[connectionId]/records/route.ts`, params: big, query: { q: seeded.searchEmail }, rowsKey: 'records' },
    { name: 'records: search id', kind: 'search', file: `${W}/connections/[connectionId]/records/route.ts`, params: big, query: { q: seeded.searchExternalId }, rowsKey: 'records' },
    { name: 'records: search name (common)', kind: 'search', file: `${W}/connections/[connectionId]/records/route.ts`, params: big, query: { q: 'ada' }, rowsKey: 'records' },
    { name: 'records: search two words', kind: 'search', file: `${W}/connections/[connectionId]/records/route.ts`, params: big, query: { q: 'grace hopper' }, rowsKey: 'records' },
    { name: 'records: search, no match', kind: 'search', file: `${W}/connections/[connectionId]/records/route.ts`, params: big, query: { q: 'zzyzx' }, rowsKey: 'records' },
    { name: 'webhooks: first page', kind: 'list', file: `${W}/webhooks/route.ts`, params: ws, rowsKey: 'events' },
    { name: 'webhooks: page 4,000', kind: 'list', file: `${W}/webhooks/route.ts`, params: ws, deep: Math.max(2, Math.round(4_000 * SCALE)), rowsKey: 'events' },
    { name: 'webhooks: status=failed', kind: 'list', file: `${W}/webhooks/route.ts`, params: ws, query: { status: 'failed' }, rowsKey: 'events' },
    { name: 'webhooks: one connection', kind: 'list', file: `${W}/webhooks/route.ts`, params: ws, query: { connection: seeded.otherConnectionId }, rowsKey: 'events' },
    { name: 'webhook delivery detail', kind: 'detail', file: `${W}/webhooks/[eventId]/route.ts`, params: { ...ws, eventId: seeded.eventId } },
    { name: 'activity: first page', kind: 'list', file: `${W}/activity/route.ts`, params: ws, rowsKey: 'entries' },
    { name: 'activity: page 400', kind: 'list', file: `${W}/activity/route.ts`, params: ws, deep: Math.max(2, Math.round(400 * SCALE)), rowsKey: 'entries' },
    { name: 'activity: action filter', kind: 'list', file: `${W}/activity/route.ts`, params: ws, query: { action: 'mapping.saved' }, rowsKey: 'entries' },
    { name: 'activity: actor filter', kind: 'list', file: `${W}/activity/route.ts`, params: ws, query: { actor: seeded.actorId }, rowsKey: 'entries' },
    { name: 'action log: first page', kind: 'list', file: `${W}/actions/route.ts`, params: ws, rowsKey: 'data' },
    { name: 'action log: status=failed', kind: 'list', file: `${W}/actions/route.ts`, params: ws, query: { status: 'failed' }, rowsKey: 'data' },
  ];
  const cookieName = (await import('../lib/auth/session-token')).SESSION_COOKIE;
  const results: RouteResult[] = [];
  for (const call of calls) {
    const mod = (await import(pathToFileURL(path.resolve(call.file)).href)) as { GET: (request: Request, context: { params: Promise<Record<string, string>>}) => Promise<Response> };
    const urlPath = call.file.replace(/^app/, '').replace(/\/route\.ts$/, '').replace(/\[(\w+)\]/g, (_, name: string) => call.params[name]);
    const invoke = async (query: Record<string, string>) => {
      const url = `http://localhost${urlPath}${Object.keys(query).length ? `?${new URLSearchParams(query)}` : ''}`;
      return inRequest({ cookies: { [cookieName]: seeded.cookie }, headers: { host: 'localhost' } }, async () => {
        const started = performance.now();
        const response = await mod.GET(new Request(url), { params: Promise.resolve(call.params) });
        const text = await response.text();
        return { ms: performance.now() - started, status: response.status, body: text };
      });
    };
    const query = { ...(call.query ?? {}) };
    if (call.deep) Object.assign(query, await deepQuery(call, seeded, invoke));
    const { p50, p95, last } = await sample(engine, call.name, () => invoke(query));
    results.push({ route: call.name, kind: call.kind, status: last.status, p50, p95, rows: describeRows(call, last.status, last.body) });
  }
  if (process.env.BENCH_EXPLAIN === '1') await explainRecords(seeded);
  return results;
}

/**
 * Every workspace page's server time through `next start` (the production build, on the same
 * database): from the request to the whole streamed HTML, with the session cookie, so it includes
 * Next's router, the layout's session and workspace lookups and the page's own. Pages are shells
 * whose data comes from the routes measured above; this shows the shells stay fast at volume.
 * No jobs run in it (JOB_RUNNER=none): the seeded connections have no credentials to sync with.
 */
async function measurePages(seeded: Seeded, engine: string): Promise<RouteResult[]> {
  const { SESSION_COOKIE } = await import('../lib/auth/session-token');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ih-bench-dashboard-app-'));
  const database: Record<string, string> = process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : { PGLITE_DIR: process.env.PGLITE_DIR! };
  const app = await startNextApp({ distDir: DIST_DIR, env: { ...database, DATA_DIR: dataDir, JOB_RUNNER: 'none', SEED_DEMO: '0' }, log: path.join(dataDir, 'next.log') });
  const w = `/w/${seeded.workspaceId}`;
  const big = `${w}/integrations/${seeded.bigConnectionId}`;
  const pages: [string, string][] = [
    ['page: overview', w],
    ['page: integrations', `${w}/integrations`],
    ['page: connection', big],
    ['page: records', `${big}/records`],
    ['page: connection webhooks', `${big}/webhooks`],
    ['page: mapping editor', `${big}/mappings/contacts`],
    ['page: sync history', `${w}/sync-history`],
    ['page: sync run', `${w}/sync-history/${seeded.runId}`],
    ['page: webhooks', `${w}/webhooks`],
    ['page: activity', `${w}/activity`],
    ['page: actions', `${w}/actions`],
    ['page: settings', `${w}/settings`],
  ];
  const results: RouteResult[] = [];
  try {
    for (const [name, urlPath] of pages) {
      const fetchPage = async () => {
        const started = performance.now();
        const response = await fetch(`${app.url}${urlPath}`, { headers: { cookie: `${SESSION_COOKIE}=${seeded.cookie}` }, redirect: 'manual' });
        const html = await response.text();
        const ms = performance.now() - started;
        // A sign-in redirect or an error page would time the wrong thing.
        if (response.status !== 200 || !html.includes(WORKSPACE_NAME)) throw new Error(`${urlPath} answered ${response.status} without the workspace's page`);
        return { ms, status: response.status, bytes: Buffer.byteLength(html) };
      };
      const { p50, p95, last } = await sample(engine, name, fetchPage);
      results.push({ route: name, kind: 'page', status: last.status, p50, p95, rows: `${(last.bytes / 1024).toFixed(0)} KB HTML` });
    }
  } finally {
    await app.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return results;
}

/**
 * The query string of a deep page: the cursor of the row just before it (what following Next
 * that many times would give), or `page=N` against an API that still pages by offset.
 */
async function deepQuery(call: RouteCall, seeded: Seeded, invoke: (query: Record<string, string>) => Promise<{ status: number; body: string }>): Promise<Record<string, string>> {
  const first = JSON.parse((await invoke(call.query ?? {})).body) as { nextCursor?: string | null };
  if (!('nextCursor' in first)) return { page: String(call.deep) };
  const { sql } = await import('drizzle-orm');
  const { rowsOf } = await import('../lib/db/engine');
  const { getDb } = await import('../lib/db/app-database');
  const { encodeCursor } = await import('../lib/db/keyset');
  const db = await getDb();
  const offset = (call.deep! - 1) * 25 - 1;
  const table = call.rowsKey === 'records' ? 'synced_records' : call.rowsKey === 'runs' ? 'sync_runs' : call.rowsKey === 'events' ? 'webhook_events' : 'activity';
  const time = { synced_records: 'last_seen_at', sync_runs: 'queued_at', webhook_events: 'received_at', activity: 'created_at' }[table];
  const scope = table === 'synced_records' ? sql`connection_id = ${seeded.bigConnectionId}::uuid` : sql`workspace_id = ${seeded.workspaceId}::uuid`;
  const [row] = rowsOf<{ micros: number; id: string }>(
    await db.execute(sql`select (extract(epoch from ${sql.raw(time)}) * 1000000)::bigint as micros, id from ${sql.raw(`public.${table}`)}
      where ${scope} order by ${sql.raw(time)} desc, id desc limit 1 offset ${offset}`),
  );
  return { after: encodeCursor({ micros: Number(row.micros), id: row.id }) };
}

async function explainRecords(seeded: Seeded) {
  const { sql } = await import('drizzle-orm');
  const { rowsOf } = await import('../lib/db/engine');
  const { getDb } = await import('../lib/db/app-database');
  const db = await getDb();
  // The three steps of a search (search_synced_records): the capped count from the search index,
  // then a page either walked in browse order (common words) or sorted from every match (rare ones).
  const { recordSearchQuery, SEARCH_COUNT_CAP } = await import('../lib/sync/history');
  for (const q of [seeded.searchEmail, 'ada', 'grace hopper']) {
    const words = recordSearchQuery(q);
    const matching = sql`connection_id = ${seeded.bigConnectionId}::uuid and workspace_id = ${seeded.workspaceId}::uuid
      and search_vector @@ to_tsquery('simple'::regconfig, ${words})`;
    const steps = {
      count: sql`select id from public.synced_records where ${matching} limit ${SEARCH_COUNT_CAP + 1}`,
      walk: sql`select id from public.synced_records where ${matching} order by last_seen_at desc, id desc limit 26`,
      sort: sql`with found as materialized (select id, last_seen_at from public.synced_records where ${matching})
        select id from found order by last_seen_at desc, id desc limit 26`,
    };
    for (const [step, statement] of Object.entries(steps)) {
      const plan = rowsOf<Record<string, string>>(await db.execute(sql`explain (analyze, buffers) ${statement}`));
      console.log(`plan for search "${q}", ${step}:\n${plan.map((r) => Object.values(r)[0]).join('\n')}`);
    }
  }
}

function describeRows(call: RouteCall, status: number, body: string): string {
  if (status !== 200) return body.slice(0, 120);
  const answer = JSON.parse(body) as Record<string, unknown>;
  if (!call.rowsKey) return '';
  const rows = answer[call.rowsKey];
  const total = typeof answer.total === 'number' ? ` of ${answer.total.toLocaleString('en')}${answer.totalCapped ? '+' : ''}` : '';
  return `${Array.isArray(rows) ? rows.length : '?'}${total}`;
}

/** WARMUP untimed calls, then SAMPLES timed ones: their p50 and p95, and the last answer. */
async function sample<T extends { ms: number }>(engine: string, name: string, call: () => Promise<T>): Promise<{ p50: number; p95: number; last: T }> {
  for (let i = 0; i < WARMUP; i++) await call();
  const times: number[] = [];
  let last: T | null = null;
  for (let i = 0; i < SAMPLES; i++) {
    last = await call();
    times.push(last.ms);
  }
  if (!last) throw new Error('BENCH_SAMPLES must be at least 1');
  times.sort((a, b) => a - b);
  const [p50, p95] = [percentile(times, 0.5), percentile(times, 0.95)];
  console.log(`${engine}: ${name} p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms`);
  return { p50, p95, last };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

function day(offset: number): string {
  return new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
}

if (process.argv[2] === 'engine') {
  child(process.argv[3]).then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.send?.({ kind: 'failed', error: String(error) });
      process.exit(1);
    },
  );
} else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
