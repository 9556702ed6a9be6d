// The workspace overview as a member sees it (RLS: one asUser transaction, so every number comes
// from the same snapshot). Each query aggregates in the database over an index that exists:
//   connections     connections_workspace_idx (workspace_id, status): counts by health and status,
//                   and only CONNECTION_CAP tiles (the answer's size does not grow with the workspace)
//   records         synced_record_counts (kept by triggers on synced_records; counting the records
//                   themselves took seconds at 1,000,000), summed per provider and resource
//   runs            sync_run_counts (per UTC hour and status, kept by triggers on sync_runs), 7 days
//   webhooks        webhook_event_counts (likewise, on webhook_events) for the whole hours of the
//                   24, webhook_events_workspace_idx for the partial first hour and for latency
//   actions         action_logs_workspace_idx (workspace_id, created_at desc, id desc), 24 h
//   issues          health_issues_workspace_idx (workspace_id, status, last_seen_at desc), open only
// and returns grouped rows (at most 7 × 24 × statuses for runs), never the rows themselves.
import { and, asc, desc, eq, gte, ne, not, or, sql, type SQL } from 'drizzle-orm';
import type { SessionUser } from '../auth/session-token';
import type { Db } from '../db/engine';
import { actionLogs, connections, healthIssues, syncedRecordCounts, syncRunCounts, webhookEventCounts, webhookEvents } from '../db/schema';
import { toHealthIssue } from '../health/store';
import type { ConnectionHealth } from '../health/types';
import { findProvider } from '../providers/registry';
import { inWorkspace } from '../workspaces/access';
import {
  bucketStarts,
  connectionHealth,
  countIssues,
  fillRunBuckets,
  needsAttention,
  rate,
  sumBuckets,
  type ConnectionStatus,
  type RunCountRow,
  type SyncStatus,
} from './aggregate';

const HOUR_MS = 3_600_000;
/** How many of the newest settled deliveries the latency percentiles are taken over. */
export const LATENCY_SAMPLE = 1_000;
/** Connection tiles on the overview; the rest are counted and listed on the Integrations page. */
export const CONNECTION_CAP = 12;
/** "Needs attention" items shown; the rest are counted. */
export const ATTENTION_CAP = 10;
/** Resources in the records table; the rest are summed into one line. */
export const RESOURCE_CAP = 8;

/** A percentile of milliseconds as a whole number, or null when nothing was measured. */
const ms = (value: unknown) => (value === null || value === undefined ? null : Math.round(Number(value)));

