import { handler } from '@/lib/http/handler';
import { connectionParams } from '@/lib/http/params';
import { readQuery } from '@/lib/http/route';
import { listRecords, recordQuerySchema } from '@/lib/sync/history';

export const GET = handler({ params: connectionParams }, async ({ request, params, user, db }) =>
  listRecords(db, user, params.workspaceId, params.connectionId, readQuery(request, recordQuerySchema)),
);
