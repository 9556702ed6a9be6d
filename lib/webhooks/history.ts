// Deliveries as members see them (RLS: their workspaces only), replay for admins, and a
// connection's webhook setup. Payloads and headers leave the server redacted.
import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { pagingQuery } from '../http/params';
import { recordActivity } from '../activity/activity';
import type { SessionUser } from '../auth/session-token';
import { findConnection } from '../connections/connections';
import { rowsOf, type Db, type Tx } from '../db/engine';
import { cappedCount, COUNT_CAP, cursorQuery, keysetPage, microsOf } from '../db/keyset';
import { asService } from '../db/rls';
import { connections, syncRuns, webhookChannels, webhookEventCounts, webhookEvents } from '../db/schema';
import { HttpError, notFound } from '../http/errors';
import { findProvider } from '../providers/registry';
import { inWorkspace } from '../workspaces/access';
import { channelsOf } from './channels';
import { notifyWebhooksReceived } from './jobs';
import { schemeLabel } from './providers';
import { STANDARD_WEBHOOKS_LABEL, STANDARD_WEBHOOKS_SCHEME } from './standard';
import { isSecretName, REDACTED, redactPayload } from './redact';
import { publicBaseUrl } from './request';
import { signingSecretFacts } from './signing-secrets';
import { WEBHOOK_STATUSES, type WebhookStatus } from './statuses';


export const webhookQuerySchema = z.object({
  status: z.enum(WEBHOOK_STATUSES, { error: `status must be one of: ${WEBHOOK_STATUSES.join(', ')}` }).optional(),
  connection: z.uuid({ error: 'connection must be a connection id' }).optional(),
  ...cursorQuery(),
  pageSize: pagingQuery().pageSize,
});

const listColumns = {
  id: webhookEvents.id,
  connectionId: webhookEvents.connectionId,
  connectionName: connections.displayName,
  provider: webhookEvents.provider,
  scheme: webhookEvents.scheme,
  eventType: webhookEvents.eventType,
  resource: webhookEvents.resource,
  change: webhookEvents.change,
  verification: webhookEvents.verification,
  verificationReason: webhookEvents.verificationReason,
  status: webhookEvents.status,
  duplicateCount: webhookEvents.duplicateCount,
  /** The latest delivery with this key (a rejected row counts an hour of rejections); null: received_at. */
  lastReceivedAt: webhookEvents.lastReceivedAt,
  replayCount: webhookEvents.replayCount,
  outcome: webhookEvents.outcome,
  error: webhookEvents.error,
  syncRunId: webhookEvents.syncRunId,
  runStatus: syncRuns.status,
  occurredAt: webhookEvents.occurredAt,
  receivedAt: webhookEvents.receivedAt,
  processedAt: webhookEvents.processedAt,
};

