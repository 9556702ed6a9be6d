import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { AuthCard } from '@/components/auth/auth-card';
import { SignUpForm } from '@/components/auth/sign-up-form';
import { TextLink } from '@/components/ui/text-link';
import { getSession } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'Create account' };

export default async function SignUpPage() {
  if (await getSession()) redirect('/');
  return (
    <AuthCard
      title="Create your account"
      subtitle="Invited by a teammate? Sign up with the email address they invited to join their workspace."
      footer={
        <>
          Already have an account? <TextLink href="/sign-in">Sign in</TextLink>
        </>
      }
    >
      <SignUpForm />
    </AuthCard>
  );
}
