import { handler } from '@/lib/http/handler';
import { readQuery } from '@/lib/http/route';
import { listPushErrors, pushErrorsQuerySchema, pushParams } from '@/lib/push/pushes';

export const GET = handler({ params: pushParams }, async ({ request, params, user, db }) =>
  listPushErrors(db, user, params, params.pushId, readQuery(request, pushErrorsQuerySchema).cursor),
);
