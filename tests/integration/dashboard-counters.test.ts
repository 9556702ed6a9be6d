// The overview's counters (20261209000100_overview_counters.sql): sync runs and webhook deliveries
// per workspace, UTC hour and status, kept by statement triggers. After every kind of write —
// multi-row inserts, upserts that count duplicates, status changes, no-op progress updates, a
// member cancelling a run under RLS, retention pruning, deletes and a workspace's cascade — the
// counters must equal a GROUP BY over the rows themselves, and concurrent writers must lose no
// increment. Then the overview built on them must equal the same numbers counted from the rows,
// including the partial hour at the start of its 24-hour window.
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionUser } from '@/lib/auth/session-token';
import { rowsOf } from '@/lib/db/engine';
import { asService, asUser } from '@/lib/db/rls';
import { getOverview } from '@/lib/overview/queries';
import { listWebhookEvents } from '@/lib/webhooks/history';
import { providers } from '@/lib/providers/registry';
import { runRule, settledWebhookDeliveries } from '@/lib/retention/rules';
import { claimsOf } from '@/lib/workspaces/access';
import { createWorkspace } from '@/lib/workspaces/workspaces';
import { createTestDatabase, createUser, testEngine, type TestDatabase } from '../support/database';

let database: TestDatabase;
let owner: SessionUser;
let workspaceId: string;
let connectionId: string;
const provider = providers[0].id;
const HOUR = 3_600_000;

async function service(statement: ReturnType<typeof sql>) {
  return asService(database.db, async (tx) => rowsOf<Record<string, unknown>>(await tx.execute(statement)));
}

async function addConnection(ws: string): Promise<string> {
  const id = crypto.randomUUID();
  await service(sql`insert into public.connections (id, workspace_id, provider, display_name, auth_kind, status)
    values (${id}::uuid, ${ws}::uuid, ${provider}, 'Counted', 'oauth2', 'active')`);
  return id;
}

/** `count` runs of the connection, created `hoursAgo` back (spread over three hours), statuses cycling. */
async function addRuns(ws: string, connection: string, count: number, hoursAgo = 0) {
  await service(sql`
    insert into public.sync_runs (workspace_id, connection_id, trigger, mode, status, created_at, queued_at)
    select ${ws}::uuid, ${connection}::uuid, 'manual', 'full',
           (array['queued', 'running', 'succeeded', 'failed'])[1 + g % 4],
           now() - ${hoursAgo} * interval '1 hour' - (g % 3) * interval '1 hour', now()
    from generate_series(1, ${count}) g`);
}

/** `count` deliveries received at `receivedAt`, statuses cycling; the settled ones processed 100–300 ms later. */
async function addDeliveries(ws: string | null, connection: string | null, count: number, receivedAt: string, prefix: string = crypto.randomUUID()) {
  await service(sql`
    insert into public.webhook_events (workspace_id, connection_id, provider, dedupe_key, verification, status, received_at, processed_at)
    select ${ws}::uuid, ${connection}::uuid, ${provider}, ${prefix} || '-' || g, 'verified', status,
           ${receivedAt}::timestamptz, case when status <> 'received' then ${receivedAt}::timestamptz + (g % 4) * interval '100 milliseconds' end
    from (select g, (array['received', 'processed', 'failed', 'processed'])[1 + g % 4] as status from generate_series(1, ${count}) g) s`);
}

const runCounters = (ws: string) =>
  service(sql`select hour, status, runs::int as n from public.sync_run_counts where workspace_id = ${ws}::uuid and runs <> 0 order by 1, 2`);
const runActual = (ws: string) =>
  service(sql`select date_trunc('hour', created_at, 'UTC') as hour, status, count(*)::int as n from public.sync_runs
    where workspace_id = ${ws}::uuid group by 1, 2 order by 1, 2`);
const deliveryCounters = (ws: string) =>
  service(sql`select hour, status, deliveries::int as n, duplicates::int as d from public.webhook_event_counts
    where workspace_id = ${ws}::uuid and (deliveries <> 0 or duplicates <> 0) order by 1, 2`);
const deliveryActual = (ws: string) =>
  service(sql`select date_trunc('hour', received_at, 'UTC') as hour, status, count(*)::int as n, sum(duplicate_count)::int as d
    from public.webhook_events where workspace_id = ${ws}::uuid group by 1, 2 order by 1, 2`);

async function expectExact(ws: string) {
  const runs = await runActual(ws);
  const deliveries = await deliveryActual(ws);
  expect(await runCounters(ws)).toEqual(runs);
  expect(await deliveryCounters(ws)).toEqual(deliveries);
  return { runs, deliveries };
}

beforeAll(async () => {
  database = await createTestDatabase();
  owner = await createUser(database, 'counters-owner');
  workspaceId = (await createWorkspace(database.db, owner, 'Counters')).id;
  connectionId = await addConnection(workspaceId);
});
afterAll(() => database.drop());

