// Stores fetched records with one statement per kind of change (never one per record). Id lists
// travel as one JSON array joined against the (connection, resource, external_id) index. Only new
// and changed records are written; full listings also append the ids they saw to the run's
// seen-list, which is what lets the end of a full listing find records the provider no longer has.
import { sql } from 'drizzle-orm';
import { rowsOf, type Queryable } from '../db/engine';
import type { FetchedRecord } from '../providers/types';
import { canonicalRecord } from './canonical';
import { applyMapping } from '../mapping/interpreter';
import type { ActiveMapping } from '../mapping/store';
import { emitRecordsChanged } from '../events/emitters';

export type { FetchedRecord };

const DELETE_CHUNK = 1_000;
/** First key of the transaction lock writers of one connection's records take (the second is the connection). */
const RECORDS_LOCK = 7_301;
/** Writes by one run from which the table's statistics are refreshed (see refreshRecordStatistics). */
const STATISTICS_FROM = 1_000;

export interface PageTarget {
  workspaceId: string;
  connectionId: string;
  resource: string;
  runId: string;
  mode: 'full' | 'incremental';
  /** Applied to every new or changed record; without one, records are stored raw only. */
  mapping?: ActiveMapping | null;
}

export interface PageCounts {
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
  /** New or changed records whose mapping reported errors (stored raw, with the errors). */
  failed: number;
}

/** A live record of a page with its canonical JSON and content hash. */
export interface HashedRecord {
  id: string;
  json: string;
  hash: string;
  data: unknown;
}

/**
 * The records as one JSON array, splicing in each record's canonical JSON as it is, and the
 * mapped output with its errors when the resource has a mapping; with how many of them the
 * mapping reported errors for.
 */
export function recordsJson(records: HashedRecord[], mapping: ActiveMapping | null | undefined): { json: string; failed: number } {
  let failed = 0;
  const parts = records.map((r) => {
    let mapped = '';
    if (mapping) {
      const result = applyMapping(mapping.compiled, r.data);
      if (result.errors.length > 0) failed += 1;
      mapped = `,"mapped":${JSON.stringify(result.output)},"errors":${result.errors.length > 0 ? JSON.stringify(result.errors) : 'null'}`;
    }
    return `{"id":${JSON.stringify(r.id)},"hash":"${r.hash}","raw":${r.json}${mapped}}`;
  });
  return { json: `[${parts.join(',')}]`, failed };
}

/**
 * Writes new records (insert) or changed ones (upsert) with one statement; answers for how many
 * of them the mapping reported errors.
 */
async function writeRecords(tx: Queryable, target: PageTarget, records: HashedRecord[], how: 'insert' | 'upsert'): Promise<number> {
  // The upsert's conflict target is the unique index itself, so no plan can stray to a scan.
  const onConflict =
    how === 'insert'
      ? sql``
      : sql`on conflict (connection_id, resource, external_id) do update set
          raw = excluded.raw,
          content_hash = excluded.content_hash,
          mapped = excluded.mapped,
          mapping_errors = excluded.mapping_errors,
          mapping_version = excluded.mapping_version,
          last_seen_at = now(),
          last_seen_run_id = excluded.last_seen_run_id,
          deleted_at = null`;
  const { json, failed } = recordsJson(records, target.mapping);
  await tx.execute(sql`
    insert into public.synced_records
      (workspace_id, connection_id, resource, external_id, raw, content_hash, last_seen_run_id,
       mapped, mapping_errors, mapping_version)
    select ${target.workspaceId}::uuid, ${target.connectionId}::uuid, ${target.resource},
           r.id, r.raw, r.hash, ${target.runId}::uuid, r.mapped, r.errors, ${target.mapping?.version ?? null}::integer
    from jsonb_to_recordset(${json}::jsonb)
      as r(id text, hash text, raw jsonb, mapped jsonb, errors jsonb)
    ${onConflict}`);
  return failed;
}

/** A fetched record, with its canonical JSON and hash when they were computed ahead (withContentHashes). */
export type StorableRecord = FetchedRecord & { canonical?: { json: string; hash: string } };

/**
 * Computes the records' canonical JSON and hashes ahead of storing them: the engine does it as
 * each page arrives, while the database is still busy with the previous batch.
 */
