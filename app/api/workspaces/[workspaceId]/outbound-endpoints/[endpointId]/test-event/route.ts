// POST: queues a `webhook.test` event to this endpoint alone (owners and admins); the delivery
// log shows how it went.
import { handler } from '@/lib/http/handler';
import { sendTestEvent } from '@/lib/outbound/endpoints';
import { endpointParams } from '../params';

export const POST = handler({ params: endpointParams }, async ({ params, user, db }) => sendTestEvent(db, user, params.workspaceId, params.endpointId));
