// Nothing acknowledged is lost: a delivery is committed before its 2xx, and if the process dies
// before processing it (or while processing it) the sweeper finds it. Rows left 'processing' by a
// worker that vanished go back to 'received'; every due 'received' row is processed again.
// Deleting old deliveries is not the sweeper's job: lib/retention runs daily for that.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/engine';
import { rowsOf } from '../db/engine';
import { asService } from '../db/rls';
import { processAllDue, type ProcessReport } from './process';

/** A claim older than this belongs to a worker that died (a batch takes well under a second). */
export const STALE_CLAIM_MS = 60_000;

export async function reclaimStaleEvents(db: Db, staleAfterMs = STALE_CLAIM_MS): Promise<number> {
  return asService(db, async (tx) =>
    rowsOf(
      await tx.execute(sql`
        update public.webhook_events set status = 'received', claimed_at = null, next_attempt_at = null
        where status = 'processing' and claimed_at < now() - make_interval(secs => ${staleAfterMs / 1000})
        returning 1`),
    ).length,
  );
}

/** Connections that have events due now (the Inngest sweeper sends one event for each). */
export async function connectionsWithDueEvents(db: Db): Promise<string[]> {
  const rows = await asService(db, async (tx) =>
    rowsOf<{ connection_id: string }>(
      await tx.execute(sql`
        select distinct connection_id from public.webhook_events
        where status = 'received' and connection_id is not null and (next_attempt_at is null or next_attempt_at <= now())`),
    ),
  );
  return rows.map((row) => row.connection_id);
}

/** Reclaims, then processes everything due, here and now. */
export async function sweepWebhooks(db: Db, options: { staleAfterMs?: number } = {}): Promise<ProcessReport & { reclaimed: number }> {
  const reclaimed = await reclaimStaleEvents(db, options.staleAfterMs);
  return { reclaimed, ...(await processAllDue(db)) };
}
