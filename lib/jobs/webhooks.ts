// Webhook processing jobs: stored deliveries become an Inngest event per connection (debounced
// there), or nudge the in-process worker. Losing either loses nothing: the rows are committed and
// the sweeper finds them.
import { inngest, WEBHOOK_EVENTS, type WebhookReceivedData } from '../inngest/client';
import { webhookWorker } from '../webhooks/worker';
import type { Job } from './dispatch';

/** Processes the stored deliveries of these connections. Never fails: a lost request is swept up later. */
export function webhooksReceived(connectionIds: string[]): Job {
  return {
    name: 'webhook processing',
    toInngest: () => sendReceived(connectionIds),
    inProcess: (db) => webhookWorker(db).kick(),
  };
}

let gathering: { ids: Set<string>; sent: Promise<void> } | null = null;

/**
 * Requests answered in the same turn of the event loop share one call to Inngest (its function
 * is debounced per connection anyway), so a busy endpoint does not make a call per delivery.
 */
function sendReceived(connectionIds: string[]): Promise<void> {
  if (!gathering) {
    const ids = new Set<string>();
    const sent = new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
      gathering = null;
      await inngest
        .send([...ids].map((connectionId) => ({ name: WEBHOOK_EVENTS.received, data: { connectionId } satisfies WebhookReceivedData })))
        .then(() => undefined)
        .catch((error: unknown) => console.warn(`webhook processing not requested (the sweeper will): ${(error as Error).message}`));
    });
    gathering = { ids, sent };
  }
  for (const id of connectionIds) gathering.ids.add(id);
  return gathering.sent;
}
