// Two app instances (the production build, `next start`, in-process job runner) on one PostgreSQL
// server, as behind a load balancer: a scheduled sync is claimed once, a webhook delivery is stored
// and processed once whichever instance gets it (and the other gets it again), a mapping re-apply
// job runs once, and a run whose instance is killed mid-sync is resumed by the other — same run,
// from its checkpoint, every record once. Everything is read from the database rows and the
// sandbox's request counters; waits poll for the state, never sleep for it.
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '@/lib/db/engine';
import { asService } from '@/lib/db/rls';
import { createReapplyJob, REAPPLY_BATCH } from '@/lib/mapping/reapply';
import { DEMO_ADMIN, DEMO_WORKSPACE_NAME } from '@/lib/db/seed';
import { startSandbox, type Sandbox } from '../sandbox/server';
import { SANDBOX_SQUARE_SIGNATURE_KEY, signSquare, squareEvent } from '../sandbox/providers/square/webhooks';
import { connectAccount } from '../support/connect';
import { AppProcess, call, createSharedDatabase, distDir, killAll, REQUEST_TIMEOUT_MS, signIn, waitFor, type SharedDatabase } from './harness';

/** The stale threshold and scheduler tick the instances run with: seconds, where production has minutes. */
const STALE_SECONDS = 3;
const TICK_SECONDS = 1;
const NOTIFICATION_URL = 'http://hub.test/api/webhooks/square';
const CUSTOMERS = 120;

let shared: SharedDatabase;
let sandbox: Sandbox;
let a: AppProcess;
let b: AppProcess;
let cookie: string;
let workspaceId: string;
let connectionId: string;

async function query<T>(text: ReturnType<typeof sql>): Promise<T[]> {
  return rowsOf<T>(await shared.database.db.execute(text));
}

interface RunRow {
  id: string;
  status: string;
  trigger: string;
  attempt: number;
  pages_done: number;
  records_fetched: number;
  records_created: number;
  steps: { kind: string; resource?: string; page?: number; lastPage?: number }[];
}

/** A text[] literal: drizzle spreads a JS array into a row of parameters. */
const textArray = (values: string[]) => `{${values.map((v) => JSON.stringify(v)).join(',')}}`;

const runsOf = (trigger?: string) =>
  query<RunRow>(sql`select id, status, trigger, attempt, pages_done, records_fetched, records_created, steps from public.sync_runs
    where connection_id = ${connectionId} and direction = 'pull' and (${trigger ?? null}::text is null or trigger = ${trigger ?? null}::text)
    order by created_at`);

const squareRequests = () => {
  const { dataRequests } = sandbox.stats();
  return { customers: dataRequests['square.customers'], bookings: dataRequests['square.bookings'] };
};

beforeAll(async () => {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error('The multi-instance test needs a PostgreSQL server: set TEST_DATABASE_URL (scripts/test.sh does).');
  const dist = distDir();
  sandbox = await startSandbox({ port: 0 });
  sandbox.setKnobs({ autoApprove: true, dataset: { 'square.customers': CUSTOMERS, 'square.bookings': 0 } });
  // The test process encrypts the connection's credentials; the instances must read them.
  const env = {
    ENCRYPTION_KEYS: `multi:${crypto.randomBytes(32).toString('base64')}`,
    SESSION_SECRET: crypto.randomBytes(32).toString('hex'),
    PROVIDER_SANDBOX_URL: sandbox.url,
  };
  Object.assign(process.env, env);
  shared = await createSharedDatabase(adminUrl);

  const [admin] = await query<{ id: string }>(sql`select id from auth.users where email = ${DEMO_ADMIN.email}`);
  [{ id: workspaceId }] = await query<{ id: string }>(sql`select id from public.workspaces where name = ${DEMO_WORKSPACE_NAME}`);
  // Connected before either instance starts: its initial sync is queued (this process runs no jobs)
  // and both instances find it at start-up, which is the first claim race.
  ({ connectionId } = await connectAccount(shared.database.db, { userId: admin.id, email: DEMO_ADMIN.email }, workspaceId, 'square'));
  expect(await runsOf('initial')).toMatchObject([{ status: 'queued' }]);

  const appEnv = {
    ...env,
    NEXT_DIST_DIR: dist,
    DATABASE_URL: shared.url,
    JOB_RUNNER: 'in-process',
    SEED_DEMO: '0',
    PROVIDER_SANDBOX_ALLOW_PRODUCTION: '1',
    MAIL_OUTBOX: '1',
    PUBLIC_APP_URL: 'http://hub.test',
    SQUARE_WEBHOOK_NOTIFICATION_URL: NOTIFICATION_URL,
    SYNC_STALE_RUN_SECONDS: String(STALE_SECONDS),
    JOB_SCHEDULE_INTERVAL_SECONDS: String(TICK_SECONDS),
  };
  [a, b] = await Promise.all([AppProcess.start('a', appEnv), AppProcess.start('b', appEnv)]);
  cookie = await signIn(a.url, DEMO_ADMIN.email, DEMO_ADMIN.password);
}, 240_000);