export async function listWebhookEvents(db: Db, user: SessionUser, workspaceId: string, query: z.infer<typeof webhookQuerySchema>) {
  return inWorkspace(db, user, workspaceId, 'viewer', async ({ tx }) => {
    const scope: SQL[] = [eq(webhookEvents.workspaceId, workspaceId)];
    if (query.connection) scope.push(eq(webhookEvents.connectionId, query.connection));
    const where = and(...scope, ...(query.status ? [eq(webhookEvents.status, query.status)] : []));
    // Workspace-wide, the per-status counters (webhook_event_counts, kept by triggers) give exact
    // totals from a few hundred rows; counting the deliveries themselves read up to 10,000 rows per
    // status, and on PGlite (no autovacuum, so no index-only scans) each of them from the heap.
    const counted = query.connection ? null : await countedByStatus(tx, workspaceId);
    const { total, totalCapped } = counted
      ? { total: query.status ? (counted.get(query.status) ?? 0) : [...counted.values()].reduce((sum, n) => sum + n, 0), totalCapped: false }
      : await cappedCount(tx, webhookEvents, where);
    const page = await keysetPage({ time: webhookEvents.receivedAt, id: webhookEvents.id }, query, (window) =>
      tx
        .select({ ...listColumns, cursorMicros: microsOf(webhookEvents.receivedAt) })
        .from(webhookEvents)
        .leftJoin(connections, eq(connections.id, webhookEvents.connectionId))
        .leftJoin(syncRuns, eq(syncRuns.id, webhookEvents.syncRunId))
        .where(and(where, window.where))
        .orderBy(...window.orderBy)
        .limit(window.limit),
    );
    // Per status, ignoring the status filter: the filter shows how many each choice holds. Each
    // status is its own index range, counted no further than COUNT_CAP (a capped status reads
    // "10,000+"), where one GROUP BY read every delivery of the workspace.
    const connectionFilter = query.connection ? sql`and e.connection_id = ${query.connection}::uuid` : sql``;
    const statusValues = sql.join(
      WEBHOOK_STATUSES.map((status) => sql`(${status})`),
      sql`, `,
    );
    const byStatus = counted
      ? [...counted].map(([status, total]) => ({ status, total })).filter((row) => row.total > 0)
      : rowsOf<{ status: WebhookStatus; total: number }>(
          await tx.execute(sql`
            select s.status, (select count(*) from (select 1 from public.webhook_events e
                      where e.workspace_id = ${workspaceId}::uuid ${connectionFilter} and e.status = s.status
                      limit ${COUNT_CAP + 1}) capped)::int as total
            from (values ${statusValues}) as s(status)`),
        ).filter((row) => Number(row.total) > 0);
    return {
      events: page.rows,
      total,
      totalCapped,
      pageSize: query.pageSize,
      nextCursor: page.nextCursor,
      prevCursor: page.prevCursor,
      statusCounts: Object.fromEntries(byStatus.map((row) => [row.status, Math.min(Number(row.total), COUNT_CAP)])) as Partial<Record<WebhookStatus, number>>,
      /** Statuses whose count stopped at COUNT_CAP. */
      statusCountsCapped: byStatus.filter((row) => Number(row.total) > COUNT_CAP).map((row) => row.status),
    };
  });
}

/** The workspace's deliveries per status, exact, from the counters. */
async function countedByStatus(tx: Tx, workspaceId: string): Promise<Map<WebhookStatus, number>> {
  const rows = await tx
    .select({ status: webhookEventCounts.status, deliveries: sql<number>`sum(${webhookEventCounts.deliveries})`.mapWith(Number) })
    .from(webhookEventCounts)
    .where(eq(webhookEventCounts.workspaceId, workspaceId))
    .groupBy(webhookEventCounts.status);
  return new Map(rows.map((row) => [row.status as WebhookStatus, row.deliveries]));
}

export async function getWebhookEvent(db: Db, user: SessionUser, workspaceId: string, eventId: string) {
  return inWorkspace(db, user, workspaceId, 'viewer', async ({ tx }) => {
    const [event] = await tx
      .select({
        ...listColumns,
        eventId: webhookEvents.eventId,
        accountId: webhookEvents.accountId,
        environment: webhookEvents.environment,
        method: webhookEvents.method,
        url: webhookEvents.url,
        headers: webhookEvents.headers,
        payload: webhookEvents.payload,
        attempts: webhookEvents.attempts,
        nextAttemptAt: webhookEvents.nextAttemptAt,
      })
      .from(webhookEvents)
      .leftJoin(connections, eq(connections.id, webhookEvents.connectionId))
      .leftJoin(syncRuns, eq(syncRuns.id, webhookEvents.syncRunId))
      .where(and(eq(webhookEvents.id, eventId), eq(webhookEvents.workspaceId, workspaceId)));
    if (!event) throw notFound('That webhook delivery does not exist in this workspace.');
    // Stored headers were redacted on the way in; this also covers rows stored before a rule existed.
    const headers = Object.fromEntries(Object.entries(event.headers ?? {}).map(([name, value]) => [name, isSecretName(name) ? REDACTED : value]));
    return { ...event, schemeLabel: schemeLabel(event.provider, event.scheme), headers, payload: redactPayload(event.payload) };
  });
}

