// The drain loop shared by the in-process workers (outbound deliveries, webhook processing): a
// nudge starts a pass after a short gather (so a burst is claimed in a few large batches); nudges
// during a pass ask for one more; after a pass an alarm is set for the earliest thing due later;
// a failed pass looks again after a pause. What a pass does is the subclass's policy.
import type { Db } from '../db/engine';

const RETRY_AFTER_ERROR_MS = 5_000;
/** setTimeout fires at once for delays past a signed 32-bit count of milliseconds. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export abstract class DrainLoop {
  private draining: Promise<void> | null = null;
  private again = false;
  private wake: { timer: NodeJS.Timeout; at: number } | null = null;
  protected stopped = false;

  /**
   * @param gatherMs how long after the first nudge a pass starts
   * @param label what a failed pass was doing, for the log line
   */
  protected constructor(
    private readonly gatherMs: number,
    private readonly label: string,
  ) {}

  /** One pass: work until nothing is claimable (or stopped); returns when something is due next. */
  protected abstract drainOnce(): Promise<Date | null>;

  kick(): void {
    if (this.stopped) return;
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = sleep(this.gatherMs)
      .then(() => this.drain())
      .finally(() => {
        this.draining = null;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  private async drain(): Promise<void> {
    try {
      const due = await this.drainOnce();
      if (due) this.wakeAt(due.getTime());
    } catch (error) {
      console.error(`${this.label} failed:`, (error as Error).message);
      this.wakeAt(Date.now() + RETRY_AFTER_ERROR_MS);
    }
  }

  private wakeAt(at: number): void {
    if (this.stopped || (this.wake && this.wake.at <= at)) return;
    if (this.wake) clearTimeout(this.wake.timer);
    const timer = setTimeout(
      () => {
        this.wake = null;
        this.kick();
      },
      Math.min(Math.max(at - Date.now(), 10), MAX_TIMER_MS),
    );
    timer.unref();
    this.wake = { timer, at };
  }

  /** Resolves once no pass is running (tests, benchmarks). */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.wake) clearTimeout(this.wake.timer);
    await this.idle();
  }
}

/** A worker's slot in the process: its database, the worker, and the timers its starter set. */
export interface WorkerSlot<W> {
  db: Db;
  worker: W;
  timers?: NodeJS.Timeout[];
}

/**
 * One worker per process and database, kept on globalThis under `key` so it survives Next's hot
 * reloads; a different database replaces it.
 */
export function workerSlot<W>(key: string, db: Db, create: (db: Db) => W): WorkerSlot<W> {
  const holder = globalThis as { [slot: symbol]: WorkerSlot<W> | undefined };
  const symbol = Symbol.for(key);
  const slot = holder[symbol];
  if (slot?.db === db) return slot;
  return (holder[symbol] = { db, worker: create(db) });
}
