import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { AuthCard } from '@/components/auth/auth-card';
import { DemoHint } from '@/components/auth/demo-hint';
import { SignInForm } from '@/components/auth/sign-in-form';
import { TextLink } from '@/components/ui/text-link';
import { getSession } from '@/lib/auth/session';
import { DEMO_ADMIN } from '@/lib/db/seed';

export const metadata: Metadata = { title: 'Sign in' };

export default async function SignInPage() {
  if (await getSession()) redirect('/');
  // Without DATABASE_URL the app runs on its embedded database, which is seeded with this account.
  const embeddedDemo = !process.env.DATABASE_URL;
  return (
    <AuthCard
      title="Sign in to Integration Hub"
      subtitle="Connect your tools and keep their data in sync."
      footer={
        <>
          New here? <TextLink href="/sign-up">Create an account</TextLink>
        </>
      }
    >
      <SignInForm />
      {embeddedDemo ? <DemoHint email={DEMO_ADMIN.email} password={DEMO_ADMIN.password} /> : null}
    </AuthCard>
  );
}
