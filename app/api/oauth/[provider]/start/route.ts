import { cookies } from 'next/headers';
import { NextResponse } from 'next/server';
import { z } from 'zod';
import { errorResponse } from '@/lib/http/errors';
import { handler } from '@/lib/http/handler';
import { providerParams } from '@/lib/http/params';
import { readJson } from '@/lib/http/route';
import { startAuthorization } from '@/lib/oauth/start';
import { STATE_TTL_MS } from '@/lib/oauth/state';

const body = z.object({
  workspaceId: z.uuid({ error: 'workspaceId must be a valid id' }),
  connectionId: z.uuid({ error: 'connectionId must be a valid id' }).optional(),
});

// Starting a handshake is a write (it records a state and sets a cookie), so it is a same-site
// POST from the page, never a GET a cross-site link could trigger: handler() refuses a foreign
// Origin, the JSON body needs a CORS preflight cross-site, and the SameSite=Lax session cookie is
// not sent on a cross-site POST, so such a request has no session and answers 401.
//
// The answer is the authorize URL as JSON, and the page navigates there itself. A form post
// answered with a redirect would not do: Chrome and Safari check every hop of a form submission's
// redirect chain against the page's CSP form-action 'self', which a provider's host never matches.
export const POST = handler({ params: providerParams }, async ({ request, params, user, db }) => {
  const { workspaceId, connectionId } = await readJson(request, body);
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
  return NextResponse.json({ authorizeUrl }, { headers: { 'cache-control': 'no-store' } });
});

export function GET(): Response {
  return errorResponse('method_not_allowed', 'Start a connection from the Integrations page: this address takes a POST.', {
    headers: { allow: 'POST' },
  });
}
