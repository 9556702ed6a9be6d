// Invitation links. Every invitation gets its own link (random, stored only as a hash, 7 days,
// replaced by Resend); the invitee opens it, signs in with the invited address, verified, and
// accepts. Accepting is the only way an invitation becomes a membership.
import { and, eq, isNull, sql } from 'drizzle-orm';
import { hashLinkToken, newLinkToken } from '../auth/link-tokens';
import type { SessionUser } from '../auth/session-token';
import type { Db } from '../db/engine';
import { asService } from '../db/rls';
import { authUsers, invitationTokens, profiles, workspaceInvitations, workspaceMembers, workspaces, type Role } from '../db/schema';
import { forbidden, HttpError, notFound, unauthorized } from '../http/errors';
import { sendMail } from '../mail/send';
import { invitationMail } from '../mail/templates';
import { takeMailSlot } from '../mail/throttle';
import { inWorkspace } from './access';

export const INVITATION_TTL_DAYS = 7;
/** Resends per invitation per hour. */
export const INVITATION_RESENDS_PER_HOUR = 5;

export const INVALID_INVITATION_LINK =
  'This invitation link is not valid: it may have been revoked, or replaced by a newer one. Ask whoever invited you to send it again.';

export function invitationUrl(baseUrl: string, token: string): string {
  return `${baseUrl}/invitations/${encodeURIComponent(token)}`;
}

interface LinkInput {
  invitationId: string;
  email: string;
  role: Role;
  workspaceName: string;
  inviterEmail: string;
  baseUrl: string;
}

/** Gives the invitation a new link (any older one stops working) and mails it to the invitee. */
export async function issueInvitationLink(db: Db, input: LinkInput, now = new Date()): Promise<void> {
  const { token, hash } = newLinkToken();
  const expiresAt = new Date(now.getTime() + INVITATION_TTL_DAYS * 86_400_000);
  await asService(db, (tx) =>
    tx
      .insert(invitationTokens)
      .values({ invitationId: input.invitationId, tokenHash: hash, expiresAt, createdAt: now })
      .onConflictDoUpdate({ target: invitationTokens.invitationId, set: { tokenHash: hash, expiresAt, createdAt: now } }),
  );
  try {
    await sendMail(
      db,
      invitationMail(input.email, {
        workspaceName: input.workspaceName,
        role: input.role,
        inviterEmail: input.inviterEmail,
        url: invitationUrl(input.baseUrl, token),
        days: INVITATION_TTL_DAYS,
      }),
    );
  } catch (error) {
    if (error instanceof HttpError && error.code === 'unavailable') {
      throw new HttpError('unavailable', 'The invitation is saved, but its mail could not be sent. Use Resend in a moment.');
    }
    throw error;
  }
}

export type InvitationStatus = 'pending' | 'accepted' | 'expired';

export interface InvitationPreview {
  invitationId: string;
  workspaceId: string;
  workspaceName: string;
  email: string;
  role: Role;
  inviterEmail: string | null;
  status: InvitationStatus;
  expiresAt: Date;
}

/** What an invitation link is about, for its page (service path: the visitor is not a member). */
export async function previewInvitation(db: Db, token: string, now = new Date()): Promise<InvitationPreview | null> {
  const [row] = await asService(db, (tx) =>
    tx
      .select({
        invitationId: workspaceInvitations.id,
        workspaceId: workspaceInvitations.workspaceId,
        workspaceName: workspaces.name,
        email: workspaceInvitations.email,
        role: workspaceInvitations.role,
        inviterEmail: profiles.email,
        acceptedAt: workspaceInvitations.acceptedAt,
        expiresAt: invitationTokens.expiresAt,
      })
      .from(invitationTokens)
      .innerJoin(workspaceInvitations, eq(workspaceInvitations.id, invitationTokens.invitationId))
      .innerJoin(workspaces, eq(workspaces.id, workspaceInvitations.workspaceId))
      .leftJoin(profiles, eq(profiles.id, workspaceInvitations.invitedBy))
      .where(eq(invitationTokens.tokenHash, hashLinkToken(token))),
  );
  if (!row) return null;
  const status: InvitationStatus = row.acceptedAt ? 'accepted' : row.expiresAt.getTime() <= now.getTime() ? 'expired' : 'pending';
  const { acceptedAt: _acceptedAt, ...rest } = row;
  return { ...rest, status };
}

export interface AcceptedInvitation {
  workspaceId: string;
  role: Role;
  alreadyMember: boolean;
}

