// Server component: the "verify your email" notice shown on every signed-in page while the
// account's address is unverified (it may sign in, but its address grants nothing yet).
import Link from 'next/link';
import type { SessionUser } from '@/lib/auth/session-token';
import { accountEmail } from '@/lib/auth/verification';
import { getDb } from '@/lib/db/app-database';
import { outboxVisible } from '@/lib/mail/config';
import { buttonClasses } from '@/components/ui/button';
import { ResendVerificationButton } from './resend-verification-button';

export async function EmailVerificationNotice({
  session,
  className = '',
  outboxLink = true,
}: {
  session: SessionUser;
  className?: string;
  /** Off on the Outbox page itself. */
  outboxLink?: boolean;
}) {
  const account = await accountEmail(await getDb(), session.userId);
  if (!account || account.verified) return null;
  return (
    <aside
      aria-label="Verify your email address"
      className={`rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950/50 dark:text-amber-100 ${className}`}
    >
      <p className="font-semibold">Verify your email address</p>
      <p className="mt-1">
        We sent a link to <span className="font-medium">{account.email}</span>. Until you follow it, invitations to this
        address cannot be accepted.
      </p>
      <div className="mt-3 flex flex-wrap items-center gap-2">
        {outboxLink && outboxVisible() ? (
          <Link href="/outbox" className={buttonClasses('primary', 'sm')}>
            Open Outbox
          </Link>
        ) : null}
        <ResendVerificationButton />
      </div>
    </aside>
  );
}
