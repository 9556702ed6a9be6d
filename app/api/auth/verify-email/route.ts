import { NextResponse } from 'next/server';
import { linkTokenSchema } from '@/lib/auth/link-tokens';
import { rotateCurrentSession } from '@/lib/auth/session';
import { confirmEmailFor } from '@/lib/auth/verification';
import { publicHandler } from '@/lib/http/handler';

// The link in the verification mail. Following it (signed in or not) verifies the address once;
// the answer is a redirect to a page that says what happened, without the token. A session of
// the verified account in this browser gets a new token: it just gained a privilege.
export const GET = publicHandler(async ({ request, db }) => {
  const parsed = linkTokenSchema.safeParse(new URL(request.url).searchParams.get('token'));
  const { status, userId } = parsed.success ? await confirmEmailFor(db, parsed.data) : { status: 'invalid' as const, userId: null };
  if (userId) await rotateCurrentSession(db, userId);
  const target = new URL(`/verify-email?status=${status}`, request.url);
  return NextResponse.redirect(target, { status: 303, headers: { 'referrer-policy': 'no-referrer', 'cache-control': 'no-store' } });
});
