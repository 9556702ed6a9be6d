// npm run bench:webhooks — drives the webhook endpoint with autocannon: realistic signed HubSpot
// (v3) and Square deliveries, 10% of them duplicates (re-sent, re-signed), and prints requests/s,
// the acknowledgement latency (p50/p99), and how long after the last request every delivery was
// processed, then checks nothing acknowledged was lost.
//
// Three processes, so the load generator does not steal the server's event loop: this one runs
// autocannon; a child (this same file with `serve`) runs receiveWebhook — the function the Next
// route calls — on a plain Node HTTP server with the in-process worker and sync runner, on
// PGlite (or BENCH_DATABASE_URL); the provider sandbox runs in a third.
// BENCH_SECONDS (default 20), BENCH_CONNECTIONS (default 20) tune the load.
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { freePort, startSandboxProcess } from './processes';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const DUPLICATE_SHARE = 0.1;
const HUBSPOT_CONTACTS = 2_000;

interface Ready {
  kind: 'ready';
  url: string;
  engine: string;
  portalId: number;
  merchantId: string;
}
interface Drained {
  kind: 'drained';
  afterMs: number;
  rows: number;
  byStatus: Record<string, number>;
  duplicatesCounted: number;
  webhookRuns: number;
  runsSucceeded: number;
  runErrors: string[];
}
type ChildMessage = Ready | Drained | { kind: 'failed'; message: string };

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
  squareEvent(options: { merchantId: string; type: 'customer.updated'; object: { id: string; version?: number } & Record<string, unknown> }): Record<string, unknown>;
}

async function loadWireFormats(): Promise<WireFormats> {
  const providerModule = (id: string) => import(`../tests/sandbox/providers/${id}/webhooks` as string) as Promise<Partial<WireFormats>>;
  const [hubspot, square] = await Promise.all([providerModule('hubspot'), providerModule('square')]);
  return { ...hubspot, ...square } as WireFormats;
}

// ---------------------------------------------------------------------------------------------
// The server role

