// The in-process job runner used when no Inngest is configured (the embedded default): the same
// domain functions, one run at a time per connection, every batch of pages checkpointed in the
// database, so a server killed mid-run resumes from the last committed batch when it starts again.
import type { Db } from '../db/engine';
import { RetryableSyncError, syncPages, type PageBatching, type StepOutcome } from './engine';
import { failRun, interruptedRuns } from './runs';

export interface RunnerOptions {
  /** Attempts per page before the run fails (429/5xx/network). */
  maxAttempts?: number;
  /** First backoff when the provider gives no Retry-After; doubles per attempt. */
  baseDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Pages per transaction and how long one call keeps going (see PageBatching). */
  batching?: PageBatching;
}

/**
 * Ten pages, 1,000 records or one second per transaction, whichever comes first: per-commit costs
 * (the run row, the checkpoint, the transaction) spread over more records, a crash re-fetches at
 * most ten pages, and progress still moves every second when the provider is slow. Each call
 * returns within about two seconds so stop() and cancellation are noticed promptly.
 */
export const RUNNER_BATCHING: Required<PageBatching> = { pagesPerCommit: 10, recordsPerCommit: 1_000, commitEveryMs: 1_000, budgetMs: 2_000 };

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class SyncRunner {
  private readonly busy = new Map<string, Promise<void>>();
  private readonly waiting = new Map<string, string[]>();
  private stopped = false;
  private readonly options: Required<RunnerOptions>;

  constructor(
    private readonly db: Db,
    options: RunnerOptions = {},
  ) {
    this.options = { maxAttempts: 6, baseDelayMs: 1_000, sleep: defaultSleep, batching: RUNNER_BATCHING, ...options };
  }

  /** Queues a run; it starts as soon as its connection has no other run in progress. */
  enqueue(runId: string, connectionId: string): Promise<void> {
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
        await this.runToEnd(runId);
      }
    })().finally(() => {
      this.busy.delete(connectionId);
      if (!this.stopped && (this.waiting.get(connectionId)?.length ?? 0) > 0) void this.drain(connectionId);
    });
    this.busy.set(connectionId, work);
    return work;
  }

  /** Loops pages until the run ends; returns its final outcome. */
  async runToEnd(runId: string): Promise<StepOutcome> {
    let attempt = 0;
    for (;;) {
      if (this.stopped) return 'more';
      try {
        const outcome = await syncPages(this.db, runId, this.options.batching);
        attempt = 0;
        if (outcome !== 'more') return outcome;
      } catch (error) {
        attempt += 1;
        const retryable = error instanceof RetryableSyncError;
        if (!retryable || attempt >= this.options.maxAttempts) {
          const reason = retryable ? `${error.message} (gave up after ${attempt} attempts)` : (error as Error).message;
          if (!retryable) console.error(`sync run ${runId}:`, error);
          await failRun(this.db, runId, reason);
          return 'failed';
        }
        const delay = error.retryAfterSeconds !== undefined ? error.retryAfterSeconds * 1000 : this.options.baseDelayMs * 2 ** (attempt - 1);
        await this.options.sleep(delay);
      }
    }
  }

  /** Picks up runs left queued or running by a previous process (after a crash or restart). */
  async resumeInterrupted(staleAfterMs = 0): Promise<number> {
    const runs = await interruptedRuns(this.db, 'pull', staleAfterMs);
    for (const run of runs) void this.enqueue(run.id, run.connectionId);
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
