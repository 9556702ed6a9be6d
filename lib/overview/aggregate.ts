// The overview's arithmetic, apart from the queries that feed it (queries.ts) so it can be tested
// without a database: time buckets, a connection's health, and the "needs attention" order.
// The database does the heavy aggregation (counts per hour and status, percentiles); what is left
// here works on at most a few hundred already-grouped rows.
import type { CONNECTION_STATUSES, SYNC_STATUSES } from '../db/schema';
import type { ConnectionHealth, HealthIssue, HealthSeverity } from '../health/types';

export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];
export type SyncStatus = (typeof SYNC_STATUSES)[number];

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export type BucketUnit = 'hour' | 'day';

/** The start of the UTC hour or day holding `at`. */
export function bucketStart(at: Date, unit: BucketUnit): Date {
  const size = unit === 'hour' ? HOUR_MS : DAY_MS;
  return new Date(Math.floor(at.getTime() / size) * size);
}

/**
 * The starts of the last `count` UTC hours or days, oldest first, the last one holding `now`.
 * A window of 24 hourly buckets therefore reaches back 23 whole hours plus the current partial
 * one, which is what the queries' `since` (the first bucket's start) selects.
 */
export function bucketStarts(now: Date, unit: BucketUnit, count: number): Date[] {
  const size = unit === 'hour' ? HOUR_MS : DAY_MS;
  const last = bucketStart(now, unit).getTime();
  return Array.from({ length: count }, (_, i) => new Date(last - (count - 1 - i) * size));
}

/** How runs ended, as the chart stacks them; queued and running runs are "active". */
export const RUN_OUTCOMES = ['succeeded', 'partial', 'failed', 'cancelled', 'active'] as const;
export type RunOutcome = (typeof RUN_OUTCOMES)[number];

export function outcomeOf(status: SyncStatus): RunOutcome {
  return status === 'queued' || status === 'running' ? 'active' : status;
}

/** Runs counted by the database per hour and status (the hour as an ISO instant, UTC). */
export interface RunCountRow {
  hour: string;
  status: SyncStatus;
  runs: number;
}

export type RunBucket = { start: string; total: number } & Record<RunOutcome, number>;

const emptyBucket = (start: Date): RunBucket => ({
  start: start.toISOString(),
  total: 0,
  succeeded: 0,
  partial: 0,
  failed: 0,
  cancelled: 0,
  active: 0,
});

/**
 * Folds hourly counts into `count` buckets of `unit` ending at `now`; every bucket is present
 * (zeros where nothing ran) so the chart's x axis is even. Rows outside the window are dropped.
 */
export function fillRunBuckets(rows: readonly RunCountRow[], now: Date, unit: BucketUnit, count: number): RunBucket[] {
  const buckets = bucketStarts(now, unit, count).map(emptyBucket);
  const index = new Map(buckets.map((bucket, i) => [bucket.start, i]));
  for (const row of rows) {
    const i = index.get(bucketStart(new Date(row.hour), unit).toISOString());
    if (i === undefined) continue;
    const bucket = buckets[i];
    bucket[outcomeOf(row.status)] += row.runs;
    bucket.total += row.runs;
  }
  return buckets;
}

export type RunTotals = Record<RunOutcome, number> & { total: number };

export function sumBuckets(buckets: readonly RunBucket[]): RunTotals {
  const totals: RunTotals = { total: 0, succeeded: 0, partial: 0, failed: 0, cancelled: 0, active: 0 };
  for (const bucket of buckets) {
    totals.total += bucket.total;
    for (const outcome of RUN_OUTCOMES) totals[outcome] += bucket[outcome];
  }
  return totals;
}

const SEVERITY_RANK: Record<HealthSeverity, number> = { critical: 0, warning: 1, info: 2 };

/**
 * A connection's health from its status and its open issues. The issues decide first (broken on
 * any critical one, degraded on any other, as the health contract says); a status that already
 * means nothing syncs (error, needs_reauth) is broken even before a rule has opened an issue for
 * it, because the rules run after syncs and the status is what the admin sees on the card.
 */
