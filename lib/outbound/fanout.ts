// The fan-out of a workspace event (lib/events/emit.ts) to the endpoints subscribed to it. Only
// database imports: emitters all over lib/ reach this, and the senders (deliveries.ts) must not
// be pulled into their import graphs.
import { sql } from 'drizzle-orm';
import type { Queryable } from '../db/engine';
import { rowsOf } from '../db/engine';

/**
 * Writes the event and one pending delivery per enabled endpoint subscribed to its type, in one
 * statement: when no endpoint subscribes, nothing at all is written. Returns the event's id (null
 * when nothing was written) and the deliveries made.
 */
export async function enqueueEvent(tx: Queryable, workspaceId: string, type: string, data: unknown, onlyEndpointId?: string): Promise<{ eventId: string | null; deliveries: number }> {
  const only = onlyEndpointId ? sql`and id = ${onlyEndpointId}` : sql`and ${type} = any(event_types)`;
  const rows = rowsOf<{ event_id: string }>(
    await tx.execute(sql`
      with targets as (
        select id from public.outbound_endpoints where workspace_id = ${workspaceId} and enabled ${only}
      ), event as (
        insert into public.workspace_events (workspace_id, type, data)
        select ${workspaceId}, ${type}, ${JSON.stringify(data)}::jsonb where exists (select 1 from targets)
        returning id, workspace_id
      )
      insert into public.outbound_deliveries (workspace_id, event_id, endpoint_id)
      select event.workspace_id, event.id, targets.id from event cross join targets
      returning event_id`),
  );
  return { eventId: rows[0]?.event_id ?? null, deliveries: rows.length };
}
