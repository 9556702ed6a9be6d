// The I/O half of the health rules: gathers the facts about one connection (its row, credentials'
// refresh failures, recent runs, webhook deliveries and rejections, push channels, mapping
// failures), asks rules.ts which conditions hold, and reconciles the stored issues (store.ts).
import { and, desc, eq, gte, isNotNull, sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../db/engine';
import { asService } from '../db/rls';
import { connectionCredentials, connections, syncRuns, webhookChannels, webhookEvents } from '../db/schema';
import { findProvider } from '../providers/registry';
import { SCHEDULE_INTERVAL_MINUTES, type Schedule } from '../sync/schedule';
import { evaluateConnection, RECENT_RUNS_WINDOW_MS, SIGNATURE_WINDOW_MS, type ConnectionFacts, type RunFact } from './rules';
import { reconcileIssues, type ReconcileOutcome } from './store';
import { HEALTH_ISSUE_KINDS, type HealthIssueKind } from './types';

/** The kinds the connection rules decide; others (an outbound endpoint failing) are raised elsewhere. */
export const CONNECTION_ISSUE_KINDS: readonly HealthIssueKind[] = HEALTH_ISSUE_KINDS.filter((kind) => kind !== 'endpoint_failing');

/** How many recent runs the rules look at; a day of 15-minute runs is 96. */
const MAX_RECENT_RUNS = 200;

/** The facts (and the connection's provider id, for Activity), or null when the connection no longer exists. */
export async function gatherFacts(db: Db, connectionId: string, now = new Date()): Promise<{ facts: ConnectionFacts; provider: string } | null> {
  return asService(db, async (tx) => {
    const [connection] = await tx.select().from(connections).where(eq(connections.id, connectionId));
    if (!connection) return null;
    const provider = findProvider(connection.provider);
    const since = new Date(now.getTime() - RECENT_RUNS_WINDOW_MS);
    const [credentials] = await tx
      .select({ refreshFailures: connectionCredentials.refreshFailures })
      .from(connectionCredentials)
      .where(eq(connectionCredentials.connectionId, connectionId));
    const runs = await tx
      .select({
        status: syncRuns.status,
        trigger: syncRuns.trigger,
        mode: syncRuns.mode,
        error: syncRuns.error,
        finishedAt: syncRuns.finishedAt,
        changes: sql<number>`(${syncRuns.recordsCreated} + ${syncRuns.recordsUpdated} + ${syncRuns.recordsDeleted})::int`,
      })
      .from(syncRuns)
      // Pull runs only: a push to this connection failing says nothing about its data coming in.
      .where(and(eq(syncRuns.connectionId, connectionId), eq(syncRuns.direction, 'pull'), isNotNull(syncRuns.finishedAt), gte(syncRuns.finishedAt, since)))
      .orderBy(desc(syncRuns.finishedAt))
      .limit(MAX_RECENT_RUNS);
    const [delivery] = await tx
      .select({ at: sql<Date | string | null>`max(${webhookEvents.receivedAt})` })
      .from(webhookEvents)
      .where(and(eq(webhookEvents.connectionId, connectionId), eq(webhookEvents.verification, 'verified')));
    // Rejections are counted one row per hour bucket: the row and its repeats (duplicate_count).
    const [rejections] = await tx
      .select({ n: sql<number>`coalesce(sum(1 + ${webhookEvents.duplicateCount}), 0)::int` })
      .from(webhookEvents)
      .where(
        and(
          eq(webhookEvents.connectionId, connectionId),
          eq(webhookEvents.verification, 'failed'),
          // A raw SQL comparison: the drivers bind a Date only where Drizzle knows the column's type.
          sql`coalesce(${webhookEvents.lastReceivedAt}, ${webhookEvents.receivedAt}) >= ${new Date(now.getTime() - SIGNATURE_WINDOW_MS).toISOString()}::timestamptz`,
        ),
      );
    const channels = await tx
      .select({ id: webhookChannels.id, target: webhookChannels.target, expiresAt: webhookChannels.expiresAt })
      .from(webhookChannels)
      .where(and(eq(webhookChannels.connectionId, connectionId), eq(webhookChannels.status, 'active')));
    const mapping = rowsOf<{ resource: string; total: number; failed: number }>(
      await tx.execute(sql`
        select resource, count(*)::int as total, (count(*) filter (where mapping_errors is not null))::int as failed
        from public.synced_records
        where connection_id = ${connectionId} and workspace_id = ${connection.workspaceId} and deleted_at is null
        group by resource order by resource`),
    );
    const enabled = new Set(connection.resources);
    const facts: ConnectionFacts = {
      now,
      workspaceId: connection.workspaceId,
      connectionId,
      name: connection.displayName,
      status: connection.status,
      statusReason: connection.statusReason,
      consecutiveFailures: connection.consecutiveFailures,
      lastError: connection.lastError,
      refreshFailures: credentials?.refreshFailures ?? 0,
      grantedScopes: connection.scopes,
      requiredScopes: (provider?.resources ?? [])
        .filter((resource) => enabled.has(resource.id) && resource.requiredScopes?.length)
        .map((resource) => ({ resource: resource.id, scopes: resource.requiredScopes! })),
      hasWebhooks: Boolean(provider?.webhooks),
      recentRuns: runs.map((run): RunFact => ({ ...run, changes: Number(run.changes) })),
      lastWebhookAt: delivery?.at ? new Date(delivery.at) : null,
      connectedAt: connection.connectedAt,
      recentRejections: Number(rejections?.n ?? 0),
      channels,
      mapping: mapping.map((row) => ({ resource: row.resource, total: Number(row.total), failed: Number(row.failed) })),
      scheduleMinutes: SCHEDULE_INTERVAL_MINUTES[connection.schedule as Schedule],
      lastSuccessAt: connection.lastSuccessAt,
    };
    return { facts, provider: connection.provider };
  });
}

/** Runs the rules on one connection and brings its stored issues in line. A missing connection has none left. */
export async function checkConnectionHealth(db: Db, connectionId: string, options: { now?: Date } = {}): Promise<ReconcileOutcome | null> {
  const gathered = await gatherFacts(db, connectionId, options.now);
  if (!gathered) return null;
  const { facts, provider } = gathered;
  return reconcileIssues(db, { workspaceId: facts.workspaceId, connectionId }, CONNECTION_ISSUE_KINDS, evaluateConnection(facts), { provider });
}

/** Connections the periodic sweep checks: every one not disconnected, plus disconnected ones with issues still open. */
export async function connectionsToSweep(db: Db): Promise<string[]> {
  const rows = await asService(db, (tx) =>
    tx.execute(sql`
      select id from public.connections where status <> 'disconnected'
      union
      select connection_id from public.health_issues where status = 'open' and connection_id is not null`),
  );
  return rowsOf<{ id: string }>(rows).map((row) => row.id);
}
