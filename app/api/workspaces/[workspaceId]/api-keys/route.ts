// GET: the workspace's API keys, active and revoked (owners and admins). POST { name, scopes }:
// creates one; the answer holds its secret, shown this once (201).
import { NextResponse } from 'next/server';
import { createApiKey, createApiKeySchema, listApiKeys } from '@/lib/api-keys/keys';
import { handler } from '@/lib/http/handler';
import { workspaceParams } from '@/lib/http/params';
import { readJson } from '@/lib/http/route';

export const GET = handler({ params: workspaceParams }, async ({ params, user, db }) => ({
  keys: await listApiKeys(db, user, params.workspaceId),
}));

export const POST = handler({ params: workspaceParams }, async ({ request, params, user, db }) => {
  const input = await readJson(request, createApiKeySchema);
  const created = await createApiKey(db, user, params.workspaceId, input);
  return NextResponse.json(created, { status: 201, headers: { 'cache-control': 'no-store' } });
});
