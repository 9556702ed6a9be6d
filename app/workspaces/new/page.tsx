import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { EmailVerificationNotice } from '@/components/auth/email-verification-notice';
import { SignOutButton } from '@/components/shell/sign-out-button';
import { ThemeToggle } from '@/components/shell/theme-toggle';
import { TextLink } from '@/components/ui/text-link';
import { HubLogo } from '@/components/ui/icons';
import { CreateWorkspaceForm } from '@/components/workspaces/create-workspace-form';
import { getSession } from '@/lib/auth/session';
import { getDb } from '@/lib/db/app-database';
import { outboxVisible } from '@/lib/mail/config';
import { listMyWorkspaces } from '@/lib/workspaces/workspaces';

export const metadata: Metadata = { title: 'Create workspace' };

export default async function NewWorkspacePage() {
  const session = await getSession();
  if (!session) redirect('/sign-in');
  const hasWorkspaces = (await listMyWorkspaces(await getDb(), session)).length > 0;

  return (
    <div className="min-h-screen bg-slate-50 dark:bg-slate-950">
      <header className="flex items-center justify-between gap-4 border-b border-slate-200 bg-white px-4 py-3 sm:px-6 dark:border-slate-800 dark:bg-slate-900">
        <div className="flex items-center gap-2 font-semibold text-slate-900 dark:text-slate-100">
          <HubLogo />
          Integration Hub
        </div>
        <div className="flex min-w-0 items-center gap-1">
          <span className="hidden truncate text-sm text-slate-600 sm:inline dark:text-slate-400">{session.email}</span>
          {outboxVisible() ? <TextLink href="/outbox" className="px-2 text-sm">Outbox</TextLink> : null}
          <ThemeToggle />
          <SignOutButton />
        </div>
      </header>
      <main id="content" className="mx-auto max-w-md px-4 py-12 sm:py-16">
        <EmailVerificationNotice session={session} className="mb-8" />
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900 dark:text-slate-50">Create a workspace</h1>
        <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">
          A workspace holds your team&rsquo;s connected tools, field mappings and sync history. You become its owner and
          can invite teammates from Settings.
        </p>
        <div className="mt-6 rounded-lg border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900">
          <CreateWorkspaceForm />
        </div>
        {hasWorkspaces ? (
          <p className="mt-6 text-center text-sm">
            <TextLink href="/">Back to your workspace</TextLink>
          </p>
        ) : null}
      </main>
    </div>
  );
}
