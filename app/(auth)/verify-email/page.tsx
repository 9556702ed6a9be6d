import type { Metadata } from 'next';
import Link from 'next/link';
import { AuthCard } from '@/components/auth/auth-card';
import { EmailVerificationNotice } from '@/components/auth/email-verification-notice';
import { Alert, StatusMessage } from '@/components/ui/alert';
import { buttonClasses } from '@/components/ui/button';
import { TextLink } from '@/components/ui/text-link';
import { getSession } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'Verify email' };

interface VerifyEmailPageProps {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

const OUTCOMES: Record<string, { ok: boolean; text: string }> = {
  verified: { ok: true, text: 'Your email address is verified. Invitations to it can now be accepted.' },
  used: { ok: false, text: 'This verification link was already used. If your address is not verified yet, send a new link.' },
  expired: { ok: false, text: 'This verification link has expired (links work for 24 hours). Sign in and send a new one.' },
  invalid: { ok: false, text: 'This verification link is not valid. Open it again from the newest verification mail.' },
};

/** Where a verification link lands (/api/auth/verify-email redirects here with the outcome). */
export default async function VerifyEmailPage({ searchParams }: VerifyEmailPageProps) {
  const raw = (await searchParams).status;
  const outcome = OUTCOMES[(Array.isArray(raw) ? raw[0] : raw) ?? ''];
  const session = await getSession();
  return (
    <AuthCard
      title="Email verification"
      subtitle="Verified addresses can accept invitations to workspaces."
      footer={session ? <TextLink href="/">Continue to Integration Hub</TextLink> : <TextLink href="/sign-in">Sign in</TextLink>}
    >
      <div className="space-y-4">
        {outcome ? outcome.ok ? <StatusMessage>{outcome.text}</StatusMessage> : <Alert>{outcome.text}</Alert> : null}
        {session ? <EmailVerificationNotice session={session} /> : null}
        {outcome?.ok && session ? (
          <Link href="/" className={buttonClasses('primary', 'md', 'w-full')}>
            Continue
          </Link>
        ) : null}
      </div>
    </AuthCard>
  );
}