afterAll(async () => {
  await killAll();
  await shared?.drop();
  await sandbox?.close();
});

/** Both instances' logs, for a failing assertion's context. */
const logs = () => `--- a ---\n${a?.log() ?? ''}\n--- b ---\n${b?.log() ?? ''}`;

describe('two app instances on one PostgreSQL server', () => {
  it('runs the initial sync both found at start-up once', async () => {
    const [run] = await waitFor('the initial sync to end', async () => {
      const runs = await runsOf('initial');
      return runs.every((r) => r.status === 'succeeded') && runs;
    });
    expect((await runsOf()).length, logs()).toBe(1);
    expect(run).toMatchObject({ attempt: 1, records_created: CUSTOMERS });
    const [{ n }] = await query<{ n: number }>(sql`select count(*)::int as n from public.synced_records where connection_id = ${connectionId}`);
    expect(n).toBe(CUSTOMERS);
  });

  it('claims a due scheduled sync once while both schedulers tick', async () => {
    const before = squareRequests();
    await query(sql`update public.connections set schedule = 'every_15_minutes', next_sync_at = now() where id = ${connectionId}`);
    const [run] = await waitFor('the scheduled sync to end', async () => {
      const runs = await runsOf('schedule');
      return runs.length > 0 && runs.every((r) => r.status === 'succeeded') && runs;
    });
    // Several ticks of both schedulers after the claim: none creates a second run.
    const claimedAt = Date.now();
    await waitFor('three more scheduler ticks', async () => Date.now() - claimedAt > 3 * TICK_SECONDS * 1000 && (await runsOf('schedule')));
    expect(await runsOf('schedule'), logs()).toHaveLength(1);
    const after = squareRequests();
    // One sync's worth: one request per page the run stored, for each resource.
    expect(after.customers - before.customers + (after.bookings - before.bookings)).toBe(run.pages_done);
    const [connection] = await query<{ due_in_minutes: number }>(
      sql`select extract(epoch from next_sync_at - now()) / 60 as due_in_minutes from public.connections where id = ${connectionId}`,
    );
    expect(Number(connection.due_in_minutes)).toBeGreaterThan(14);
    await query(sql`update public.connections set schedule = 'manual', next_sync_at = null where id = ${connectionId}`);
  });

  it('stores and processes each webhook delivery once, whichever instance gets it and however often', async () => {
    const runsBefore = (await runsOf()).length;
    const stored = await query<{ external_id: string; raw: Record<string, unknown> }>(
      sql`select external_id, raw from public.synced_records where connection_id = ${connectionId} and resource = 'customers' order by external_id limit 6`,
    );
    const [{ merchant }] = await query<{ merchant: string }>(sql`select account_id as merchant from public.connections where id = ${connectionId}`);
    const deliveries = stored.map((record, i) => {
      const customer = { ...record.raw, given_name: `Instance${i}`, updated_at: new Date(Date.now() + 60_000).toISOString(), version: Number(record.raw.version ?? 0) + 1 };
      const body = JSON.stringify(squareEvent({ merchantId: merchant, type: 'customer.updated', object: customer as unknown as { id: string } }));
      const headers = { 'content-type': 'application/json', ...signSquare({ notificationUrl: NOTIFICATION_URL, body, signatureKey: SANDBOX_SQUARE_SIGNATURE_KEY }) };
      return { eventId: (JSON.parse(body) as { event_id: string }).event_id, externalId: record.external_id, name: `Instance${i}`, body, headers, first: i % 2 === 0 ? a : b };
    });
    // All at once: each delivery to one instance and, concurrently, the same bytes to the other.
    const answers = await Promise.all(
      deliveries.flatMap((d) =>
        [d.first, d.first === a ? b : a].map((app) => fetch(`${app.url}/api/webhooks/square`, { method: 'POST', headers: d.headers, body: d.body, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) }).then((r) => r.status)),
      ),
    );
    expect(answers.every((status) => status >= 200 && status < 300), `${answers.join(',')}\n${logs()}`).toBe(true);

    const eventIds = deliveries.map((d) => d.eventId);
    const events = await waitFor('every delivery processed', async () => {
      const rows = await query<{ event_id: string; status: string; duplicate_count: number; attempts: number; outcome: string | null }>(
        sql`select event_id, status, duplicate_count, attempts, outcome from public.webhook_events where event_id = any(${textArray(eventIds)}::text[])`,
      );
      return rows.length === eventIds.length && rows.every((r) => r.status === 'processed') && rows;
    });
    // Stored once (the second copy counted as a duplicate), processed in one claim.
    expect(events.map((e) => [e.duplicate_count, e.attempts])).toEqual(eventIds.map(() => [1, 1]));
    const records = await query<{ external_id: string; given_name: string }>(
      sql`select external_id, raw ->> 'given_name' as given_name from public.synced_records
        where connection_id = ${connectionId} and resource = 'customers' and external_id = any(${textArray(deliveries.map((d) => d.externalId))}::text[])`,
    );
    expect(Object.fromEntries(records.map((r) => [r.external_id, r.given_name]))).toEqual(Object.fromEntries(deliveries.map((d) => [d.externalId, d.name])));
    // A customer event carries the customer: stored at once, no follow-up sync.
    expect(await runsOf()).toHaveLength(runsBefore);
  });

  it('turns deliveries that ask for a sync, spread over both instances, into one follow-up run', async () => {
    const runsBefore = (await runsOf()).map((r) => r.id);
    const [{ merchant }] = await query<{ merchant: string }>(sql`select account_id as merchant from public.connections where id = ${connectionId}`);
    const [record] = await query<{ external_id: string }>(sql`select external_id from public.synced_records where connection_id = ${connectionId} limit 1`);
    // An event without the object: all it says is that something changed, so it asks for an incremental sync.
    const bodies = [0, 1, 2, 3].map(() => {
      const event = squareEvent({ merchantId: merchant, type: 'customer.updated', object: { id: record.external_id } }) as { data: Record<string, unknown>; event_id: string };
      delete event.data.object;
      return { eventId: event.event_id, body: JSON.stringify(event) };
    });
    const answers = await Promise.all(
      bodies.flatMap(({ body }, i) => {
        const headers = { 'content-type': 'application/json', ...signSquare({ notificationUrl: NOTIFICATION_URL, body, signatureKey: SANDBOX_SQUARE_SIGNATURE_KEY }) };
        return (i % 2 === 0 ? [a, b] : [b, a]).map((app) => fetch(`${app.url}/api/webhooks/square`, { method: 'POST', headers, body, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) }).then((r) => r.status));
      }),
    );
    expect(answers.every((status) => status >= 200 && status < 300), answers.join(',')).toBe(true);
    const eventIds = bodies.map((d) => d.eventId);
    const events = await waitFor('every sync request processed and its run ended', async () => {
      const rows = await query<{ status: string; duplicate_count: number; sync_run_id: string | null }>(
        sql`select status, duplicate_count, sync_run_id from public.webhook_events where event_id = any(${textArray(eventIds)}::text[])`,
      );
      const runs = (await runsOf()).filter((r) => !runsBefore.includes(r.id));
      return rows.length === eventIds.length && rows.every((r) => r.status === 'processed') && runs.length > 0 && runs.every((r) => r.status === 'succeeded') && rows;
    });
    expect(events.map((e) => e.duplicate_count)).toEqual(eventIds.map(() => 1));
    const created = (await runsOf()).filter((r) => !runsBefore.includes(r.id));
    // The design: every request processed while the run is still queued joins it (README: one run, two at most).
    expect(created.every((r) => r.trigger === 'webhook' && r.attempt === 1)).toBe(true);
    expect(created.length).toBeLessThanOrEqual(2);
    expect(new Set(events.map((e) => e.sync_run_id))).toEqual(new Set(created.map((r) => r.id)));
  });

  it('runs a mapping re-apply job once', async () => {
    const [active] = await query<{ definition: unknown; version: number }>(
      sql`select definition, version from public.field_mappings where connection_id = ${connectionId} and resource = 'customers' and is_active`,
    );
    const route = `/api/workspaces/${workspaceId}/connections/${connectionId}/mappings/customers`;
    const saved = await call(b.url, cookie, 'PUT', route, { definition: active.definition });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const version = active.version + 1;
    const jobs = await waitFor('the re-apply job to end', async () => {
      const rows = await query<{ status: string; total: number; processed: number; failed: number }>(
        sql`select status, total, processed, failed from public.mapping_jobs where connection_id = ${connectionId} and resource = 'customers' and mapping_version = ${version}`,
      );
      return rows.length > 0 && rows.every((r) => r.status === 'succeeded') && rows;
    });
    expect(jobs).toEqual([{ status: 'succeeded', total: CUSTOMERS, processed: CUSTOMERS, failed: 0 }]);
    const reapplied = await query<{ records: number }>(
      sql`select (details ->> 'records')::int as records from public.activity
        where workspace_id = ${workspaceId} and action = 'mapping.reapplied' and target_id = ${connectionId} and (details ->> 'version')::int = ${version}`,
    );
    expect(reapplied).toEqual([{ records: CUSTOMERS }]);
    const [{ n }] = await query<{ n: number }>(
      sql`select count(*)::int as n from public.synced_records where connection_id = ${connectionId} and resource = 'customers' and mapping_version = ${version}`,
    );
    expect(n).toBe(CUSTOMERS);
  });

  it('resumes a run from its checkpoint on the other instance when the one running it is killed', async () => {
    const total = 1_500;
    // Slow pages (100 records each): the run takes seconds, and commits a batch every second.
    sandbox.setKnobs({ dataset: { 'square.customers': total }, responseDelayMs: 250 });
    const before = squareRequests();
    const started = await call(a.url, cookie, 'POST', `/api/workspaces/${workspaceId}/connections/${connectionId}/sync`, { mode: 'full' });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const runId = (started.body as { runId: string }).runId;
    const runRow = async () => (await query<RunRow>(sql`select id, status, trigger, attempt, pages_done, records_fetched, records_created, steps from public.sync_runs where id = ${runId}`))[0];

    // A claimed it (the request's instance runs what it queues) and has committed some pages.
    const partial = await waitFor('a committed batch on instance a', async () => {
      const run = await runRow();
      return run.status === 'running' && run.pages_done >= 3 && run;
    });
    expect(partial.attempt).toBe(1);
    expect(await a.kill()).toMatchObject({ signal: 'SIGKILL' });
    const atKill = await runRow();
    expect(atKill.pages_done).toBeLessThan(total / 100);

    const finished = await waitFor('b to take the run over and finish it', async () => {
      const run = await runRow();
      return (run.status === 'succeeded' || run.status === 'failed') && run;
    }, 60_000);
    expect(finished, logs()).toMatchObject({ id: runId, status: 'succeeded', attempt: 2 });
    expect(b.alive).toBe(true);
    // Every page committed once: the timeline's pages run on from the checkpoint, never from page one again.
    const batches = finished.steps.filter((s) => s.kind === 'page' && s.resource === 'customers').map((s) => [s.page!, s.lastPage ?? s.page!]);
    expect(batches[0][0]).toBe(1);
    expect(batches.at(-1)![1]).toBe(total / 100);
    for (let i = 1; i < batches.length; i++) expect(batches[i][0], JSON.stringify(batches)).toBe(batches[i - 1][1] + 1);
    expect(finished.records_fetched).toBe(total);
    // Only what a's last uncommitted batch had fetched is asked for again (at most a batch and the page downloading).
    const requested = squareRequests().customers - before.customers;
    expect(requested).toBeGreaterThanOrEqual(total / 100);
    expect(requested).toBeLessThanOrEqual(total / 100 + 11);
    const [{ n, distinct }] = await query<{ n: number; distinct: number }>(
      sql`select count(*)::int as n, count(distinct external_id)::int as distinct from public.synced_records
        where connection_id = ${connectionId} and resource = 'customers' and deleted_at is null`,
    );
    expect({ n, distinct }).toEqual({ n: total, distinct: total });
    sandbox.setKnobs({ responseDelayMs: null });
  });

  it('finishes a mapping job an instance queued and never ran, once, on whichever instance finds it', async () => {
    // As if an instance queued the job and died before its first batch: this process runs no jobs.
    const [active] = await query<{ id: string; version: number }>(
      sql`select id, version from public.field_mappings where connection_id = ${connectionId} and resource = 'customers' and is_active`,
    );
    const [{ total }] = await query<{ total: number }>(sql`select count(*)::int as total from public.synced_records where connection_id = ${connectionId} and resource = 'customers'`);
    const since = new Date();
    const jobId = await asService(shared.database.db, (tx) =>
      createReapplyJob(tx, { workspaceId, connectionId, resource: 'customers', mappingId: active.id, mappingVersion: active.version, createdBy: null }),
    );
    const job = await waitFor('a live instance to take the job over and finish it', async () => {
      const [row] = await query<{ status: string; total: number; processed: number }>(sql`select status, total, processed from public.mapping_jobs where id = ${jobId}`);
      return row.status !== 'queued' && row.status !== 'running' && row;
    });
    // More than one batch (REAPPLY_BATCH), each counted once even if both instances picked the job up.
    expect(total).toBeGreaterThan(REAPPLY_BATCH);
    expect(job).toEqual({ status: 'succeeded', total, processed: total });
    const reapplied = await query<{ records: number }>(
      sql`select (details ->> 'records')::int as records from public.activity
        where workspace_id = ${workspaceId} and action = 'mapping.reapplied' and target_id = ${connectionId} and created_at >= ${since.toISOString()}::timestamptz`,
    );
    expect(reapplied).toEqual([{ records: total }]);
  });
});