export function connectionHealth(status: ConnectionStatus, openIssues: readonly Pick<HealthIssue, 'severity'>[]): ConnectionHealth {
  if (status === 'error' || status === 'needs_reauth') return 'broken';
  if (openIssues.some((issue) => issue.severity === 'critical')) return 'broken';
  return openIssues.length > 0 ? 'degraded' : 'healthy';
}

export type IssueCounts = Record<HealthSeverity, number> & { total: number };

export function countIssues(issues: readonly Pick<HealthIssue, 'severity'>[]): IssueCounts {
  const counts: IssueCounts = { total: 0, critical: 0, warning: 0, info: 0 };
  for (const issue of issues) {
    counts[issue.severity] += 1;
    counts.total += 1;
  }
  return counts;
}

/** One line of "needs attention": an open issue, or a connection whose status asks for a fix. */
export interface AttentionItem {
  /** The issue id, or `connection:<id>` for a status no issue covers yet. */
  key: string;
  issueId: string | null;
  connectionId: string | null;
  severity: HealthSeverity;
  title: string;
  explanation: string;
  fix: { label: string; href: string };
  /** When it was last seen (the issue) or last changed (the connection). */
  at: string;
}

export interface AttentionConnection {
  id: string;
  displayName: string;
  status: ConnectionStatus;
  statusReason: string | null;
  updatedAt: string;
}

const connectionHref = (workspaceId: string, connectionId: string) => `/w/${workspaceId}/integrations/${connectionId}`;

/**
 * Open issues, plus connections that need reconnecting or sit in `error` without an open issue of
 * the same cause, sorted by severity and then newest first. Every item links to where it is fixed:
 * the issue's own fix link, or the connection's page (where Reconnect lives).
 */
export function needsAttention(workspaceId: string, openIssues: readonly HealthIssue[], connections: readonly AttentionConnection[]): AttentionItem[] {
  const items: AttentionItem[] = openIssues.map((issue) => ({
    key: issue.id,
    issueId: issue.id,
    connectionId: issue.connectionId,
    severity: issue.severity,
    title: issue.title,
    explanation: issue.explanation,
    fix: {
      label: issue.fix.label,
      href: issue.fix.href ?? (issue.connectionId ? connectionHref(workspaceId, issue.connectionId) : `/w/${workspaceId}`),
    },
    at: issue.lastSeenAt,
  }));
  const criticalFor = new Set(openIssues.filter((i) => i.severity === 'critical' && i.connectionId).map((i) => i.connectionId));
  const reauthFor = new Set(openIssues.filter((i) => i.kind === 'needs_reauth').map((i) => i.connectionId));
  for (const connection of connections) {
    if (connection.status === 'needs_reauth' && !reauthFor.has(connection.id)) {
      items.push({
        key: `connection:${connection.id}`,
        issueId: null,
        connectionId: connection.id,
        severity: 'critical',
        title: `${connection.displayName} needs re-authorising`,
        explanation: connection.statusReason ?? 'The provider no longer accepts its authorisation; nothing syncs until someone reconnects it.',
        fix: { label: 'Reconnect', href: connectionHref(workspaceId, connection.id) },
        at: connection.updatedAt,
      });
    } else if (connection.status === 'error' && !criticalFor.has(connection.id)) {
      items.push({
        key: `connection:${connection.id}`,
        issueId: null,
        connectionId: connection.id,
        severity: 'critical',
        title: `${connection.displayName} is failing`,
        explanation: connection.statusReason ?? 'Its recent syncs failed.',
        fix: { label: 'Open connection', href: connectionHref(workspaceId, connection.id) },
        at: connection.updatedAt,
      });
    }
  }
  return items.sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || Date.parse(b.at) - Date.parse(a.at) || a.key.localeCompare(b.key));
}

/** Failed ÷ total, or null when there is nothing to divide (the UI says "no calls", not 0%). */
export function rate(part: number, total: number): number | null {
  return total > 0 ? part / total : null;
}
