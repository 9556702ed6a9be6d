// What the connection's provider offers to choose (GitHub repositories) and what is chosen.
import { chooseSelection, getSelection, selectionChangeSchema } from '@/lib/connections/selection';
import { handler } from '@/lib/http/handler';
import { connectionParams } from '@/lib/http/params';
import { readJson } from '@/lib/http/route';

export const GET = handler({ params: connectionParams }, async ({ params, user, db }) => ({
  selection: await getSelection(db, user, params.workspaceId, params.connectionId),
}));

export const PUT = handler({ params: connectionParams }, async ({ request, params, user, db }) => ({
  selection: await chooseSelection(db, user, params.workspaceId, params.connectionId, await readJson(request, selectionChangeSchema)),
}));
