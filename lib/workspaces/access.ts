// Opens a user's view of one workspace: an RLS transaction plus the user's role in it.
// The role check here only makes the answer readable (404/403 with a reason); the database's
// policies enforce the same rules underneath.
import { and, eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/engine';
import { asUser } from '../db/rls';
import { workspaceMembers, type Role } from '../db/schema';
import { forbidden, HttpError, notFound } from '../http/errors';
import { httpErrorFromDatabase } from '../http/route';
import type { SessionUser } from '../auth/session-token';

const RANK: Record<Role, number> = { viewer: 1, member: 2, admin: 3, owner: 4 };

export const WORKSPACE_NOT_FOUND = 'Workspace not found, or you are not a member of it.';

export function roleAtLeast(role: Role, minimum: Role): boolean {
  return RANK[role] >= RANK[minimum];
}

export function claimsOf(user: SessionUser) {
  return { sub: user.userId, email: user.email };
}

export interface WorkspaceScope {
  tx: Tx;
  user: SessionUser;
  workspaceId: string;
  role: Role;
}

export async function inWorkspace<T>(
  db: Db,
  user: SessionUser,
  workspaceId: string,
  minimum: Role,
  work: (scope: WorkspaceScope) => Promise<T>,
): Promise<T> {
  return asUser(db, claimsOf(user), async (tx) => {
    const [membership] = await tx
      .select({ role: workspaceMembers.role })
      .from(workspaceMembers)
      .where(and(eq(workspaceMembers.workspaceId, workspaceId), eq(workspaceMembers.userId, sql`auth.uid()`)));
    if (!membership) throw notFound(WORKSPACE_NOT_FOUND);
    if (!roleAtLeast(membership.role, minimum)) {
      throw forbidden(`This needs the ${minimum} role or higher; you are ${article(membership.role)} ${membership.role}.`);
    }
    return work({ tx, user, workspaceId, role: membership.role });
  }).catch((error: unknown) => {
    throw readableDatabaseError(error);
  });
}

/** Rules the database enforces (policies, the last-owner trigger) become answers with a reason. */
function readableDatabaseError(error: unknown): unknown {
  if (error instanceof HttpError) return error;
  return httpErrorFromDatabase(error) ?? error;
}

function article(role: Role) {
  return role === 'owner' || role === 'admin' ? 'an' : 'a';
}
