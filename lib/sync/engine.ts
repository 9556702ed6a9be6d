// Pages are fetched from the provider and stored in batches: each batch's records, the run's
// counters and the checkpoint (and, after a listing's last page, the incremental cursor) commit in
// one transaction. A crash or provider failure loses nothing: the next attempt starts from the
// last committed checkpoint. Inngest runs one page per step (syncNextPage); the in-process runner
// takes several pages per transaction and downloads the next page while a batch is stored.
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Tx } from '../db/engine';
import { asService } from '../db/rls';
import { connections, syncCursors, syncRuns, type Connection } from '../db/schema';
import { providerSession } from '../connections/provider-access';
import { describeFailure } from '../connections/failures';
import { CursorExpiredError, ProviderHttpError, ReauthorizationRequiredError, TemporaryProviderError } from '../providers/errors';
import { findProvider } from '../providers/registry';
import type { PageResult, ProviderDefinition, SyncResource } from '../providers/types';
import { markUnseenDeleted, refreshRecordStatistics, storePage, withContentHashes, type PageCounts, type StorableRecord } from './records';
import { activeMapping } from '../mapping/store';
import { appendStep, cancelRunById, failRun, finishRun, loadHeldRun, loadRun, type SyncRun } from './runs';
import { requestHealthCheck } from '../jobs/health';
import { requestPushesAfterSync } from '../jobs/pushes';

const checkpointSchema = z.object({
  resources: z.array(z.string()),
  index: z.number().int().min(0),
  listing: z.enum(['full', 'incremental']),
  page: z.unknown(),
  pageIndex: z.number().int().min(0),
});
export type Checkpoint = z.infer<typeof checkpointSchema>;

export type StepOutcome = 'more' | 'succeeded' | 'failed' | 'cancelled';

/** The provider asked us to slow down or is briefly unwell: retry this page later. */
export class RetryableSyncError extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'RetryableSyncError';
  }
}

export function syncResourcesOf(provider: ProviderDefinition): SyncResource[] {
  return provider.resources.filter((r): r is SyncResource => 'fetchPage' in r);
}

async function cursorFor(tx: Tx, connectionId: string, resource: string): Promise<unknown> {
  const [row] = await tx
    .select({ cursor: syncCursors.cursor })
    .from(syncCursors)
    .where(and(eq(syncCursors.connectionId, connectionId), eq(syncCursors.resource, resource)));
  return row?.cursor ?? null;
}

async function listingFor(tx: Tx, run: SyncRun, resource: string): Promise<Checkpoint['listing']> {
  if (run.mode === 'full') return 'full';
  return (await cursorFor(tx, run.connectionId, resource)) === null ? 'full' : 'incremental';
}

interface Loaded {
  run: SyncRun;
  connection: Connection;
  provider: ProviderDefinition;
  checkpoint: Checkpoint;
  /** The stored incremental cursor of the current resource (null on full listings). */
  cursor: unknown;
}

/**
 * Loads the run and settles what it should do next, or says why there is nothing to do. With a
 * lease (the in-process runner's claim), a run another process has taken over is not ours: 'cancelled'.
 */
async function prepare(db: Db, runId: string, lease: number | undefined): Promise<Loaded | StepOutcome> {
  return asService(db, async (tx) => {
    const run = lease === undefined ? await loadRun(tx, runId) : await loadHeldRun(tx, runId, lease);
    if (!run) return 'cancelled';
    if (run.status === 'cancelled' || run.status === 'failed') return run.status;
    if (run.status === 'succeeded' || run.status === 'partial') return 'succeeded';
    const [connection] = await tx.select().from(connections).where(eq(connections.id, run.connectionId));
    const provider = connection && findProvider(connection.provider);
    if (!connection || !provider || ['disconnected', 'paused', 'needs_reauth'].includes(connection.status)) {
      await cancelRunById(tx, runId, connection ? `The connection is ${connection.status}.` : 'The connection no longer exists.');
      return 'cancelled';
    }
    let checkpoint = run.checkpoint ? checkpointSchema.parse(run.checkpoint) : null;
    if (!checkpoint) {
      const available = syncResourcesOf(provider).map((r) => r.id);
      const wanted = run.resource ? [run.resource] : connection.resources.filter((r) => available.includes(r));
      const first = wanted[0];
      checkpoint = { resources: wanted, index: 0, listing: first ? await listingFor(tx, run, first) : 'full', page: null, pageIndex: 0 };
      await tx
        .update(syncRuns)
        .set({
          status: 'running',
          startedAt: sql`coalesce(${syncRuns.startedAt}, now())`,
          heartbeatAt: sql`now()`,
          checkpoint,
          steps: appendStep(run.steps, { kind: 'started', resources: wanted }),
        })
        .where(eq(syncRuns.id, runId));
    }
    const resource = checkpoint.resources[checkpoint.index];
    const cursor = resource && checkpoint.listing === 'incremental' ? await cursorFor(tx, connection.id, resource) : null;
    return { run, connection, provider, checkpoint, cursor };
  });
}

