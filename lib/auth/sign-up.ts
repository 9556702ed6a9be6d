// Sign-up answers the same way whether or not the address already has an account (so it cannot
// be used to find out who has one): 201, "check your email", and no session. A new account gets
// a verification link; the holder of an existing account gets a note that someone tried.
import type { z } from 'zod';
import type { Db } from '../db/engine';
import { HttpError } from '../http/errors';
import { sendMail } from '../mail/send';
import { signUpAttemptMail } from '../mail/templates';
import { takeMailSlot } from '../mail/throttle';
import { asService } from '../db/rls';
import { createLocalAccount, type signUpSchema } from './local-accounts';
import { supabaseAuthEnabled, supabaseServerClient } from './supabase';
import { HashingBusyError } from './password-hashing';
import { countAttempt, signUpCounter, uncountAttempts, type Requester } from './throttle';
import { sendVerificationMail } from './verification';

export interface SignUpAnswer {
  status: 'verification_sent';
  email: string;
  message: string;
}

/** "Someone tried to sign up with your address" notes per address per hour. */
export const SIGN_UP_NOTES_PER_HOUR = 3;

function answer(email: string): SignUpAnswer {
  return {
    status: 'verification_sent',
    email,
    message: `Check your email: we sent a message to ${email}. Follow its link to verify the address, then sign in.`,
  };
}

/**
 * With `client` (the route passes who is asking), the attempt counts against the sign-up limit
 * per client address first: 429 with Retry-After past it, in both modes. Local accounts then hash
 * the password behind the hashing gate (503 when it is full).
 */
export async function signUp(db: Db, input: z.infer<typeof signUpSchema>, baseUrl: string, client?: Requester): Promise<SignUpAnswer> {
  const counted = client ? await asService(db, (tx) => countAttempt(tx, [signUpCounter(client)], 'sign-up')) : [];
  if (supabaseAuthEnabled()) return signUpWithSupabase(db, input, baseUrl);
  let created: Awaited<ReturnType<typeof createLocalAccount>> | null = null;
  try {
    // Hashes the password whether or not the insert then fails, so both answers take as long.
    created = await createLocalAccount(db, input);
  } catch (error) {
    // Turned away by the hashing gate: the attempt never ran, so it does not count.
    if (error instanceof HashingBusyError) await asService(db, (tx) => uncountAttempts(tx, counted));
    if (!(error instanceof HttpError && error.code === 'already_exists')) throw error;
  }
  try {
    if (created) await sendVerificationMail(db, created, baseUrl);
    else await noteSignUpAttempt(db, input.email, baseUrl);
  } catch (error) {
    throw sameMailFailure(error);
  }
  return answer(input.email);
}

/** A mail failure reads the same on both paths (the account may exist by now: Resend covers it). */
function sameMailFailure(error: unknown): unknown {
  if (!(error instanceof HttpError) || error.code !== 'unavailable') return error;
  return new HttpError(
    'unavailable',
    'We could not send mail just now. Try again in a few minutes; if your account was created, sign in and use “Resend” on the verification notice.',
  );
}

async function noteSignUpAttempt(db: Db, email: string, baseUrl: string): Promise<void> {
  // Over the limit the note is skipped silently: the answer must not change.
  if (!(await takeMailSlot(db, `sign-up-note:${email}`, SIGN_UP_NOTES_PER_HOUR, 60))) return;
  await sendMail(db, signUpAttemptMail(email, `${baseUrl}/sign-in`));
}

/**
 * Supabase Auth mails its own confirmation link. With confirmations on, it answers an existing
 * address with an obfuscated user (no identities) and no error; with them off it may sign the new
 * user in. Either way this answers as for a new address, ends any session it started, and sends
 * the existing holder the same note local accounts get.
 */
async function signUpWithSupabase(db: Db, input: z.infer<typeof signUpSchema>, baseUrl: string): Promise<SignUpAnswer> {
  const client = await supabaseServerClient();
  const { data, error } = await client.auth.signUp({
    email: input.email,
    password: input.password,
    options: { data: { display_name: input.displayName ?? '' }, emailRedirectTo: `${baseUrl}/verify-email?status=verified` },
  });
  const existing =
    (error && /already (been )?registered|already exists/i.test(error.message)) ||
    (!error && data.user && (data.user.identities?.length ?? 0) === 0);
  if (error && !existing) throw new HttpError('bad_request', error.message);
  if (data?.session) await client.auth.signOut({ scope: 'local' });
  // Supabase mailed the new address itself, so our note failing must not change this answer either.
  if (existing) await noteSignUpAttempt(db, input.email, baseUrl).catch(() => undefined);
  return answer(input.email);
}