describe(`overview counters (${testEngine})`, () => {
  it('counts sync runs exactly through inserts, status changes, progress updates, a member’s cancel and deletes', async () => {
    await addRuns(workspaceId, connectionId, 40);
    await addRuns(workspaceId, connectionId, 9, 30);
    const { runs } = await expectExact(workspaceId);
    expect(runs.reduce((sum, r) => sum + Number(r.n), 0)).toBe(49);

    // Progress on the page level changes no counted column: the counters stay as they are.
    await service(sql`update public.sync_runs set pages_done = pages_done + 1, heartbeat_at = now() where connection_id = ${connectionId}::uuid`);
    await expectExact(workspaceId);
    // Runs finishing, several statuses in one statement.
    await service(sql`update public.sync_runs set status = case when status = 'running' then 'succeeded' else 'partial' end
      where connection_id = ${connectionId}::uuid and status in ('running', 'queued')`);
    await expectExact(workspaceId);
    // A run moved to another hour (the counters follow created_at, as the chart does).
    await service(sql`update public.sync_runs set created_at = created_at - interval '5 hours'
      where id = (select id from public.sync_runs where connection_id = ${connectionId}::uuid order by id limit 1)`);
    await expectExact(workspaceId);

    // A member cancels a run under RLS: the counters move although members cannot write them.
    await addRuns(workspaceId, connectionId, 1);
    await asUser(database.db, claimsOf(owner), (tx) =>
      tx.execute(sql`update public.sync_runs set status = 'cancelled', finished_at = now(), error = 'Cancelled'
        where id = (select id from public.sync_runs where connection_id = ${connectionId}::uuid and status in ('queued', 'running') limit 1)`),
    );
    const { runs: after } = await expectExact(workspaceId);
    expect(after.some((r) => r.status === 'cancelled')).toBe(true);
    await expect(
      asUser(database.db, claimsOf(owner), (tx) => tx.execute(sql`update public.sync_run_counts set runs = 0 where workspace_id = ${workspaceId}::uuid`)),
    ).rejects.toThrow();

    await service(sql`delete from public.sync_runs where connection_id = ${connectionId}::uuid and status = 'failed'`);
    await expectExact(workspaceId);
  });

  it('counts webhook deliveries exactly through batches, duplicates, processing, unrouted rows and retention', async () => {
    const at = new Date(Date.now() - 2 * HOUR).toISOString();
    await addDeliveries(workspaceId, connectionId, 30, at, 'batch');
    // The store's upsert: a delivery arriving again counts a duplicate on the stored row.
    await service(sql`
      insert into public.webhook_events (workspace_id, connection_id, provider, dedupe_key, verification, status, received_at)
      values (${workspaceId}::uuid, ${connectionId}::uuid, ${provider}, 'batch-1', 'verified', 'received', now()),
             (${workspaceId}::uuid, ${connectionId}::uuid, ${provider}, 'batch-2', 'verified', 'received', now()),
             (${workspaceId}::uuid, ${connectionId}::uuid, ${provider}, 'batch-new', 'verified', 'received', now())
      on conflict (provider, dedupe_key) do update set duplicate_count = public.webhook_events.duplicate_count + 1`);
    // Unrouted deliveries belong to no workspace and are not counted anywhere.
    await addDeliveries(null, null, 5, at);
    const { deliveries } = await expectExact(workspaceId);
    expect(deliveries.reduce((sum, r) => sum + Number(r.d), 0)).toBe(2);
    expect(deliveries.reduce((sum, r) => sum + Number(r.n), 0)).toBe(31);

    // Claiming and processing: received → processing → processed, a batch per statement.
    await service(sql`update public.webhook_events set status = 'processing', claimed_at = now() where workspace_id = ${workspaceId}::uuid and status = 'received'`);
    await expectExact(workspaceId);
    await service(sql`update public.webhook_events set status = 'processed', processed_at = now() where workspace_id = ${workspaceId}::uuid and status = 'processing'`);
    await expectExact(workspaceId);

    // Retention prunes settled deliveries past their period, in batches.
    await addDeliveries(workspaceId, connectionId, 12, new Date(Date.now() - 40 * 24 * HOUR).toISOString(), 'old');
    await expectExact(workspaceId);
    // Six of the twelve were processed; the waiting and the failed ones stay.
    expect(await runRule(database.db, settledWebhookDeliveries, { batch: 5 })).toBe(6);
    const { deliveries: pruned } = await expectExact(workspaceId);
    expect(pruned.filter((r) => new Date(String(r.hour)).getTime() < Date.now() - 30 * 24 * HOUR).map((r) => r.status)).toEqual(['failed', 'received']);
    // The emptied hour's row went with its deliveries (no zero rows left behind by retention).
    expect(await service(sql`select status from public.webhook_event_counts
      where workspace_id = ${workspaceId}::uuid and hour < now() - interval '30 days' order by status`)).toEqual([{ status: 'failed' }, { status: 'received' }]);

    // The webhook list's totals come from these counters workspace-wide: exact, never capped.
    const actual = await service(sql`select status, count(*)::int as n from public.webhook_events where workspace_id = ${workspaceId}::uuid group by 1 order by 1`);
    const list = await listWebhookEvents(database.db, owner, workspaceId, { pageSize: 5 });
    expect(list.statusCounts).toEqual(Object.fromEntries(actual.map((r) => [r.status, r.n])));
    expect(list).toMatchObject({ total: actual.reduce((sum, r) => sum + Number(r.n), 0), totalCapped: false, statusCountsCapped: [] });
    const failed = await listWebhookEvents(database.db, owner, workspaceId, { pageSize: 5, status: 'failed' });
    expect(failed.total).toBe(actual.find((r) => r.status === 'failed')?.n);
    expect(failed.events.every((e) => e.status === 'failed')).toBe(true);
    // Per connection it counts the rows (the counters are per workspace): the same numbers here.
    const own = await listWebhookEvents(database.db, owner, workspaceId, { pageSize: 5, connection: connectionId });
    expect(own.statusCounts).toEqual(list.statusCounts);
  });

  it('loses no increment to concurrent writers', async () => {
    const ws = (await createWorkspace(database.db, owner, 'Concurrent counters')).id;
    const connection = await addConnection(ws);
    const at = new Date(Date.now() - HOUR).toISOString();
    // Twelve writers at once (as many connections as the pool has): all land in the same counter rows.
    await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        await addRuns(ws, connection, 5);
        await addDeliveries(ws, connection, 4, at, `writer-${i}`);
        await service(sql`update public.webhook_events set status = 'failed' where workspace_id = ${ws}::uuid and dedupe_key like ${`writer-${i}-%`}`);
      }),
    );
    const { runs, deliveries } = await expectExact(ws);
    expect(runs.reduce((sum, r) => sum + Number(r.n), 0)).toBe(60);
    expect(deliveries).toEqual([expect.objectContaining({ status: 'failed', n: 48 })]);
  });

  it('goes with its workspace, and a disconnected connection keeps its history counted', async () => {
    const ws = (await createWorkspace(database.db, owner, 'Short-lived')).id;
    const connection = await addConnection(ws);
    await addRuns(ws, connection, 6);
    await addDeliveries(ws, connection, 6, new Date().toISOString());
    await service(sql`update public.connections set status = 'disconnected' where id = ${connection}::uuid`);
    const { runs } = await expectExact(ws);
    expect(runs.length).toBeGreaterThan(0);
    await service(sql`delete from public.workspaces where id = ${ws}::uuid`);
    expect(await service(sql`select 1 from public.sync_run_counts where workspace_id = ${ws}::uuid
      union all select 1 from public.webhook_event_counts where workspace_id = ${ws}::uuid`)).toEqual([]);
  });

  it('gives the overview the numbers the rows give, to the edge of its 24 hours', async () => {
    const ws = (await createWorkspace(database.db, owner, 'Overview edges')).id;
    const connection = await addConnection(ws);
    const now = new Date();
    const dayAgo = now.getTime() - 24 * HOUR;
    // Just inside the window (in its partial first hour), just outside it, and well inside.
    await addDeliveries(ws, connection, 3, new Date(dayAgo + 60_000).toISOString());
    await addDeliveries(ws, connection, 5, new Date(dayAgo - 60_000).toISOString());
    await addDeliveries(ws, connection, 8, new Date(now.getTime() - 3 * HOUR).toISOString());
    await addRuns(ws, connection, 10, 2);
    await addRuns(ws, connection, 4, 24 * 8);
    const overview = await getOverview(database.db, owner, ws, now);
    const [fromRows] = await service(sql`
      select count(*)::int as deliveries, (count(*) filter (where status = 'processed'))::int as processed,
             (count(*) filter (where status = 'failed'))::int as failed,
             (count(*) filter (where status in ('received', 'processing')))::int as pending
      from public.webhook_events where workspace_id = ${ws}::uuid and received_at >= ${new Date(dayAgo).toISOString()}::timestamptz`);
    expect(overview.webhooks).toMatchObject({ ...fromRows, duplicates: 0 });
    expect(overview.webhooks.deliveries).toBe(11);
    // Latency over the settled ones in the window (processed and failed), 100–300 ms each.
    expect(overview.webhooks.latencyMs.sampled).toBe(9);
    expect(overview.webhooks.latencyMs.p95).toBeLessThanOrEqual(300);
    const [runsInWeek] = await service(sql`select count(*)::int as n from public.sync_runs
      where workspace_id = ${ws}::uuid and created_at >= ${overview.runs.week.since}::timestamptz`);
    expect(overview.runs.week.totals.total).toBe(runsInWeek.n);
    expect(overview.runs.week.totals.total).toBe(10);
  });
});
