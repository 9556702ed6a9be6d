// Sync runs and stored records as members see them (RLS: their workspaces only).
import { and, eq, gte, lte, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { pagingQuery } from '../http/params';
import type { SessionUser } from '../auth/session-token';
import { rowsOf, type Db } from '../db/engine';
import { cappedCount, cursorQuery, instantOf, keysetPage, microsOf, type KeysetWindow } from '../db/keyset';
import { connections, syncedRecordCounts, syncedRecords, syncRuns, SYNC_STATUSES } from '../db/schema';
import { notFound } from '../http/errors';
import { inWorkspace } from '../workspaces/access';
import { PUSH_DIRECTIONS } from '../push/schemas';

/** A calendar date PostgreSQL can compare with: ISO, and no year 0000 (there is none; it would be a 500). */
const dateQuery = (name: string, example: string) =>
  z.iso
    .date({ error: `${name} must be a date like ${example}` })
    .refine((date) => !date.startsWith('0000-'), { error: `${name} must be a date like ${example}` });

export const runQuerySchema = z.object({
  connection: z.uuid({ error: 'connection must be a connection id' }).optional(),
  status: z.enum(SYNC_STATUSES, { error: `status must be one of: ${SYNC_STATUSES.join(', ')}` }).optional(),
  direction: z.enum(PUSH_DIRECTIONS, { error: `direction must be one of: ${PUSH_DIRECTIONS.join(', ')}` }).optional(),
  from: dateQuery('from', '2026-11-01').optional(),
  to: dateQuery('to', '2026-11-30').optional(),
  ...cursorQuery(),
  pageSize: pagingQuery().pageSize,
});

const runColumns = {
  id: syncRuns.id,
  connectionId: syncRuns.connectionId,
  provider: connections.provider,
  connectionName: connections.displayName,
  resource: syncRuns.resource,
  trigger: syncRuns.trigger,
  mode: syncRuns.mode,
  direction: syncRuns.direction,
  pushId: syncRuns.pushId,
  requests: syncRuns.requests,
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
    if (query.direction) filters.push(eq(syncRuns.direction, query.direction));
    if (query.from) filters.push(gte(syncRuns.queuedAt, new Date(`${query.from}T00:00:00Z`)));
    if (query.to) filters.push(lte(syncRuns.queuedAt, new Date(`${query.to}T23:59:59.999Z`)));
    const where = and(...filters);
    const { total, totalCapped } = await cappedCount(tx, syncRuns, where);
    const page = await keysetPage({ time: syncRuns.queuedAt, id: syncRuns.id }, query, (window) =>
      tx
        .select({ ...runColumns, cursorMicros: microsOf(syncRuns.queuedAt) })
        .from(syncRuns)
        .innerJoin(connections, eq(connections.id, syncRuns.connectionId))
        .where(and(where, window.where))
        .orderBy(...window.orderBy)
        .limit(window.limit),
    );
    return { runs: page.rows, total, totalCapped, pageSize: query.pageSize, nextCursor: page.nextCursor, prevCursor: page.prevCursor };
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

/**
 * A search counts its matches up to here ("1,000+" past it). Each counted match is a row read at
 * random from the table, so this cap is most of a common word's cost (10,000 took ~100 ms of
 * 150 at 1,000,000 records); past it the words are common enough that walking the browse order
 * fills a page after a few thousand records at most (the stored search vector makes each test cheap).
 */
export const SEARCH_COUNT_CAP = 1_000;

export const recordQuerySchema = z.object({
  resource: z.string().regex(/^[a-z_]{1,40}$/, { error: 'resource must be a resource id such as contacts' }).optional(),
  q: z.string().trim().max(200).optional(),
  deleted: z.enum(['include', 'only', 'exclude']).default('include'),
  ...cursorQuery(),
  pageSize: pagingQuery().pageSize,
});

/**
 * Records are searched by their external id and every string value of their raw JSON, as words of
 * the 'simple' configuration (search_synced_records and its GIN index, in
 * 20261208000800_dashboard_at_volume.sql). This turns a search box's text into a tsquery source,
 * every word required: a plain word (letters and digits) matches as a prefix (`'ada':*` finds
 * "Ada" and "ada.lovelace@example.com"); a word with punctuation — an email, an id such as
 * `rec-42` — matches whole, because the parser splits it into parts whose prefixes ("rec") match
 * nearly every record. Quoting makes every character literal to the tsquery syntax, so no input
 * can be an operator. Null when nothing searchable is left.
 */
export function recordSearchQuery(text: string): string | null {
  const words = text
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => `'${word.replace(/\\/g, '\\\\').replace(/'/g, "''")}'${/^[\p{L}\p{N}]+$/u.test(word) ? ':*' : ''}`);
  return words.length ? words.join(' & ') : null;
}

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
    const search = query.q ? recordSearchQuery(query.q) : null;
    // A search's matches come from search_synced_records (the search index cannot be used under
    // RLS; see 20261208000800_dashboard_at_volume.sql): ids only, read back below under RLS.
    // `common`: the words match more records than SEARCH_COUNT_CAP (the count below says), so the
    // function walks the browse order instead of sorting every match.
    let common = false;
    const searchIds = async (window: { cursor: KeysetWindow['cursor']; direction: KeysetWindow['direction'] | 'unordered'; limit: number }) =>
      rowsOf<{ id: string }>(
        await tx.execute(sql`
          select id from public.search_synced_records(${workspaceId}::uuid, ${connectionId}::uuid, ${search}, ${query.resource ?? null},
            ${query.deleted}, ${window.cursor ? instantOf(window.cursor) : null}, ${window.cursor?.id ?? null}::uuid,
            ${window.direction === 'unordered' ? null : window.direction === 'before'}::boolean, ${common}, ${window.limit})`),
      ).map((row) => row.id);
    // The connection's resources with how many records each holds, from the counters the
    // overview reads too (kept by triggers on synced_records): one row per resource, exact.
    const resources = await tx
      .select({ resource: syncedRecordCounts.resource, live: syncedRecordCounts.live, deleted: syncedRecordCounts.deleted })
      .from(syncedRecordCounts)
      .where(
        and(
          eq(syncedRecordCounts.workspaceId, workspaceId),
          eq(syncedRecordCounts.connectionId, connectionId),
          sql`${syncedRecordCounts.live} + ${syncedRecordCounts.deleted} > 0`,
        ),
      )
      .orderBy(syncedRecordCounts.resource);
    const where = and(...filters);
    let total: number;
    let totalCapped: boolean;
    if (query.q) {
      const counted = search ? (await searchIds({ cursor: null, direction: 'unordered', limit: SEARCH_COUNT_CAP + 1 })).length : 0;
      total = Math.min(counted, SEARCH_COUNT_CAP);
      totalCapped = counted > SEARCH_COUNT_CAP;
      common = totalCapped;
    } else {
      // Without a search every filter is a sum of the counters (resource, live or deleted): exact,
      // where counting the rows stopped at COUNT_CAP and still read up to 10,000 of them.
      const counted = (r: (typeof resources)[number]) => (query.deleted === 'only' ? r.deleted : query.deleted === 'exclude' ? r.live : r.live + r.deleted);
      total = resources.filter((r) => !query.resource || r.resource === query.resource).reduce((sum, r) => sum + counted(r), 0);
      totalCapped = false;
    }
    const page = await keysetPage({ time: syncedRecords.lastSeenAt, id: syncedRecords.id }, query, async (window) => {
      const ids = query.q ? (search ? await searchIds(window) : []) : null;
      if (ids && ids.length === 0) return [];
      return tx
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
          cursorMicros: microsOf(syncedRecords.lastSeenAt),
        })
        .from(syncedRecords)
        .where(ids ? and(where, sql`${syncedRecords.id} = any(${`{${ids.join(',')}}`}::uuid[])`) : and(where, window.where))
        .orderBy(...window.orderBy)
        .limit(window.limit);
    });
    return {
      records: page.rows,
      total,
      totalCapped,
      pageSize: query.pageSize,
      nextCursor: page.nextCursor,
      prevCursor: page.prevCursor,
      // Every record of the resource, whatever the filters (as the resource menu always showed).
      resources: resources.map((r) => ({ resource: r.resource, total: r.live + r.deleted, totalCapped: false })),
    };
  });
}