async function serve(): Promise<void> {
  const { openDatabase, rowsOf } = await import('../lib/db/engine');
  const { migrate } = await import('../lib/db/migrate');
  const { createLocalAccount } = await import('../lib/auth/local-accounts');
  const { createWorkspace } = await import('../lib/workspaces/workspaces');
  const { requestSync } = await import('../lib/sync/runs');
  const { SyncRunner } = await import('../lib/sync/runner');
  const { serveWebhooks } = await import('../lib/webhooks/node-server');
  const { startEmbeddedWebhookJobs } = await import('../lib/webhooks/worker');
  const { connectViaSandbox } = await import('../tests/support/connect');
  const send = (message: ChildMessage) => process.send?.(message);

  const adminUrl = process.env.BENCH_DATABASE_URL;
  const dataDir = adminUrl ? null : fs.mkdtempSync(path.join(os.tmpdir(), 'ih-bench-webhooks-'));
  // On a server, a database of its own (dropped afterwards), so earlier runs' rows do not count.
  const scratch = adminUrl ? `ih_bench_webhooks_${crypto.randomBytes(4).toString('hex')}` : null;
  const admin = adminUrl ? (await import('postgres')).default(adminUrl, { max: 1, onnotice: () => {} }) : null;
  if (admin && scratch) await admin.unsafe(`create database ${scratch}`);
  const url = adminUrl && scratch ? Object.assign(new URL(adminUrl), { pathname: `/${scratch}` }).toString() : null;
  const database = url ? await openDatabase({ engine: 'postgres', url }) : await openDatabase({ engine: 'pglite', dataDir: dataDir! });
  await migrate(database);
  const db = database.db;
  // Connecting must not start syncs behind our back; the live worker and runner start below.
  process.env.JOB_RUNNER = 'none';
  const user = await createLocalAccount(db, { email: `bench-webhooks-${Date.now()}@example.test`, password: 'bench password 1' });
  const workspaceId = (await createWorkspace(db, user, 'Webhook bench')).id;
  const runner = new SyncRunner(db);
  for (const provider of ['hubspot', 'square']) {
    const { connectionId } = await connectViaSandbox(db, user, workspaceId, provider);
    const { runId } = await requestSync(db, { workspaceId, connectionId, trigger: 'initial', mode: 'full' });
    await runner.runToEnd(runId);
  }
  process.env.JOB_RUNNER = 'in-process';
  await startEmbeddedWebhookJobs(db);
  const server = await serveWebhooks(db, { port: Number(process.env.BENCH_PORT) });
  send({ kind: 'ready', url: server.url, engine: database.engine === 'pglite' ? 'PGlite' : 'PostgreSQL', portalId: 4242001, merchantId: 'MLSBX0000000001' });

  process.on('message', (message: { kind: string }) => {
    if (message.kind !== 'drain') return;
    void (async () => {
      const started = Date.now();
      const count = async () =>
        rowsOf<{ status: string; n: number; dups: number }>(
          await db.execute(sql`select status, count(*)::int as n, sum(duplicate_count)::int as dups from public.webhook_events group by status`),
        );
      for (;;) {
        const rows = await count();
        const runs = rowsOf<{ active: number }>(
          await db.execute(sql`select count(*)::int as active from public.sync_runs where trigger = 'webhook' and status in ('queued', 'running')`),
        );
        const pending = rows.filter((r) => r.status === 'received' || r.status === 'processing').reduce((n, r) => n + r.n, 0);
        if (pending === 0 && runs[0].active === 0) {
          const [done] = rowsOf<{ runs: number; ok: number }>(
            await db.execute(sql`select count(*)::int as runs, count(*) filter (where status = 'succeeded')::int as ok from public.sync_runs where trigger = 'webhook'`),
          );
          const errors = rowsOf<{ status: string; error: string | null }>(
            await db.execute(sql`select status, error from public.sync_runs where trigger = 'webhook' and status <> 'succeeded'`),
          );
          send({
            kind: 'drained',
            afterMs: Date.now() - started,
            rows: rows.reduce((n, r) => n + r.n, 0),
            byStatus: Object.fromEntries(rows.map((r) => [r.status, r.n])),
            duplicatesCounted: rows.reduce((n, r) => n + (r.dups ?? 0), 0),
            webhookRuns: done.runs,
            runsSucceeded: done.ok,
            runErrors: errors.map((e) => `${e.status}: ${e.error ?? 'no reason'}`),
          });
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await server.close();
      await database.close();
      if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
      if (admin && scratch) {
        await admin.unsafe(`drop database if exists ${scratch} with (force)`);
        await admin.end();
      }
      process.exit(0);
    })().catch((error: unknown) => send({ kind: 'failed', message: (error as Error).message }));
  });
}

// ---------------------------------------------------------------------------------------------
// The load generator role

function nextMessage<K extends ChildMessage['kind']>(child: ChildProcess, kind: K): Promise<Extract<ChildMessage, { kind: K }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: ChildMessage) => {
      if (message.kind === 'failed') reject(new Error(message.message));
      if (message.kind === kind) {
        child.off('message', onMessage);
        resolve(message as Extract<ChildMessage, { kind: K }>);
      }
    };
    child.on('message', onMessage);
    child.once('exit', (code) => reject(new Error(`the server exited (${code})`)));
  });
}

interface Delivery {
  path: string;
  body: string;
  headers: Record<string, string>;
}

