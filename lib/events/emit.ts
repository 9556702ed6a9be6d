// Emitting a workspace event: checked against the contract (./types.ts), written to the outbox
// with one delivery per subscribed endpoint (lib/outbound/fanout.ts), then the senders are nudged.
//
// Call it inside the transaction that makes the change: the event commits or rolls back with it.
// Nothing is sent before the commit: senders only see committed rows; a nudge from inside a
// transaction tells them to look again shortly after, and the sweeper catches anything missed.
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { Queryable } from '../db/engine';
import { enqueueEvent } from '../outbound/fanout';
import { kickOutbound } from '../outbound/kick';
import { workspaceEventSchemas, type WorkspaceEvent, type WorkspaceEventType } from './types';

export async function emitEvent<T extends WorkspaceEventType>(db: Queryable, event: WorkspaceEvent<T>): Promise<void> {
  // The payloads are public API: a payload off the contract is our bug, found here and not by a receiver.
  const data = workspaceEventSchemas[event.type].parse(event.data);
  const { deliveries } = await enqueueEvent(db, event.workspaceId, event.type, data);
  if (deliveries > 0) kickOutbound({ uncommitted: db instanceof PgTransaction });
}
