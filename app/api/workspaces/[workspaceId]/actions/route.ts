// GET: the workspace's action log, newest first, as members see it (RLS); filters connection,
// action and status; keyset-paged (`cursor` from the previous page's nextCursor).
import { actionLogQuerySchema, listActionLogsAsMember } from '@/lib/actions/log';
import { handler } from '@/lib/http/handler';
import { workspaceParams } from '@/lib/http/params';
import { readQuery } from '@/lib/http/route';

export const GET = handler({ params: workspaceParams }, async ({ request, params, user, db }) =>
  listActionLogsAsMember(db, user, params.workspaceId, readQuery(request, actionLogQuerySchema)),
);
