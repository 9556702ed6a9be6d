import { z } from 'zod';
import { handler } from '@/lib/http/handler';
import { workspaceParams } from '@/lib/http/params';
import { readJson } from '@/lib/http/route';
import { getWorkspace, renameWorkspace, workspaceNameSchema } from '@/lib/workspaces/workspaces';

export const GET = handler({ params: workspaceParams }, async ({ params, user, db }) => ({
  workspace: await getWorkspace(db, user, params.workspaceId),
}));

export const PATCH = handler({ params: workspaceParams }, async ({ request, params, user, db }) => {
  const { name } = await readJson(request, z.object({ name: workspaceNameSchema }));
  await renameWorkspace(db, user, params.workspaceId, name);
  return { workspace: await getWorkspace(db, user, params.workspaceId) };
});
