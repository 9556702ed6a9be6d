// The life of a sync run: requested (deduplicated per connection), running page by page,
// then succeeded, failed (with the connection's failure count), or cancelled.
import crypto from 'node:crypto';
import { and, eq, inArray, lt, or, sql } from 'drizzle-orm';
import { recordActivity } from '../activity/activity';
import type { Db, Tx } from '../db/engine';
import { asService } from '../db/rls';
import { connections, profiles, syncRuns, SYNC_TRIGGERS, type Connection } from '../db/schema';
import { nextSyncAt, type Schedule } from './schedule';
import { requestHealthCheck } from '../jobs/health';
import { emitSyncCompleted, emitSyncFailed } from '../events/emitters';

export type SyncTrigger = (typeof SYNC_TRIGGERS)[number];
export type SyncRun = typeof syncRuns.$inferSelect;

/** Three failed runs in a row put the connection in `error`. */
export const FAILURES_BEFORE_ERROR = 3;
/** The timeline keeps the latest steps only; counters hold the totals. */
const MAX_STEPS = 100;

export interface SyncRequest {
  workspaceId: string;
  connectionId: string;
  trigger: SyncTrigger;
  mode: 'full' | 'incremental';
  requestedBy?: string | null;
  resource?: string | null;
}

/** Creates a queued run, unless one is already queued or running for the connection. */
export async function requestSync(db: Db, request: SyncRequest): Promise<{ runId: string; created: boolean }> {
  return asService(db, async (tx) => {
    // Lock the connection row so two requests at once cannot both create a run.
    const [connection] = await tx
      .select({ status: connections.status })
      .from(connections)
      .where(and(eq(connections.id, request.connectionId), eq(connections.workspaceId, request.workspaceId)))
      .for('update');
    if (!connection) throw new Error(`Connection ${request.connectionId} is not in workspace ${request.workspaceId}`);
    const [active] = await tx
      .select({ id: syncRuns.id })
      .from(syncRuns)
      // Push runs on the same connection (lib/push) are the push runner's, and do not block a pull.
      .where(and(eq(syncRuns.connectionId, request.connectionId), eq(syncRuns.direction, 'pull'), inArray(syncRuns.status, ['queued', 'running'])))
      .limit(1);
    if (active) return { runId: active.id, created: false };
    const runId = crypto.randomUUID();
    await tx.insert(syncRuns).values({
      id: runId,
      workspaceId: request.workspaceId,
      connectionId: request.connectionId,
      trigger: request.trigger,
      mode: request.mode,
      requestedBy: request.requestedBy ?? null,
      resource: request.resource ?? null,
    });
    return { runId, created: true };
  });
}

/**
 * Runs of one direction a previous process left queued, or running without a heartbeat for
 * `staleAfterMs` (after a crash or restart), oldest first: each runner resumes its own.
 */
export async function interruptedRuns(db: Db, direction: 'pull' | 'push', staleAfterMs: number): Promise<{ id: string; connectionId: string }[]> {
  return asService(db, (tx) =>
    tx
      .select({ id: syncRuns.id, connectionId: syncRuns.connectionId })
      .from(syncRuns)
      .where(
        and(
          eq(syncRuns.direction, direction),
          or(
            eq(syncRuns.status, 'queued'),
            and(eq(syncRuns.status, 'running'), lt(syncRuns.heartbeatAt, sql`now() - make_interval(secs => ${staleAfterMs / 1000})`)),
          ),
        ),
      )
      .orderBy(syncRuns.createdAt),
  );
}

export async function loadRun(tx: Tx, runId: string): Promise<SyncRun | undefined> {
  const [run] = await tx.select().from(syncRuns).where(eq(syncRuns.id, runId));
  return run;
}

export function appendStep(steps: unknown[], step: Record<string, unknown>): unknown[] {
  return [...steps, { at: new Date().toISOString(), ...step }].slice(-MAX_STEPS);
}

export async function finishRun(tx: Tx, run: SyncRun, connection: Connection): Promise<void> {
  const status = run.recordsFailed > 0 ? 'partial' : 'succeeded';
  await tx
    .update(syncRuns)
    .set({ status, finishedAt: sql`now()`, checkpoint: null, steps: appendStep(run.steps, { kind: 'finished', status }) })
    .where(eq(syncRuns.id, run.id));
  await tx
    .update(connections)
    .set({
      lastSyncAt: sql`now()`,
      lastSuccessAt: sql`now()`,
      lastError: null,
      consecutiveFailures: 0,
      nextSyncAt: nextSyncAt(connection.schedule as Schedule),
      // A success heals an error status (but never un-pauses or reconnects).
      ...(connection.status === 'error' ? { status: 'active' as const, statusReason: null } : {}),
    })
    .where(eq(connections.id, connection.id));
  if (run.trigger !== 'schedule' && run.trigger !== 'webhook') {
    const [requester] = run.requestedBy
      ? await tx.select({ email: profiles.email }).from(profiles).where(eq(profiles.id, run.requestedBy))
      : [];
    await recordActivity(tx, {
      workspaceId: run.workspaceId,
      actorId: run.requestedBy,
      actorEmail: requester?.email ?? null,
      action: 'sync.succeeded',
      targetType: 'sync_run',
      targetId: run.id,
      details: { provider: connection.provider, created: run.recordsCreated, updated: run.recordsUpdated, deleted: run.recordsDeleted },
    });
  }
  await emitSyncCompleted(tx, run, connection.resources);
}

/** Marks a run failed and counts the failure against its connection. Idempotent. */
export async function failRun(db: Db, runId: string, reason: string): Promise<void> {
  const connectionId = await asService(db, async (tx) => {
    const run = await loadRun(tx, runId);
    if (!run || run.status === 'failed' || run.status === 'succeeded' || run.status === 'cancelled') return;
    await tx
      .update(syncRuns)
      .set({ status: 'failed', error: reason, finishedAt: sql`now()`, steps: appendStep(run.steps, { kind: 'failed', reason }) })
      .where(eq(syncRuns.id, runId));
    const [connection] = await tx
      .update(connections)
      .set({ consecutiveFailures: sql`${connections.consecutiveFailures} + 1`, lastError: reason, lastSyncAt: sql`now()` })
      .where(eq(connections.id, run.connectionId))
      .returning();
    if (connection.consecutiveFailures >= FAILURES_BEFORE_ERROR && connection.status === 'active') {
      await tx
        .update(connections)
        .set({ status: 'error', statusReason: `The last ${connection.consecutiveFailures} syncs failed. Latest: ${reason}` })
        .where(eq(connections.id, connection.id));
    }
    await recordActivity(tx, {
      workspaceId: run.workspaceId,
      action: 'sync.failed',
      targetType: 'sync_run',
      targetId: run.id,
      details: { provider: connection.provider, reason, consecutiveFailures: connection.consecutiveFailures },
    });
    await emitSyncFailed(tx, run, reason);
    return connection.id;
  });
  await requestHealthCheck(db, connectionId);
}

export async function cancelRunById(tx: Tx, runId: string, reason: string): Promise<boolean> {
  const cancelled = await tx
    .update(syncRuns)
    .set({ status: 'cancelled', finishedAt: sql`now()`, error: reason })
    .where(and(eq(syncRuns.id, runId), inArray(syncRuns.status, ['queued', 'running'])))
    .returning({ id: syncRuns.id });
  return cancelled.length > 0;
}
