// GET: where this connection's deliveries come from: endpoints, push channels, signing secret facts.
import { handler } from '@/lib/http/handler';
import { connectionParams } from '@/lib/http/params';
import { connectionWebhookSetup } from '@/lib/webhooks/history';

export const GET = handler({ params: connectionParams }, async ({ params, user, db }) => ({
  setup: await connectionWebhookSetup(db, user, params.workspaceId, params.connectionId),
}));
