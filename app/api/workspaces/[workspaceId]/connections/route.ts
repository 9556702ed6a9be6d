import { listConnections } from '@/lib/connections/connections';
import { handler } from '@/lib/http/handler';
import { workspaceParams } from '@/lib/http/params';

export const GET = handler({ params: workspaceParams }, async ({ params, user, db }) => ({
  connections: await listConnections(db, user, params.workspaceId),
}));