/** Puts a stored delivery through processing again, as if it had just arrived. */
export async function replayWebhookEvent(db: Db, user: SessionUser, workspaceId: string, eventId: string) {
  const event = await inWorkspace(db, user, workspaceId, 'admin', async ({ tx }) => {
    const [row] = await tx
      .select({ id: webhookEvents.id, connectionId: webhookEvents.connectionId, status: webhookEvents.status, verification: webhookEvents.verification, provider: webhookEvents.provider, eventType: webhookEvents.eventType })
      .from(webhookEvents)
      .where(and(eq(webhookEvents.id, eventId), eq(webhookEvents.workspaceId, workspaceId)));
    return row;
  });
  if (!event) throw notFound('That webhook delivery does not exist in this workspace.');
  if (event.verification === 'failed') throw new HttpError('conflict', 'This delivery failed verification: its body was never stored, so there is nothing to replay.');
  if (event.status === 'received' || event.status === 'processing') throw new HttpError('conflict', 'This delivery is already waiting to be processed.');
  await asService(db, async (tx) => {
    await tx
      .update(webhookEvents)
      .set({
        status: 'received',
        attempts: 0,
        nextAttemptAt: null,
        claimedAt: null,
        processedAt: null,
        error: null,
        syncRunId: null,
        outcome: 'Replayed; waiting to be processed.',
        replayCount: sql`${webhookEvents.replayCount} + 1`,
      })
      .where(and(eq(webhookEvents.id, eventId), eq(webhookEvents.workspaceId, workspaceId)));
    await recordActivity(tx, {
      workspaceId,
      actorId: user.userId,
      actorEmail: user.email,
      action: 'webhook.replayed',
      targetType: 'webhook_event',
      targetId: eventId,
      details: { provider: event.provider, eventType: event.eventType },
    });
  });
  if (event.connectionId) await notifyWebhooksReceived(db, [event.connectionId]);
  return getWebhookEvent(db, user, workspaceId, eventId);
}

/** Where a connection's deliveries come from, and what the app registered for it. */
export async function connectionWebhookSetup(db: Db, user: SessionUser, workspaceId: string, connectionId: string) {
  const connection = await findConnection(db, user, workspaceId, connectionId, 'viewer');
  const provider = findProvider(connection.provider);
  const base = publicBaseUrl();
  const at = (path: string) => ({ path, url: base ? `${base}${path}` : null });
  // The membership check above ran under RLS; these rows hold secrets, so only chosen columns leave.
  const { channels, signingSecret } = await asService(db, async (tx) => ({
    channels: await tx
      .select({
        id: webhookChannels.id,
        target: webhookChannels.target,
        status: webhookChannels.status,
        error: webhookChannels.error,
        expiresAt: webhookChannels.expiresAt,
        createdAt: webhookChannels.createdAt,
        stoppedAt: webhookChannels.stoppedAt,
      })
      .from(webhookChannels)
      .where(and(eq(webhookChannels.connectionId, connectionId), eq(webhookChannels.workspaceId, workspaceId)))
      .orderBy(desc(webhookChannels.createdAt))
      .limit(30),
    signingSecret: await signingSecretFacts(tx, connectionId),
  }));
  const webhooks = provider?.webhooks;
  return {
    connectionId,
    connectionStatus: connection.status,
    /** The provider's own deliveries, or null when it sends none we verify. */
    providerWebhooks: webhooks
      ? { schemeLabel: webhooks.schemeLabel, note: webhooks.note, setup: webhooks.setup, usesChannels: channelsOf(connection.provider) !== null }
      : null,
    /** How changes arrive when the provider sends no webhooks we verify. */
    withoutWebhooks: provider?.withoutWebhooks ?? null,
    publicUrlConfigured: Boolean(base),
    providerEndpoint: webhooks ? at(`/api/webhooks/${connection.provider}`) : null,
    genericEndpoint: { ...at(`/api/webhooks/connections/${connectionId}`), scheme: STANDARD_WEBHOOKS_SCHEME, schemeLabel: STANDARD_WEBHOOKS_LABEL },
    channels,
    signingSecret,
  };
}
