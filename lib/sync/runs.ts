// The life of a sync run: requested (deduplicated per connection), running page by page,
// then succeeded, failed (with the connection's failure count), or cancelled.
import crypto from 'node:crypto';
import { and, eq, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
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

/** Thirty minutes unless SYNC_STALE_RUN_SECONDS says otherwise (tests of several instances use seconds). */
const DEFAULT_STALE_RUN_SECONDS = 30 * 60;

/**
 * How long a run may go without a heartbeat before the reaper fails it (Inngest, whose steps
 * heartbeat once per page). The in-process runners derive from it how often they heartbeat and
 * when another instance takes a silent run over (below).
 */
export function staleRunMs(env: Record<string, string | undefined> = process.env): number {
  const seconds = Number(env.SYNC_STALE_RUN_SECONDS);
  return (Number.isFinite(seconds) && seconds > 0 ? seconds : DEFAULT_STALE_RUN_SECONDS) * 1000;
}

/**
 * The in-process runner heartbeats a run it holds on a timer, whatever the provider is doing:
 * every 10 s, or a third of the stale threshold when that is shorter. So a run silent for three
 * beats has lost its process, and another instance takes it over then (30 s by default) rather
 * than after the reaper's stale threshold; an instance starting up waits as long before taking
 * over a run, so it never steals one a live instance is working on.
 */
export function heartbeatEveryMs(env: Record<string, string | undefined> = process.env): number {
  return Math.min(staleRunMs(env) / 3, 10_000);
}

export function takeOverAfterMs(env: Record<string, string | undefined> = process.env): number {
  return 3 * heartbeatEveryMs(env);
}

/**
 * Runs of one direction left queued for `staleAfterMs`, or running without a heartbeat for that
 * long (a process crashed, restarted or was killed), oldest first: each runner resumes its own.
 * The in-process runners ask at start-up and then periodically with takeOverAfterMs(), so a queued
 * run another instance is about to start, or a run it is working on, is left alone.
 */
export async function interruptedRuns(db: Db, direction: 'pull' | 'push', staleAfterMs: number): Promise<{ id: string; connectionId: string }[]> {
  const staleBefore = sql`now() - make_interval(secs => ${staleAfterMs / 1000})`;
  return asService(db, (tx) =>
    tx
      .select({ id: syncRuns.id, connectionId: syncRuns.connectionId })
      .from(syncRuns)
      .where(
        and(
          eq(syncRuns.direction, direction),
          or(
            and(eq(syncRuns.status, 'queued'), lte(syncRuns.queuedAt, staleBefore), or(isNull(syncRuns.heartbeatAt), lt(syncRuns.heartbeatAt, staleBefore))),
            and(eq(syncRuns.status, 'running'), lt(syncRuns.heartbeatAt, staleBefore)),
          ),
        ),
      )
      .orderBy(syncRuns.createdAt),
  );
}

/**
 * Takes a run (pull or push) for this process: a queued run nobody holds, or one whose holder stopped
 * heartbeating `staleAfterMs` ago. Several app instances share one database, so the claim is one
 * conditional UPDATE: of two processes claiming at once, one wins. Taking over from a holder bumps
 * `attempt`; the number returned is this process's lease, and every commit checks it (a holder
 * that was only slow, not dead, finds the run taken and stops instead of writing twice).
 */
export async function claimRun(db: Db, runId: string, staleAfterMs: number): Promise<number | null> {
  const [claimed] = await asService(db, (tx) =>
    tx
      .update(syncRuns)
      .set({
        attempt: sql`case when ${syncRuns.heartbeatAt} is null then ${syncRuns.attempt} else ${syncRuns.attempt} + 1 end`,
        heartbeatAt: sql`now()`,
      })
      .where(
        and(
          eq(syncRuns.id, runId),
          inArray(syncRuns.status, ['queued', 'running']),
          or(isNull(syncRuns.heartbeatAt), lt(syncRuns.heartbeatAt, sql`now() - make_interval(secs => ${staleAfterMs / 1000})`)),
        ),
      )
      .returning({ attempt: syncRuns.attempt }),
  );
  return claimed?.attempt ?? null;
}

/** Keeps a held run's heartbeat fresh while its worker waits (a slow page, a Retry-After); false once the lease is lost. */
export async function heartbeatRun(db: Db, runId: string, lease: number): Promise<boolean> {
  const touched = await asService(db, (tx) =>
    tx
      .update(syncRuns)
      .set({ heartbeatAt: sql`now()` })
      .where(and(eq(syncRuns.id, runId), eq(syncRuns.attempt, lease), inArray(syncRuns.status, ['queued', 'running'])))
      .returning({ id: syncRuns.id }),
  );
  return touched.length > 0;
}

export async function loadRun(tx: Tx, runId: string): Promise<SyncRun | undefined> {
  const [run] = await tx.select().from(syncRuns).where(eq(syncRuns.id, runId));
  return run;
}

/**
 * Loads the run locked for this transaction, or nothing when `lease` is given and another process
 * has taken the run over since (see claimRun): the caller then writes nothing.
 */
export async function loadHeldRun(tx: Tx, runId: string, lease: number | undefined): Promise<SyncRun | undefined> {
  const [run] = await tx.select().from(syncRuns).where(eq(syncRuns.id, runId)).for('update');
  return run && (lease === undefined || run.attempt === lease) ? run : undefined;
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

/**
 * Marks a run failed and counts the failure against its connection. Idempotent. With a lease,
 * only while this process still holds the run (a process that lost it fails nothing).
 */
export async function failRun(db: Db, runId: string, reason: string, lease?: number): Promise<void> {
  const connectionId = await asService(db, async (tx) => {
    const run = lease === undefined ? await loadRun(tx, runId) : await loadHeldRun(tx, runId, lease);
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
