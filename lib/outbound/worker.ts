// The in-process sender used when no Inngest is configured (the embedded default). A nudge starts
// a drain shortly (GATHER_MS, so a burst is claimed in large batches); nudges during a drain ask for
// one more pass. After a drain it sets an alarm for the earliest retry; a sweep every
// SWEEP_EVERY_MS catches anything else (a nudge lost before a commit, a crash mid-batch).
import type { Db } from '../db/engine';
import { DrainLoop, workerSlot } from '../jobs/drain-loop';
import { deliverDue, nextDueAt, type DeliverOptions } from './deliveries';

export const SWEEP_EVERY_MS = 5_000;
const GATHER_MS = 20;
/** Batches sent concurrently by one drain. */
const LANES = 4;
/** Deliveries written in a transaction become visible when it commits: look again after these. */
const AFTER_COMMIT_MS = [100, 1_000];

export class OutboundWorker extends DrainLoop {
  constructor(
    private readonly db: Db,
    private readonly options: DeliverOptions = {},
  ) {
    super(GATHER_MS, 'outbound delivery');
  }

  /** A nudge from inside a transaction: now (it may have committed already) and shortly after. */
  kickAfterCommit(): void {
    this.kick();
    for (const ms of AFTER_COMMIT_MS) setTimeout(() => this.kick(), ms).unref();
  }

  protected async drainOnce(): Promise<Date | null> {
    // Several batches in flight at once: while one waits on its receivers, another is claimed or
    // recorded (claims skip rows another batch holds), so a slow receiver does not stall the rest.
    const lane = async () => {
      for (;;) {
        const report = await deliverDue(this.db, this.options);
        if (report.claimed === 0 || this.stopped) break;
      }
    };
    await Promise.all(Array.from({ length: LANES }, lane));
    return nextDueAt(this.db);
  }
}

const slotFor = (db: Db) => workerSlot('integration-hub.outbound-worker', db, (db) => new OutboundWorker(db));

/** One worker per process and database (it survives Next's hot reloads). */
export function outboundWorker(db: Db): OutboundWorker {
  return slotFor(db).worker;
}

/** Embedded mode: send what a previous process left, then sweep on a timer. */
export function startOutboundSweeper(db: Db): void {
  const slot = slotFor(db);
  if (slot.timers) return;
  const worker = slot.worker;
  slot.timers = [setInterval(() => worker.kick(), SWEEP_EVERY_MS)];
  for (const timer of slot.timers) timer.unref();
  worker.kick();
}
