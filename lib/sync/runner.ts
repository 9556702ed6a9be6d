// The in-process job runner used when no Inngest is configured (the embedded default): the same
// domain functions, one run at a time per connection, every batch of pages checkpointed in the
// database, so a server killed mid-run resumes from the last committed batch when it starts again
// or, with several app instances on one database, as soon as another instance sees the run stale.
// A run is claimed before it starts (claimRun) and heartbeats while held, so two instances never
// work on one run at once.
import { eq } from 'drizzle-orm';
import type { Db } from '../db/engine';
import { asService } from '../db/rls';
import { syncRuns } from '../db/schema';
import { RetryableSyncError, syncPages, type PageBatching, type StepOutcome } from './engine';
import { claimRun, failRun, heartbeatRun, interruptedRuns, takeOverAfterMs } from './runs';

export interface RunnerOptions {
  /** Attempts per page before the run fails (429/5xx/network). */
  maxAttempts?: number;
  /** First backoff when the provider gives no Retry-After; doubles per attempt. */
  baseDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Pages per transaction and how long one call keeps going (see PageBatching). */
  batching?: PageBatching;
  /** How long a held run may go without a heartbeat before another process may take it (takeOverAfterMs()); it beats three times as often. */
  staleAfterMs?: number;
}

/**
 * Ten pages, 1,000 records or one second per transaction, whichever comes first: per-commit costs
 * (the run row, the checkpoint, the transaction) spread over more records, a crash re-fetches at
 * most ten pages, and progress still moves every second when the provider is slow. Each call
 * returns within about two seconds so stop() and cancellation are noticed promptly.
 */
export const RUNNER_BATCHING: Required<Omit<PageBatching, 'lease'>> = { pagesPerCommit: 10, recordsPerCommit: 1_000, commitEveryMs: 1_000, budgetMs: 2_000 };

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class SyncRunner {
  private readonly busy = new Map<string, Promise<void>>();
  private readonly waiting = new Map<string, string[]>();
  /** A run's own take-over threshold, when enqueue() was given one (resumeInterrupted passes its own). */
  private readonly takeOverAfter = new Map<string, number>();
  private stopped = false;
  private readonly options: Required<RunnerOptions>;

  constructor(
    private readonly db: Db,
    options: RunnerOptions = {},
  ) {
    this.options = { maxAttempts: 6, baseDelayMs: 1_000, sleep: defaultSleep, batching: RUNNER_BATCHING, staleAfterMs: takeOverAfterMs(), ...options };
  }

  /**
   * Queues a run; it starts as soon as its connection has no other run in progress, if this
   * process can claim it then (another instance may hold it). `takeOverMs` (default: the runner's
   * staleAfterMs) is how old the holder's last heartbeat must be for this process to take over.
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
        const takeOverMs = this.takeOverAfter.get(runId) ?? this.options.staleAfterMs;
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
   * Claims the run and loops pages until it ends; returns its final outcome. A run this process
   * cannot claim (another instance holds it) answers 'more' when it is still going, or how it ended.
   * Called directly (tests) it takes the run over whoever held it last; the queue passes the
   * stale threshold, so a live instance's run is left alone.
   */
  async runToEnd(runId: string, takeOverMs = 0): Promise<StepOutcome> {
    const lease = await claimRun(this.db, runId, takeOverMs);
    if (lease === null) return this.outcomeOf(runId);
    // Beats three times per threshold while a page or a Retry-After keeps the run quiet.
    const beat = setInterval(() => {
      void heartbeatRun(this.db, runId, lease).catch((error: unknown) => console.error(`sync run ${runId} heartbeat failed:`, (error as Error).message));
    }, Math.max(this.options.staleAfterMs / 3, 250));
    beat.unref();
    try {
      return await this.runHeld(runId, lease);
    } finally {
      clearInterval(beat);
    }
  }

  private async runHeld(runId: string, lease: number): Promise<StepOutcome> {
    const batching = { ...this.options.batching, lease };
    let attempt = 0;
    for (;;) {
      if (this.stopped) return 'more';
      try {
        const outcome = await syncPages(this.db, runId, batching);
        attempt = 0;
        if (outcome !== 'more') return outcome;
      } catch (error) {
        attempt += 1;
        const retryable = error instanceof RetryableSyncError;
        if (!retryable || attempt >= this.options.maxAttempts) {
          const reason = retryable ? `${error.message} (gave up after ${attempt} attempts)` : (error as Error).message;
          if (!retryable) console.error(`sync run ${runId}:`, error);
          await failRun(this.db, runId, reason, lease);
          return 'failed';
        }
        const delay = error.retryAfterSeconds !== undefined ? error.retryAfterSeconds * 1000 : this.options.baseDelayMs * 2 ** (attempt - 1);
        await this.options.sleep(delay);
      }
    }
  }

  private async outcomeOf(runId: string): Promise<StepOutcome> {
    const [run] = await asService(this.db, (tx) => tx.select({ status: syncRuns.status }).from(syncRuns).where(eq(syncRuns.id, runId)));
    if (!run || run.status === 'cancelled') return 'cancelled';
    if (run.status === 'failed') return 'failed';
    return run.status === 'succeeded' || run.status === 'partial' ? 'succeeded' : 'more';
  }

  /**
   * Picks up runs left queued, or running without a heartbeat, for `staleAfterMs` (0: everything,
   * as after a crash of the only process). lib/jobs/embedded.ts asks at start-up and then
   * periodically with takeOverAfterMs(), so a run of an instance that died moves to a live one.
   */
  async resumeInterrupted(staleAfterMs = 0): Promise<number> {
    const runs = await interruptedRuns(this.db, 'pull', staleAfterMs);
    for (const run of runs) void this.enqueue(run.id, run.connectionId, staleAfterMs);
    return runs.length;
  }

  /** Stops taking pages; the run in flight stays `running` and resumes on the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.allSettled([...this.busy.values()]);
  }

  /** Waits until every queued run has ended (tests). */
  async idle(): Promise<void> {
    while (this.busy.size > 0) await Promise.allSettled([...this.busy.values()]);
  }
}
