// One page at a time: fetch a page from the provider, then, in one transaction, store its
// records, add to the run's counters and move the checkpoint (and, after a listing's last page,
// the incremental cursor). A crash or provider failure between pages loses nothing: the next
// attempt starts from the last committed checkpoint. Inngest runs each call as one step; the
// in-process runner loops over it.
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Tx } from '../db/engine';
import { asService } from '../db/rls';
import { connections, syncCursors, syncRuns, type Connection } from '../db/schema';
import { withProviderClient } from '../connections/provider-access';
import { describeFailure } from '../connections/failures';
import { CursorExpiredError, ProviderHttpError, ReauthorizationRequiredError, TemporaryProviderError } from '../providers/errors';
import { findProvider } from '../providers/registry';
import type { PageResult, ProviderDefinition, SyncResource } from '../providers/types';
import { markUnseenDeleted, storePage } from './records';
import { appendStep, cancelRunById, failRun, finishRun, loadRun, type SyncRun } from './runs';

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

/** Loads the run and settles what it should do next, or says why there is nothing to do. */
async function prepare(db: Db, runId: string): Promise<Loaded | StepOutcome> {
  return asService(db, async (tx) => {
    const run = await loadRun(tx, runId);
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

export async function syncNextPage(db: Db, runId: string): Promise<StepOutcome> {
  const prepared = await prepare(db, runId);
  if (typeof prepared === 'string') return prepared;
  const { connection, provider, checkpoint, cursor } = prepared;

  if (checkpoint.index >= checkpoint.resources.length) {
    await asService(db, async (tx) => {
      const run = await loadRun(tx, runId);
      if (run && run.status === 'running') await finishRun(tx, run, connection);
    });
    return 'succeeded';
  }

  const resourceId = checkpoint.resources[checkpoint.index];
  const resource = syncResourcesOf(provider).find((r) => r.id === resourceId);
  if (!resource) {
    await failRun(db, runId, `${provider.name} has no resource "${resourceId}" any more.`);
    return 'failed';
  }

  let page: PageResult;
  try {
    page = await withProviderClient(db, connection.id, (client) =>
      resource.fetchPage(client, { listing: checkpoint.listing, cursor, page: checkpoint.page, now: new Date() }),
    );
  } catch (error) {
    return handleFetchError(db, runId, connection, resourceId, checkpoint, error);
  }

  return asService(db, async (tx) => {
    const run = await loadRun(tx, runId);
    // Cancelled while the page was in flight: drop the page, keep what was committed before.
    if (!run || run.status !== 'running') return 'cancelled';
    const counts = await storePage(tx, { workspaceId: connection.workspaceId, connectionId: connection.id, resource: resourceId, runId, mode: checkpoint.listing }, page.records);
    let deleted = counts.deleted;
    let next: Checkpoint;
    if (page.next !== null && page.next !== undefined) {
      next = { ...checkpoint, page: page.next, pageIndex: checkpoint.pageIndex + 1 };
    } else {
      if (checkpoint.listing === 'full') {
        deleted += await markUnseenDeleted(tx, { workspaceId: connection.workspaceId, connectionId: connection.id, resource: resourceId, runId });
      }
      if (page.cursor !== undefined) {
        // The cursor moves in the same transaction as the listing's last records, never before.
        await tx
          .insert(syncCursors)
          .values({ connectionId: connection.id, resource: resourceId, workspaceId: connection.workspaceId, cursor: page.cursor, lastRunId: runId })
          .onConflictDoUpdate({ target: [syncCursors.connectionId, syncCursors.resource], set: { cursor: page.cursor, lastRunId: runId } });
      }
      const index = checkpoint.index + 1;
      const nextResource = checkpoint.resources[index];
      next = { ...checkpoint, index, page: null, pageIndex: 0, listing: nextResource ? await listingFor(tx, run, nextResource) : 'full' };
    }
    await tx
      .update(syncRuns)
      .set({
        pagesDone: sql`${syncRuns.pagesDone} + 1`,
        recordsFetched: sql`${syncRuns.recordsFetched} + ${page.records.length}`,
        recordsCreated: sql`${syncRuns.recordsCreated} + ${counts.created}`,
        recordsUpdated: sql`${syncRuns.recordsUpdated} + ${counts.updated}`,
        recordsUnchanged: sql`${syncRuns.recordsUnchanged} + ${counts.unchanged}`,
        recordsDeleted: sql`${syncRuns.recordsDeleted} + ${deleted}`,
        checkpoint: next,
        heartbeatAt: sql`now()`,
        steps: appendStep(run.steps, {
          kind: 'page',
          resource: resourceId,
          listing: checkpoint.listing,
          page: checkpoint.pageIndex + 1,
          fetched: page.records.length,
          ...counts,
          deleted,
        }),
      })
      .where(eq(syncRuns.id, runId));
    return 'more' as const;
  });
}

async function handleFetchError(
  db: Db,
  runId: string,
  connection: Connection,
  resourceId: string,
  checkpoint: Checkpoint,
  error: unknown,
): Promise<StepOutcome> {
  if (error instanceof CursorExpiredError) {
    await asService(db, async (tx) => {
      await tx.delete(syncCursors).where(and(eq(syncCursors.connectionId, connection.id), eq(syncCursors.resource, resourceId)));
      const run = await loadRun(tx, runId);
      if (!run) return;
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
  await failRun(db, runId, `${resourceId}: ${reason}`);
  return 'failed';
}
