import { testConnection } from '@/lib/connections/connections';
import { handler } from '@/lib/http/handler';
import { connectionParams } from '@/lib/http/params';

export const POST = handler({ params: connectionParams }, async ({ params, user, db }) =>
  testConnection(db, user, params.workspaceId, params.connectionId),
);
