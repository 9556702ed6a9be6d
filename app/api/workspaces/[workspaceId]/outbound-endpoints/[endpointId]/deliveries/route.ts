// GET: the endpoint's deliveries, newest first (?status=&page=&pageSize=), for members.
import { handler } from '@/lib/http/handler';
import { readQuery } from '@/lib/http/route';
import { deliveryQuerySchema, listDeliveries } from '@/lib/outbound/endpoints';
import { endpointParams } from '../params';

export const GET = handler({ params: endpointParams }, async ({ request, params, user, db }) =>
  listDeliveries(db, user, params.workspaceId, params.endpointId, readQuery(request, deliveryQuerySchema)),
);
