// A run whose worker vanished (no heartbeat for a while) would otherwise block its connection
// forever: fail it so the next request can start a new one.
import { and, eq, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/engine';
import { asService } from '../db/rls';
import { syncRuns } from '../db/schema';
import { failPushRun } from '../push/engine';
import { failRun, staleRunMs } from './runs';

/** 30 unless SYNC_STALE_RUN_SECONDS moves it (lib/sync/runs.ts staleRunMs). */
export const STALE_AFTER_MINUTES = staleRunMs() / 60_000;

export async function reapStaleRuns(db: Db, staleAfterMinutes = staleRunMs() / 60_000): Promise<{ reaped: number }> {
  const stale = await asService(db, (tx) =>
    tx
      .select({ id: syncRuns.id, direction: syncRuns.direction })
      .from(syncRuns)
      .where(and(eq(syncRuns.status, 'running'), lt(syncRuns.heartbeatAt, sql`now() - make_interval(secs => ${staleAfterMinutes * 60})`))),
  );
  for (const run of stale) {
    const reason = `No progress for ${staleAfterMinutes} minutes; the worker stopped.`;
    // A push run's failure is the push's (Activity push.run_failed), not counted against its connection's syncs.
    await (run.direction === 'push' ? failPushRun(db, run.id, reason) : failRun(db, run.id, reason));
  }
  return { reaped: stale.length };
}
