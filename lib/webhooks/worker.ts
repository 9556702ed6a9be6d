// The in-process webhook worker used when no Inngest is configured (the embedded default). A
// nudge starts a drain shortly; nudges meanwhile or during a drain only ask for one more pass, so
// a burst is claimed in a few large batches rather than one at a time. After a drain it sets an alarm for
// the earliest event put back to wait; a sweep every 15 s catches anything else (a crash).
import type { Db } from '../db/engine';
import { renewExpiringChannels } from './channels';
import { nextDueAt, processWebhookEvents } from './process';
import { lastIngestAt } from './store';
import { reclaimStaleEvents } from './sweeper';

const SWEEP_EVERY_MS = 15_000;
/**
 * A drain starts this long after the first nudge, so it claims what arrived meanwhile in one
 * batch: on a single-connection database, per-delivery transactions would starve the endpoint.
 */
const GATHER_MS = 50;
const BUSY_WINDOW_MS = 200;
const BUSY_BATCH = 25;
const BUSY_PAUSE_MS = 25;
const RETRY_AFTER_ERROR_MS = 5_000;
const RENEW_EVERY_MS = 10 * 60_000;

export class WebhookWorker {
  private draining: Promise<void> | null = null;
  private again = false;
  private wake: { timer: NodeJS.Timeout; at: number } | null = null;
  private stopped = false;

  constructor(private readonly db: Db) {}

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

  private async drain(): Promise<void> {
    try {
      for (;;) {
        // While deliveries are arriving, acknowledging them comes first: small batches with pauses
        // (a single-connection database does one thing at a time); flat out once they stop.
        const busy = Date.now() - lastIngestAt(this.db) < BUSY_WINDOW_MS;
        const report = await processWebhookEvents(this.db, busy ? { limit: BUSY_BATCH } : {});
        if (report.claimed === 0 || this.stopped) break;
        if (busy) await sleep(BUSY_PAUSE_MS);
      }
      // Events put back (waiting for a pause or for a running sync) are due later: be there then.
      const due = await nextDueAt(this.db);
      if (due) this.wakeAt(due.getTime());
    } catch (error) {
      console.error('webhook processing failed:', (error as Error).message);
      this.wakeAt(Date.now() + RETRY_AFTER_ERROR_MS);
    }
  }

  private wakeAt(at: number): void {
    if (this.stopped || (this.wake && this.wake.at <= at)) return;
    if (this.wake) clearTimeout(this.wake.timer);
    const timer = setTimeout(() => {
      this.wake = null;
      this.kick();
    }, Math.max(at - Date.now(), 10));
    timer.unref();
    this.wake = { timer, at };
  }

  /** Resolves once no drain is running (tests). */
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

const workerKey = Symbol.for('integration-hub.webhook-worker');
type Holder = { [workerKey]?: { db: Db; worker: WebhookWorker; timers?: NodeJS.Timeout[] } };

/** One worker per process and database (it survives Next's hot reloads). */
export function webhookWorker(db: Db): WebhookWorker {
  const holder = globalThis as Holder;
  if (holder[workerKey]?.db !== db) holder[workerKey] = { db, worker: new WebhookWorker(db) };
  return holder[workerKey].worker;
}

/**
 * Embedded mode (lib/jobs/embedded.ts starts it when jobs run in process): process what a previous
 * process left, then sweep and renew on a timer.
 */
export async function startEmbeddedWebhookJobs(db: Db): Promise<void> {
  const worker = webhookWorker(db);
  const holder = (globalThis as Holder)[workerKey]!;
  if (holder.timers) return;
  const sweep = () =>
    void reclaimStaleEvents(db)
      .then(() => worker.kick())
      .catch((error: unknown) => console.error('webhook sweep failed:', (error as Error).message));
  const renew = () => void renewExpiringChannels(db).catch((error: unknown) => console.error('push channel renewal failed:', (error as Error).message));
  holder.timers = [setInterval(sweep, SWEEP_EVERY_MS), setInterval(renew, RENEW_EVERY_MS)];
  for (const timer of holder.timers) timer.unref();
  sweep();
  renew();
}
