// How often each schedule runs, and the SQL that claims due connections exactly once.
import { sql } from 'drizzle-orm';
import { rowsOf, type Queryable } from '../db/engine';
import type { SCHEDULES } from '../db/schema';

export type Schedule = (typeof SCHEDULES)[number];

export const SCHEDULE_INTERVAL_MINUTES: Record<Schedule, number | null> = {
  manual: null,
  every_15_minutes: 15,
  hourly: 60,
  daily: 24 * 60,
};

export function nextSyncAt(schedule: Schedule, from = new Date()): Date | null {
  const minutes = SCHEDULE_INTERVAL_MINUTES[schedule];
  return minutes === null ? null : new Date(from.getTime() + minutes * 60_000);
}

/**
 * Claims active, scheduled connections whose time has come by moving their next_sync_at forward
 * in the same statement: two schedulers running at once never enqueue one connection twice.
 */
export async function claimDueConnections(tx: Queryable, limit = 100): Promise<{ id: string; workspaceId: string; provider: string }[]> {
  return rowsOf<{ id: string; workspaceId: string; provider: string }>(
    await tx.execute(sql`
      update public.connections c set next_sync_at = now() + case c.schedule
          when 'every_15_minutes' then interval '15 minutes'
          when 'hourly' then interval '1 hour'
          else interval '1 day' end
      where c.id in (
        select id from public.connections
        where status = 'active' and schedule <> 'manual' and next_sync_at is not null and next_sync_at <= now()
        order by next_sync_at
        limit ${limit}
        for update skip locked)
      returning c.id, c.workspace_id as "workspaceId", c.provider`),
  );
}
