// Stored health issues: the one path that opens, re-detects and resolves them (each opening and
// resolution goes to Activity and the workspace's events; openings also notify members), the
// listing members read through RLS, and the per-connection summary the catalog cards show.
import { and, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { recordActivity } from '../activity/activity';
import type { Db, Tx } from '../db/engine';
import { asService, asUser, type UserClaims } from '../db/rls';
import { healthIssues, workspaceMembers, type HealthIssueRow } from '../db/schema';
import { emitEvent } from '../events/emit';
import { notFound } from '../http/errors';
import { notifyIssueOpened } from '../notifications/notify';
import { WORKSPACE_NOT_FOUND } from '../workspaces/access';
import { planReconcile, type Condition } from './rules';
import { healthIssueSchema, type ConnectionHealth, type HealthIssue, type HealthIssueKind } from './types';

export function toHealthIssue(row: HealthIssueRow): HealthIssue {
  return healthIssueSchema.parse({
    id: row.id,
    workspaceId: row.workspaceId,
    connectionId: row.connectionId,
    subject: row.subject,
    kind: row.kind,
    severity: row.severity,
    status: row.status,
    title: row.title,
    explanation: row.explanation,
    fix: row.fix,
    count: row.count,
    firstSeenAt: row.firstSeenAt.toISOString(),
    lastSeenAt: row.lastSeenAt.toISOString(),
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
    details: row.details,
  });
}

export interface IssueScope {
  workspaceId: string;
  /** Null: workspace-level issues (an outbound endpoint). */
  connectionId: string | null;
}

export interface ReconcileOutcome {
  opened: HealthIssue[];
  redetected: HealthIssue[];
  resolved: HealthIssue[];
}

const scopeFilter = (scope: IssueScope): SQL =>
  and(
    eq(healthIssues.workspaceId, scope.workspaceId),
    scope.connectionId === null ? isNull(healthIssues.connectionId) : eq(healthIssues.connectionId, scope.connectionId),
  )!;

/**
 * Brings the scope's open issues of `kinds` in line with `conditions` (which must all be of those
 * kinds, and, when `subjects` is given, of those subjects only): one transaction, serialised per
 * scope by an advisory lock so two checks at once cannot both open the same issue. Members are
 * notified of openings after the commit (notifications open their own transactions).
 */
export async function reconcileIssues(
  db: Db,
  scope: IssueScope,
  kinds: readonly HealthIssueKind[],
  conditions: Condition[],
  options: { subjects?: string[]; provider?: string } = {},
): Promise<ReconcileOutcome> {
  const outcome = await asService(db, async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`health:${scope.workspaceId}:${scope.connectionId ?? ''}`}, 0))`);
    const filters = [scopeFilter(scope), eq(healthIssues.status, 'open'), inArray(healthIssues.kind, [...kinds])];
    if (options.subjects) filters.push(inArray(healthIssues.subject, options.subjects.length ? options.subjects : ['\u0001none']));
    const open = await tx.select().from(healthIssues).where(and(...filters));
    const plan = planReconcile(open, conditions);
    const result: ReconcileOutcome = { opened: [], redetected: [], resolved: [] };
    for (const condition of plan.open) {
      const [row] = await tx
        .insert(healthIssues)
        .values({
          workspaceId: scope.workspaceId,
          connectionId: scope.connectionId,
          subject: condition.subject,
          kind: condition.kind,
          severity: condition.severity,
          title: condition.title,
          explanation: condition.explanation,
          fix: condition.fix,
          details: condition.details,
          firstSeenAt: sql`clock_timestamp()`,
          lastSeenAt: sql`clock_timestamp()`,
        })
        .returning();
      const issue = toHealthIssue(row);
      result.opened.push(issue);
      await record(tx, issue, 'health.issue_opened', options.provider);
      await emitEvent(tx, { workspaceId: scope.workspaceId, type: 'connection.issue_opened', data: { issue } });
    }
    for (const { issue: row, condition } of plan.redetect) {
      // The numbers change while the condition holds (more failures, a larger share): keep them current.
      const [updated] = await tx
        .update(healthIssues)
        .set({
          count: sql`${healthIssues.count} + 1`,
          lastSeenAt: sql`clock_timestamp()`,
          severity: condition.severity,
          title: condition.title,
          explanation: condition.explanation,
          fix: condition.fix,
          details: condition.details,
        })
        .where(eq(healthIssues.id, row.id))
        .returning();
      result.redetected.push(toHealthIssue(updated));
    }
    for (const row of plan.resolve) {
      const [updated] = await tx
        .update(healthIssues)
        .set({ status: 'resolved', resolvedAt: sql`clock_timestamp()` })
        .where(eq(healthIssues.id, row.id))
        .returning();
      const issue = toHealthIssue(updated);
      result.resolved.push(issue);
      await record(tx, issue, 'health.issue_resolved', options.provider);
      await emitEvent(tx, { workspaceId: scope.workspaceId, type: 'connection.issue_resolved', data: { issue } });
    }
    return result;
  });
  for (const issue of outcome.opened) {
    // A failed notification must not undo the issue (it is committed) nor stop the others.
    await notifyIssueOpened(db, issue).catch((error: unknown) => console.error(`notifying issue ${issue.id} failed:`, (error as Error).message));
  }
  return outcome;
}

async function record(tx: Tx, issue: HealthIssue, action: 'health.issue_opened' | 'health.issue_resolved', provider: string | undefined) {
  await recordActivity(tx, {
    workspaceId: issue.workspaceId,
    action,
    targetType: issue.connectionId ? 'connection' : 'health_issue',
    targetId: issue.connectionId ?? issue.id,
    details: {
      issueId: issue.id,
      kind: issue.kind,
      severity: issue.severity,
      subject: issue.subject,
      title: issue.title,
      ...(provider ? { provider } : {}),
      ...(action === 'health.issue_resolved' ? { count: issue.count } : {}),
    },
  });
}

export type RaiseIssueInput = IssueScope & Omit<Condition, 'details'> & { details?: Record<string, unknown> };

/** Opens (or re-detects) one issue detected outside the connection rules, e.g. an outbound endpoint failing. */
export async function raiseIssue(db: Db, input: RaiseIssueInput): Promise<HealthIssue> {
  const { workspaceId, connectionId, details = {}, ...rest } = input;
  const condition: Condition = { ...rest, details };
  const outcome = await reconcileIssues(db, { workspaceId, connectionId }, [condition.kind], [condition], { subjects: [condition.subject] });
  return (outcome.opened[0] ?? outcome.redetected[0])!;
}

/** Resolves the open issue of that kind and subject, if there is one; returns it. */
export async function clearIssue(
  db: Db,
  input: IssueScope & { kind: HealthIssueKind; subject: string },
): Promise<HealthIssue | null> {
  const outcome = await reconcileIssues(db, input, [input.kind], [], { subjects: [input.subject] });
  return outcome.resolved[0] ?? null;
}

export type IssueStatusFilter = 'open' | 'resolved' | 'all';

/** A workspace's issues as the member sees them (RLS): open first, then newest. */
export async function listIssues(
  db: Db,
  claims: UserClaims,
  query: { workspaceId: string; connectionId?: string; status?: IssueStatusFilter; limit?: number },
): Promise<HealthIssue[]> {
  return asUser(db, claims, async (tx) => {
    const [member] = await tx
      .select({ role: workspaceMembers.role })
      .from(workspaceMembers)
      .where(and(eq(workspaceMembers.workspaceId, query.workspaceId), eq(workspaceMembers.userId, sql`auth.uid()`)));
    if (!member) throw notFound(WORKSPACE_NOT_FOUND);
    const filters: SQL[] = [eq(healthIssues.workspaceId, query.workspaceId)];
    if (query.connectionId) filters.push(eq(healthIssues.connectionId, query.connectionId));
    const status = query.status ?? 'open';
    if (status !== 'all') filters.push(eq(healthIssues.status, status));
    const rows = await tx
      .select()
      .from(healthIssues)
      .where(and(...filters))
      .orderBy(sql`${healthIssues.status} = 'open' desc`, desc(healthIssues.lastSeenAt), desc(healthIssues.id))
      .limit(query.limit ?? 200);
    return rows.map(toHealthIssue);
  });
}

/** Broken if any critical issue is open, degraded if any other is, else healthy. */
export function connectionHealthOf(issues: readonly Pick<HealthIssue, 'severity' | 'status'>[]): ConnectionHealth {
  const open = issues.filter((issue) => issue.status === 'open');
  if (open.some((issue) => issue.severity === 'critical')) return 'broken';
  return open.length > 0 ? 'degraded' : 'healthy';
}

export { HEALTHY, issueSummaries, type HealthSummary } from './summary';

/** The query GET /api/workspaces/{id}/issues accepts. */
export const issueQuerySchema = z.object({
  connectionId: z.uuid({ error: 'connectionId must be a connection id' }).optional(),
  status: z.enum(['open', 'resolved', 'all'], { error: 'status must be open, resolved or all' }).default('open'),
});