export function withContentHashes(records: FetchedRecord[]): StorableRecord[] {
  return records.map((r) => (r.deleted ? r : { ...r, canonical: canonicalRecord(r.data) }));
}

/** What storing a page involves, settled before any statement runs. */
export interface PagePlan {
  /** The page's live records, hashed; the last occurrence of an id wins, as a later answer would. */
  live: HashedRecord[];
  /** Ids the page reports deleted. */
  tombstones: string[];
  /**
   * Ids to append to the run's seen-list: every id of a full listing's page (tombstones count as
   * seen: they are marked deleted by the page, not again when the listing ends); null otherwise.
   */
  seen: string[] | null;
}

export function planPage(records: StorableRecord[], mode: PageTarget['mode']): PagePlan {
  const byId = new Map<string, StorableRecord>();
  for (const record of records) byId.set(record.externalId, record);
  const live = [...byId.values()].filter((r) => !r.deleted);
  const tombstones = [...byId.values()].filter((r) => r.deleted).map((r) => r.externalId);
  return {
    live: live.map((r) => ({ id: r.externalId, data: r.data, ...(r.canonical ?? canonicalRecord(r.data)) })),
    tombstones,
    seen: mode === 'full' && byId.size > 0 ? [...byId.keys()] : null,
  };
}

/**
 * Sorts hashed records by what the probe found stored for them (`stale`: the ids whose stored
 * hash differs, true when a row is stored, false when none is): new, changed, or unchanged.
 */
export function sortByStoredState(records: HashedRecord[], stale: ReadonlyMap<string, boolean>) {
  const created = records.filter((r) => stale.get(r.id) === false);
  const changed = records.filter((r) => stale.get(r.id) === true);
  return { created, changed, unchanged: records.length - created.length - changed.length };
}

export async function storePage(tx: Queryable, target: PageTarget, records: StorableRecord[]): Promise<PageCounts> {
  const { live, tombstones, seen } = planPage(records, target.mode);
  const counts: PageCounts = { created: 0, updated: 0, unchanged: 0, deleted: 0, failed: 0 };
  let createdIds: string[] = [];
  let updatedIds: string[] = [];

  if (live.length > 0) {
    // Writers of one connection's records take turns, so what the probe below finds absent is
    // still absent when it is inserted (webhook deliveries store through here too).
    await tx.execute(sql`select pg_advisory_xact_lock(${RECORDS_LOCK}, hashtext(${target.connectionId}))`);
    // Only changed records travel to the database: the page's ids and hashes go first, and the
    // database answers with the ids whose stored hash differs (or that are new or were deleted),
    // so an unchanged record costs one index probe and nothing comes back for it. The lateral
    // LIMIT makes it one probe per id (as a plain join, the planner could hash the connection's
    // every record, page after page); refreshRecordStatistics keeps that probe on the right index.
    const probe = JSON.stringify(live.map((r) => ({ id: r.id, hash: r.hash })));
    const stale = new Map(
      rowsOf<{ id: string; stored: boolean }>(
        await tx.execute(sql`
          select page.id, s.content_hash is not null as stored
          from jsonb_to_recordset(${probe}::jsonb) as page(id text, hash text)
          left join lateral (
            select r.content_hash, r.deleted_at from public.synced_records r
            where r.connection_id = ${target.connectionId}::uuid and r.resource = ${target.resource} and r.external_id = page.id
            limit 1) s on true
          where s.content_hash is distinct from page.hash or s.deleted_at is not null`),
      ).map((row) => [row.id, row.stored]),
    );
    const { created, changed, unchanged } = sortByStoredState(live, stale);
    counts.unchanged = unchanged;
    // New records need no conflict check: a plain insert costs a third less than an upsert.
    if (created.length > 0) {
      counts.failed += await writeRecords(tx, target, created, 'insert');
      counts.created = created.length;
      createdIds = created.map((r) => r.id);
    }
    if (changed.length > 0) {
      counts.failed += await writeRecords(tx, target, changed, 'upsert');
      counts.updated = changed.length;
      updatedIds = changed.map((r) => r.id);
    }
  }

  if (seen) {
    await tx.execute(sql`
      insert into public.sync_seen_batches (run_id, resource, workspace_id, external_ids)
      values (${target.runId}::uuid, ${target.resource}, ${target.workspaceId}::uuid,
              array(select jsonb_array_elements_text(${JSON.stringify(seen)}::jsonb)))`);
  }

  const deletedIds: string[] = [];
  if (tombstones.length > 0) counts.deleted = await markDeleted(tx, target, tombstones, deletedIds);
  // One records.changed event per stored page, in its transaction (lib/events).
  await emitRecordsChanged(tx, target, { created: createdIds, updated: updatedIds, deleted: deletedIds });
  return counts;
}

