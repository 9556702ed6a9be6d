import { listActivity, activityQuerySchema } from '@/lib/activity/activity';
import { handler } from '@/lib/http/handler';
import { workspaceParams } from '@/lib/http/params';
import { readQuery } from '@/lib/http/route';

export const GET = handler({ params: workspaceParams }, async ({ request, params, user, db }) =>
  listActivity(db, user, params.workspaceId, readQuery(request, activityQuerySchema)),
);
