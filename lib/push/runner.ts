// The in-process push runner (no Inngest configured): one push run at a time per destination
// connection, batch after batch, each committed with its checkpoint, so a server killed mid-push
// resumes from the last committed batch when it starts again or, with several app instances on
// one database, as soon as another instance sees the run silent. A run is claimed before it
// starts (claimRun, as pull runs are) and heartbeats while held, so two instances never send one
// run's batches. The same domain function (pushNextBatch) runs one batch per Inngest step otherwise.
import { eq } from 'drizzle-orm';
import type { Db } from '../db/engine';
import { asService } from '../db/rls';
import { syncRuns } from '../db/schema';
import { claimRun, heartbeatRun, interruptedRuns, takeOverAfterMs } from '../sync/runs';
import { RetryablePushError } from './decide';
import { DestinationBusyError, failPushRun, pushNextBatch, type PushEngineOptions, type PushRunState, type PushStepOutcome } from './engine';

export interface PushRunnerOptions extends Omit<PushEngineOptions, 'state'> {
  /** Attempts of a batch before the run fails (429s, 5xx and network failures that outlast the engine's own retries). */
  maxAttempts?: number;
  baseDelayMs?: number;
  /** How long a held run may go without a heartbeat before another process may take it (takeOverAfterMs()); it beats three times as often. */
  staleAfterMs?: number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class PushRunner {
  private readonly busy = new Map<string, Promise<void>>();
  private readonly waiting = new Map<string, string[]>();
  /** A run's own take-over threshold, when enqueue() was given one (resumeInterrupted passes its own). */
  private readonly takeOverAfter = new Map<string, number>();
  private stopped = false;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly staleAfterMs: number;

  constructor(
    private readonly db: Db,
    private readonly options: PushRunnerOptions = {},
  ) {
    this.sleep = options.sleep ?? defaultSleep;
    this.staleAfterMs = options.staleAfterMs ?? takeOverAfterMs();
  }

  /**
   * Queues a run; it starts once its destination connection has no other push in progress here,
   * if this process can claim it then (another instance may hold it). `takeOverMs` (default: the
   * runner's staleAfterMs) is how old the holder's last heartbeat must be for this process to take over.
   */
  enqueue(runId: string, connectionId: string, takeOverMs?: number): Promise<void> {
    if (takeOverMs !== undefined) this.takeOverAfter.set(runId, takeOverMs);
    const queue = this.waiting.get(connectionId) ?? [];
    if (!queue.includes(runId)) queue.push(runId);
    this.waiting.set(connectionId, queue);
    return this.drain(connectionId);
  }

  private drain(connectionId: string): Promise<void> {
    const current = this.busy.get(connectionId);
    if (current) return current;
    const work = (async () => {
      for (let runId = this.waiting.get(connectionId)?.shift(); runId && !this.stopped; runId = this.waiting.get(connectionId)?.shift()) {
        const takeOverMs = this.takeOverAfter.get(runId) ?? this.staleAfterMs;
        this.takeOverAfter.delete(runId);
        await this.runToEnd(runId, takeOverMs);
      }
    })().finally(() => {
      this.busy.delete(connectionId);
      if (!this.stopped && (this.waiting.get(connectionId)?.length ?? 0) > 0) void this.drain(connectionId);
    });
    this.busy.set(connectionId, work);
    return work;
  }

  /**
   * Claims the run and sends batches until it ends; returns its outcome. A run this process cannot
   * claim (another instance holds it) answers 'more' while it is still going, or how it ended.
   * Called directly (tests) it takes the run over whoever held it last; the queue passes the stale
   * threshold, so a live instance's run is left alone.
   */
  async runToEnd(runId: string, takeOverMs = 0): Promise<PushStepOutcome> {
    const lease = await claimRun(this.db, runId, takeOverMs);
    if (lease === null) return this.outcomeOf(runId);
    const held = { lost: false };
    // Beats three times per threshold while a batch, the pacing or a Retry-After keeps the run
    // quiet; a beat that finds the run taken over stops this runner before its next batch.
    const beat = setInterval(() => {
      void heartbeatRun(this.db, runId, lease)
        .then((holds) => {
          if (!holds) held.lost = true;
        })
        .catch((error: unknown) => console.error(`push run ${runId} heartbeat failed:`, (error as Error).message));
    }, Math.max(this.staleAfterMs / 3, 250));
    beat.unref();
    try {
      return await this.runHeld(runId, lease, held);
    } finally {
      clearInterval(beat);
    }
  }

  private async runHeld(runId: string, lease: number, held: { lost: boolean }): Promise<PushStepOutcome> {
    const maxAttempts = this.options.maxAttempts ?? 6;
    const baseDelayMs = this.options.baseDelayMs ?? 1_000;
    const state: PushRunState = {};
    let attempt = 0;
    for (;;) {
      if (this.stopped) return 'more';
      // Every write checks the lease anyway; this only spares the next batch's reads and requests.
      if (held.lost) return this.outcomeOf(runId);
      try {
        const outcome = await pushNextBatch(this.db, runId, { ...this.options, sleep: this.sleep, state, lease });
        attempt = 0;
        // 'cancelled' is also what a batch of a run taken over answers: say how the run really stands.
        if (outcome === 'cancelled') return this.outcomeOf(runId);
        if (outcome !== 'more') return outcome;
      } catch (error) {
        // The connection busy with another push: this run waits its turn (still claimed, heartbeating).
        if (error instanceof DestinationBusyError) {
          await this.sleep((error.retryAfterSeconds ?? 5) * 1000);
          continue;
        }
        attempt += 1;
        const retryable = error instanceof RetryablePushError;
        if (!retryable || attempt >= maxAttempts) {
          if (!retryable) console.error(`push run ${runId}:`, error);
          await failPushRun(this.db, runId, retryable ? `${error.message} (gave up after ${attempt} attempts)` : (error as Error).message, lease);
          return 'failed';
        }
        await this.sleep(error.retryAfterSeconds !== undefined ? error.retryAfterSeconds * 1000 : baseDelayMs * 2 ** (attempt - 1));
      }
    }
  }

  private async outcomeOf(runId: string): Promise<PushStepOutcome> {
    const [run] = await asService(this.db, (tx) => tx.select({ status: syncRuns.status }).from(syncRuns).where(eq(syncRuns.id, runId)));
    if (!run || run.status === 'cancelled') return 'cancelled';
    if (run.status === 'failed') return 'failed';
    return run.status === 'succeeded' || run.status === 'partial' ? 'succeeded' : 'more';
  }

  /**
   * Picks up push runs left queued, or running without a heartbeat, for `staleAfterMs` (0:
   * everything, as after a crash of the only process). lib/jobs/embedded.ts asks at start-up and on
   * every scheduler tick with takeOverAfterMs(), so a run of an instance that died moves to a live
   * one and a run a live instance is sending is left alone.
   */
  async resumeInterrupted(staleAfterMs = 0): Promise<number> {
    const runs = await interruptedRuns(this.db, 'push', staleAfterMs);
    for (const run of runs) void this.enqueue(run.id, run.connectionId, staleAfterMs);
    return runs.length;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.allSettled([...this.busy.values()]);
  }

  async idle(): Promise<void> {
    while (this.busy.size > 0) await Promise.allSettled([...this.busy.values()]);
  }
}
