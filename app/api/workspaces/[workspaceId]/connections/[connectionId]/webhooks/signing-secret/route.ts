// POST: create or rotate the connection's Standard Webhooks signing secret (owners and admins).
// The answer is the only time the secret is ever shown; it is not cached anywhere on the way.
import { NextResponse } from 'next/server';
import { handler } from '@/lib/http/handler';
import { connectionParams } from '@/lib/http/params';
import { rotateSigningSecret } from '@/lib/webhooks/signing-secrets';

export const POST = handler({ params: connectionParams }, async ({ params, user, db }) =>
  NextResponse.json(await rotateSigningSecret(db, user, params.workspaceId, params.connectionId), {
    status: 201,
    headers: { 'cache-control': 'no-store' },
  }),
);
