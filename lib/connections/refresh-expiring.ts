// Refreshes tokens that expire soon, so a sync never starts with a token about to die. Each
// refresh goes through the same single-flight path as a request-time refresh.
import { and, inArray, isNotNull, lt, sql, eq } from 'drizzle-orm';
import type { Db } from '../db/engine';
import { asService } from '../db/rls';
import { connectionCredentials, connections } from '../db/schema';
import { describeFailure } from './failures';
import { providerClientFor } from './provider-access';

export async function refreshExpiringTokens(db: Db, withinMinutes = 15): Promise<{ refreshed: number; failed: number }> {
  const due = await asService(db, (tx) =>
    tx
      .select({ id: connectionCredentials.connectionId })
      .from(connectionCredentials)
      .innerJoin(connections, eq(connections.id, connectionCredentials.connectionId))
      .where(
        and(
          isNotNull(connectionCredentials.expiresAt),
          lt(connectionCredentials.expiresAt, sql`now() + make_interval(mins => ${withinMinutes})`),
          inArray(connections.status, ['active', 'error', 'paused']),
        ),
      ),
  );
  let refreshed = 0;
  let failed = 0;
  for (const { id } of due) {
    try {
      await providerClientFor(db, id, { now: new Date(Date.now() + withinMinutes * 60_000) });
      refreshed += 1;
    } catch (error) {
      failed += 1;
      console.warn(`token refresh for connection ${id} failed: ${describeFailure(error)}`);
    }
  }
  return { refreshed, failed };
}
