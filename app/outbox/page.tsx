import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { EmailVerificationNotice } from '@/components/auth/email-verification-notice';
import { OutboxMail } from '@/components/auth/outbox-mail';
import { SignOutButton } from '@/components/shell/sign-out-button';
import { ThemeToggle } from '@/components/shell/theme-toggle';
import { EmptyState } from '@/components/ui/empty-state';
import { HubLogo } from '@/components/ui/icons';
import { TextLink } from '@/components/ui/text-link';
import { getSession } from '@/lib/auth/session';
import { accountEmail } from '@/lib/auth/verification';
import { getDb } from '@/lib/db/app-database';
import { mailTransportKind, outboxVisible } from '@/lib/mail/config';
import { listOutbox } from '@/lib/mail/outbox';

export const metadata: Metadata = { title: 'Outbox', referrer: 'no-referrer' };

/**
 * Mail the app kept instead of sending (no SMTP_URL), addressed to the signed-in person's own
 * address: verification links and invitations, so every mail flow can be tried with nothing set up.
 */
export default async function OutboxPage() {
  const session = await getSession();
  if (!session) redirect('/sign-in?next=/outbox');
  const db = await getDb();
  const address = (await accountEmail(db, session.userId))?.email ?? session.email;
  const visible = outboxVisible();
  const mails = visible ? await listOutbox(db, address) : [];

  return (
    <div className="min-h-screen bg-slate-50 dark:bg-slate-950">
      <header className="flex items-center justify-between gap-4 border-b border-slate-200 bg-white px-4 py-3 sm:px-6 dark:border-slate-800 dark:bg-slate-900">
        <div className="flex items-center gap-2 font-semibold text-slate-900 dark:text-slate-100">
          <HubLogo />
          Integration Hub
        </div>
        <div className="flex min-w-0 items-center gap-1">
          <span className="hidden truncate text-sm text-slate-600 sm:inline dark:text-slate-400">{session.email}</span>
          <ThemeToggle />
          <SignOutButton />
        </div>
      </header>
      <main id="content" className="mx-auto max-w-3xl space-y-6 px-4 py-10">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight text-slate-900 dark:text-slate-50">Outbox</h1>
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
            {mailTransportKind() === 'smtp'
              ? 'Mail is sent by the configured mail server, so nothing is kept here.'
              : visible
                ? `No mail server is configured, so the app keeps its mail here instead of sending it. You see the mail addressed to ${address}.`
                : 'No mail server is configured, and this production server does not show kept mail (set SMTP_URL to send mail, or MAIL_OUTBOX=1 to show it here).'}
          </p>
          <p className="mt-2 text-sm">
            <TextLink href="/">Back to Integration Hub</TextLink>
          </p>
        </div>
        <EmailVerificationNotice session={session} outboxLink={false} />
        {visible && mails.length === 0 ? (
          <EmptyState title="No mail yet">Verification links and invitations for {address} appear here.</EmptyState>
        ) : null}
        {mails.map((mail) => (
          <OutboxMail key={mail.id} mail={mail} />
        ))}
      </main>
    </div>
  );
}
