// The in-process push runner (no Inngest configured): one push run at a time per destination
// connection, batch after batch, each committed with its checkpoint, so a server killed mid-push
// resumes from the last committed batch when it starts again. The same domain function
// (pushNextBatch) runs one batch per Inngest step otherwise.
import type { Db } from '../db/engine';
import { interruptedRuns } from '../sync/runs';
import { RetryablePushError } from './decide';
import { failPushRun, pushNextBatch, type PushEngineOptions, type PushRunState, type PushStepOutcome } from './engine';

export interface PushRunnerOptions extends Omit<PushEngineOptions, 'state'> {
  /** Attempts of a batch before the run fails (429s, 5xx and network failures that outlast the engine's own retries). */
  maxAttempts?: number;
  baseDelayMs?: number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class PushRunner {
  private readonly busy = new Map<string, Promise<void>>();
  private readonly waiting = new Map<string, string[]>();
  private stopped = false;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly db: Db,
    private readonly options: PushRunnerOptions = {},
  ) {
    this.sleep = options.sleep ?? defaultSleep;
  }

  /** Queues a run; it starts once its destination connection has no other push in progress here. */
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

  /** Runs batches until the run ends; returns its outcome. */
  async runToEnd(runId: string): Promise<PushStepOutcome> {
    const maxAttempts = this.options.maxAttempts ?? 6;
    const baseDelayMs = this.options.baseDelayMs ?? 1_000;
    const state: PushRunState = {};
    let attempt = 0;
    for (;;) {
      if (this.stopped) return 'more';
      try {
        const outcome = await pushNextBatch(this.db, runId, { ...this.options, sleep: this.sleep, state });
        attempt = 0;
        if (outcome !== 'more') return outcome;
      } catch (error) {
        attempt += 1;
        const retryable = error instanceof RetryablePushError;
        if (!retryable || attempt >= maxAttempts) {
          if (!retryable) console.error(`push run ${runId}:`, error);
          await failPushRun(this.db, runId, retryable ? `${error.message} (gave up after ${attempt} attempts)` : (error as Error).message);
          return 'failed';
        }
        await this.sleep(error.retryAfterSeconds !== undefined ? error.retryAfterSeconds * 1000 : baseDelayMs * 2 ** (attempt - 1));
      }
    }
  }

  /** Picks up push runs left queued or running by a previous process. */
  async resumeInterrupted(staleAfterMs = 0): Promise<number> {
    const runs = await interruptedRuns(this.db, 'push', staleAfterMs);
    for (const run of runs) void this.enqueue(run.id, run.connectionId);
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
