// The workspace overview as a member sees it (RLS: one asUser transaction, so every number comes
// from the same snapshot). Each query aggregates in the database over an index that exists:
//   connections     connections_workspace_idx (workspace_id, status)
//   records         synced_record_counts (kept by triggers on synced_records; counting the records
//                   themselves took seconds at 1,000,000), per live connection
//   runs            sync_runs_workspace_idx (workspace_id, created_at desc), hourly counts for 7 days
//   webhooks        webhook_events_workspace_idx (workspace_id, received_at desc), 24 h
//   actions         action_logs_workspace_idx (workspace_id, created_at desc, id desc), 24 h
//   issues          health_issues_workspace_idx (workspace_id, status, last_seen_at desc), open only
// and returns grouped rows (at most 7 × 24 × statuses for runs), never the rows themselves.
import { and, asc, desc, eq, inArray, ne, sql } from 'drizzle-orm';
import type { SessionUser } from '../auth/session-token';
import type { Db } from '../db/engine';
import { actionLogs, connections, healthIssues, syncedRecordCounts, syncRuns, webhookEvents } from '../db/schema';
import { toHealthIssue } from '../health/store';
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
  type RunCountRow,
  type SyncStatus,
} from './aggregate';

const HOUR_MS = 3_600_000;

/** A percentile of milliseconds as a whole number, or null when nothing was measured. */
const ms = (value: unknown) => (value === null || value === undefined ? null : Math.round(Number(value)));

