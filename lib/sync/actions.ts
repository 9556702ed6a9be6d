// What admins do with syncs from the UI: start one now, or cancel one.
import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { SessionUser } from '../auth/session-token';
import type { Db } from '../db/engine';
import { asService } from '../db/rls';
import { syncRuns } from '../db/schema';
import { HttpError } from '../http/errors';
import { recordActivity } from '../activity/activity';
import { findConnection } from '../connections/connections';
import { inWorkspace } from '../workspaces/access';
import { startSync } from './jobs';

export const syncNowSchema = z.object({
  mode: z.enum(['full', 'incremental'], { error: 'mode must be full or incremental' }).default('incremental'),
});

export async function syncNow(db: Db, user: SessionUser, workspaceId: string, connectionId: string, mode: 'full' | 'incremental') {
  const connection = await findConnection(db, user, workspaceId, connectionId, 'admin');
  if (!['active', 'error'].includes(connection.status)) {
    const why = connection.status === 'needs_reauth' ? 'needs to be reconnected first' : `is ${connection.status}`;
    throw new HttpError('conflict', `${connection.displayName} ${why}; it cannot sync now.`);
  }
  const result = await startSync(db, { workspaceId, connectionId, provider: connection.provider, trigger: 'manual', mode, requestedBy: user.userId });
  if (result.created) {
    await asService(db, (tx) =>
      recordActivity(tx, {
        workspaceId,
        actorId: user.userId,
        actorEmail: user.email,
        action: 'sync.requested',
        targetType: 'sync_run',
        targetId: result.runId,
        details: { provider: connection.provider, mode },
      }),
    );
  }
  return result;
}

/** Cancels a queued or running run; the engine stops before its next page. */
export async function cancelRun(db: Db, user: SessionUser, workspaceId: string, runId: string) {
  const cancelled = await inWorkspace(db, user, workspaceId, 'admin', async ({ tx }) =>
    tx
      .update(syncRuns)
      .set({ status: 'cancelled', finishedAt: new Date(), error: `Cancelled by ${user.email}` })
      .where(and(eq(syncRuns.id, runId), eq(syncRuns.workspaceId, workspaceId), inArray(syncRuns.status, ['queued', 'running'])))
      .returning({ id: syncRuns.id }),
  );
  if (cancelled.length === 0) throw new HttpError('conflict', 'That run is not queued or running any more.');
  return { cancelled: true };
}
