import { connectionUpdateSchema, disconnectConnection, getConnection, updateConnection } from '@/lib/connections/connections';
import { handler } from '@/lib/http/handler';
import { connectionParams } from '@/lib/http/params';
import { readJson } from '@/lib/http/route';

export const GET = handler({ params: connectionParams }, async ({ params, user, db }) => ({
  connection: await getConnection(db, user, params.workspaceId, params.connectionId),
}));

export const PATCH = handler({ params: connectionParams }, async ({ request, params, user, db }) => ({
  connection: await updateConnection(db, user, params.workspaceId, params.connectionId, await readJson(request, connectionUpdateSchema)),
}));

export const DELETE = handler({ params: connectionParams }, async ({ params, user, db }) =>
  disconnectConnection(db, user, params.workspaceId, params.connectionId),
);
