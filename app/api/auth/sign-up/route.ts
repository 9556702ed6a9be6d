import { NextResponse } from 'next/server';
import { signUpSchema } from '@/lib/auth/local-accounts';
import { requester } from '@/lib/auth/session';
import { signUp } from '@/lib/auth/sign-up';
import { retryAfterResponse } from '@/lib/auth/throttle';
import { publicHandler } from '@/lib/http/handler';
import { readJson } from '@/lib/http/route';
import { mailLinkBase } from '@/lib/mail/config';

// The same 201 and body whether or not the address already has an account, and no session either
// way: the new account gets a verification mail, an existing one a note (lib/auth/sign-up.ts).
// Limited per client address (429 with Retry-After) and by the hashing gate (503 with Retry-After).
export const POST = publicHandler(async ({ request, db }) => {
  const input = await readJson(request, signUpSchema);
  try {
    return NextResponse.json(await signUp(db, input, mailLinkBase(request), await requester()), { status: 201 });
  } catch (error) {
    const refusal = retryAfterResponse(error);
    if (refusal) return refusal;
    throw error;
  }
});