/** How many pages one call fetches and stores. The defaults are one page per call: one Inngest step. */
export interface PageBatching {
  /** Pages stored per transaction. */
  pagesPerCommit?: number;
  /** Records stored per transaction, whichever limit comes first. */
  recordsPerCommit?: number;
  /** Commit at least this often, so progress shows while a slow provider answers. */
  commitEveryMs?: number;
  /**
   * Keep going, batch after batch, until this many milliseconds have passed; while a batch is
   * stored the next page is already downloading. 0: one batch.
   */
  budgetMs?: number;
  /**
   * The claim this process holds on the run (lib/sync/runs.ts claimRun): every write checks it,
   * so a process whose run was taken over writes nothing more. Inngest steps hold none.
   */
  lease?: number;
}

type Fetched = { ok: true; page: PageResult } | { ok: false; error: unknown };

const endsListing = (page: PageResult) => page.next === null || page.next === undefined;

export function syncNextPage(db: Db, runId: string): Promise<StepOutcome> {
  return syncPages(db, runId, {});
}

/**
 * Fetches and stores pages of the run's current resource listing. Every batch commits its
 * records with the checkpoint after its last page, so a crash re-fetches at most one batch; a
 * fetch failure first commits the pages already fetched, then is handled.
 */
export async function syncPages(db: Db, runId: string, batching: PageBatching): Promise<StepOutcome> {
  const pagesPerCommit = batching.pagesPerCommit ?? 1;
  const recordsPerCommit = batching.recordsPerCommit ?? Number.POSITIVE_INFINITY;
  const commitEveryMs = batching.commitEveryMs ?? Number.POSITIVE_INFINITY;
  const deadline = Date.now() + (batching.budgetMs ?? 0);
  const { lease } = batching;
  const prepared = await prepare(db, runId, lease);
  if (typeof prepared === 'string') return prepared;
  const { connection, provider, cursor } = prepared;
  let checkpoint = prepared.checkpoint;

  if (checkpoint.index >= checkpoint.resources.length) {
    const finished = await asService(db, async (tx) => {
      const run = lease === undefined ? await loadRun(tx, runId) : await loadHeldRun(tx, runId, lease);
      if (run && run.status === 'running') await finishRun(tx, run, connection);
      return run;
    });
    await requestHealthCheck(db, connection.id);
    // Pushes that read this connection's records follow its changes (lib/push).
    if (finished?.status === 'running') await requestPushesAfterSync(db, finished);
    return 'succeeded';
  }

  const resourceId = checkpoint.resources[checkpoint.index];
  const resource = syncResourcesOf(provider).find((r) => r.id === resourceId);
  if (!resource) {
    await failRun(db, runId, `${provider.name} has no resource "${resourceId}" any more.`, lease);
    return 'failed';
  }

  const session = providerSession(db, connection.id);
  const { listing } = checkpoint;
  // Never rejects, so a prefetch nobody awaits (the run was cancelled) cannot go unhandled.
  const fetchPage = (page: unknown): Promise<Fetched> =>
    session((client) => resource.fetchPage(client, { listing, cursor, page, now: new Date() })).then(
      // Hashed on arrival, so the work overlaps the database storing the previous batch.
      (result) => ({ ok: true, page: { ...result, records: withContentHashes(result.records) } }),
      (error: unknown) => ({ ok: false, error }),
    );

  // While one batch commits, the next batch's pages download: the two overlap, and each commit
  // still starts only after the previous one has moved the checkpoint.
  let committing: Promise<Checkpoint | 'cancelled'> | null = null;
  const settle = async (): Promise<boolean> => {
    if (!committing) return true;
    const committed = await committing;
    committing = null;
    if (committed === 'cancelled') return false;
    checkpoint = committed;
    return true;
  };
  let pending: Promise<Fetched> | null = fetchPage(checkpoint.page);
  for (;;) {
    const pages: PageResult[] = [];
    let records = 0;
    let failure: { error: unknown } | null = null;
    const batchStarted = Date.now();
    while (pending) {
      const fetched: Fetched = await pending;
      pending = null;
      if (!fetched.ok) {
        failure = { error: fetched.error };
        break;
      }
      pages.push(fetched.page);
      records += fetched.page.records.length;
      if (endsListing(fetched.page)) break;
      const batchFull = pages.length >= pagesPerCommit || records >= recordsPerCommit || Date.now() - batchStarted >= commitEveryMs;
      if (!batchFull || Date.now() < deadline) pending = fetchPage(fetched.page.next);
      if (batchFull) break;
    }
    if (!(await settle())) return 'cancelled';
    if (pages.length > 0) {
      committing = commitPages(db, runId, connection, checkpoint, pages, lease);
      // Awaited below or on the next turn; until then a failed commit must not count as unhandled.
      committing.catch(() => undefined);
    }
    if (failure || !pending) {
      if (!(await settle())) return 'cancelled';
      return failure ? handleFetchError(db, runId, connection, resourceId, checkpoint, failure.error, lease) : 'more';
    }
  }
}

