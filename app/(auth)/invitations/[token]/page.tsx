import type { Metadata } from 'next';
import Link from 'next/link';
import { AcceptInvitationButton } from '@/components/auth/accept-invitation-button';
import { AuthCard } from '@/components/auth/auth-card';
import { EmailVerificationNotice } from '@/components/auth/email-verification-notice';
import { SignOutButton } from '@/components/shell/sign-out-button';
import { Alert } from '@/components/ui/alert';
import { buttonClasses } from '@/components/ui/button';
import { RoleBadge } from '@/components/ui/role-badge';
import { TextLink } from '@/components/ui/text-link';
import { linkTokenSchema } from '@/lib/auth/link-tokens';
import { getSession } from '@/lib/auth/session';
import { accountEmail } from '@/lib/auth/verification';
import { getDb } from '@/lib/db/app-database';
import { previewInvitation } from '@/lib/workspaces/invitations';

// The token is in this page's URL: never send it on to another site as a Referer.
export const metadata: Metadata = { title: 'Invitation', referrer: 'no-referrer' };

interface InvitationPageProps {
  params: Promise<{ token: string }>;
}

/** The page an invitation mail links to: what the invitation is, and Accept for its invitee. */
export default async function InvitationPage({ params }: InvitationPageProps) {
  const { token: raw } = await params;
  const parsed = linkTokenSchema.safeParse(raw);
  const db = await getDb();
  const invitation = parsed.success ? await previewInvitation(db, parsed.data) : null;
  const session = await getSession();

  if (!invitation) {
    return (
      <AuthCard title="Invitation" subtitle="Workspace invitation" footer={<TextLink href="/">Go to Integration Hub</TextLink>}>
        <Alert>
          This invitation link is not valid: it may have been revoked, or replaced by a newer one. Ask whoever invited you
          to send it again.
        </Alert>
      </AuthCard>
    );
  }

  const here = `/invitations/${encodeURIComponent(parsed.data!)}`;
  const account = session ? await accountEmail(db, session.userId) : null;

  return (
    <AuthCard
      title={`Join ${invitation.workspaceName}`}
      subtitle={
        <>
          {invitation.inviterEmail ?? 'A workspace admin'} invited <span className="font-medium">{invitation.email}</span>
        </>
      }
      footer={<TextLink href="/">Go to Integration Hub</TextLink>}
    >
      <div className="space-y-4 text-sm text-slate-700 dark:text-slate-300">
        <dl className="grid grid-cols-[auto_1fr] items-center gap-x-4 gap-y-2">
          <dt className="text-slate-500 dark:text-slate-400">Workspace</dt>
          <dd className="font-medium text-slate-900 dark:text-slate-100">{invitation.workspaceName}</dd>
          <dt className="text-slate-500 dark:text-slate-400">Role</dt>
          <dd>
            <RoleBadge role={invitation.role} />
          </dd>
          <dt className="text-slate-500 dark:text-slate-400">For</dt>
          <dd className="break-all">{invitation.email}</dd>
        </dl>

        {invitation.status === 'accepted' ? (
          <>
            <Alert>This invitation has already been accepted; its link works once.</Alert>
            {session ? (
              <Link href="/" className={buttonClasses('secondary', 'md', 'w-full')}>
                Go to your workspaces
              </Link>
            ) : null}
          </>
        ) : invitation.status === 'expired' ? (
          <Alert>This invitation link has expired. Ask {invitation.inviterEmail ?? 'whoever invited you'} to send it again.</Alert>
        ) : !session || !account ? (
          <div className="space-y-2">
            <p>Sign in with {invitation.email} to accept. New here? Create an account with that address first.</p>
            <Link
              href={`/sign-in?${new URLSearchParams({ next: here, email: invitation.email })}`}
              className={buttonClasses('primary', 'md', 'w-full')}
            >
              Sign in to accept
            </Link>
            <Link href={`/sign-up?${new URLSearchParams({ next: here })}`} className={buttonClasses('secondary', 'md', 'w-full')}>
              Create an account
            </Link>
          </div>
        ) : account.email !== invitation.email ? (
          <div className="space-y-3">
            <Alert>
              You are signed in as {account.email}, but this invitation is for {invitation.email}. Sign out, then sign in with
              the invited address.
            </Alert>
            <SignOutButton />
          </div>
        ) : !account.verified ? (
          <EmailVerificationNotice session={session} />
        ) : (
          <AcceptInvitationButton token={parsed.data!} workspaceName={invitation.workspaceName} />
        )}
      </div>
    </AuthCard>
  );
}
