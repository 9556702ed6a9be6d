// Starting syncs: the run is queued here, and lib/jobs decides who runs it (Inngest or the
// in-process runner). The same domain functions run either way.
import type { Db } from '../db/engine';
import { asService } from '../db/rls';
import { dispatch } from '../jobs/dispatch';
import { syncRequested } from '../jobs/syncs';
import { claimDueConnections } from './schedule';
import { requestSync, type SyncRequest } from './runs';

/** The in-process runner lives with the other job machinery; re-exported for existing callers. */
export { inProcessRunner } from '../jobs/syncs';

export async function startSync(db: Db, request: SyncRequest & { provider: string }): Promise<{ runId: string; created: boolean }> {
  const result = await requestSync(db, request);
  if (result.created) await dispatch(db, syncRequested({ runId: result.runId, connectionId: request.connectionId, provider: request.provider }));
  return result;
}

/** Creates runs for every due scheduled connection; the cron function and the embedded scheduler share it. */
export async function requestDueSyncs(db: Db): Promise<{ runId: string; connectionId: string; provider: string }[]> {
  const due = await asService(db, (tx) => claimDueConnections(tx));
  const created = [];
  for (const connection of due) {
    const result = await requestSync(db, {
      workspaceId: connection.workspaceId,
      connectionId: connection.id,
      trigger: 'schedule',
      mode: 'incremental',
    });
    if (result.created) created.push({ runId: result.runId, connectionId: connection.id, provider: connection.provider });
  }
  return created;
}
