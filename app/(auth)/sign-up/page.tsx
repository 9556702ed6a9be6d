import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { AuthCard } from '@/components/auth/auth-card';
import { SignUpForm } from '@/components/auth/sign-up-form';
import { TextLink } from '@/components/ui/text-link';
import { safeNextPath } from '@/lib/auth/next-path';
import { getSession } from '@/lib/auth/session';
import { outboxVisible } from '@/lib/mail/config';

export const metadata: Metadata = { title: 'Create account' };

interface SignUpPageProps {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

export default async function SignUpPage({ searchParams }: SignUpPageProps) {
  const raw = (await searchParams).next;
  const next = safeNextPath(Array.isArray(raw) ? raw[0] : raw);
  if (await getSession()) redirect(next);
  return (
    <AuthCard
      title="Create your account"
      subtitle="Invited by a teammate? Sign up with the email address they invited, then open the invitation link from your mail."
      footer={
        <>
          Already have an account? <TextLink href={next === '/' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(next)}`}>Sign in</TextLink>
        </>
      }
    >
      <SignUpForm next={next === '/' ? undefined : next} outbox={outboxVisible()} />
    </AuthCard>
  );
}
