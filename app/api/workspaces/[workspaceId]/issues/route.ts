// GET: the workspace's health issues as members see them (RLS), open ones by default;
// ?connectionId= narrows to one connection, ?status=open|resolved|all picks which.
import { handler } from '@/lib/http/handler';
import { workspaceParams } from '@/lib/http/params';
import { readQuery } from '@/lib/http/route';
import { issueQuerySchema, listIssues } from '@/lib/health/store';
import { claimsOf } from '@/lib/workspaces/access';

export const GET = handler({ params: workspaceParams }, async ({ request, params, user, db }) => {
  const query = readQuery(request, issueQuerySchema);
  return { issues: await listIssues(db, claimsOf(user), { workspaceId: params.workspaceId, ...query }) };
});