export async function getOverview(db: Db, user: SessionUser, workspaceId: string, now = new Date()) {
  const hours = bucketStarts(now, 'hour', 24);
  const days = bucketStarts(now, 'day', 7);
  const dayAgo = hours[0];
  const weekAgo = days[0];
  const since24h = new Date(now.getTime() - 24 * HOUR_MS);

  return inWorkspace(db, user, workspaceId, 'viewer', async ({ tx, role }) => {
    const connectionRows = await tx
      .select({
        id: connections.id,
        provider: connections.provider,
        displayName: connections.displayName,
        accountLabel: connections.accountLabel,
        status: connections.status,
        statusReason: connections.statusReason,
        lastSuccessAt: connections.lastSuccessAt,
        updatedAt: connections.updatedAt,
      })
      .from(connections)
      // A disconnected connection keeps its history but is no longer watched: no tile for it.
      .where(and(eq(connections.workspaceId, workspaceId), ne(connections.status, 'disconnected')))
      .orderBy(asc(connections.displayName), asc(connections.createdAt));
    const connectionIds = connectionRows.map((c) => c.id);

    // Live records per connection and resource; deleted (tombstoned) ones are history.
    const recordRows = connectionIds.length
      ? await tx
          .select({
            connectionId: syncedRecordCounts.connectionId,
            resource: syncedRecordCounts.resource,
            records: syncedRecordCounts.live,
            deleted: syncedRecordCounts.deleted,
            lastSeenAt: syncedRecordCounts.lastSeenAt,
          })
          .from(syncedRecordCounts)
          .where(
            and(
              eq(syncedRecordCounts.workspaceId, workspaceId),
              inArray(syncedRecordCounts.connectionId, connectionIds),
              sql`${syncedRecordCounts.live} + ${syncedRecordCounts.deleted} > 0`,
            ),
          )
      : [];

    // Runs per UTC hour and status for the week; the day chart and the week chart both fold these.
    const hourOf = sql<string>`to_char(date_trunc('hour', ${syncRuns.createdAt} at time zone 'UTC'), 'YYYY-MM-DD"T"HH24":00:00.000Z"')`;
    const runRows: RunCountRow[] = (
      await tx
        .select({ hour: hourOf, status: syncRuns.status, runs: sql<number>`count(*)`.mapWith(Number) })
        .from(syncRuns)
        .where(and(eq(syncRuns.workspaceId, workspaceId), sql`${syncRuns.createdAt} >= ${weekAgo.toISOString()}::timestamptz`))
        .groupBy(hourOf, syncRuns.status)
    ).map((row) => ({ ...row, status: row.status as SyncStatus }));

    // Deliveries that verified and were routed here; latency is received → processed.
    const latency = sql`extract(epoch from (${webhookEvents.processedAt} - ${webhookEvents.receivedAt})) * 1000`;
    const [webhooks] = await tx
      .select({
        deliveries: sql<number>`count(*)`.mapWith(Number),
        processed: sql<number>`count(*) filter (where ${webhookEvents.status} = 'processed')`.mapWith(Number),
        failed: sql<number>`count(*) filter (where ${webhookEvents.status} = 'failed')`.mapWith(Number),
        pending: sql<number>`count(*) filter (where ${webhookEvents.status} in ('received', 'processing'))`.mapWith(Number),
        duplicates: sql<number>`coalesce(sum(${webhookEvents.duplicateCount}), 0)`.mapWith(Number),
        p50: sql<unknown>`percentile_cont(0.5) within group (order by ${latency}) filter (where ${webhookEvents.processedAt} is not null)`,
        p95: sql<unknown>`percentile_cont(0.95) within group (order by ${latency}) filter (where ${webhookEvents.processedAt} is not null)`,
      })
      .from(webhookEvents)
      .where(
        and(
          eq(webhookEvents.workspaceId, workspaceId),
          sql`${webhookEvents.receivedAt} >= ${since24h.toISOString()}::timestamptz`,
          ne(webhookEvents.status, 'rejected'),
        ),
      );

    const [actions] = await tx
      .select({
        calls: sql<number>`count(*)`.mapWith(Number),
        failed: sql<number>`count(*) filter (where ${actionLogs.status} = 'failed')`.mapWith(Number),
        p95: sql<unknown>`percentile_cont(0.95) within group (order by ${actionLogs.latencyMs})`,
      })
      .from(actionLogs)
      .where(and(eq(actionLogs.workspaceId, workspaceId), sql`${actionLogs.createdAt} >= ${since24h.toISOString()}::timestamptz`));

    const issueRows = await tx
      .select()
      .from(healthIssues)
      .where(and(eq(healthIssues.workspaceId, workspaceId), eq(healthIssues.status, 'open')))
      .orderBy(desc(healthIssues.lastSeenAt));
    const issues = issueRows.map(toHealthIssue);

    const issuesOf = (connectionId: string) => issues.filter((issue) => issue.connectionId === connectionId);
    const tiles = connectionRows.map((c) => {
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
        records: recordRows.filter((r) => r.connectionId === c.id).reduce((sum, r) => sum + r.records, 0),
      };
    });
    const names = new Map(connectionRows.map((c) => [c.id, c.displayName]));
    const day = fillRunBuckets(runRows, now, 'hour', 24);
    const week = fillRunBuckets(runRows, now, 'day', 7);

    return {
      generatedAt: now.toISOString(),
      role,
      connections: tiles,
      health: {
        healthy: tiles.filter((t) => t.health === 'healthy').length,
        degraded: tiles.filter((t) => t.health === 'degraded').length,
        broken: tiles.filter((t) => t.health === 'broken').length,
      },
      issues: countIssues(issues),
      needsAttention: needsAttention(
        workspaceId,
        issues,
        connectionRows.map((c) => ({ ...c, updatedAt: c.updatedAt.toISOString() })),
      ),
      records: recordRows
        .map((r) => ({
          connectionId: r.connectionId,
          connectionName: names.get(r.connectionId) ?? '',
          resource: r.resource,
          records: r.records,
          deleted: r.deleted,
          lastSeenAt: r.lastSeenAt?.toISOString() ?? null,
        }))
        .sort((a, b) => a.connectionName.localeCompare(b.connectionName) || a.resource.localeCompare(b.resource)),
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
        latencyMs: { p50: ms(webhooks.p50), p95: ms(webhooks.p95) },
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
