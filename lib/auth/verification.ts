// Email verification. auth.users.email_confirmed_at is the one rule in both modes: Supabase Auth
// sets it when its own confirmation link is followed; local accounts set it here, when the link
// mailed at sign-up (single use, 24 hours, stored only as a hash) is followed. An unverified
// address may sign in, but grants nothing: no invitation is accepted for it, no member added.
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/engine';
import { asService } from '../db/rls';
import { authUsers, emailVerificationTokens } from '../db/schema';
import { HttpError } from '../http/errors';
import { sendMail } from '../mail/send';
import { verificationMail } from '../mail/templates';
import { takeMailSlot } from '../mail/throttle';
import { hashLinkToken, newLinkToken } from './link-tokens';
import type { SessionUser } from './session-token';
import { supabaseAuthEnabled, supabaseServerClient } from './supabase';

export const VERIFICATION_TTL_HOURS = 24;
/** Verification mails per account per hour (sign-up's own included). */
export const VERIFICATION_MAILS_PER_HOUR = 5;

export interface AccountEmail {
  email: string;
  verified: boolean;
}

/** The account's address and whether it is verified, read from auth.users (never from a cookie). */
export async function accountEmail(db: Db, userId: string): Promise<AccountEmail | null> {
  const [row] = await asService(db, (tx) =>
    tx
      .select({ email: authUsers.email, confirmedAt: authUsers.emailConfirmedAt })
      .from(authUsers)
      .where(eq(authUsers.id, userId)),
  );
  if (!row) return null;
  return { email: (row.email ?? '').toLowerCase(), verified: row.confirmedAt !== null };
}

export async function isEmailVerified(db: Db, userId: string): Promise<boolean> {
  return (await accountEmail(db, userId))?.verified ?? false;
}

export function verificationUrl(baseUrl: string, token: string): string {
  return `${baseUrl}/api/auth/verify-email?token=${encodeURIComponent(token)}`;
}

/** Makes a new link for a local account and mails it to the account's address. */
export async function sendVerificationMail(db: Db, user: SessionUser, baseUrl: string, now = new Date()): Promise<void> {
  const email = user.email.toLowerCase();
  if (!(await takeMailSlot(db, `verify:${user.userId}`, VERIFICATION_MAILS_PER_HOUR, 60, now))) {
    throw new HttpError('rate_limited', 'Too many verification mails were sent to this address. Try again in an hour.');
  }
  const { token, hash } = newLinkToken();
  await asService(db, (tx) =>
    tx.insert(emailVerificationTokens).values({
      tokenHash: hash,
      userId: user.userId,
      email,
      expiresAt: new Date(now.getTime() + VERIFICATION_TTL_HOURS * 3_600_000),
      createdAt: now,
    }),
  );
  await sendMail(db, verificationMail(email, verificationUrl(baseUrl, token), VERIFICATION_TTL_HOURS));
}

export type ConfirmResult = 'verified' | 'used' | 'expired' | 'invalid';

/** Follows a verification link: marks the address verified, once, before the link expires. */
export async function confirmEmail(db: Db, token: string, now = new Date()): Promise<ConfirmResult> {
  return (await confirmEmailFor(db, token, now)).status;
}

/** confirmEmail, also naming the account whose address it verified (null unless verified). */
export async function confirmEmailFor(db: Db, token: string, now = new Date()): Promise<{ status: ConfirmResult; userId: string | null }> {
  const hash = hashLinkToken(token);
  return asService(db, async (tx): Promise<{ status: ConfirmResult; userId: string | null }> => {
    const [link] = await tx
      .select({
        userId: emailVerificationTokens.userId,
        email: emailVerificationTokens.email,
        expiresAt: emailVerificationTokens.expiresAt,
        usedAt: emailVerificationTokens.usedAt,
        accountEmail: authUsers.email,
      })
      .from(emailVerificationTokens)
      .innerJoin(authUsers, eq(authUsers.id, emailVerificationTokens.userId))
      .where(eq(emailVerificationTokens.tokenHash, hash))
      .for('update');
    if (!link) return { status: 'invalid', userId: null };
    if (link.usedAt) return { status: 'used', userId: null };
    if (link.expiresAt.getTime() <= now.getTime()) return { status: 'expired', userId: null };
    // The link proves the address it was sent to, not whatever the account holds now.
    if ((link.accountEmail ?? '').toLowerCase() !== link.email) return { status: 'invalid', userId: null };
    await tx
      .update(authUsers)
      .set({ emailConfirmedAt: sql`coalesce(${authUsers.emailConfirmedAt}, ${now.toISOString()}::timestamptz)`, updatedAt: now })
      .where(eq(authUsers.id, link.userId));
    // Every outstanding link of this account is spent with it.
    await tx
      .update(emailVerificationTokens)
      .set({ usedAt: now })
      .where(and(eq(emailVerificationTokens.userId, link.userId), isNull(emailVerificationTokens.usedAt)));
    return { status: 'verified', userId: link.userId };
  });
}

/** "Resend" on the verify-email notice. */
export async function resendVerification(db: Db, user: SessionUser, baseUrl: string): Promise<{ status: 'sent' | 'already_verified' }> {
  const account = await accountEmail(db, user.userId);
  if (!account) throw new HttpError('unauthorized', 'Sign in to continue.');
  if (account.verified) return { status: 'already_verified' };
  if (supabaseAuthEnabled()) {
    const { error } = await (await supabaseServerClient()).auth.resend({
      type: 'signup',
      email: account.email,
      options: { emailRedirectTo: `${baseUrl}/verify-email?status=verified` },
    });
    if (error) {
      throw error.status === 429
        ? new HttpError('rate_limited', 'The confirmation mail was sent a moment ago. Try again in a minute.')
        : new HttpError('unavailable', 'The confirmation mail could not be sent. Try again in a moment.');
    }
    return { status: 'sent' };
  }
  await sendVerificationMail(db, { userId: user.userId, email: account.email }, baseUrl);
  return { status: 'sent' };
}
