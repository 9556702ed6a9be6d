// Helpers for sync tests: a connected sandbox connection, runs, and what got stored.
import { and, count, eq, isNull } from 'drizzle-orm';
import type { Db } from '@/lib/db/engine';
import { asService } from '@/lib/db/rls';
import { connections, syncCursors, syncedRecords, syncRuns } from '@/lib/db/schema';
import type { SyncRunner } from '@/lib/sync/runner';
import { requestSync } from '@/lib/sync/runs';

export async function newRun(db: Db, connection: { workspaceId: string; connectionId: string }, mode: 'full' | 'incremental', trigger: 'manual' | 'schedule' = 'manual') {
  const { runId } = await requestSync(db, { ...connection, trigger, mode });
  return runId;
}

export async function runRow(db: Db, runId: string) {
  return (await asService(db, (tx) => tx.select().from(syncRuns).where(eq(syncRuns.id, runId))))[0];
}

export async function connectionRow(db: Db, connectionId: string) {
  return (await asService(db, (tx) => tx.select().from(connections).where(eq(connections.id, connectionId))))[0];
}

export async function storedCount(db: Db, connectionId: string, resource: string, options: { live?: boolean } = {}) {
  const filters = [eq(syncedRecords.connectionId, connectionId), eq(syncedRecords.resource, resource)];
  if (options.live) filters.push(isNull(syncedRecords.deletedAt));
  const [row] = await asService(db, (tx) => tx.select({ n: count() }).from(syncedRecords).where(and(...filters)));
  return Number(row.n);
}

export async function cursorOf(db: Db, connectionId: string, resource: string) {
  const [row] = await asService(db, (tx) =>
    tx.select().from(syncCursors).where(and(eq(syncCursors.connectionId, connectionId), eq(syncCursors.resource, resource))),
  );
  return row?.cursor ?? null;
}

export const counts = (run: Awaited<ReturnType<typeof runRow>>) => ({
  fetched: run.recordsFetched,
  created: run.recordsCreated,
  updated: run.recordsUpdated,
  unchanged: run.recordsUnchanged,
  deleted: run.recordsDeleted,
});

/** Requests a run (or joins the one already queued, e.g. the initial sync) and runs it to its end. */
export async function syncToEnd(
  db: Db,
  runner: SyncRunner,
  connection: { workspaceId: string; connectionId: string },
  options: { mode: 'full' | 'incremental'; resource?: string; trigger?: 'initial' | 'manual' },
) {
  const { runId } = await requestSync(db, { ...connection, trigger: options.trigger ?? 'manual', mode: options.mode, resource: options.resource ?? null });
  const outcome = await runner.runToEnd(runId);
  return { outcome, run: await runRow(db, runId) };
}

/** What the sync stored for a resource, by external id. */
export async function storedRecords(db: Db, connectionId: string, resource: string) {
  return asService(db, (tx) =>
    tx
      .select({
        externalId: syncedRecords.externalId,
        raw: syncedRecords.raw,
        mapped: syncedRecords.mapped,
        mappingErrors: syncedRecords.mappingErrors,
        deletedAt: syncedRecords.deletedAt,
      })
      .from(syncedRecords)
      .where(and(eq(syncedRecords.connectionId, connectionId), eq(syncedRecords.resource, resource))),
  );
}
