// A run whose worker vanished (no heartbeat for a while) would otherwise block its connection
// forever: fail it so the next request can start a new one.
import { and, eq, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/engine';
import { asService } from '../db/rls';
import { syncRuns } from '../db/schema';
import { failRun } from './runs';

export const STALE_AFTER_MINUTES = 30;

export async function reapStaleRuns(db: Db, staleAfterMinutes = STALE_AFTER_MINUTES): Promise<{ reaped: number }> {
  const stale = await asService(db, (tx) =>
    tx
      .select({ id: syncRuns.id })
      .from(syncRuns)
      .where(and(eq(syncRuns.status, 'running'), lt(syncRuns.heartbeatAt, sql`now() - make_interval(mins => ${staleAfterMinutes})`))),
  );
  for (const run of stale) await failRun(db, run.id, `No progress for ${staleAfterMinutes} minutes; the worker stopped.`);
  return { reaped: stale.length };
}
