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

interface ChangedRecord {
  id: string;
  json: string;
  hash: string;
  data: unknown;
}

/**
 * The changed records as one JSON array, splicing in each record's canonical JSON as it is, and
 * the mapped output with its errors when the resource has a mapping.
 */
function recordsJson(records: ChangedRecord[], mapping: ActiveMapping | null | undefined, counts: PageCounts): string {
  const parts = records.map((r) => {
    let mapped = '';
    if (mapping) {
      const result = applyMapping(mapping.compiled, r.data);
      if (result.errors.length > 0) counts.failed += 1;
      mapped = `,"mapped":${JSON.stringify(result.output)},"errors":${result.errors.length > 0 ? JSON.stringify(result.errors) : 'null'}`;
    }
    return `{"id":${JSON.stringify(r.id)},"hash":"${r.hash}","raw":${r.json}${mapped}}`;
  });
  return `[${parts.join(',')}]`;
}

/** Writes new records (insert) or changed ones (upsert) with one statement; answers how many. */
async function writeRecords(
  tx: Queryable,
  target: PageTarget,
  records: ChangedRecord[],
  counts: PageCounts,
  how: 'insert' | 'upsert',
): Promise<number> {
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
  await tx.execute(sql`
    insert into public.synced_records
      (workspace_id, connection_id, resource, external_id, raw, content_hash, last_seen_run_id,
       mapped, mapping_errors, mapping_version)
    select ${target.workspaceId}::uuid, ${target.connectionId}::uuid, ${target.resource},
           r.id, r.raw, r.hash, ${target.runId}::uuid, r.mapped, r.errors, ${target.mapping?.version ?? null}::integer
    from jsonb_to_recordset(${recordsJson(records, target.mapping, counts)}::jsonb)
      as r(id text, hash text, raw jsonb, mapped jsonb, errors jsonb)
    ${onConflict}`);
  return records.length;
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

export async function storePage(tx: Queryable, target: PageTarget, records: StorableRecord[]): Promise<PageCounts> {
  // The last occurrence of an id in a page wins, as a later answer would.
  const byId = new Map<string, StorableRecord>();
  for (const record of records) byId.set(record.externalId, record);
  const live = [...byId.values()].filter((r) => !r.deleted);
  const tombstones = [...byId.values()].filter((r) => r.deleted).map((r) => r.externalId);
  const counts: PageCounts = { created: 0, updated: 0, unchanged: 0, deleted: 0, failed: 0 };

  if (live.length > 0) {
    const hashed: ChangedRecord[] = live.map((r) => ({ id: r.externalId, data: r.data, ...(r.canonical ?? canonicalRecord(r.data)) }));
    // Writers of one connection's records take turns, so what the probe below finds absent is
    // still absent when it is inserted (webhook deliveries store through here too).
    await tx.execute(sql`select pg_advisory_xact_lock(${RECORDS_LOCK}, hashtext(${target.connectionId}))`);
    // Only changed records travel to the database: the page's ids and hashes go first, and the
    // database answers with the ids whose stored hash differs (or that are new or were deleted),
    // so an unchanged record costs one index probe and nothing comes back for it. The lateral
    // LIMIT makes it one probe per id (as a plain join, the planner could hash the connection's
    // every record, page after page); refreshRecordStatistics keeps that probe on the right index.
    const probe = JSON.stringify(hashed.map((r) => ({ id: r.id, hash: r.hash })));
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
    const created = hashed.filter((r) => stale.get(r.id) === false);
    const changed = hashed.filter((r) => stale.get(r.id) === true);
    counts.unchanged = hashed.length - created.length - changed.length;
    // New records need no conflict check: a plain insert costs a third less than an upsert.
    if (created.length > 0) counts.created = await writeRecords(tx, target, created, counts, 'insert');
    if (changed.length > 0) counts.updated = await writeRecords(tx, target, changed, counts, 'upsert');
  }

  if (target.mode === 'full' && byId.size > 0) {
    // Tombstones count as seen: they are marked deleted here, not again when the listing ends.
    await tx.execute(sql`
      insert into public.sync_seen_batches (run_id, resource, workspace_id, external_ids)
      values (${target.runId}::uuid, ${target.resource}, ${target.workspaceId}::uuid,
              array(select jsonb_array_elements_text(${JSON.stringify([...byId.keys()])}::jsonb)))`);
  }

  if (tombstones.length > 0) counts.deleted = await markDeleted(tx, target, tombstones);
  return counts;
}

/** Marks these records deleted (those not already), a chunk of ids per statement; answers how many. */
async function markDeleted(tx: Queryable, target: Omit<PageTarget, 'mode'>, externalIds: string[]): Promise<number> {
  let deleted = 0;
  for (let start = 0; start < externalIds.length; start += DELETE_CHUNK) {
    const ids = JSON.stringify(externalIds.slice(start, start + DELETE_CHUNK));
    deleted += rowsOf(
      await tx.execute(sql`
        update public.synced_records r set deleted_at = now(), last_seen_run_id = ${target.runId}::uuid
        from jsonb_array_elements_text(${ids}::jsonb) as gone(id)
        where r.connection_id = ${target.connectionId}::uuid and r.resource = ${target.resource}
          and r.external_id = gone.id and r.deleted_at is null
        returning 1`),
    ).length;
  }
  return deleted;
}

/**
 * At the end of a complete full run: whatever this connection had for the resource and the run
 * did not see is gone at the provider. Applied only once the listing completed, in the
 * transaction that drops the run's seen-list. The difference is taken here rather than by the
 * planner, whose estimate for unnested arrays can pick a nested loop over 100,000 × 100,000 rows.
 */
export async function markUnseenDeleted(tx: Queryable, target: Omit<PageTarget, 'mode'>): Promise<number> {
  const seen = new Set<string>();
  const batches = rowsOf<{ external_ids: string[] }>(
    await tx.execute(sql`
      select external_ids from public.sync_seen_batches where run_id = ${target.runId}::uuid and resource = ${target.resource}`),
  );
  for (const batch of batches) for (const id of batch.external_ids) seen.add(id);
  const stored = rowsOf<{ external_id: string }>(
    await tx.execute(sql`
      select external_id from public.synced_records
      where connection_id = ${target.connectionId}::uuid and resource = ${target.resource} and deleted_at is null`),
  );
  const unseen = stored.map((row) => row.external_id).filter((id) => !seen.has(id));
  const deleted = await markDeleted(tx, target, unseen);
  await tx.execute(sql`delete from public.sync_seen_batches where run_id = ${target.runId}::uuid and resource = ${target.resource}`);
  return deleted;
}

/**
 * Refreshes the planner's statistics for synced records each time a run's writes pass a power of
 * ten (1,000, 10,000, ...), after the batch that did it committed. Embedded PGlite has no
 * autovacuum and a server's lags behind a fast sync; until then the planner takes a connection
 * that is filling up for a handful of rows, and its lookups pick an index that walks all of them.
 */
export async function refreshRecordStatistics(db: Queryable, written: { before: number; after: number }): Promise<void> {
  const magnitude = (count: number) => (count < STATISTICS_FROM ? 0 : Math.floor(Math.log10(count)));
  if (magnitude(written.after) <= magnitude(written.before)) return;
  // Only the columns lookups filter on: the JSON columns would triple the cost.
  await db.execute(sql`analyze public.synced_records (connection_id, resource, external_id)`);
}
