import crypto from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/engine';
import { pgErrorCode, PG } from '../db/errors';
import { asUser } from '../db/rls';
import { unauthorized } from '../http/errors';
import { workspaceMembers, workspaces, type Role } from '../db/schema';
import type { SessionUser } from '../auth/session-token';
import { claimsOf, inWorkspace } from './access';

export const workspaceNameSchema = z
  .string({ error: 'Name is required' })
  .trim()
  .min(1, { error: 'Name is required' })
  .max(80, { error: 'Use at most 80 characters' });

export interface WorkspaceSummary {
  id: string;
  name: string;
  role: Role;
  createdAt: Date;
}

export async function listMyWorkspaces(db: Db, user: SessionUser): Promise<WorkspaceSummary[]> {
  return asUser(db, claimsOf(user), (tx) =>
    tx
      .select({ id: workspaces.id, name: workspaces.name, role: workspaceMembers.role, createdAt: workspaces.createdAt })
      .from(workspaces)
      .innerJoin(workspaceMembers, eq(workspaceMembers.workspaceId, workspaces.id))
      .where(eq(workspaceMembers.userId, user.userId))
      .orderBy(asc(workspaces.name), asc(workspaces.createdAt)),
  );
}

export async function createWorkspace(db: Db, user: SessionUser, name: string): Promise<WorkspaceSummary> {
  // The id is made here rather than RETURNING'd: the new row becomes visible to its creator only
  // once the membership trigger has run, after the insert's own RLS checks.
  const id = crypto.randomUUID();
  try {
    await asUser(db, claimsOf(user), (tx) => tx.insert(workspaces).values({ id, name, createdBy: user.userId }));
  } catch (error) {
    // A session outliving its account (deleted since it signed in) names a user no row can refer to.
    if (pgErrorCode(error) === PG.foreignKeyViolation) throw unauthorized();
    throw error;
  }
  return inWorkspace(db, user, id, 'viewer', async ({ tx, role }) => {
    const [row] = await tx.select().from(workspaces).where(eq(workspaces.id, id));
    return { id, name: row.name, role, createdAt: row.createdAt };
  });
}

export async function getWorkspace(db: Db, user: SessionUser, workspaceId: string): Promise<WorkspaceSummary> {
  return inWorkspace(db, user, workspaceId, 'viewer', async ({ tx, role }) => {
    const [row] = await tx.select().from(workspaces).where(eq(workspaces.id, workspaceId));
    return { id: row.id, name: row.name, role, createdAt: row.createdAt };
  });
}

export async function renameWorkspace(db: Db, user: SessionUser, workspaceId: string, name: string): Promise<void> {
  await inWorkspace(db, user, workspaceId, 'admin', ({ tx }) =>
    tx.update(workspaces).set({ name }).where(eq(workspaces.id, workspaceId)),
  );
}
