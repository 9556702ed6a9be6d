// Outbound webhook deliveries as a job: a nudge becomes an Inngest event (its function is
// debounced) or wakes the in-process worker. Losing a nudge loses nothing: the deliveries are
// committed rows, and the sweeper (here every few seconds, on Inngest every minute) finds them.
import type { Db } from '../db/engine';
import { inngest } from '../inngest/client';
import { OUTBOUND_EVENTS } from '../inngest/outbound-functions';
import { installOutboundKick } from '../outbound/kick';
import { outboundWorker, startOutboundSweeper } from '../outbound/worker';
import { dispatch, type Job } from './dispatch';

export function outboundDeliveriesDue(options: { uncommitted?: boolean } = {}): Job {
  return {
    name: 'outbound webhook delivery',
    async toInngest() {
      await inngest.send({ name: OUTBOUND_EVENTS.due, data: {} });
    },
    inProcess: (db) => (options.uncommitted ? outboundWorker(db).kickAfterCommit() : outboundWorker(db).kick()),
  };
}

/** Makes emitted events nudge the senders through the dispatcher (the server calls it at start). */
export function installOutboundJobs(db: Db): void {
  installOutboundKick(({ uncommitted }) =>
    void dispatch(db, outboundDeliveriesDue({ uncommitted })).catch((error: unknown) =>
      console.warn(`outbound delivery not requested (the sweeper will): ${(error as Error).message}`),
    ),
  );
}

/** Embedded mode: also sweep for due deliveries in this process. */
export function startEmbeddedOutbound(db: Db): void {
  installOutboundJobs(db);
  startOutboundSweeper(db);
}
