// Each connection's open issues summed up, for the catalog cards and the connection page. Only
// database imports: lib/connections reads it, and must not pull in the notification and event
// machinery the rest of lib/health uses.
import { and, eq, sql } from 'drizzle-orm';
import type { Queryable } from '../db/engine';
import { healthIssues } from '../db/schema';
import type { ConnectionHealth, HealthSeverity } from './types';

export interface HealthSummary {
  health: ConnectionHealth;
  /** Open issues by severity. */
  open: Record<HealthSeverity, number>;
}

export const HEALTHY: HealthSummary = { health: 'healthy', open: { critical: 0, warning: 0, info: 0 } };

/** Per connection of the workspace, its open issues summed up (inside the caller's RLS transaction). */
export async function issueSummaries(tx: Queryable, workspaceId: string, connectionId?: string): Promise<Map<string, HealthSummary>> {
  const rows = await tx
    .select({ connectionId: healthIssues.connectionId, severity: healthIssues.severity, n: sql<number>`count(*)::int` })
    .from(healthIssues)
    .where(and(eq(healthIssues.workspaceId, workspaceId), eq(healthIssues.status, 'open'), connectionId ? eq(healthIssues.connectionId, connectionId) : undefined))
    .groupBy(healthIssues.connectionId, healthIssues.severity);
  const summaries = new Map<string, HealthSummary>();
  for (const row of rows) {
    if (!row.connectionId) continue;
    const summary = summaries.get(row.connectionId) ?? { health: 'healthy', open: { critical: 0, warning: 0, info: 0 } };
    summary.open[row.severity as HealthSeverity] += Number(row.n);
    summary.health = summary.open.critical > 0 ? 'broken' : 'degraded';
    summaries.set(row.connectionId, summary);
  }
  return summaries;
}
