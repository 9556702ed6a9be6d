import { z } from 'zod';
import { handler } from '@/lib/http/handler';
import { workspaceParams } from '@/lib/http/params';
import { readQuery } from '@/lib/http/route';
import { getOverview } from '@/lib/overview/queries';

// The overview takes no options; an empty schema still refuses NUL in a stray query string.
const overviewQuery = z.object({});

export const GET = handler({ params: workspaceParams }, async ({ request, params, user, db }) => {
  readQuery(request, overviewQuery);
  return getOverview(db, user, params.workspaceId);
});
