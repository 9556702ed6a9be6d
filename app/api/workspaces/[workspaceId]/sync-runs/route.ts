import { handler } from '@/lib/http/handler';
import { workspaceParams } from '@/lib/http/params';
import { readQuery } from '@/lib/http/route';
import { listRuns, runQuerySchema } from '@/lib/sync/history';

export const GET = handler({ params: workspaceParams }, async ({ request, params, user, db }) =>
  listRuns(db, user, params.workspaceId, readQuery(request, runQuerySchema)),
);
