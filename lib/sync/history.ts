// Sync runs and stored records as members see them (RLS: their workspaces only).
import { and, count, desc, eq, gte, ilike, lte, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { pagingQuery } from '../http/params';
import type { SessionUser } from '../auth/session-token';
import type { Db } from '../db/engine';
import { connections, syncedRecords, syncRuns, SYNC_STATUSES } from '../db/schema';
import { notFound } from '../http/errors';
import { inWorkspace } from '../workspaces/access';

/** A calendar date PostgreSQL can compare with: ISO, and no year 0000 (there is none; it would be a 500). */
const dateQuery = (name: string, example: string) =>
  z.iso
    .date({ error: `${name} must be a date like ${example}` })
    .refine((date) => !date.startsWith('0000-'), { error: `${name} must be a date like ${example}` });

export const runQuerySchema = z.object({
  connection: z.uuid({ error: 'connection must be a connection id' }).optional(),
  status: z.enum(SYNC_STATUSES, { error: `status must be one of: ${SYNC_STATUSES.join(', ')}` }).optional(),
  from: dateQuery('from', '2026-11-01').optional(),
  to: dateQuery('to', '2026-11-30').optional(),
  ...pagingQuery(),
});

const runColumns = {
  id: syncRuns.id,
  connectionId: syncRuns.connectionId,
  provider: connections.provider,
  connectionName: connections.displayName,
  resource: syncRuns.resource,
  trigger: syncRuns.trigger,
  mode: syncRuns.mode,
  status: syncRuns.status,
  pagesDone: syncRuns.pagesDone,
  recordsFetched: syncRuns.recordsFetched,
  recordsCreated: syncRuns.recordsCreated,
  recordsUpdated: syncRuns.recordsUpdated,
  recordsUnchanged: syncRuns.recordsUnchanged,
  recordsDeleted: syncRuns.recordsDeleted,
  recordsFailed: syncRuns.recordsFailed,
  error: syncRuns.error,
  queuedAt: syncRuns.queuedAt,
  startedAt: syncRuns.startedAt,
  finishedAt: syncRuns.finishedAt,
};

export async function listRuns(db: Db, user: SessionUser, workspaceId: string, query: z.infer<typeof runQuerySchema>) {
  return inWorkspace(db, user, workspaceId, 'viewer', async ({ tx }) => {
    const filters: SQL[] = [eq(syncRuns.workspaceId, workspaceId)];
    if (query.connection) filters.push(eq(syncRuns.connectionId, query.connection));
    if (query.status) filters.push(eq(syncRuns.status, query.status));
    if (query.from) filters.push(gte(syncRuns.queuedAt, new Date(`${query.from}T00:00:00Z`)));
    if (query.to) filters.push(lte(syncRuns.queuedAt, new Date(`${query.to}T23:59:59.999Z`)));
    const where = and(...filters);
    const [{ total }] = await tx.select({ total: count() }).from(syncRuns).where(where);
    const runs = await tx
      .select(runColumns)
      .from(syncRuns)
      .innerJoin(connections, eq(connections.id, syncRuns.connectionId))
      .where(where)
      .orderBy(desc(syncRuns.queuedAt), desc(syncRuns.id))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize);
    return { runs, total: Number(total), page: query.page, pageSize: query.pageSize };
  });
}

export async function getRun(db: Db, user: SessionUser, workspaceId: string, runId: string) {
  return inWorkspace(db, user, workspaceId, 'viewer', async ({ tx }) => {
    const [run] = await tx
      .select({ ...runColumns, steps: syncRuns.steps, errorDetails: syncRuns.errorDetails, mode: syncRuns.mode })
      .from(syncRuns)
      .innerJoin(connections, eq(connections.id, syncRuns.connectionId))
      .where(and(eq(syncRuns.id, runId), eq(syncRuns.workspaceId, workspaceId)));
    if (!run) throw notFound('That sync run does not exist in this workspace.');
    return run;
  });
}

export const recordQuerySchema = z.object({
  resource: z.string().regex(/^[a-z_]{1,40}$/, { error: 'resource must be a resource id such as contacts' }).optional(),
  q: z.string().trim().max(200).optional(),
  deleted: z.enum(['include', 'only', 'exclude']).default('include'),
  ...pagingQuery(100_000),
});

export async function listRecords(
  db: Db,
  user: SessionUser,
  workspaceId: string,
  connectionId: string,
  query: z.infer<typeof recordQuerySchema>,
) {
  return inWorkspace(db, user, workspaceId, 'viewer', async ({ tx }) => {
    // Another workspace's connection (or none) is not found, as on every other connection route.
    const [connection] = await tx
      .select({ id: connections.id })
      .from(connections)
      .where(and(eq(connections.id, connectionId), eq(connections.workspaceId, workspaceId)));
    if (!connection) throw notFound('That connection does not exist in this workspace.');
    const filters: SQL[] = [eq(syncedRecords.workspaceId, workspaceId), eq(syncedRecords.connectionId, connectionId)];
    if (query.resource) filters.push(eq(syncedRecords.resource, query.resource));
    if (query.deleted === 'only') filters.push(sql`${syncedRecords.deletedAt} is not null`);
    if (query.deleted === 'exclude') filters.push(sql`${syncedRecords.deletedAt} is null`);
    if (query.q) {
      const pattern = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      filters.push(or(ilike(syncedRecords.externalId, pattern), ilike(sql`${syncedRecords.raw}::text`, pattern))!);
    }
    const where = and(...filters);
    const [{ total }] = await tx.select({ total: count() }).from(syncedRecords).where(where);
    const records = await tx
      .select({
        id: syncedRecords.id,
        resource: syncedRecords.resource,
        externalId: syncedRecords.externalId,
        raw: syncedRecords.raw,
        mapped: syncedRecords.mapped,
        mappingErrors: syncedRecords.mappingErrors,
        mappingVersion: syncedRecords.mappingVersion,
        firstSeenAt: syncedRecords.firstSeenAt,
        lastSeenAt: syncedRecords.lastSeenAt,
        deletedAt: syncedRecords.deletedAt,
      })
      .from(syncedRecords)
      .where(where)
      .orderBy(desc(syncedRecords.lastSeenAt), syncedRecords.externalId)
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize);
    const resources = await tx
      .select({ resource: syncedRecords.resource, total: count() })
      .from(syncedRecords)
      .where(and(eq(syncedRecords.workspaceId, workspaceId), eq(syncedRecords.connectionId, connectionId)))
      .groupBy(syncedRecords.resource);
    return { records, total: Number(total), page: query.page, pageSize: query.pageSize, resources: resources.map((r) => ({ ...r, total: Number(r.total) })) };
  });
}
