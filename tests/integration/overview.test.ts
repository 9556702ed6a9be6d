// The workspace overview (lib/overview) against a real database: a sandbox connection that synced
// (one run succeeded, one failed), webhook deliveries signed and processed by the app, action calls
// in the log and an open health issue; then what the overview reports, who may read it, and that
// another workspace's activity never shows. On a provider picked by trait (tests/support/providers.ts).
import crypto from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SessionUser } from '@/lib/auth/session-token';
import { rowsOf } from '@/lib/db/engine';
import { asService, asUser } from '@/lib/db/rls';
import { syncRuns } from '@/lib/db/schema';
import { ATTENTION_CAP, CONNECTION_CAP, getOverview, RESOURCE_CAP } from '@/lib/overview/queries';
import { SyncRunner } from '@/lib/sync/runner';
import { requestSync } from '@/lib/sync/runs';
import { processAllDue } from '@/lib/webhooks/process';
import { createWorkspace } from '@/lib/workspaces/workspaces';
import { GET as overviewRoute } from '@/app/api/workspaces/[workspaceId]/overview/route';
import { actAs, call, releaseDatabase, useDatabase } from './route-harness';
import { createUser, testEngine } from '../support/database';
import { addMemberAndAccept } from '../support/members';
import { exampleProvider } from '../support/providers';
import { afterDeliveriesPause, connectedAndSynced, deliverFromSandbox, webhookSuite } from '../support/webhooks';

vi.mock('next/headers', () => import('./route-harness').then((m) => m.nextHeaders));

const suite = webhookSuite();
// Deliveries that carry their records, so processing them stores data and starts no sync run.
const provider = exampleProvider({ sync: true, webhooks: 'app-signed', webhookChanges: 'upsert' });
const [resource] = provider.resources;
const RECORDS = 7;

let workspaceId: string;
let connectionId: string;
let viewer: SessionUser;
let outsider: SessionUser;
let otherWorkspaceId: string;

async function service<T>(work: Parameters<typeof asService<T>>[1]) {
  return asService(suite.database.db, work);
}

