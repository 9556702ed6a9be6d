// Membership the way the product grants it, for tests that need a member and are about something
// else: the admin invites the address, and its (verified) account accepts the mailed link.
import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import { rowsOf, type Db } from '@/lib/db/engine';
import { asService } from '@/lib/db/rls';
import { listOutbox } from '@/lib/mail/outbox';
import type { SessionUser } from '@/lib/auth/session-token';
import { acceptInvitation } from '@/lib/workspaces/invitations';
import { addMember, type addMemberSchema } from '@/lib/workspaces/members';

/** The token of the newest link of `kind` mailed to `email` (from the outbox). */
export async function latestLinkToken(db: Db, email: string, kind: 'invitation' | 'verify_email'): Promise<string> {
  const mail = (await listOutbox(db, email)).find((m) => m.kind === kind);
  if (!mail) throw new Error(`no ${kind} mail for ${email} in the outbox`);
  const link = mail.links.find((l) => l.includes(kind === 'invitation' ? '/invitations/' : '/api/auth/verify-email'));
  if (!link) throw new Error(`the ${kind} mail for ${email} has no link`);
  const url = new URL(link);
  return kind === 'invitation' ? decodeURIComponent(url.pathname.split('/').pop()!) : url.searchParams.get('token')!;
}

/** Invites `input.email` and accepts the invitation as the account holding that address. */
export async function addMemberAndAccept(db: Db, admin: SessionUser, workspaceId: string, input: z.infer<typeof addMemberSchema>) {
  await addMember(db, admin, workspaceId, input);
  const [account] = await asService(db, async (tx) =>
    rowsOf<{ id: string }>(await tx.execute(sql`select id from auth.users where email = ${input.email}`)),
  );
  if (!account) throw new Error(`no account holds ${input.email}`);
  const invitee: SessionUser = { userId: account.id, email: input.email };
  return acceptInvitation(db, invitee, await latestLinkToken(db, input.email, 'invitation'));
}
