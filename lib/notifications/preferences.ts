// A member's own notification preferences in one workspace. No row means the defaults
// (DEFAULT_PREFERENCES); saving writes the member's own row as the user (policies allow no other).
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { SessionUser } from '../auth/session-token';
import type { Db } from '../db/engine';
import { asService } from '../db/rls';
import { authUsers, notificationPreferences } from '../db/schema';
import { HEALTH_SEVERITIES } from '../health/types';
import { inWorkspace } from '../workspaces/access';
import { DEFAULT_PREFERENCES, EMAIL_MODES, type NotificationPreferences } from './decide';

export const preferencesSchema = z
  .object({
    minSeverity: z.enum(HEALTH_SEVERITIES, { error: `minSeverity must be one of: ${HEALTH_SEVERITIES.join(', ')}` }),
    email: z.enum(EMAIL_MODES, { error: `email must be one of: ${EMAIL_MODES.join(', ')}` }),
  })
  .strict();

export interface PreferencesView extends NotificationPreferences {
  /** True while nothing is saved and the defaults apply. */
  isDefault: boolean;
  /** Mail reaches only a verified address; the form says so when it is not. */
  emailVerified: boolean;
}

async function emailVerified(db: Db, userId: string): Promise<boolean> {
  // The member's own account row, read on the service path (auth.users is not granted to users).
  const [row] = await asService(db, (tx) =>
    tx.select({ confirmedAt: authUsers.emailConfirmedAt }).from(authUsers).where(eq(authUsers.id, userId)),
  );
  return !!row?.confirmedAt;
}

export async function getPreferences(db: Db, user: SessionUser, workspaceId: string): Promise<PreferencesView> {
  const saved = await inWorkspace(db, user, workspaceId, 'viewer', async ({ tx }) => {
    const [row] = await tx
      .select({ minSeverity: notificationPreferences.minSeverity, email: notificationPreferences.email })
      .from(notificationPreferences)
      .where(and(eq(notificationPreferences.workspaceId, workspaceId), eq(notificationPreferences.userId, user.userId)));
    return row ?? null;
  });
  return { ...(saved ?? DEFAULT_PREFERENCES), isDefault: !saved, emailVerified: await emailVerified(db, user.userId) };
}

export async function savePreferences(
  db: Db,
  user: SessionUser,
  workspaceId: string,
  input: z.infer<typeof preferencesSchema>,
): Promise<PreferencesView> {
  await inWorkspace(db, user, workspaceId, 'viewer', ({ tx }) =>
    tx
      .insert(notificationPreferences)
      .values({ workspaceId, userId: sql`auth.uid()`, minSeverity: input.minSeverity, email: input.email })
      .onConflictDoUpdate({
        target: [notificationPreferences.workspaceId, notificationPreferences.userId],
        set: { minSeverity: input.minSeverity, email: input.email },
      }),
  );
  return { ...input, isDefault: false, emailVerified: await emailVerified(db, user.userId) };
}
