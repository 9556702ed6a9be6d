// GET: the workspace's outbound webhook endpoints (members). POST { url, description?, eventTypes }:
// adds one (owners and admins); the answer holds its signing secret, shown this once (201).
import { NextResponse } from 'next/server';
import { handler } from '@/lib/http/handler';
import { workspaceParams } from '@/lib/http/params';
import { readJson } from '@/lib/http/route';
import { createEndpoint, createEndpointSchema, listEndpoints } from '@/lib/outbound/endpoints';

export const GET = handler({ params: workspaceParams }, async ({ params, user, db }) => ({
  endpoints: await listEndpoints(db, user, params.workspaceId),
}));

export const POST = handler({ params: workspaceParams }, async ({ request, params, user, db }) => {
  const input = await readJson(request, createEndpointSchema);
  const created = await createEndpoint(db, user, params.workspaceId, input);
  return NextResponse.json(created, { status: 201, headers: { 'cache-control': 'no-store' } });
});
