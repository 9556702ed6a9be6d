// POST: a new signing secret for the endpoint, shown this once; the previous one keeps signing
// (a second signature) for the grace period, so the receiver can switch over (owners and admins).
import { NextResponse } from 'next/server';
import { handler } from '@/lib/http/handler';
import { rotateEndpointSecret } from '@/lib/outbound/endpoints';
import { endpointParams } from '../params';

export const POST = handler({ params: endpointParams }, async ({ params, user, db }) =>
  NextResponse.json(await rotateEndpointSecret(db, user, params.workspaceId, params.endpointId), { headers: { 'cache-control': 'no-store' } }),
);
