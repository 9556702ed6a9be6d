// Asking for stored deliveries to be processed; lib/jobs decides who does it (an Inngest event per
// connection, debounced there, or a nudge to the in-process worker). Losing the request loses
// nothing: the rows are committed and the sweeper finds them.
import type { Db } from '../db/engine';
import { dispatch } from '../jobs/dispatch';
import { webhooksReceived } from '../jobs/webhooks';

export { WEBHOOK_EVENTS, type WebhookReceivedData } from '../inngest/client';

export async function notifyWebhooksReceived(db: Db, connectionIds: string[]): Promise<void> {
  await dispatch(db, webhooksReceived(connectionIds));
}
