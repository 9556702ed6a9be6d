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
  if (runner === 'inngest') {
    await inngest
      .send(connectionIds.map((connectionId) => ({ name: WEBHOOK_EVENTS.received, data: { connectionId } satisfies WebhookReceivedData })))
      .catch((error: unknown) => console.warn(`webhook processing not requested (the sweeper will): ${(error as Error).message}`));
  } else if (runner === 'in-process') {
    webhookWorker(db).kick();
  }
}