/**
 * Accepts an invitation for the signed-in user: the link must be live, and the user's own
 * sign-in address (auth.users, not the session cookie) must be verified and equal the invited one.
 * Runs on the service path, since the invitee cannot write memberships, with the invitee's claims
 * set so the activity log shows them joining.
 */
export async function acceptInvitation(db: Db, user: SessionUser, token: string, now = new Date()): Promise<AcceptedInvitation> {
  return asService(db, async (tx) => {
    const [invitation] = await tx
      .select({
        id: workspaceInvitations.id,
        workspaceId: workspaceInvitations.workspaceId,
        email: workspaceInvitations.email,
        role: workspaceInvitations.role,
        acceptedAt: workspaceInvitations.acceptedAt,
        expiresAt: invitationTokens.expiresAt,
      })
      .from(invitationTokens)
      .innerJoin(workspaceInvitations, eq(workspaceInvitations.id, invitationTokens.invitationId))
      .where(eq(invitationTokens.tokenHash, hashLinkToken(token)))
      .for('update', { of: workspaceInvitations });
    if (!invitation) throw notFound(INVALID_INVITATION_LINK);
    if (invitation.acceptedAt) throw new HttpError('conflict', 'This invitation has already been accepted; its link works once.');
    if (invitation.expiresAt.getTime() <= now.getTime()) {
      throw new HttpError('conflict', 'This invitation link has expired. Ask whoever invited you to send it again.');
    }
    const [account] = await tx
      .select({ email: authUsers.email, confirmedAt: authUsers.emailConfirmedAt })
      .from(authUsers)
      .where(eq(authUsers.id, user.userId));
    if (!account) throw unauthorized();
    const email = (account.email ?? '').toLowerCase();
    if (email !== invitation.email) {
      throw forbidden(`This invitation was sent to ${invitation.email}, and you are signed in as ${email}. Sign in with the invited address to accept it.`);
    }
    if (!account.confirmedAt) {
      throw forbidden(`Verify ${email} first: follow the link in the verification mail, then accept the invitation.`);
    }
    const claims = JSON.stringify({ sub: user.userId, email, role: 'authenticated', aud: 'authenticated' });
    await tx.execute(sql`select set_config('request.jwt.claims', ${claims}, true)`);
    const inserted = await tx
      .insert(workspaceMembers)
      .values({ workspaceId: invitation.workspaceId, userId: user.userId, role: invitation.role })
      .onConflictDoNothing()
      .returning({ role: workspaceMembers.role });
    await tx.update(workspaceInvitations).set({ acceptedAt: now, updatedAt: now }).where(eq(workspaceInvitations.id, invitation.id));
    if (inserted.length > 0) return { workspaceId: invitation.workspaceId, role: invitation.role, alreadyMember: false };
    const [existing] = await tx
      .select({ role: workspaceMembers.role })
      .from(workspaceMembers)
      .where(and(eq(workspaceMembers.workspaceId, invitation.workspaceId), eq(workspaceMembers.userId, user.userId)));
    return { workspaceId: invitation.workspaceId, role: existing.role, alreadyMember: true };
  });
}

/** Sends a pending invitation again with a new link (the old one stops working). */
export async function resendInvitation(
  db: Db,
  user: SessionUser,
  workspaceId: string,
  invitationId: string,
  baseUrl: string,
): Promise<{ ok: true; email: string }> {
  const invitation = await inWorkspace(db, user, workspaceId, 'admin', async ({ tx, role }) => {
    const [row] = await tx
      .select({ email: workspaceInvitations.email, role: workspaceInvitations.role, workspaceName: workspaces.name })
      .from(workspaceInvitations)
      .innerJoin(workspaces, eq(workspaces.id, workspaceInvitations.workspaceId))
      .where(
        and(
          eq(workspaceInvitations.id, invitationId),
          eq(workspaceInvitations.workspaceId, workspaceId),
          isNull(workspaceInvitations.acceptedAt),
        ),
      );
    if (!row) throw notFound('That invitation does not exist or was already accepted.');
    if (row.role === 'owner' && role !== 'owner') throw forbidden('Only an owner can resend an invitation to become an owner.');
    return row;
  });
  if (!(await takeMailSlot(db, `invitation:${invitationId}`, INVITATION_RESENDS_PER_HOUR, 60))) {
    throw new HttpError('rate_limited', 'This invitation was sent several times in the last hour. Try again later.');
  }
  await issueInvitationLink(db, { invitationId, ...invitation, inviterEmail: user.email, baseUrl });
  return { ok: true, email: invitation.email };
}