/** Realistic deliveries, half HubSpot (one event each), half Square (a whole customer). */
function deliveries(base: string, ready: Ready, { hubspotEvents, signHubspotV3, SANDBOX_SQUARE_SIGNATURE_KEY, signSquare, squareEvent }: WireFormats) {
  const sent: { path: string; body: string }[] = [];
  let unique = 0;
  let duplicates = 0;
  const first = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Ken', 'Margaret', 'Donald'];
  const last = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Thompson', 'Hamilton', 'Knuth'];
  const sign = (delivery: { path: string; body: string }): Delivery => {
    const headers = delivery.path.endsWith('/hubspot')
      ? signHubspotV3({ method: 'POST', uri: `${base}${delivery.path}`, body: delivery.body, secret: 'sandbox-secret-hubspot', timestampMs: Date.now() })
      : signSquare({ notificationUrl: `${base}${delivery.path}`, body: delivery.body, signatureKey: SANDBOX_SQUARE_SIGNATURE_KEY });
    return { ...delivery, headers: { 'content-type': 'application/json', ...headers } };
  };
  const next = (): Delivery => {
    if (sent.length > 100 && Math.random() < DUPLICATE_SHARE) {
      duplicates += 1;
      // A provider retrying: the same event, signed afresh.
      return sign(sent[Math.floor(Math.random() * sent.length)]);
    }
    unique += 1;
    let delivery: { path: string; body: string };
    if (unique % 2 === 0) {
      const objectId = 1_000_000_001 + Math.floor(Math.random() * HUBSPOT_CONTACTS);
      const body = hubspotEvents(
        [{ subscriptionType: 'contact.propertyChange', objectId, propertyName: 'lifecyclestage', propertyValue: 'customer', eventId: 9_000_000_000 + unique }],
        { portalId: ready.portalId },
      );
      delivery = { path: '/api/webhooks/hubspot', body: JSON.stringify(body) };
    } else {
      const given = first[unique % first.length];
      const family = last[(unique >> 3) % last.length];
      const id = `BENCH${crypto.randomBytes(10).toString('hex').toUpperCase()}`;
      const now = new Date().toISOString();
      const customer = {
        id,
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
      delivery = { path: '/api/webhooks/square', body: JSON.stringify(squareEvent({ merchantId: ready.merchantId, type: 'customer.updated', object: customer })) };
    }
    sent.push(delivery);
    return sign(delivery);
  };
  return { next, counts: () => ({ unique, duplicates }) };
}

type Autocannon = (options: Record<string, unknown>) => Promise<{
  requests: { average: number };
  latency: { p50: number; p99: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
  statusCodeStats: Record<string, { count: number }>;
}>;

async function main() {
  const sandbox = await startSandboxProcess();
  await fetch(`${sandbox.url}/_sandbox/knobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ autoApprove: true, dataset: { 'hubspot.contacts': HUBSPOT_CONTACTS, 'hubspot.deals': 0, 'square.customers': 500, 'square.bookings': 0 } }),
  });
  const server = spawn(process.execPath, ['--import', 'tsx', __filename, 'serve'], {
    env: { ...process.env, PROVIDER_SANDBOX_URL: sandbox.url, BENCH_PORT: String(await freePort()) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const ready = await nextMessage(server, 'ready');
    const load = deliveries(ready.url, ready, await loadWireFormats());
    // A non-literal specifier: autocannon ships no types, and this bench needs four of its fields.
    const { default: autocannon } = (await import('autocannon' as string)) as { default: Autocannon };
    const result = await autocannon({
      url: ready.url,
      connections: CONNECTIONS,
      duration: SECONDS,
      method: 'POST',
      requests: [{ setupRequest: (request: Record<string, unknown>) => ({ ...request, method: 'POST', ...load.next() }) }],
    });
    const { unique, duplicates } = load.counts();
    server.send({ kind: 'drain' });
    const drained = await nextMessage(server, 'drained');
    const acknowledged = (result.statusCodeStats['200']?.count ?? 0) * 1;
    const lost = unique - drained.rows;
    const rows: [string, string][] = [
      ['engine', ready.engine],
      ['duration', `${result.duration.toFixed(1)} s, ${CONNECTIONS} connections`],
      ['deliveries sent', `${(unique + duplicates).toLocaleString('en')} (${duplicates.toLocaleString('en')} duplicates)`],
      ['acknowledged 2xx', `${acknowledged.toLocaleString('en')} (non-2xx ${result.non2xx}, errors ${result.errors}, timeouts ${result.timeouts})`],
      ['requests/s (verified and stored)', Math.round(result.requests.average).toLocaleString('en')],
      ['ack latency p50', `${result.latency.p50} ms`],
      ['ack latency p99', `${result.latency.p99} ms (max ${result.latency.max} ms)`],
      ['all processed after the last request', `${(drained.afterMs / 1000).toFixed(2)} s`],
      ['stored events / unique sent', `${drained.rows.toLocaleString('en')} / ${unique.toLocaleString('en')}`],
      ['duplicates counted / sent', `${drained.duplicatesCounted.toLocaleString('en')} / ${duplicates.toLocaleString('en')}`],
      ['statuses', Object.entries(drained.byStatus).map(([s, n]) => `${s} ${n.toLocaleString('en')}`).join(', ')],
      ['webhook sync runs (succeeded)', `${drained.webhookRuns} (${drained.runsSucceeded})${drained.runErrors.length ? `; ${drained.runErrors.join('; ')}` : ''}`],
      ['lost', String(lost)],
    ];
    const width = Math.max(...rows.map(([label]) => label.length));
    console.log(`\nbench:webhooks\n${rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`).join('\n')}`);
    const target = result.requests.average >= 1000 && result.latency.p99 < 50 && lost === 0 && result.non2xx === 0;
    console.log(`\n  target (≥ 1,000/s, p99 < 50 ms, zero lost): ${target ? 'met' : 'NOT met'}\n`);
  } finally {
    server.kill();
    sandbox.child.kill();
  }
}

if (process.argv[2] === 'serve') {
  serve().catch((error: unknown) => {
    process.send?.({ kind: 'failed', message: (error as Error).stack ?? String(error) });
    process.exit(1);
  });
} else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