/** Marks these records deleted (those not already), a chunk of ids per statement; answers how many. */
async function markDeleted(tx: Queryable, target: Omit<PageTarget, 'mode'>, externalIds: string[], deletedIds: string[] = []): Promise<number> {
  let deleted = 0;
  for (let start = 0; start < externalIds.length; start += DELETE_CHUNK) {
    const ids = JSON.stringify(externalIds.slice(start, start + DELETE_CHUNK));
    const gone = rowsOf<{ external_id: string }>(
      await tx.execute(sql`
        update public.synced_records r set deleted_at = now(), last_seen_run_id = ${target.runId}::uuid
        from jsonb_array_elements_text(${ids}::jsonb) as gone(id)
        where r.connection_id = ${target.connectionId}::uuid and r.resource = ${target.resource}
          and r.external_id = gone.id and r.deleted_at is null
        returning r.external_id`),
    );
    deleted += gone.length;
    for (const row of gone) deletedIds.push(row.external_id);
  }
  return deleted;
}

/**
 * At the end of a complete full run: whatever this connection had for the resource and the run
 * did not see is gone at the provider. Applied only once the listing completed, in the
 * transaction that drops the run's seen-list. The difference is taken in the database, so the
 * app never holds the connection's ids (100,000 of them and the seen-list's as many again); and as
 * an EXCEPT, which runs as a hash or a sort of each side, never as the nested loop over
 * 100,000 × 100,000 rows the planner can pick for an anti-join against unnested arrays.
 */
export async function markUnseenDeleted(tx: Queryable, target: Omit<PageTarget, 'mode'>): Promise<number> {
  const deletedIds = rowsOf<{ external_id: string }>(
    await tx.execute(sql`
      update public.synced_records r set deleted_at = now(), last_seen_run_id = ${target.runId}::uuid
      from (
        select external_id from public.synced_records
        where connection_id = ${target.connectionId}::uuid and resource = ${target.resource} and deleted_at is null
        except
        select unnest(external_ids) from public.sync_seen_batches
        where run_id = ${target.runId}::uuid and resource = ${target.resource}
      ) as gone(id)
      where r.connection_id = ${target.connectionId}::uuid and r.resource = ${target.resource}
        and r.external_id = gone.id and r.deleted_at is null
      returning r.external_id`),
  ).map((row) => row.external_id);
  await emitRecordsChanged(tx, target, { deleted: deletedIds });
  await tx.execute(sql`delete from public.sync_seen_batches where run_id = ${target.runId}::uuid and resource = ${target.resource}`);
  return deletedIds.length;
}

/**
 * Refreshes the planner's statistics for synced records each time a run's writes pass a power of
 * ten (1,000, 10,000, ...), after the batch that did it committed. Embedded PGlite has no
 * autovacuum and a server's lags behind a fast sync; until then the planner takes a connection
 * that is filling up for a handful of rows, and its lookups pick an index that walks all of them.
 */
export async function refreshRecordStatistics(db: Queryable, written: { before: number; after: number }): Promise<void> {
  if (!statisticsRefreshDue(written)) return;
  // Only the columns lookups filter on: the JSON columns would triple the cost.
  await db.execute(sql`analyze public.synced_records (connection_id, resource, external_id)`);
}

/** Whether a run's writes, going from `before` to `after`, passed a power of ten from 1,000 up. */
export function statisticsRefreshDue(written: { before: number; after: number }): boolean {
  const magnitude = (count: number) => (count < STATISTICS_FROM ? 0 : Math.floor(Math.log10(count)));
  return magnitude(written.after) > magnitude(written.before);
}
