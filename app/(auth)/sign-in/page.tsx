import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { AuthCard } from '@/components/auth/auth-card';
import { DemoHint } from '@/components/auth/demo-hint';
import { SignInForm } from '@/components/auth/sign-in-form';
import { TextLink } from '@/components/ui/text-link';
import { safeNextPath } from '@/lib/auth/next-path';
import { getSession } from '@/lib/auth/session';
import { DEMO_ADMIN } from '@/lib/db/seed';

export const metadata: Metadata = { title: 'Sign in' };

interface SignInPageProps {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export default async function SignInPage({ searchParams }: SignInPageProps) {
  const query = await searchParams;
  const next = safeNextPath(first(query.next));
  if (await getSession()) redirect(next);
  // Without DATABASE_URL the app runs on its embedded database, which is seeded with this account.
  const embeddedDemo = !process.env.DATABASE_URL;
  const email = first(query.email)?.slice(0, 254);
  return (
    <AuthCard
      title="Sign in to Integration Hub"
      subtitle="Connect your tools and keep their data in sync."
      footer={
        <>
          New here? <TextLink href={next === '/' ? '/sign-up' : `/sign-up?next=${encodeURIComponent(next)}`}>Create an account</TextLink>
        </>
      }
    >
      <SignInForm next={next} defaultEmail={email} />
      {embeddedDemo ? <DemoHint email={DEMO_ADMIN.email} password={DEMO_ADMIN.password} /> : null}
    </AuthCard>
  );
}
