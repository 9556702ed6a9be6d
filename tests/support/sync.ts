// Helpers for sync tests: a connected sandbox connection, runs, and what got stored.
import { and, count, eq, isNull } from 'drizzle-orm';
import type { Db } from '@/lib/db/engine';
import { asService } from '@/lib/db/rls';
import { connections, syncCursors, syncedRecords, syncRuns } from '@/lib/db/schema';
import type { SessionUser } from '@/lib/auth/session-token';
import { cancelRun } from '@/lib/sync/actions';
import { syncNextPage } from '@/lib/sync/engine';
import type { SyncRunner } from '@/lib/sync/runner';
import { requestSync } from '@/lib/sync/runs';
import { createWorkspace } from '@/lib/workspaces/workspaces';
import type { Sandbox } from '../sandbox/server';
import { connectViaSandbox } from './connect';
import { exampleProviders, type ExampleProvider } from './providers';

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

/** A provider for tests that count pages, its resources, and how many records the app asks for per page. */
export interface PagedExample {
  example: ExampleProvider;
  /** Its first syncing resource (the one a sync walks first) and the next one. */
  first: string;
  second: string;
  /** Records per page of the first resource's full listing, as the app asks for them. */
  pageSize: number;
}

/**
 * A provider whose first syncing resource lists plainly (one listing, tombstones, no time
 * windows; a second resource beside it), with its page size measured: the first page of a full
 * sync of a dataset larger than any page. Of those registered, the first whose pages are small
 * enough to make ten of them cheaply (≤ 250 records), else the one with the smallest pages.
 * Call it in a beforeAll of a sandboxSuite(): it connects each candidate in a workspace of its own.
 */
export async function pagedExample(suite: { database: { db: Db }; sandbox: Sandbox; admin: SessionUser }): Promise<PagedExample> {
  const candidates = exampleProviders({ sync: true, syncResources: 2, deletions: 'tombstone' });
  if (candidates.length === 0) throw new Error('No registered provider lists plainly with two resources');
  let best: PagedExample | undefined;
  // Before the suite's beforeEach: consent is not yet automatic.
  suite.sandbox.knobs.autoApprove = true;
  for (const example of candidates) {
    const [first, second] = example.resources;
    suite.sandbox.setKnobs({ dataset: example.datasets({ [first]: 2_500 }) });
    const workspaceId = (await createWorkspace(suite.database.db, suite.admin, `Page size of ${example.id}`)).id;
    const { connectionId } = await connectViaSandbox(suite.database.db, suite.admin, workspaceId, example.id);
    const { runId } = await requestSync(suite.database.db, { workspaceId, connectionId, trigger: 'manual', mode: 'full', resource: first });
    await syncNextPage(suite.database.db, runId);
    const pageSize = (await runRow(suite.database.db, runId)).recordsFetched;
    await cancelRun(suite.database.db, suite.admin, workspaceId, runId);
    if (!best || pageSize < best.pageSize) best = { example, first, second, pageSize };
    if (pageSize <= 250) break;
  }
  suite.sandbox.reset();
  return best!;
}
