// GET: the workspace's webhook deliveries, newest first (?status=&connection=&pageSize=), keyset-paged
// (`after`/`before`: a cursor from the previous answer's nextCursor/prevCursor).
import { handler } from '@/lib/http/handler';
import { workspaceParams } from '@/lib/http/params';
import { readQuery } from '@/lib/http/route';
import { listWebhookEvents, webhookQuerySchema } from '@/lib/webhooks/history';

export const GET = handler({ params: workspaceParams }, async ({ request, params, user, db }) =>
  listWebhookEvents(db, user, params.workspaceId, readQuery(request, webhookQuerySchema)),
);
