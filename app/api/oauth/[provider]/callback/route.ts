import { cookies } from 'next/headers';
import { NextResponse } from 'next/server';
import { getSession } from '@/lib/auth/session';
import { getDb } from '@/lib/db/app-database';
import { callbackRedirect } from '@/lib/oauth/callback-redirect';
import { completeAuthorization } from '@/lib/oauth/callback';
import { toErrorResponse } from '@/lib/http/route';

// The browser arrives here from the provider, so every outcome is a redirect to a page that
// explains it; nothing here may answer with an error body or a stack trace.
export async function GET(request: Request, context: { params: Promise<{ provider: string }> }) {
  try {
    const { provider } = await context.params;
    const store = await cookies();
    const url = new URL(request.url);
    const outcome = await completeAuthorization(await getDb(), {
      providerId: provider,
      query: url.searchParams,
      user: await getSession(),
      cookieNames: new Set(store.getAll().map((c) => c.name)),
    });
    for (const cookie of store.getAll()) if (cookie.name.startsWith('ih_oauth_')) store.delete({ name: cookie.name, path: '/api/oauth' });
    return NextResponse.redirect(new URL(callbackRedirect(outcome), url), 303);
  } catch (error) {
    const response = toErrorResponse(error);
    const { error: message } = (await response.json()) as { error: string };
    return NextResponse.redirect(new URL(`/oauth/error?reason=internal&detail=${encodeURIComponent(message)}`, request.url), 303);
  }
}