beforeAll(async () => {
  // The suite's beforeEach approves consent pages and makes a runner; this setup runs before it.
  suite.sandbox.knobs.autoApprove = true;
  suite.runner = new SyncRunner(suite.database.db, { sleep: async () => undefined });
  ({ workspaceId, connectionId } = await connectedAndSynced(suite, provider.id, provider.datasets({ [resource]: RECORDS })));

  // A second run fails: its first page keeps answering 500.
  suite.sandbox.setKnobs({ failPage: { provider: provider.id, resource, page: 1, status: 500, times: 10 } });
  const failing = await requestSync(suite.database.db, { workspaceId, connectionId, trigger: 'manual', mode: 'full', resource: null });
  expect(await suite.runner.runToEnd(failing.runId)).toBe('failed');
  suite.sandbox.setKnobs({ failPage: null });

  // Two deliveries, signed by the sandbox, stored and processed by the app.
  const url = `${suite.server.url}${provider.webhookPath}`;
  for (let i = 0; i < 2; i++) {
    const { deliveries } = await deliverFromSandbox(suite, { provider: provider.id, url, mutate: { update: 1 } });
    expect(deliveries[0].status).toBe(200);
  }
  await afterDeliveriesPause(suite, connectionId);
  expect(await processAllDue(suite.database.db, { connectionId })).toMatchObject({ processed: 2 });
  // Fixed latencies (received → processed) so the percentiles can be checked: 100 ms and 300 ms,
  // and one more delivery that failed processing after 1 s.
  await service(async (tx) => {
    await tx.execute(sql`
      with ordered as (select id, row_number() over (order by received_at, id) as n from public.webhook_events where connection_id = ${connectionId}::uuid)
      update public.webhook_events e
      set received_at = now() - interval '1 hour', processed_at = now() - interval '1 hour' + (case when o.n = 1 then interval '100 milliseconds' else interval '300 milliseconds' end)
      from ordered o where o.id = e.id`);
    await tx.execute(sql`
      insert into public.webhook_events (workspace_id, connection_id, provider, dedupe_key, verification, status, received_at, processed_at, error)
      values (${workspaceId}, ${connectionId}, ${provider.id}, ${crypto.randomUUID()}, 'verified', 'failed', now() - interval '2 hours', now() - interval '2 hours' + interval '1 second', 'boom')`);
    // A forgery counted as rejected, and a delivery from two days ago: neither is in the 24 hours.
    await tx.execute(sql`
      insert into public.webhook_events (workspace_id, connection_id, provider, dedupe_key, verification, status, received_at)
      values (${workspaceId}, ${connectionId}, ${provider.id}, ${crypto.randomUUID()}, 'failed', 'rejected', now()),
             (${workspaceId}, ${connectionId}, ${provider.id}, ${crypto.randomUUID()}, 'verified', 'processed', now() - interval '2 days')`);
    // Action calls as the action log records them: two succeeded, one failed; one from yesterday-but-one.
    await tx.execute(sql`
      insert into public.action_logs (workspace_id, connection_id, provider, action, status, http_status, latency_ms, created_at)
      values (${workspaceId}, ${connectionId}, ${provider.id}, 'contacts.lookup', 'succeeded', 200, 100, now() - interval '5 minutes'),
             (${workspaceId}, ${connectionId}, ${provider.id}, 'contacts.lookup', 'succeeded', 200, 200, now() - interval '4 minutes'),
             (${workspaceId}, ${connectionId}, ${provider.id}, 'appointments.create', 'failed', 502, 900, now() - interval '3 minutes'),
             (${workspaceId}, ${connectionId}, ${provider.id}, 'contacts.lookup', 'failed', 502, 5000, now() - interval '30 hours')`);
    // An open critical issue (as the health rules write it) and a resolved one, which is history.
    await tx.execute(sql`
      insert into public.health_issues (workspace_id, connection_id, kind, severity, title, explanation, fix, last_seen_at)
      values (${workspaceId}, ${connectionId}, 'sync_failing', 'critical', 'Syncs keep failing', 'The last run failed.',
              ${JSON.stringify({ kind: 'sync_now', label: 'Sync now', href: `/w/${workspaceId}/integrations/${connectionId}` })}::jsonb, now())`);
    await tx.execute(sql`
      insert into public.health_issues (workspace_id, connection_id, kind, severity, title, explanation, fix, status, resolved_at)
      values (${workspaceId}, ${connectionId}, 'rate_limited', 'warning', 'Rate limited', 'It was.',
              ${JSON.stringify({ kind: 'wait', label: 'Wait', href: null })}::jsonb, 'resolved', now())`);
    // A run from eight days ago is outside the week.
    await tx.insert(syncRuns).values({ workspaceId, connectionId, trigger: 'schedule', mode: 'incremental', status: 'succeeded', createdAt: new Date(Date.now() - 8 * 86_400_000) });
  });

  viewer = await createUser(suite.database, 'viewer');
  await addMemberAndAccept(suite.database.db, suite.admin, workspaceId, { email: viewer.email, role: 'viewer' });

  // Another workspace with activity of its own, owned by someone who is not a member here.
  outsider = await createUser(suite.database, 'outsider');
  otherWorkspaceId = (await createWorkspace(suite.database.db, outsider, 'Elsewhere')).id;
  await service(async (tx) => {
    await tx.execute(sql`insert into public.action_logs (workspace_id, action, status, http_status, latency_ms) values (${otherWorkspaceId}, 'contacts.lookup', 'failed', 500, 10)`);
  });
  useDatabase(suite.database);
});
afterAll(() => releaseDatabase());