/** What committing a batch of pages involves, settled from the checkpoint and the pages alone. */
export type PageBatchPlan = {
  resourceId: string;
  /** The batch's records, page after page. */
  records: StorableRecord[];
} & (
  | { endsListing: false; next: Checkpoint }
  | {
      /** The batch holds the listing's last page: the run moves on to the next resource. */
      endsListing: true;
      /** A full listing that completed marks what it did not see deleted. */
      markUnseenDeleted: boolean;
      /** The incremental cursor to store, when the last page gave one. */
      saveCursor: { cursor: unknown } | null;
      /** The resource listed next, if any. */
      nextResource: string | undefined;
    }
);

export function planPageBatch(checkpoint: Checkpoint, pages: PageResult[]): PageBatchPlan {
  const resourceId = checkpoint.resources[checkpoint.index];
  const records = pages.flatMap((page) => page.records);
  const last = pages[pages.length - 1];
  if (!endsListing(last)) {
    return { resourceId, records, endsListing: false, next: { ...checkpoint, page: last.next, pageIndex: checkpoint.pageIndex + pages.length } };
  }
  return {
    resourceId,
    records,
    endsListing: true,
    markUnseenDeleted: checkpoint.listing === 'full',
    saveCursor: last.cursor !== undefined ? { cursor: last.cursor } : null,
    nextResource: checkpoint.resources[checkpoint.index + 1],
  };
}

/** The checkpoint that starts the next resource's listing (past the last one: the run is done). */
export function nextResourceCheckpoint(checkpoint: Checkpoint, listing: Checkpoint['listing']): Checkpoint {
  return { ...checkpoint, index: checkpoint.index + 1, page: null, pageIndex: 0, listing };
}

/**
 * What a committed batch adds to the run: its counters, its timeline step, and the run's records
 * written before and after it (see refreshRecordStatistics).
 */
export function pageBatchProgress(
  run: Pick<SyncRun, 'recordsCreated' | 'recordsUpdated' | 'recordsDeleted'>,
  checkpoint: Checkpoint,
  pages: number,
  fetched: number,
  counts: PageCounts,
  deleted: number,
) {
  const before = run.recordsCreated + run.recordsUpdated + run.recordsDeleted;
  return {
    added: {
      pagesDone: pages,
      recordsFetched: fetched,
      recordsCreated: counts.created,
      recordsUpdated: counts.updated,
      recordsUnchanged: counts.unchanged,
      recordsDeleted: deleted,
      recordsFailed: counts.failed,
    },
    step: {
      kind: 'page',
      resource: checkpoint.resources[checkpoint.index],
      listing: checkpoint.listing,
      page: checkpoint.pageIndex + 1,
      ...(pages > 1 ? { lastPage: checkpoint.pageIndex + pages } : {}),
      fetched,
      ...counts,
      deleted,
    },
    written: { before, after: before + counts.created + counts.updated + deleted },
  };
}