export async function getOverview(db: Db, user: SessionUser, workspaceId: string, now = new Date()) {
  const hours = bucketStarts(now, 'hour', 24);
  const days = bucketStarts(now, 'day', 7);
  const dayAgo = hours[0];
  const weekAgo = days[0];
  const since24h = new Date(now.getTime() - 24 * HOUR_MS);

  return inWorkspace(db, user, workspaceId, 'viewer', async ({ tx, role }) => {
    // Connections: counts by health and status for all of them, tiles for a few. The overview is
    // a summary whose size does not grow with the workspace (at 1,000 connections one tile each
    // made a 758 KB answer nobody reads); the Integrations page lists and filters every one.
    // A disconnected connection keeps its history but is no longer watched: not counted here.
    const live = and(eq(connections.workspaceId, workspaceId), ne(connections.status, 'disconnected'));
    const openIssues = tx
      .select({
        connectionId: healthIssues.connectionId,
        total: sql<number>`count(*)`.as('issues_total'),
        critical: sql<number>`count(*) filter (where ${healthIssues.severity} = 'critical')`.as('issues_critical'),
      })
      .from(healthIssues)
      .where(and(eq(healthIssues.workspaceId, workspaceId), eq(healthIssues.status, 'open')))
      .groupBy(healthIssues.connectionId)
      .as('open_issues');
    // connectionHealth (aggregate.ts) in SQL, so the counts need no row per connection.
    const broken = sql`(${connections.status} in ('error', 'needs_reauth') or coalesce(${openIssues.critical}, 0) > 0)`;
    const healthOf = sql<ConnectionHealth>`case when ${broken} then 'broken' when coalesce(${openIssues.total}, 0) > 0 then 'degraded' else 'healthy' end`;
    const countQuery = tx
      .select({ health: healthOf, status: connections.status, count: sql<number>`count(*)`.mapWith(Number) })
      .from(connections)
      .leftJoin(openIssues, eq(openIssues.connectionId, connections.id))
      .where(live)
      .groupBy(healthOf, connections.status);
    // The tiles: what needs attention first (failing or needing reconnect, then anything with an
    // open issue, such as a stale sync), then the most recently synced.
    const shownQuery = tx
      .select({
        id: connections.id,
        provider: connections.provider,
        displayName: connections.displayName,
        accountLabel: connections.accountLabel,
        status: connections.status,
        statusReason: connections.statusReason,
        lastSuccessAt: connections.lastSuccessAt,
        // Twelve primary-key lookups, in the same statement.
        records: sql<number>`(select coalesce(sum(${syncedRecordCounts.live}), 0) from ${syncedRecordCounts} where ${syncedRecordCounts.connectionId} = ${connections.id})`.mapWith(Number),
      })
      .from(connections)
      .leftJoin(openIssues, eq(openIssues.connectionId, connections.id))
      .where(live)
      .orderBy(
        sql`case when ${broken} then 0 when coalesce(${openIssues.total}, 0) > 0 then 1 else 2 end`,
        sql`${connections.lastSuccessAt} desc nulls last`,
        asc(connections.displayName),
        asc(connections.id),
      )
      .limit(CONNECTION_CAP);
    // Connections whose status asks for a fix, for "needs attention" (only those, never all).
    // The rule is needsAttention's (aggregate.ts): one that needs reconnecting and has no open
    // needs_reauth issue, one failing without an open critical issue. Newest first (the order the
    // list gives these critical items), only as many as can show, and how many there are in all.
    const coveredBy = (condition: SQL) =>
      sql`exists (select 1 from ${healthIssues} where ${healthIssues.workspaceId} = ${workspaceId} and ${healthIssues.connectionId} = ${connections.id} and ${healthIssues.status} = 'open' and ${condition})`;
    const attentionQuery = tx
      .select({
        id: connections.id,
        displayName: connections.displayName,
        status: connections.status,
        statusReason: connections.statusReason,
        updatedAt: connections.updatedAt,
        total: sql<number>`count(*) over ()`.mapWith(Number),
      })
      .from(connections)
      .where(
        and(
          eq(connections.workspaceId, workspaceId),
          or(
            and(eq(connections.status, 'needs_reauth'), not(coveredBy(sql`${healthIssues.kind} = 'needs_reauth'`))),
            and(eq(connections.status, 'error'), not(coveredBy(sql`${healthIssues.severity} = 'critical'`))),
          ),
        ),
      )
      .orderBy(desc(connections.updatedAt), asc(connections.id))
      .limit(ATTENTION_CAP);

    // Records per provider and resource over the live connections (the same resource of two
    // connections of one provider is one row), the largest first; the rest summed in `other`.
    const resourceQuery = tx
      .select({
        provider: connections.provider,
        resource: syncedRecordCounts.resource,
        records: sql<number>`sum(${syncedRecordCounts.live})`.mapWith(Number),
        deleted: sql<number>`sum(${syncedRecordCounts.deleted})`.mapWith(Number),
        connections: sql<number>`count(*)`.mapWith(Number),
        // With one connection the row links to its records browser; min(uuid) needs a cast.
        connectionId: sql<string>`min(${syncedRecordCounts.connectionId}::text)`,
        lastSeenAt: sql<string | null>`max(${syncedRecordCounts.lastSeenAt})`.mapWith((v: unknown) => (v ? new Date(v as string) : null)),
      })
      .from(syncedRecordCounts)
      .innerJoin(connections, eq(connections.id, syncedRecordCounts.connectionId))
      .where(and(eq(syncedRecordCounts.workspaceId, workspaceId), live, sql`${syncedRecordCounts.live} + ${syncedRecordCounts.deleted} > 0`))
      .groupBy(connections.provider, syncedRecordCounts.resource);

    // Runs per UTC hour and status for the week, from the counters; the day chart and the week
    // chart both fold these. The week starts on an hour boundary, so the sum is exact.
    const runQuery = tx
      .select({ hour: syncRunCounts.hour, status: syncRunCounts.status, runs: syncRunCounts.runs })
      .from(syncRunCounts)
      .where(and(eq(syncRunCounts.workspaceId, workspaceId), gte(syncRunCounts.hour, weekAgo), ne(syncRunCounts.runs, 0)));

    // Deliveries that verified and were routed here. The counts: the whole hours of the 24 from the
    // counters (kept by triggers on webhook_events), the partial hour at the start from the rows.
    const firstWholeHour = new Date(Math.ceil(since24h.getTime() / HOUR_MS) * HOUR_MS);
    const countedQuery = tx
      .select({ status: webhookEventCounts.status, deliveries: webhookEventCounts.deliveries, duplicates: webhookEventCounts.duplicates })
      .from(webhookEventCounts)
      .where(and(eq(webhookEventCounts.workspaceId, workspaceId), gte(webhookEventCounts.hour, firstWholeHour), ne(webhookEventCounts.status, 'rejected')));
    const edgeQuery = tx
      .select({
        status: webhookEvents.status,
        deliveries: sql<number>`count(*)`.mapWith(Number),
        duplicates: sql<number>`coalesce(sum(${webhookEvents.duplicateCount}), 0)`.mapWith(Number),
      })
      .from(webhookEvents)
      .where(
        and(
          eq(webhookEvents.workspaceId, workspaceId),
          gte(webhookEvents.receivedAt, since24h),
          sql`${webhookEvents.receivedAt} < ${firstWholeHour.toISOString()}::timestamptz`,
          ne(webhookEvents.status, 'rejected'),
        ),
      )
      .groupBy(webhookEvents.status);
    // Latency (received → processed) over the newest LATENCY_SAMPLE settled deliveries of the 24
    // hours: a percentile needs the rows themselves, and sorting all of a busy day's (33,000 at
    // 1,000 connections) was most of the overview's time. The newest are what the card is for.
    const latency = sql`extract(epoch from (${webhookEvents.processedAt} - ${webhookEvents.receivedAt})) * 1000`;
    const newest = tx
      .select({ latency: sql<number>`${latency}`.as('latency') })
      .from(webhookEvents)
      .where(
        and(
          eq(webhookEvents.workspaceId, workspaceId),
          gte(webhookEvents.receivedAt, since24h),
          ne(webhookEvents.status, 'rejected'),
          sql`${webhookEvents.processedAt} is not null`,
        ),
      )
      .orderBy(desc(webhookEvents.receivedAt), desc(webhookEvents.id))
      .limit(LATENCY_SAMPLE)
      .as('newest');
    const latencyQuery = tx
      .select({
        sampled: sql<number>`count(*)`.mapWith(Number),
        p50: sql<unknown>`percentile_cont(0.5) within group (order by ${newest.latency})`,
        p95: sql<unknown>`percentile_cont(0.95) within group (order by ${newest.latency})`,
      })
      .from(newest);

    const actionQuery = tx
      .select({
        calls: sql<number>`count(*)`.mapWith(Number),
        failed: sql<number>`count(*) filter (where ${actionLogs.status} = 'failed')`.mapWith(Number),
        p95: sql<unknown>`percentile_cont(0.95) within group (order by ${actionLogs.latencyMs})`,
      })
      .from(actionLogs)
      .where(and(eq(actionLogs.workspaceId, workspaceId), sql`${actionLogs.createdAt} >= ${since24h.toISOString()}::timestamptz`));

    const issueQuery = tx
      .select()
      .from(healthIssues)
      .where(and(eq(healthIssues.workspaceId, workspaceId), eq(healthIssues.status, 'open')))
      .orderBy(desc(healthIssues.lastSeenAt));

    // None of these depends on another: sent together, a server runs them back to back on the
    // transaction's connection (postgres.js pipelines them) instead of one round trip each, which
    // was most of the overview's time once each query took a millisecond or two.
    const [countRows, shownRows, attentionRows, resourceRows, runCounts, countedRows, edgeRows, [latencies], [actions], issueRows] = await Promise.all([
      countQuery,
      shownQuery,
      attentionQuery,
      resourceQuery,
      runQuery,
      countedQuery,
      edgeQuery,
      latencyQuery,
      actionQuery,
      issueQuery,
    ]);
    const webhooks = { deliveries: 0, processed: 0, failed: 0, pending: 0, duplicates: 0 };
    for (const row of [...countedRows, ...edgeRows]) {
      webhooks.deliveries += row.deliveries;
      webhooks.duplicates += row.duplicates;
      if (row.status === 'processed') webhooks.processed += row.deliveries;
      if (row.status === 'failed') webhooks.failed += row.deliveries;
      if (row.status === 'received' || row.status === 'processing') webhooks.pending += row.deliveries;
    }
    const runRows: RunCountRow[] = runCounts.map((row) => ({ hour: row.hour.toISOString(), status: row.status as SyncStatus, runs: row.runs }));
    const issues = issueRows.map(toHealthIssue);

    const issuesOf = (connectionId: string) => issues.filter((issue) => issue.connectionId === connectionId);
    const tiles = shownRows.map((c) => {
      const own = issuesOf(c.id);
      return {
        id: c.id,
        provider: c.provider,
        providerName: findProvider(c.provider)?.name ?? c.provider,
        displayName: c.displayName,
        accountLabel: c.accountLabel,
        status: c.status,
        statusReason: c.statusReason,
        lastSuccessAt: c.lastSuccessAt?.toISOString() ?? null,
        health: connectionHealth(c.status, own),
        issues: countIssues(own),
        records: c.records,
      };
    });
    const health = { healthy: 0, degraded: 0, broken: 0 };
    const byStatus: Partial<Record<ConnectionStatus, number>> = {};
    for (const row of countRows) {
      health[row.health] += row.count;
      byStatus[row.status] = (byStatus[row.status] ?? 0) + row.count;
    }
    const total = health.healthy + health.degraded + health.broken;
    const attention = needsAttention(
      workspaceId,
      issues,
      attentionRows.map((c) => ({ ...c, updatedAt: c.updatedAt.toISOString() })),
    );
    const resources = resourceRows
      .map((r) => ({
        provider: r.provider,
        providerName: findProvider(r.provider)?.name ?? r.provider,
        resource: r.resource,
        records: r.records,
        deleted: r.deleted,
        connections: r.connections,
        connectionId: r.connections === 1 ? r.connectionId : null,
        lastSeenAt: r.lastSeenAt?.toISOString() ?? null,
      }))
      .sort((a, b) => b.records - a.records || a.provider.localeCompare(b.provider) || a.resource.localeCompare(b.resource));
    const rest = resources.slice(RESOURCE_CAP);
    const day = fillRunBuckets(runRows, now, 'hour', 24);
    const week = fillRunBuckets(runRows, now, 'day', 7);

    return {
      generatedAt: now.toISOString(),
      role,
      /** At most CONNECTION_CAP, neediest first; `connectionTotals` counts them all. */
      connections: tiles,
      connectionTotals: { total, shown: tiles.length, more: total - tiles.length, byStatus },
      health,
      issues: countIssues(issues),
      /** At most ATTENTION_CAP, worst and newest first; `needsAttentionMore` is the rest. */
      needsAttention: attention.slice(0, ATTENTION_CAP),
      needsAttentionMore: Math.max(0, issues.length + (attentionRows[0]?.total ?? 0) - ATTENTION_CAP),
      records: {
        total: resources.reduce((sum, r) => sum + r.records, 0),
        /** At most RESOURCE_CAP, the largest first. */
        resources: resources.slice(0, RESOURCE_CAP),
        other: { resources: rest.length, records: rest.reduce((sum, r) => sum + r.records, 0) },
      },
      runs: {
        day: { since: dayAgo.toISOString(), buckets: day, totals: sumBuckets(day) },
        week: { since: weekAgo.toISOString(), buckets: week, totals: sumBuckets(week) },
      },
      webhooks: {
        since: since24h.toISOString(),
        deliveries: webhooks.deliveries,
        processed: webhooks.processed,
        failed: webhooks.failed,
        pending: webhooks.pending,
        duplicates: webhooks.duplicates,
        failureRate: rate(webhooks.failed, webhooks.deliveries),
        latencyMs: { p50: ms(latencies.p50), p95: ms(latencies.p95), sampled: latencies.sampled },
      },
      actions: {
        since: since24h.toISOString(),
        calls: actions.calls,
        failed: actions.failed,
        errorRate: rate(actions.failed, actions.calls),
        p95Ms: ms(actions.p95),
      },
    };
  });
}

export type Overview = Awaited<ReturnType<typeof getOverview>>;