describe(`workspace overview (${testEngine})`, () => {
  it('counts what happened: runs by outcome, records per resource, deliveries and latency, actions and error rate', async () => {
    const overview = await getOverview(suite.database.db, suite.admin, workspaceId);

    expect(overview.connections).toHaveLength(1);
    expect(overview.connections[0]).toMatchObject({
      id: connectionId,
      provider: provider.id,
      providerName: provider.name,
      health: 'broken',
      issues: { total: 1, critical: 1, warning: 0, info: 0 },
    });
    expect(overview.health).toEqual({ healthy: 0, degraded: 0, broken: 1 });
    expect(overview.issues.total).toBe(1);

    // Records: the initial sync stored RECORDS; the deliveries updated, never added.
    const own = overview.records.resources.filter((r) => r.connectionId === connectionId && r.resource === resource);
    expect(own).toEqual([expect.objectContaining({ provider: provider.id, providerName: provider.name, records: RECORDS, deleted: 0, connections: 1 })]);
    expect(overview.connections[0].records).toBe(overview.records.total);
    expect(overview.records.other).toEqual({ resources: 0, records: 0 });
    expect(overview.connectionTotals).toEqual({ total: 1, shown: 1, more: 0, byStatus: { active: 1 } });

    // Runs: the initial full sync succeeded and the second failed, both in the last hour; the
    // eight-day-old run is in neither window.
    const [dbRuns] = await service((tx) => tx.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(syncRuns).where(eq(syncRuns.connectionId, connectionId)));
    expect(dbRuns.n).toBe(3);
    expect(overview.runs.day.buckets).toHaveLength(24);
    expect(overview.runs.week.buckets).toHaveLength(7);
    expect(overview.runs.day.totals).toMatchObject({ total: 2, succeeded: 1, failed: 1, active: 0 });
    expect(overview.runs.week.totals).toMatchObject({ total: 2, succeeded: 1, failed: 1 });
    expect(overview.runs.day.buckets.at(-1)).toMatchObject({ total: 2, succeeded: 1, failed: 1 });
    expect(overview.runs.week.buckets.at(-1)).toMatchObject({ total: 2 });

    // Webhooks: three verified deliveries in the 24 hours (two processed, one failed); the
    // rejected forgery and the two-day-old delivery do not count.
    expect(overview.webhooks).toMatchObject({ deliveries: 3, processed: 2, failed: 1, pending: 0 });
    expect(overview.webhooks.failureRate).toBeCloseTo(1 / 3);
    // Latency over the three processed-at times: 100, 300 and 1000 ms.
    expect(overview.webhooks.latencyMs).toEqual({ p50: 300, p95: 930, sampled: 3 });

    // Actions: three calls in the 24 hours, one failed; p95 of 100, 200, 900 ms.
    expect(overview.actions).toMatchObject({ calls: 3, failed: 1, p95Ms: 830 });
    expect(overview.actions.errorRate).toBeCloseTo(1 / 3);

    // Needs attention: the open issue, linking to its fix; the resolved one is history.
    expect(overview.needsAttention).toEqual([
      expect.objectContaining({ severity: 'critical', title: 'Syncs keep failing', fix: { label: 'Sync now', href: `/w/${workspaceId}/integrations/${connectionId}` } }),
    ]);
  });

  it('lists a connection that needs reconnecting, and drops a disconnected one', async () => {
    await service((tx) => tx.execute(sql`update public.connections set status = 'needs_reauth', status_reason = 'The provider refused the token.' where id = ${connectionId}::uuid`));
    const overview = await getOverview(suite.database.db, viewer, workspaceId);
    expect(overview.needsAttention).toHaveLength(2);
    expect(overview.needsAttention.map((item) => [item.severity, item.fix.label])).toEqual(
      expect.arrayContaining([
        ['critical', 'Sync now'],
        ['critical', 'Reconnect'],
      ]),
    );
    expect(overview.needsAttention.find((item) => item.fix.label === 'Reconnect')).toMatchObject({
      connectionId,
      explanation: 'The provider refused the token.',
      fix: { href: `/w/${workspaceId}/integrations/${connectionId}` },
    });

    await service((tx) => tx.execute(sql`update public.connections set status = 'disconnected' where id = ${connectionId}::uuid`));
    const after = await getOverview(suite.database.db, viewer, workspaceId);
    expect(after.connections).toEqual([]);
    expect(after.records).toEqual({ total: 0, resources: [], other: { resources: 0, records: 0 } });
    expect(after.connectionTotals).toMatchObject({ total: 0, more: 0 });
    // History stays: the runs still count.
    expect(after.runs.day.totals.total).toBe(2);
    await service((tx) => tx.execute(sql`update public.connections set status = 'active', status_reason = null where id = ${connectionId}::uuid`));
  });

  it('stays a summary with many connections: capped tiles neediest first, exact totals, the rest counted', async () => {
    const many = (await createWorkspace(suite.database.db, suite.admin, 'Many connections')).id;
    const N = 40;
    // Connection g: 1–3 failing, 4–6 needing reconnect, 7–9 paused, 10 disconnected, the rest
    // active; g = 13 has a critical issue, 11–12 a warning, 14–16 an info one. Smaller g synced
    // more recently. Two resources each: 'shared' (100 live, 1 deleted) and 'r<g % 10>' (g live).
    const statusOf = (g: number) => (g <= 3 ? 'error' : g <= 6 ? 'needs_reauth' : g <= 9 ? 'paused' : g === 10 ? 'disconnected' : 'active');
    const ids = Array.from({ length: N }, () => crypto.randomUUID());
    const gs = Array.from({ length: N }, (_, i) => i + 1);
    await service(async (tx) => {
      await tx.execute(sql`insert into public.connections (id, workspace_id, provider, display_name, auth_kind, status, last_success_at) values ${sql.join(
        gs.map((g) => sql`(${ids[g - 1]}::uuid, ${many}::uuid, ${provider.id}, ${`Conn ${String(g).padStart(2, '0')}`}, 'oauth2', ${statusOf(g)}, now() - ${g} * interval '1 minute')`),
        sql`, `,
      )}`);
      await tx.execute(sql`insert into public.synced_record_counts (connection_id, resource, workspace_id, live, deleted, last_seen_at) values ${sql.join(
        gs.flatMap((g) => [
          sql`(${ids[g - 1]}::uuid, 'shared', ${many}::uuid, 100, 1, now())`,
          sql`(${ids[g - 1]}::uuid, ${`r${g % 10}`}, ${many}::uuid, ${g}, 0, now())`,
        ]),
        sql`, `,
      )}`);
      const issue = (g: number, severity: string) =>
        sql`(${many}::uuid, ${ids[g - 1]}::uuid, 'sync_failing', ${severity}, ${`Issue ${g}`}, 'Seeded.', ${JSON.stringify({ kind: 'wait', label: 'Look', href: null })}::jsonb, now() - ${g} * interval '1 second')`;
      await tx.execute(sql`insert into public.health_issues (workspace_id, connection_id, kind, severity, title, explanation, fix, last_seen_at) values ${sql.join(
        [issue(13, 'critical'), issue(11, 'warning'), issue(12, 'warning'), issue(14, 'info'), issue(15, 'info'), issue(16, 'info')],
        sql`, `,
      )}`);
    });

    const overview = await getOverview(suite.database.db, suite.admin, many);
    const watched = gs.filter((g) => g !== 10);
    // Counts over every watched connection, not only the tiles.
    expect(overview.health).toEqual({ broken: 7, degraded: 5, healthy: watched.length - 12 });
    expect(overview.connectionTotals).toEqual({ total: watched.length, shown: CONNECTION_CAP, more: watched.length - CONNECTION_CAP, byStatus: { error: 3, needs_reauth: 3, paused: 3, active: watched.length - 9 } });
    // Tiles: broken (failing, reconnect, critical issue) first, then those with an open issue, each
    // group most recently synced first; the healthy ones do not fit under the cap.
    const byId = new Map<string, number>(ids.map((id, i) => [id, i + 1]));
    expect(overview.connections.map((c) => byId.get(c.id))).toEqual([1, 2, 3, 4, 5, 6, 13, 11, 12, 14, 15, 16]);
    expect(overview.connections.map((c) => c.health)).toEqual([...Array(7).fill('broken'), ...Array(5).fill('degraded')]);
    expect(overview.connections[0]).toMatchObject({ records: 101, issues: { total: 0 } });
    expect(overview.connections[6]).toMatchObject({ records: 113, issues: { total: 1, critical: 1 } });

    // Needs attention: 3 failing + 3 reconnect + 6 issues = 12, the 7 critical first; 10 shown.
    expect(overview.needsAttention).toHaveLength(ATTENTION_CAP);
    expect(overview.needsAttentionMore).toBe(12 - ATTENTION_CAP);
    expect(overview.needsAttention.map((item) => item.severity)).toEqual([...Array(7).fill('critical'), 'warning', 'warning', 'info']);

    // Records summed per resource over the watched connections: 'shared' from all 39, then r9…r0.
    const expected = new Map<string, number>([['shared', 100 * watched.length]]);
    for (const g of watched) expected.set(`r${g % 10}`, (expected.get(`r${g % 10}`) ?? 0) + g);
    const sorted = [...expected].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    expect(overview.records.resources.map((r) => [r.resource, r.records])).toEqual(sorted.slice(0, RESOURCE_CAP));
    expect(overview.records.resources[0]).toMatchObject({ resource: 'shared', deleted: watched.length, connections: watched.length, connectionId: null });
    expect(overview.records.other).toEqual({ resources: sorted.length - RESOURCE_CAP, records: sorted.slice(RESOURCE_CAP).reduce((sum, [, n]) => sum + n, 0) });
    expect(overview.records.total).toBe(watched.reduce((sum, g) => sum + 100 + g, 0));

    // The answer's size does not grow with the connections: twice as many, the same number of items.
    const size = JSON.stringify(overview).length;
    await service((tx) =>
      tx.execute(sql`insert into public.connections (workspace_id, provider, display_name, auth_kind, status)
        select ${many}::uuid, ${provider.id}, 'More ' || g, 'oauth2', 'active' from generate_series(1, ${N}) g`),
    );
    const bigger = await getOverview(suite.database.db, suite.admin, many);
    expect(bigger.connectionTotals).toMatchObject({ total: watched.length + N, shown: CONNECTION_CAP, more: watched.length + N - CONNECTION_CAP });
    expect(bigger.connections).toHaveLength(CONNECTION_CAP);
    expect(JSON.stringify(bigger).length).toBeLessThan(size + 100);
  });

  it('shows a viewer the same numbers, and an outsider nothing', async () => {
    const now = new Date();
    const asAdmin = await getOverview(suite.database.db, suite.admin, workspaceId, now);
    const asViewer = await getOverview(suite.database.db, viewer, workspaceId, now);
    expect({ ...asViewer, role: asAdmin.role }).toEqual(asAdmin);
    expect(asAdmin.role).toBe('owner');
    expect(asViewer.role).toBe('viewer');

    await expect(getOverview(suite.database.db, outsider, workspaceId)).rejects.toMatchObject({ status: 404 });
    // The outsider's own workspace: its failed call and nothing of ours.
    const theirs = await getOverview(suite.database.db, outsider, otherWorkspaceId);
    expect(theirs.actions).toMatchObject({ calls: 1, failed: 1 });
    expect(theirs.connections).toEqual([]);
    expect(theirs.runs.week.totals.total).toBe(0);
    expect(theirs.webhooks.deliveries).toBe(0);
    expect(theirs.needsAttention).toEqual([]);
  });

  it('answers over HTTP: 200 for members, 404 for outsiders, 401 signed out, 400 for a malformed id', async () => {
    const url = (id: string) => `/api/workspaces/${id}/overview`;
    await actAs(viewer);
    const ok = await call(overviewRoute, url(workspaceId), { params: { workspaceId } });
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { connections: { id: string }[]; webhooks: { deliveries: number } };
    expect(body.connections.map((c) => c.id)).toEqual([connectionId]);
    expect(body.webhooks.deliveries).toBe(3);

    await actAs(outsider);
    const denied = await call(overviewRoute, url(workspaceId), { params: { workspaceId } });
    expect(denied.status).toBe(404);
    expect(await denied.json()).toMatchObject({ code: 'not_found' });

    await actAs(null);
    expect((await call(overviewRoute, url(workspaceId), { params: { workspaceId } })).status).toBe(401);
    await actAs(viewer);
    expect((await call(overviewRoute, url('nope'), { params: { workspaceId: 'nope' } })).status).toBe(400);
  });

  it('is scoped by row-level security underneath, not only by the workspace filter', async () => {
    // As the outsider under RLS, even an unfiltered count of this workspace's rows finds nothing.
    const seen = await asUser(suite.database.db, { sub: outsider.userId, email: outsider.email }, async (tx) => {
      const rows = await tx.execute(sql`
        select (select count(*) from public.sync_runs where workspace_id = ${workspaceId}::uuid) as runs,
               (select count(*) from public.webhook_events where workspace_id = ${workspaceId}::uuid) as events,
               (select count(*) from public.action_logs where workspace_id = ${workspaceId}::uuid) as actions,
               (select count(*) from public.health_issues where workspace_id = ${workspaceId}::uuid) as issues`);
      return rowsOf<Record<string, unknown>>(rows)[0];
    });
    expect(Object.values(seen).map(Number)).toEqual([0, 0, 0, 0]);
  });
});
