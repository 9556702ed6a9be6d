import { cookies } from 'next/headers';
import { NextResponse } from 'next/server';
import { z } from 'zod';
import { handler } from '@/lib/http/handler';
import { providerParams } from '@/lib/http/params';
import { readQuery } from '@/lib/http/route';
import { startAuthorization } from '@/lib/oauth/start';
import { STATE_TTL_MS } from '@/lib/oauth/state';

const query = z.object({
  workspaceId: z.uuid({ error: 'workspaceId must be a valid id' }),
  connectionId: z.uuid({ error: 'connectionId must be a valid id' }).optional(),
});

export const GET = handler({ params: providerParams }, async ({ request, params, user, db }) => {
  const { workspaceId, connectionId } = readQuery(request, query);
  const { authorizeUrl, stateCookie } = await startAuthorization(db, user, {
    providerId: params.provider,
    workspaceId,
    connectionId,
    origin: new URL(request.url).origin,
  });
  (await cookies()).set(stateCookie, '1', {
    httpOnly: true,
    sameSite: 'lax',
    secure: process.env.NODE_ENV === 'production' && process.env.INSECURE_COOKIES !== '1',
    path: '/api/oauth',
    maxAge: STATE_TTL_MS / 1000,
  });
  return NextResponse.redirect(authorizeUrl, 303);
});
