// Members and invitations. Adding someone by email always makes an invitation and mails its link
// (the same answer whether or not the address has an account); the invitee joins by accepting it,
// signed in with that address verified (see invitations.ts). Nothing is granted to an address
// nobody has proven they own.
import { and, asc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { emailSchema } from '../auth/local-accounts';
import type { SessionUser } from '../auth/session-token';
import { revokeUserSessions } from '../auth/sessions';
import type { Db } from '../db/engine';
import { profiles, ROLES, workspaceInvitations, workspaceMembers, workspaces, type Role } from '../db/schema';
import { forbidden, HttpError, notFound } from '../http/errors';
import { defaultLinkBase } from '../mail/config';
import { inWorkspace, type WorkspaceScope } from './access';
import { issueInvitationLink } from './invitations';

export const roleSchema = z.enum(ROLES, { error: `Role must be one of: ${ROLES.join(', ')}` });
export const addMemberSchema = z.object({ email: emailSchema, role: roleSchema });
export const changeRoleSchema = z.object({ role: roleSchema });

export interface MemberView {
  userId: string;
  email: string;
  displayName: string | null;
  role: Role;
  joinedAt: Date;
}

export interface InvitationView {
  id: string;
  email: string;
  role: Role;
  createdAt: Date;
}

export async function listMembers(db: Db, user: SessionUser, workspaceId: string) {
  return inWorkspace(db, user, workspaceId, 'viewer', async ({ tx, role }) => {
    const members: MemberView[] = await tx
      .select({
        userId: workspaceMembers.userId,
        email: profiles.email,
        displayName: profiles.displayName,
        role: workspaceMembers.role,
        joinedAt: workspaceMembers.createdAt,
      })
      .from(workspaceMembers)
      .innerJoin(profiles, eq(profiles.id, workspaceMembers.userId))
      .where(eq(workspaceMembers.workspaceId, workspaceId))
      .orderBy(asc(profiles.email));
    const invitations: InvitationView[] = await tx
      .select({
        id: workspaceInvitations.id,
        email: workspaceInvitations.email,
        role: workspaceInvitations.role,
        createdAt: workspaceInvitations.createdAt,
      })
      .from(workspaceInvitations)
      .where(and(eq(workspaceInvitations.workspaceId, workspaceId), isNull(workspaceInvitations.acceptedAt)))
      .orderBy(asc(workspaceInvitations.email));
    return { members, invitations, myRole: role };
  });
}

function assertMayGrant(scope: WorkspaceScope, role: Role) {
  if (role === 'owner' && scope.role !== 'owner') throw forbidden('Only an owner can make someone an owner.');
}

export interface AddMemberAnswer {
  outcome: 'invited';
  email: string;
  role: Role;
}

/**
 * Invites an address to the workspace and mails it the invitation's link. Whether an account
 * holds the address is never looked up, so the answer cannot tell anyone.
 */
export async function addMember(
  db: Db,
  user: SessionUser,
  workspaceId: string,
  input: z.infer<typeof addMemberSchema>,
  options: { baseUrl?: string } = {},
): Promise<AddMemberAnswer> {
  const invitation = await inWorkspace(db, user, workspaceId, 'admin', async (scope) => {
    assertMayGrant(scope, input.role);
    const { tx } = scope;
    // Co-members' profiles (their sign-in emails) are visible to an admin: this tells nothing the
    // member list does not.
    const [member] = await tx
      .select({ userId: workspaceMembers.userId })
      .from(workspaceMembers)
      .innerJoin(profiles, eq(profiles.id, workspaceMembers.userId))
      .where(and(eq(workspaceMembers.workspaceId, workspaceId), eq(profiles.email, input.email)));
    if (member) throw new HttpError('already_exists', `${input.email} is already a member of this workspace.`);
    const inserted = await tx
      .insert(workspaceInvitations)
      .values({ workspaceId, email: input.email, role: input.role, invitedBy: user.userId })
      .onConflictDoNothing()
      .returning({ id: workspaceInvitations.id });
    if (inserted.length === 0) throw new HttpError('already_exists', `${input.email} has already been invited.`);
    const [workspace] = await tx.select({ name: workspaces.name }).from(workspaces).where(eq(workspaces.id, workspaceId));
    return { id: inserted[0].id, workspaceName: workspace.name };
  });
  await issueInvitationLink(db, {
    invitationId: invitation.id,
    email: input.email,
    role: input.role,
    workspaceName: invitation.workspaceName,
    inviterEmail: user.email,
    baseUrl: options.baseUrl ?? defaultLinkBase(),
  });
  return { outcome: 'invited', email: input.email, role: input.role };
}

async function targetMembership(scope: WorkspaceScope, userId: string) {
  const [target] = await scope.tx
    .select({ role: workspaceMembers.role })
    .from(workspaceMembers)
    .where(and(eq(workspaceMembers.workspaceId, scope.workspaceId), eq(workspaceMembers.userId, userId)));
  if (!target) throw notFound('That person is not a member of this workspace.');
  return target;
}

export async function changeMemberRole(
  db: Db,
  user: SessionUser,
  workspaceId: string,
  userId: string,
  role: Role,
): Promise<void> {
  const changed = await inWorkspace(db, user, workspaceId, 'admin', async (scope) => {
    const target = await targetMembership(scope, userId);
    if (target.role === 'owner' && scope.role !== 'owner') throw forbidden("Only an owner can change an owner's role.");
    assertMayGrant(scope, role);
    await scope.tx
      .update(workspaceMembers)
      .set({ role })
      .where(and(eq(workspaceMembers.workspaceId, workspaceId), eq(workspaceMembers.userId, userId)));
    return target.role !== role;
  });
  // Someone else's privileges changed: their sessions end, and they sign in again under the new role.
  if (changed && userId !== user.userId) await revokeUserSessions(db, userId);
}

/** Admins remove others; anyone may leave (except the last owner, which the database refuses). */
export async function removeMember(db: Db, user: SessionUser, workspaceId: string, userId: string): Promise<void> {
  const leaving = userId === user.userId;
  await inWorkspace(db, user, workspaceId, leaving ? 'viewer' : 'admin', async (scope) => {
    const target = await targetMembership(scope, userId);
    if (!leaving && target.role === 'owner' && scope.role !== 'owner') {
      throw forbidden('Only an owner can remove an owner.');
    }
    await scope.tx
      .delete(workspaceMembers)
      .where(and(eq(workspaceMembers.workspaceId, workspaceId), eq(workspaceMembers.userId, userId)));
  });
  if (!leaving) await revokeUserSessions(db, userId);
}

export async function revokeInvitation(db: Db, user: SessionUser, workspaceId: string, invitationId: string) {
  await inWorkspace(db, user, workspaceId, 'admin', async ({ tx }) => {
    const deleted = await tx
      .delete(workspaceInvitations)
      .where(
        and(
          eq(workspaceInvitations.id, invitationId),
          eq(workspaceInvitations.workspaceId, workspaceId),
          isNull(workspaceInvitations.acceptedAt),
        ),
      )
      .returning({ id: workspaceInvitations.id });
    if (deleted.length === 0) throw notFound('That invitation does not exist or was already accepted.');
  });
}
