// Stores one fetched page of records with one statement per kind of change (never one per
// record). Id lists are matched with `= any(array(...))`, which the planner turns into lookups
// on the (connection, resource, external_id) index; `in (select …)` made it scan every row. Unchanged records cost no write on incremental runs; full runs only stamp them as
// seen, which is what lets the end of a full run find records the provider no longer has.
import { sql } from 'drizzle-orm';
import { rowsOf, type Queryable } from '../db/engine';
import type { FetchedRecord } from '../providers/types';
import { contentHash } from './canonical';

export type { FetchedRecord };

export interface PageTarget {
  workspaceId: string;
  connectionId: string;
  resource: string;
  runId: string;
  mode: 'full' | 'incremental';
}

export interface PageCounts {
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
}

export async function storePage(tx: Queryable, target: PageTarget, records: FetchedRecord[]): Promise<PageCounts> {
  // The last occurrence of an id in a page wins, as a later answer would.
  const byId = new Map<string, FetchedRecord>();
  for (const record of records) byId.set(record.externalId, record);
  const live = [...byId.values()].filter((r) => !r.deleted);
  const tombstones = [...byId.values()].filter((r) => r.deleted).map((r) => r.externalId);
  const counts: PageCounts = { created: 0, updated: 0, unchanged: 0, deleted: 0 };

  if (live.length > 0) {
    const payload = JSON.stringify(live.map((r) => ({ id: r.externalId, raw: r.data, hash: contentHash(r.data) })));
    const written = rowsOf<{ inserted: boolean }>(
      await tx.execute(sql`
        insert into public.synced_records
          (workspace_id, connection_id, resource, external_id, raw, content_hash, last_seen_run_id)
        select ${target.workspaceId}::uuid, ${target.connectionId}::uuid, ${target.resource},
               r.value ->> 'id', r.value -> 'raw', r.value ->> 'hash', ${target.runId}::uuid
        from jsonb_array_elements(${payload}::jsonb) as r
        on conflict (connection_id, resource, external_id) do update set
          raw = excluded.raw,
          content_hash = excluded.content_hash,
          last_seen_at = now(),
          last_seen_run_id = excluded.last_seen_run_id,
          deleted_at = null
        where synced_records.content_hash is distinct from excluded.content_hash
           or synced_records.deleted_at is not null
        returning (xmax = 0) as inserted`),
    );
    counts.created = written.filter((w) => w.inserted).length;
    counts.updated = written.length - counts.created;
    counts.unchanged = live.length - written.length;
  }

  if (target.mode === 'full' && byId.size > 0) {
    // A narrow row per id seen (tombstones included) instead of rewriting every unchanged record.
    const ids = JSON.stringify([...byId.keys()]);
    await tx.execute(sql`
      insert into public.sync_seen_records (run_id, resource, external_id, workspace_id)
      select ${target.runId}::uuid, ${target.resource}, seen.id, ${target.workspaceId}::uuid
      from jsonb_array_elements_text(${ids}::jsonb) as seen(id)
      on conflict do nothing`);
  }

  if (tombstones.length > 0) {
    const ids = JSON.stringify(tombstones);
    const deleted = rowsOf(
      await tx.execute(sql`
        update public.synced_records set deleted_at = now(), last_seen_run_id = ${target.runId}::uuid
        where connection_id = ${target.connectionId}::uuid and resource = ${target.resource}
          and external_id = any(array(select jsonb_array_elements_text(${ids}::jsonb)))
          and deleted_at is null
        returning 1`),
    );
    counts.deleted = deleted.length;
  }
  return counts;
}

/**
 * At the end of a complete full run: whatever this connection had for the resource and the run
 * did not see is gone at the provider. Applied in one statement, only once the listing completed;
 * the run's seen-list is dropped in the same transaction.
 */
export async function markUnseenDeleted(tx: Queryable, target: Omit<PageTarget, 'mode'>): Promise<number> {
  // Fresh statistics let the planner hash the seen-list; on a stale estimate it nested-loops
  // 100,000 × 100,000 rows.
  await tx.execute(sql`analyze public.sync_seen_records`);
  const deleted = rowsOf(
    await tx.execute(sql`
      update public.synced_records r set deleted_at = now()
      where r.connection_id = ${target.connectionId}::uuid and r.resource = ${target.resource} and r.deleted_at is null
        and not exists (
          select 1 from public.sync_seen_records s
          where s.run_id = ${target.runId}::uuid and s.resource = r.resource and s.external_id = r.external_id)
      returning 1`),
  ).length;
  await tx.execute(sql`delete from public.sync_seen_records where run_id = ${target.runId}::uuid and resource = ${target.resource}`);
  return deleted;
}
