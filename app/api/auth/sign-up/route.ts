import { NextResponse } from 'next/server';
import { signUpSchema } from '@/lib/auth/local-accounts';
import { signUp } from '@/lib/auth/sign-up';
import { publicHandler } from '@/lib/http/handler';
import { readJson } from '@/lib/http/route';
import { mailLinkBase } from '@/lib/mail/config';

// The same 201 and body whether or not the address already has an account, and no session either
// way: the new account gets a verification mail, an existing one a note (lib/auth/sign-up.ts).
export const POST = publicHandler(async ({ request, db }) => {
  const input = await readJson(request, signUpSchema);
  return NextResponse.json(await signUp(db, input, mailLinkBase(request)), { status: 201 });
});
