// The workspace's audit log. Membership changes are logged by database triggers; later
// capabilities (connections, syncs, mappings) log through recordActivity on the service path.
import { and, eq, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { findProvider } from '../providers/registry';
import { pagingQuery } from '../http/params';
import type { SessionUser } from '../auth/session-token';
import { rowsOf, type Queryable, type Db } from '../db/engine';
import { cappedCount, cursorQuery, keysetPage, microsOf } from '../db/keyset';
import { activity } from '../db/schema';
import { inWorkspace } from '../workspaces/access';

export const activityQuerySchema = z.object({
  actor: z.uuid({ error: 'actor must be a user id' }).optional(),
  action: z
    .string()
    .regex(/^[a-z_]+(\.[a-z_]+)*$/, { error: 'action must look like member.added' })
    .max(64)
    .optional(),
  ...cursorQuery(),
  pageSize: pagingQuery().pageSize,
});
export type ActivityQuery = z.infer<typeof activityQuerySchema>;

export async function listActivity(db: Db, user: SessionUser, workspaceId: string, query: ActivityQuery) {
  return inWorkspace(db, user, workspaceId, 'viewer', async ({ tx }) => {
    const filters: SQL[] = [eq(activity.workspaceId, workspaceId)];
    if (query.actor) filters.push(eq(activity.actorId, query.actor));
    if (query.action) filters.push(eq(activity.action, query.action));
    const where = and(...filters);
    const { total, totalCapped } = await cappedCount(tx, activity, where);
    const page = await keysetPage({ time: activity.createdAt, id: activity.id }, query, (window) =>
      tx
        .select({
          id: activity.id,
          workspaceId: activity.workspaceId,
          actorId: activity.actorId,
          actorEmail: activity.actorEmail,
          action: activity.action,
          targetType: activity.targetType,
          targetId: activity.targetId,
          details: activity.details,
          createdAt: activity.createdAt,
          cursorMicros: microsOf(activity.createdAt),
        })
        .from(activity)
        .where(and(where, window.where))
        .orderBy(...window.orderBy)
        .limit(window.limit),
    );
    // The filter menus offer only actors and actions that occur in this workspace's log. Each
    // distinct value is one probe of its index (a skip scan), not a read of the whole log; an
    // actor's email is the one on their latest entry.
    const actions = rowsOf<{ action: string }>(
      await tx.execute(sql`
        with recursive found(action) as (
          (select action from public.activity where workspace_id = ${workspaceId}::uuid order by action limit 1)
          union all
          select (select a.action from public.activity a
                   where a.workspace_id = ${workspaceId}::uuid and a.action > found.action order by a.action limit 1)
          from found where found.action is not null)
        select action from found where action is not null`),
    );
    const actors = rowsOf<{ id: string; email: string | null }>(
      await tx.execute(sql`
        with recursive found(actor_id) as (
          (select actor_id from public.activity
            where workspace_id = ${workspaceId}::uuid and actor_id is not null order by actor_id limit 1)
          union all
          select (select a.actor_id from public.activity a
                   where a.workspace_id = ${workspaceId}::uuid and a.actor_id > found.actor_id order by a.actor_id limit 1)
          from found where found.actor_id is not null)
        select found.actor_id as id,
               (select a.actor_email from public.activity a
                 where a.workspace_id = ${workspaceId}::uuid and a.actor_id = found.actor_id
                 order by a.created_at desc, a.id desc limit 1) as email
        from found where found.actor_id is not null`),
    );
    return {
      entries: page.rows.map(withProviderName),
      total,
      totalCapped,
      pageSize: query.pageSize,
      nextCursor: page.nextCursor,
      prevCursor: page.prevCursor,
      actors,
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
