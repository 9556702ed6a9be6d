// Stores one fetched page of records with one statement per kind of change (never one per
// record). Unchanged records cost no write on incremental runs; full runs only stamp them as
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
    if (target.mode === 'full' && counts.unchanged > 0) {
      const ids = JSON.stringify(live.map((r) => r.externalId));
      await tx.execute(sql`
        update public.synced_records set last_seen_run_id = ${target.runId}::uuid
        where connection_id = ${target.connectionId}::uuid and resource = ${target.resource}
          and external_id in (select jsonb_array_elements_text(${ids}::jsonb))
          and last_seen_run_id is distinct from ${target.runId}::uuid`);
    }
  }

  if (tombstones.length > 0) {
    const ids = JSON.stringify(tombstones);
    const deleted = rowsOf(
      await tx.execute(sql`
        update public.synced_records set deleted_at = now(), last_seen_run_id = ${target.runId}::uuid
        where connection_id = ${target.connectionId}::uuid and resource = ${target.resource}
          and external_id in (select jsonb_array_elements_text(${ids}::jsonb))
          and deleted_at is null
        returning 1`),
    );
    counts.deleted = deleted.length;
  }
  return counts;
}

/**
 * At the end of a complete full run: whatever this connection had for the resource and the run
 * did not see is gone at the provider. Applied in one statement, only once the run completed.
 */
export async function markUnseenDeleted(tx: Queryable, target: Omit<PageTarget, 'mode'>): Promise<number> {
  return rowsOf(
    await tx.execute(sql`
      update public.synced_records set deleted_at = now()
      where connection_id = ${target.connectionId}::uuid and resource = ${target.resource}
        and deleted_at is null and last_seen_run_id is distinct from ${target.runId}::uuid
      returning 1`),
  ).length;
}
