// The emission points' side of the contract: each shared module (lib/sync, lib/actions) calls one
// of these in the transaction that records what happened, and they shape the payload. Payloads
// name the connection (provider, display name): looked up only when some enabled endpoint of the
// workspace subscribes to the type, so with no endpoint an emission costs one indexed query.
// connection.status_changed is written by a database trigger instead (every path that changes a
// connection's status, whoever runs it, emits it; see 20261207000300_outbound_webhooks.sql).
import { sql } from 'drizzle-orm';
import type { Queryable } from '../db/engine';
import { rowsOf } from '../db/engine';
import { emitEvent } from './emit';
import type { WorkspaceEventType } from './types';

interface ConnectionRef {
  connectionId: string;
  provider: string;
  displayName: string;
}

/** The connection as payloads name it, or null when no enabled endpoint wants `type`. */
async function subscribedConnection(tx: Queryable, connectionId: string, type: WorkspaceEventType): Promise<ConnectionRef | null> {
  const [row] = rowsOf<{ provider: string; display_name: string }>(
    await tx.execute(sql`
      select c.provider, c.display_name from public.connections c
      where c.id = ${connectionId}
        and exists (select 1 from public.outbound_endpoints e
                    where e.workspace_id = c.workspace_id and e.enabled and ${type} = any(e.event_types))`),
  );
  return row ? { connectionId, provider: row.provider, displayName: row.display_name } : null;
}

/** One page (or one batch of pages) stored: the provider ids that changed, per resource. */
export async function emitRecordsChanged(
  tx: Queryable,
  target: { workspaceId: string; connectionId: string; resource: string },
  ids: { created?: string[]; updated?: string[]; deleted?: string[] },
): Promise<void> {
  const created = ids.created ?? [];
  const updated = ids.updated ?? [];
  const deleted = ids.deleted ?? [];
  if (created.length + updated.length + deleted.length === 0) return;
  const connection = await subscribedConnection(tx, target.connectionId, 'records.changed');
  if (!connection) return;
  await emitEvent(tx, { workspaceId: target.workspaceId, type: 'records.changed', data: { ...connection, resource: target.resource, created, updated, deleted } });
}

export interface FinishedRun {
  id: string;
  workspaceId: string;
  connectionId: string;
  resource: string | null;
  recordsCreated: number;
  recordsUpdated: number;
  recordsDeleted: number;
  recordsFailed: number;
}

export async function emitSyncCompleted(tx: Queryable, run: FinishedRun, resources: readonly string[]): Promise<void> {
  const connection = await subscribedConnection(tx, run.connectionId, 'sync.completed');
  if (!connection) return;
  await emitEvent(tx, {
    workspaceId: run.workspaceId,
    type: 'sync.completed',
    data: {
      ...connection,
      runId: run.id,
      resources: run.resource ? [run.resource] : [...resources],
      counts: { created: run.recordsCreated, updated: run.recordsUpdated, deleted: run.recordsDeleted, failed: run.recordsFailed },
    },
  });
}

export async function emitSyncFailed(tx: Queryable, run: { id: string; workspaceId: string; connectionId: string }, error: string, code: string | null = null): Promise<void> {
  const connection = await subscribedConnection(tx, run.connectionId, 'sync.failed');
  if (!connection) return;
  await emitEvent(tx, { workspaceId: run.workspaceId, type: 'sync.failed', data: { ...connection, runId: run.id, error, code } });
}

export async function emitActionCompleted(
  tx: Queryable,
  log: { id: string; workspaceId: string; connectionId: string | null; action: string; status: 'succeeded' | 'failed'; errorCode: string | null; replayed: boolean },
): Promise<void> {
  // A replayed answer repeats an earlier call, which emitted already; a call naming no connection has nothing to say.
  if (log.replayed || !log.connectionId) return;
  const connection = await subscribedConnection(tx, log.connectionId, 'action.completed');
  if (!connection) return;
  await emitEvent(tx, {
    workspaceId: log.workspaceId,
    type: 'action.completed',
    data: { ...connection, action: log.action, logId: log.id, outcome: log.status, code: log.errorCode },
  });
}
