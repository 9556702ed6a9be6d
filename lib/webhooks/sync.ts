// Starting the incremental sync that deliveries ask for. Unlike a manual sync it starts a moment
// after it is queued: every delivery processed in that moment joins the queued run instead of
// finding it already running, which is what turns a burst into one run (or two) instead of many.
import type { Db } from '../db/engine';
import { EVENTS, inngest, jobRunner } from '../inngest/client';
import { inProcessRunner } from '../sync/jobs';
import { failRun, requestSync } from '../sync/runs';

export const SYNC_START_DELAY_MS = 1_000;

export async function requestWebhookSync(
  db: Db,
  request: { workspaceId: string; connectionId: string; provider: string; resource: string | null },
): Promise<{ runId: string; created: boolean }> {
  const result = await requestSync(db, { ...request, trigger: 'webhook', mode: 'incremental' });
  if (!result.created) return result;
  const runner = jobRunner();
  if (runner === 'inngest') {
    const data = { runId: result.runId, connectionId: request.connectionId, provider: request.provider };
    try {
      await inngest.send({ name: EVENTS.syncRequested, data, ts: Date.now() + SYNC_START_DELAY_MS });
    } catch (error) {
      // A queued run nobody will start would swallow every later delivery: end it, let them retry.
      await failRun(db, result.runId, `The sync could not be scheduled: ${(error as Error).message}`);
      throw error;
    }
  } else if (runner === 'in-process') {
    // If the process stops before this fires, the run is still queued and resumes on the next start.
    setTimeout(() => void inProcessRunner(db).enqueue(result.runId, request.connectionId), SYNC_START_DELAY_MS).unref();
  }
  return result;
}
