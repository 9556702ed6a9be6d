// The job seam for webhooks, as lib/sync/jobs.ts is for syncs: with Inngest configured, stored
// deliveries become an Inngest event per connection (debounced there); otherwise the in-process
// worker is nudged. Losing the nudge loses nothing: the rows are committed and the sweeper finds them.
import type { Db } from '../db/engine';
import { inngest, jobRunner } from '../inngest/client';
import { webhookWorker } from './worker';

export const WEBHOOK_EVENTS = {
  received: 'hub/webhook.received',
} as const;

export interface WebhookReceivedData {
  connectionId: string;
}

export async function notifyWebhooksReceived(db: Db, connectionIds: string[]): Promise<void> {
  const runner = jobRunner();
  if (runner === 'inngest') await sendReceived(connectionIds);
  else if (runner === 'in-process') webhookWorker(db).kick();
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
