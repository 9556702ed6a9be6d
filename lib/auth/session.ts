// The one seam the app asks "who is this?": local accounts in embedded mode, Supabase Auth when
// configured. Both answer { userId, email }, which become the RLS claims.
import { cookies, headers } from 'next/headers';
import type { Db } from '../db/engine';
import { HttpError } from '../http/errors';
import { signInSchema, verifyLocalAccount } from './local-accounts';
import {
  SESSION_COOKIE,
  SESSION_TTL_SECONDS,
  signSessionToken,
  verifySessionToken,
  type SessionUser,
} from './session-token';
import { getSupabaseSession, supabaseAuthEnabled, supabaseServerClient } from './supabase';
import type { z } from 'zod';

export type { SessionUser };

export async function getSession(): Promise<SessionUser | null> {
  if (supabaseAuthEnabled()) return getSupabaseSession();
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  return token ? verifySessionToken(token) : null;
}

async function startLocalSession(user: SessionUser): Promise<void> {
  (await cookies()).set(SESSION_COOKIE, await signSessionToken(user), {
    httpOnly: true,
    sameSite: 'lax',
    secure: process.env.NODE_ENV === 'production' && process.env.INSECURE_COOKIES !== '1',
    path: '/',
    maxAge: SESSION_TTL_SECONDS,
  });
}

async function clientKey(): Promise<string> {
  const h = await headers();
  return h.get('x-forwarded-for')?.split(',')[0].trim() || h.get('x-real-ip') || 'local';
}

export async function signIn(db: Db, input: z.infer<typeof signInSchema>): Promise<SessionUser> {
  if (supabaseAuthEnabled()) {
    const { data, error } = await (await supabaseServerClient()).auth.signInWithPassword(input);
    if (error || !data.user) throw new HttpError('invalid_credentials', 'That email and password do not match an account.');
    return { userId: data.user.id, email: data.user.email ?? input.email };
  }
  const user = await verifyLocalAccount(db, input, await clientKey());
  if (!user) throw new HttpError('invalid_credentials', 'That email and password do not match an account.');
  await startLocalSession(user);
  return user;
}

export async function signOut(): Promise<void> {
  if (supabaseAuthEnabled()) {
    await (await supabaseServerClient()).auth.signOut();
    return;
  }
  (await cookies()).delete(SESSION_COOKIE);
}