/** Stores a batch of pages, adds to the run's counters and moves the checkpoint, in one transaction. */
async function commitPages(
  db: Db,
  runId: string,
  connection: Connection,
  checkpoint: Checkpoint,
  pages: PageResult[],
  lease: number | undefined,
): Promise<Checkpoint | 'cancelled'> {
  const resourceId = checkpoint.resources[checkpoint.index];
  const target = { workspaceId: connection.workspaceId, connectionId: connection.id, resource: resourceId, runId };
  let written: { before: number; after: number } | null = null;
  const committed = await asService(db, async (tx) => {
    // Locked, so a takeover (claimRun) waits for this batch or this batch sees the takeover.
    const run = await loadHeldRun(tx, runId, lease);
    // Cancelled (or, with a lease, taken over by another process) while the pages were in
    // flight: drop them, keep what was committed before.
    if (!run || run.status !== 'running') return 'cancelled' as const;
    const plan = planPageBatch(checkpoint, pages);
    const mapping = await activeMapping(tx, target);
    const counts = await storePage(tx, { ...target, mode: checkpoint.listing, mapping }, plan.records);
    let deleted = counts.deleted;
    let next: Checkpoint;
    if (!plan.endsListing) {
      next = plan.next;
    } else {
      if (plan.markUnseenDeleted) deleted += await markUnseenDeleted(tx, target);
      if (plan.saveCursor) {
        const { cursor } = plan.saveCursor;
        // The cursor moves in the same transaction as the listing's last records, never before.
        await tx
          .insert(syncCursors)
          .values({ connectionId: connection.id, resource: resourceId, workspaceId: connection.workspaceId, cursor, lastRunId: runId })
          .onConflictDoUpdate({ target: [syncCursors.connectionId, syncCursors.resource], set: { cursor, lastRunId: runId } });
      }
      next = nextResourceCheckpoint(checkpoint, plan.nextResource ? await listingFor(tx, run, plan.nextResource) : 'full');
    }
    const progress = pageBatchProgress(run, checkpoint, pages.length, plan.records.length, counts, deleted);
    const { added } = progress;
    await tx
      .update(syncRuns)
      .set({
        pagesDone: sql`${syncRuns.pagesDone} + ${added.pagesDone}`,
        recordsFetched: sql`${syncRuns.recordsFetched} + ${added.recordsFetched}`,
        recordsCreated: sql`${syncRuns.recordsCreated} + ${added.recordsCreated}`,
        recordsUpdated: sql`${syncRuns.recordsUpdated} + ${added.recordsUpdated}`,
        recordsUnchanged: sql`${syncRuns.recordsUnchanged} + ${added.recordsUnchanged}`,
        recordsDeleted: sql`${syncRuns.recordsDeleted} + ${added.recordsDeleted}`,
        recordsFailed: sql`${syncRuns.recordsFailed} + ${added.recordsFailed}`,
        checkpoint: next,
        heartbeatAt: sql`now()`,
        steps: appendStep(run.steps, progress.step),
      })
      .where(eq(syncRuns.id, runId));
    written = progress.written;
    return next;
  });
  if (written) await refreshRecordStatistics(db, written);
  return committed;
}

async function handleFetchError(
  db: Db,
  runId: string,
  connection: Connection,
  resourceId: string,
  checkpoint: Checkpoint,
  error: unknown,
  lease: number | undefined,
): Promise<StepOutcome> {
  if (error instanceof CursorExpiredError) {
    await asService(db, async (tx) => {
      const run = await loadHeldRun(tx, runId, lease);
      if (!run) return;
      await tx.delete(syncCursors).where(and(eq(syncCursors.connectionId, connection.id), eq(syncCursors.resource, resourceId)));
      await tx
        .update(syncRuns)
        .set({
          checkpoint: { ...checkpoint, listing: 'full', page: null, pageIndex: 0 },
          steps: appendStep(run.steps, { kind: 'cursor_expired', resource: resourceId, detail: error.message }),
        })
        .where(eq(syncRuns.id, runId));
    });
    return 'more';
  }
  if (error instanceof TemporaryProviderError || (error instanceof ProviderHttpError && error.temporary)) {
    throw new RetryableSyncError(describeFailure(error), error.retryAfterSeconds);
  }
  const reason = error instanceof ReauthorizationRequiredError ? `Reconnect needed: ${error.reason}` : describeFailure(error);
  if (!(error instanceof ReauthorizationRequiredError || error instanceof ProviderHttpError)) {
    console.error(`sync run ${runId} failed on ${resourceId}:`, error instanceof Error ? error.stack : error);
  }
  await failRun(db, runId, `${resourceId}: ${reason}`, lease);
  return 'failed';
}
