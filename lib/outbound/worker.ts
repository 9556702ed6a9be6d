// The in-process sender used when no Inngest is configured (the embedded default). A nudge starts
// a drain shortly (GATHER_MS, so a burst is claimed in large batches); nudges during a drain ask for
// one more pass. After a drain it sets an alarm for the earliest retry; a sweep every
// SWEEP_EVERY_MS catches anything else (a nudge lost before a commit, a crash mid-batch).
import type { Db } from '../db/engine';
import { deliverDue, nextDueAt, type DeliverOptions } from './deliveries';

export const SWEEP_EVERY_MS = 5_000;
const GATHER_MS = 20;
/** Batches sent concurrently by one drain. */
const LANES = 4;
const RETRY_AFTER_ERROR_MS = 5_000;
/** Deliveries written in a transaction become visible when it commits: look again after these. */
const AFTER_COMMIT_MS = [100, 1_000];

export class OutboundWorker {
  private draining: Promise<void> | null = null;
  private again = false;
  private wake: { timer: NodeJS.Timeout; at: number } | null = null;
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly options: DeliverOptions = {},
  ) {}

  kick(): void {
    if (this.stopped) return;
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = sleep(GATHER_MS)
      .then(() => this.drain())
      .finally(() => {
        this.draining = null;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** A nudge from inside a transaction: now (it may have committed already) and shortly after. */
  kickAfterCommit(): void {
    this.kick();
    for (const ms of AFTER_COMMIT_MS) setTimeout(() => this.kick(), ms).unref();
  }

  private async drain(): Promise<void> {
    try {
      // Several batches in flight at once: while one waits on its receivers, another is claimed or
      // recorded (claims skip rows another batch holds), so a slow receiver does not stall the rest.
      const lane = async () => {
        for (;;) {
          const report = await deliverDue(this.db, this.options);
          if (report.claimed === 0 || this.stopped) break;
        }
      };
      await Promise.all(Array.from({ length: LANES }, lane));
      const due = await nextDueAt(this.db);
      if (due) this.wakeAt(due.getTime());
    } catch (error) {
      console.error('outbound delivery failed:', (error as Error).message);
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
      Math.min(Math.max(at - Date.now(), 10), 2 ** 31 - 1),
    );
    timer.unref();
    this.wake = { timer, at };
  }

  /** Resolves once no drain is running (tests, the benchmark). */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.wake) clearTimeout(this.wake.timer);
    await this.idle();
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const workerKey = Symbol.for('integration-hub.outbound-worker');
type Holder = { [workerKey]?: { db: Db; worker: OutboundWorker; sweeper?: NodeJS.Timeout } };

/** One worker per process and database (it survives Next's hot reloads). */
export function outboundWorker(db: Db): OutboundWorker {
  const holder = globalThis as Holder;
  if (holder[workerKey]?.db !== db) holder[workerKey] = { db, worker: new OutboundWorker(db) };
  return holder[workerKey].worker;
}

/** Embedded mode: send what a previous process left, then sweep on a timer. */
export function startOutboundSweeper(db: Db): void {
  const worker = outboundWorker(db);
  const holder = (globalThis as Holder)[workerKey]!;
  if (holder.sweeper) return;
  holder.sweeper = setInterval(() => worker.kick(), SWEEP_EVERY_MS);
  holder.sweeper.unref();
  worker.kick();
}
