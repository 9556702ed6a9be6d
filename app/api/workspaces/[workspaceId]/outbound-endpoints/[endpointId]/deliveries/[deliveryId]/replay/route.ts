// POST: sends a delivery again, same event and id, with a fresh retry schedule (owners and admins).
import { handler } from '@/lib/http/handler';
import { replayDelivery } from '@/lib/outbound/endpoints';
import { deliveryParams } from '../../../params';

export const POST = handler({ params: deliveryParams }, async ({ params, user, db }) =>
  replayDelivery(db, user, params.workspaceId, params.endpointId, params.deliveryId),
);
