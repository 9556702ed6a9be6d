// GET: one delivery with its headers and payload (secrets redacted).
import { handler } from '@/lib/http/handler';
import { getWebhookEvent } from '@/lib/webhooks/history';
import { webhookEventParams } from '@/lib/webhooks/params';

export const GET = handler({ params: webhookEventParams }, async ({ params, user, db }) => ({
  event: await getWebhookEvent(db, user, params.workspaceId, params.eventId),
}));
