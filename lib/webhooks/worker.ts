// The in-process webhook worker used when no Inngest is configured (the embedded default). A
// nudge starts a drain shortly; nudges meanwhile or during a drain only ask for one more pass, so
// a burst is claimed in a few large batches rather than one at a time. After a drain it sets an alarm for
// the earliest event put back to wait; a sweep every 15 s catches anything else (a crash).
import type { Db } from '../db/engine';
import { DrainLoop, sleep, workerSlot } from '../jobs/drain-loop';
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
const RENEW_EVERY_MS = 10 * 60_000;

export class WebhookWorker extends DrainLoop {
  constructor(private readonly db: Db) {
    super(GATHER_MS, 'webhook processing');
  }

  protected async drainOnce(): Promise<Date | null> {
    for (;;) {
      // While deliveries are arriving, acknowledging them comes first: small batches with pauses
      // (a single-connection database does one thing at a time); flat out once they stop.
      const busy = Date.now() - lastIngestAt(this.db) < BUSY_WINDOW_MS;
      const report = await processWebhookEvents(this.db, busy ? { limit: BUSY_BATCH } : {});
      if (report.claimed === 0 || this.stopped) break;
      if (busy) await sleep(BUSY_PAUSE_MS);
    }
    // Events put back (waiting for a pause or for a running sync) are due later: be there then.
    return nextDueAt(this.db);
  }
}

const slotFor = (db: Db) => workerSlot('integration-hub.webhook-worker', db, (db) => new WebhookWorker(db));

/** One worker per process and database (it survives Next's hot reloads). */
export function webhookWorker(db: Db): WebhookWorker {
  return slotFor(db).worker;
}

/**
 * Embedded mode (lib/jobs/embedded.ts starts it when jobs run in process): process what a previous
 * process left, then sweep and renew on a timer.
 */
export async function startEmbeddedWebhookJobs(db: Db): Promise<void> {
  const slot = slotFor(db);
  if (slot.timers) return;
  const worker = slot.worker;
  const sweep = () =>
    void reclaimStaleEvents(db)
      .then(() => worker.kick())
      .catch((error: unknown) => console.error('webhook sweep failed:', (error as Error).message));
  const renew = () => void renewExpiringChannels(db).catch((error: unknown) => console.error('push channel renewal failed:', (error as Error).message));
  slot.timers = [setInterval(sweep, SWEEP_EVERY_MS), setInterval(renew, RENEW_EVERY_MS)];
  for (const timer of slot.timers) timer.unref();
  sweep();
  renew();
}
