// Starting the incremental sync that deliveries ask for. Unlike a manual sync it starts a moment
// after it is queued: every delivery processed in that moment joins the queued run instead of
// finding it already running, which is what turns a burst into one run (or two) instead of many.
import type { Db } from '../db/engine';
import { dispatch } from '../jobs/dispatch';
import { syncRequested } from '../jobs/syncs';
import { failRun, requestSync } from '../sync/runs';

export const SYNC_START_DELAY_MS = 1_000;

export async function requestWebhookSync(
  db: Db,
  request: { workspaceId: string; connectionId: string; provider: string; resource: string | null },
): Promise<{ runId: string; created: boolean }> {
  const result = await requestSync(db, { ...request, trigger: 'webhook', mode: 'incremental' });
  if (!result.created) return result;
  const job = syncRequested({ runId: result.runId, connectionId: request.connectionId, provider: request.provider }, { delayMs: SYNC_START_DELAY_MS });
  try {
    await dispatch(db, job);
  } catch (error) {
    // A queued run nobody will start would swallow every later delivery: end it, let them retry.
    await failRun(db, result.runId, `The sync could not be scheduled: ${(error as Error).message}`);
    throw error;
  }
  return result;
}
