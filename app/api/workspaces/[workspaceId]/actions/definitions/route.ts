// GET: the action registry as the app's screens use it (members): each action with its input's
// JSON Schema (the Try it form), the actions each provider supports, and the API key scopes.
import { actionDefinitions } from '@/lib/actions/openapi';
import { handler } from '@/lib/http/handler';
import { workspaceParams } from '@/lib/http/params';
import { providers } from '@/lib/providers/registry';
import { inWorkspace } from '@/lib/workspaces/access';

export const GET = handler({ params: workspaceParams }, async ({ params, user, db }) => {
  await inWorkspace(db, user, params.workspaceId, 'viewer', async () => undefined);
  return actionDefinitions(providers);
});
