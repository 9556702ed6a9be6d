// Activity written on a user's behalf or by background work. The log is append-only for every
// API role, so entries go through the service path with the workspace and actor explicit.
import type { SessionUser } from '../auth/session-token';
import type { Db } from '../db/engine';
import { asService } from '../db/rls';
import { recordActivity, type ActivityInput } from './activity';

export async function logActivity(
  db: Db,
  actor: SessionUser | null,
  entry: Omit<ActivityInput, 'actorId' | 'actorEmail'>,
): Promise<void> {
  await asService(db, (tx) =>
    recordActivity(tx, { ...entry, actorId: actor?.userId ?? null, actorEmail: actor?.email ?? null }),
  );
}
