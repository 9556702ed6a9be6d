// GET /api/v1/actions: the workspace's action log, newest first; filters connection, action and
// status; keyset-paged (`cursor` from the previous page's nextCursor).
import { apiRoute } from '@/lib/actions/api';
import { listApiActionLogs } from '@/lib/actions/api-resources';
import { actionLogQuerySchema } from '@/lib/actions/log';
import { readQuery } from '@/lib/http/route';

export const GET = apiRoute({ scope: 'actions:read' }, ({ request, principal, db }) =>
  listApiActionLogs(db, principal, readQuery(request, actionLogQuerySchema)),
);
