import { signUpSchema } from '@/lib/auth/local-accounts';
import { signUp } from '@/lib/auth/session';
import { publicHandler } from '@/lib/http/handler';
import { readJson } from '@/lib/http/route';
import { NextResponse } from 'next/server';

export const POST = publicHandler(async ({ request, db }) => {
  const user = await signUp(db, await readJson(request, signUpSchema));
  return NextResponse.json({ user: { id: user.userId, email: user.email } }, { status: 201 });
});
