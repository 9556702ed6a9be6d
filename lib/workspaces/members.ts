// Members and invitations. Adding someone who has no account yet leaves an invitation that turns
// into a membership when they sign up with that email (a database trigger does it).
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { emailSchema } from '../auth/local-accounts';
import type { SessionUser } from '../auth/session-token';
import { rowsOf, type Db } from '../db/engine';
import { asService } from '../db/rls';
import { profiles, ROLES, workspaceInvitations, workspaceMembers, type Role } from '../db/schema';
import { forbidden, HttpError, notFound } from '../http/errors';
import { inWorkspace, type WorkspaceScope } from './access';

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

/** Account ids by email come from the service path: profiles of strangers are hidden by RLS. */
async function findUserIdByEmail(db: Db, email: string): Promise<string | null> {
  const rows = await asService(db, async (tx) =>
    rowsOf<{ id: string }>(await tx.execute(sql`select id from public.profiles where email = ${email} limit 1`)),
  );
  return rows[0]?.id ?? null;
}

export async function addMember(
  db: Db,
  user: SessionUser,
  workspaceId: string,
  input: z.infer<typeof addMemberSchema>,
): Promise<{ outcome: 'added' | 'invited' }> {
  const existingUserId = await findUserIdByEmail(db, input.email);
  return inWorkspace(db, user, workspaceId, 'admin', async (scope) => {
    assertMayGrant(scope, input.role);
    const { tx } = scope;
    if (existingUserId) {
      const inserted = await tx
        .insert(workspaceMembers)
        .values({ workspaceId, userId: existingUserId, role: input.role })
        .onConflictDoNothing()
        .returning({ userId: workspaceMembers.userId });
      if (inserted.length === 0) throw new HttpError(409, `${input.email} is already a member of this workspace.`);
      return { outcome: 'added' as const };
    }
    const inserted = await tx
      .insert(workspaceInvitations)
      .values({ workspaceId, email: input.email, role: input.role, invitedBy: user.userId })
      .onConflictDoNothing()
      .returning({ id: workspaceInvitations.id });
    if (inserted.length === 0) throw new HttpError(409, `${input.email} has already been invited.`);
    return { outcome: 'invited' as const };
  });
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
  await inWorkspace(db, user, workspaceId, 'admin', async (scope) => {
    const target = await targetMembership(scope, userId);
    if (target.role === 'owner' && scope.role !== 'owner') throw forbidden("Only an owner can change an owner's role.");
    assertMayGrant(scope, role);
    await scope.tx
      .update(workspaceMembers)
      .set({ role })
      .where(and(eq(workspaceMembers.workspaceId, workspaceId), eq(workspaceMembers.userId, userId)));
  });
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
