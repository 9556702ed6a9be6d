// Requesting push runs: a queued sync run with direction 'push' on the destination connection,
// deduplicated per push (a request while one is queued or running joins it). Who runs it is
// lib/jobs' decision (pushRequested in lib/jobs/pushes.ts).
import crypto from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/engine';
import { rowsOf } from '../db/engine';
import { asService } from '../db/rls';
import { connections, pushConfigurations, syncRuns } from '../db/schema';
import type { SyncTrigger } from '../sync/runs';

export interface PushRequest {
  workspaceId: string;
  pushId: string;
  trigger: SyncTrigger;
  requestedBy?: string | null;
}

export interface RequestedPush {
  runId: string;
  created: boolean;
  connectionId: string;
  provider: string;
}

export async function requestPush(db: Db, request: PushRequest): Promise<RequestedPush> {
  return asService(db, async (tx) => {
    const [config] = await tx
      .select({ id: pushConfigurations.id, connectionId: pushConfigurations.connectionId })
      .from(pushConfigurations)
      .where(and(eq(pushConfigurations.id, request.pushId), eq(pushConfigurations.workspaceId, request.workspaceId)));
    if (!config) throw new Error(`Push ${request.pushId} is not in workspace ${request.workspaceId}`);
    // The connection row's lock serialises requests, as pull syncs do.
    const [connection] = await tx
      .select({ provider: connections.provider })
      .from(connections)
      .where(and(eq(connections.id, config.connectionId), eq(connections.workspaceId, request.workspaceId)))
      .for('update');
    if (!connection) throw new Error(`Connection ${config.connectionId} is gone`);
    const [active] = await tx
      .select({ id: syncRuns.id })
      .from(syncRuns)
      .where(and(eq(syncRuns.pushId, config.id), inArray(syncRuns.status, ['queued', 'running'])))
      .limit(1);
    const base = { connectionId: config.connectionId, provider: connection.provider };
    if (active) return { runId: active.id, created: false, ...base };
    const runId = crypto.randomUUID();
    await tx.insert(syncRuns).values({
      id: runId,
      workspaceId: request.workspaceId,
      connectionId: config.connectionId,
      trigger: request.trigger,
      mode: 'incremental',
      direction: 'push',
      pushId: config.id,
      requestedBy: request.requestedBy ?? null,
    });
    return { runId, created: true, ...base };
  });
}

/**
 * Claims pushes whose schedule has come by moving next_run_at forward in the same statement, so two
 * schedulers never both request one. The run's end sets the next time from its finish.
 */
export async function claimDuePushes(db: Db, limit = 100): Promise<{ id: string; workspaceId: string }[]> {
  return asService(db, async (tx) =>
    rowsOf<{ id: string; workspaceId: string }>(
      await tx.execute(sql`
        update public.push_configurations p set next_run_at = now() + case p.schedule
            when 'hourly' then interval '1 hour' else interval '1 day' end
        where p.id in (
          select id from public.push_configurations
          where enabled and schedule <> 'manual' and next_run_at is not null and next_run_at <= now()
          order by next_run_at limit ${limit}
          for update skip locked)
        returning p.id, p.workspace_id as "workspaceId"`),
    ),
  );
}

/** The enabled pushes that follow a source connection's changes. */
export async function pushesFollowing(db: Db, workspaceId: string, sourceConnectionId: string): Promise<{ id: string }[]> {
  return asService(db, (tx) =>
    tx
      .select({ id: pushConfigurations.id })
      .from(pushConfigurations)
      .where(
        and(
          eq(pushConfigurations.workspaceId, workspaceId),
          eq(pushConfigurations.enabled, true),
          eq(pushConfigurations.pushOnSourceChange, true),
          sql`${sourceConnectionId}::uuid = any(${pushConfigurations.sourceConnectionIds})`,
        ),
      ),
  );
}
