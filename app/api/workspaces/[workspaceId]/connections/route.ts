import { NextResponse } from 'next/server';
import { apiKeyConnectionSchema, connectWithApiKey } from '@/lib/connections/api-key';
import { getConnection, listConnections } from '@/lib/connections/connections';
import { handler } from '@/lib/http/handler';
import { workspaceParams } from '@/lib/http/params';
import { readJson } from '@/lib/http/route';

export const GET = handler({ params: workspaceParams }, async ({ params, user, db }) => ({
  connections: await listConnections(db, user, params.workspaceId),
}));

/** Connects an API-key provider; OAuth providers connect through /api/oauth/[provider]/start. */
export const POST = handler({ params: workspaceParams }, async ({ request, params, user, db }) => {
  const { connectionId } = await connectWithApiKey(db, user, params.workspaceId, await readJson(request, apiKeyConnectionSchema));
  return NextResponse.json({ connection: await getConnection(db, user, params.workspaceId, connectionId) }, { status: 201 });
});
