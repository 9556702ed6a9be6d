// The workspace's audit log. Membership changes are logged by database triggers; later
// capabilities (connections, syncs, mappings) log through recordActivity on the service path.
import { and, count, desc, eq, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { findProvider } from '../providers/registry';
import { pagingQuery } from '../http/params';
import type { SessionUser } from '../auth/session-token';
import type { Queryable, Db } from '../db/engine';
import { activity } from '../db/schema';
import { inWorkspace } from '../workspaces/access';

export const activityQuerySchema = z.object({
  actor: z.uuid({ error: 'actor must be a user id' }).optional(),
  action: z
    .string()
    .regex(/^[a-z_]+(\.[a-z_]+)*$/, { error: 'action must look like member.added' })
    .max(64)
    .optional(),
  ...pagingQuery(),
});
export type ActivityQuery = z.infer<typeof activityQuerySchema>;

export async function listActivity(db: Db, user: SessionUser, workspaceId: string, query: ActivityQuery) {
  return inWorkspace(db, user, workspaceId, 'viewer', async ({ tx }) => {
    const filters: SQL[] = [eq(activity.workspaceId, workspaceId)];
    if (query.actor) filters.push(eq(activity.actorId, query.actor));
    if (query.action) filters.push(eq(activity.action, query.action));
    const where = and(...filters);
    const [{ total }] = await tx.select({ total: count() }).from(activity).where(where);
    const entries = await tx
      .select()
      .from(activity)
      .where(where)
      .orderBy(desc(activity.createdAt), desc(activity.id))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize);
    // The filter menus offer only actors and actions that occur in this workspace's log.
    const actors = await tx
      .selectDistinct({ id: activity.actorId, email: activity.actorEmail })
      .from(activity)
      .where(and(eq(activity.workspaceId, workspaceId), sql`${activity.actorId} is not null`));
    const actions = await tx
      .selectDistinct({ action: activity.action })
      .from(activity)
      .where(eq(activity.workspaceId, workspaceId))
      .orderBy(activity.action);
    return {
      entries: entries.map(withProviderName),
      total: Number(total),
      page: query.page,
      pageSize: query.pageSize,
      actors: actors.filter((a): a is { id: string; email: string | null } => a.id !== null),
      actions: actions.map((a) => a.action),
    };
  });
}

export interface ActivityInput {
  workspaceId: string;
  actorId?: string | null;
  actorEmail?: string | null;
  action: string;
  targetType?: string;
  targetId?: string;
  details?: Record<string, unknown>;
}

/** Service-path logging for background work; the workspace id is always explicit. */
export async function recordActivity(tx: Queryable, entry: ActivityInput): Promise<void> {
  await tx.insert(activity).values({
    workspaceId: entry.workspaceId,
    actorId: entry.actorId ?? null,
    actorEmail: entry.actorEmail ?? null,
    action: entry.action,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    details: entry.details ?? {},
  });
}

/** Screens have only ids in details; the provider's display name comes from the catalog, here. */
function withProviderName<T extends { details: unknown }>(entry: T): T {
  const details = entry.details as Record<string, unknown> | null;
  const provider = typeof details?.provider === 'string' ? findProvider(details.provider) : undefined;
  return provider ? { ...entry, details: { ...details, providerName: provider.name } } : entry;
}
