// A workspace's connections as users see and manage them. Reads and status changes run under
// RLS; the parts that touch credentials (test, disconnect) use the service path after the RLS
// check has confirmed the user's role.
import { and, asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { SessionUser } from '../auth/session-token';
import { recordActivity } from '../activity/activity';
import type { Db, Tx } from '../db/engine';
import { asService } from '../db/rls';
import { connections, SCHEDULES, type Connection } from '../db/schema';
import { HttpError, notFound } from '../http/errors';
import { createProviderClient } from '../providers/client';
import { credentialsFor } from '../providers/credentials';
import { dispatch } from '../jobs/dispatch';
import { connectionDisconnected } from '../jobs/connections';
import { findProvider } from '../providers/registry';
import { nextSyncAt } from '../sync/schedule';
import { inWorkspace } from '../workspaces/access';
import { deleteCredentials, loadCredentials } from './credential-store';
import { describeFailure } from './failures';
import { environmentOf, withProviderClient } from './provider-access';
import { unsubscribeWebhooks } from '../webhooks/subscriptions';
import { requestHealthCheck } from '../jobs/health';
import { HEALTHY, issueSummaries, type HealthSummary } from '../health/summary';

/** What the browser may see of a connection: never credentials, never raw settings internals. */
export function toConnectionView(connection: Connection, health: HealthSummary | null = null) {
  const provider = findProvider(connection.provider);
  return {
    id: connection.id,
    provider: connection.provider,
    providerName: provider?.name ?? connection.provider,
    displayName: connection.displayName,
    status: connection.status,
    statusReason: connection.statusReason,
    accountId: connection.accountId,
    accountLabel: connection.accountLabel,
    environment: environmentOf(connection),
    /** How it authenticates: its provider's way, or an API key where an OAuth provider also takes one. */
    authKind: connection.authKind,
    scopes: connection.scopes,
    resources: connection.resources,
    schedule: connection.schedule,
    identity: (connection.settings?.identity ?? {}) as Record<string, string>,
    lastSuccessAt: connection.lastSuccessAt,
    lastError: connection.lastError,
    consecutiveFailures: connection.consecutiveFailures,
    connectedAt: connection.connectedAt,
    pausedAt: connection.pausedAt,
    disconnectedAt: connection.disconnectedAt,
    createdAt: connection.createdAt,
    /** Open health issues summed up, where the answer includes them (the list and the connection page). */
    health,
  };
}
export type ConnectionView = ReturnType<typeof toConnectionView>;

export async function listConnections(db: Db, user: SessionUser, workspaceId: string): Promise<ConnectionView[]> {
  return inWorkspace(db, user, workspaceId, 'viewer', async ({ tx }) => {
    const rows = await tx
      .select()
      .from(connections)
      .where(eq(connections.workspaceId, workspaceId))
      .orderBy(asc(connections.displayName), asc(connections.createdAt));
    const health = await issueSummaries(tx, workspaceId);
    return rows.map((row) => toConnectionView(row, health.get(row.id) ?? HEALTHY));
  });
}

export async function connectionInWorkspace(tx: Tx, workspaceId: string, connectionId: string): Promise<Connection> {
  const [connection] = await tx
    .select()
    .from(connections)
    .where(and(eq(connections.id, connectionId), eq(connections.workspaceId, workspaceId)));
  if (!connection) throw notFound('That connection does not exist in this workspace.');
  return connection;
}

/** The connection as the user may see it (RLS), after checking their role. */
export async function findConnection(db: Db, user: SessionUser, workspaceId: string, connectionId: string, minimum: 'viewer' | 'admin') {
  return inWorkspace(db, user, workspaceId, minimum, ({ tx }) => connectionInWorkspace(tx, workspaceId, connectionId));
}

export async function getConnection(db: Db, user: SessionUser, workspaceId: string, connectionId: string) {
  return inWorkspace(db, user, workspaceId, 'viewer', async ({ tx }) => {
    const health = await issueSummaries(tx, workspaceId, connectionId);
    return toConnectionView(await connectionInWorkspace(tx, workspaceId, connectionId), health.get(connectionId) ?? HEALTHY);
  });
}

export const connectionUpdateSchema = z
  .object({
    paused: z.boolean({ error: 'paused must be true or false' }).optional(),
    displayName: z.string().trim().min(1, { error: 'Name is required' }).max(80).optional(),
    schedule: z.enum(SCHEDULES, { error: `schedule must be one of: ${SCHEDULES.join(', ')}` }).optional(),
    resources: z.array(z.string().max(40)).max(20).optional(),
  })
  .refine((v) => Object.values(v).some((value) => value !== undefined), {
    error: 'Nothing to change: send paused, displayName, schedule or resources',
  });

export async function updateConnection(
  db: Db,
  user: SessionUser,
  workspaceId: string,
  connectionId: string,
  change: z.infer<typeof connectionUpdateSchema>,
) {
  const { before, after } = await inWorkspace(db, user, workspaceId, 'admin', async ({ tx }) => {
    const connection = await connectionInWorkspace(tx, workspaceId, connectionId);
    if (change.paused !== undefined && connection.status === 'disconnected') {
      throw new HttpError('conflict', 'This connection is disconnected: reconnect it instead.');
    }
    const values: Partial<typeof connections.$inferInsert> = {};
    if (change.displayName !== undefined) values.displayName = change.displayName;
    if (change.schedule !== undefined) Object.assign(values, { schedule: change.schedule, nextSyncAt: nextSyncAt(change.schedule) });
    if (change.resources !== undefined) {
      const known = new Set(findProvider(connection.provider)?.resources.map((r) => r.id) ?? []);
      const unknown = change.resources.filter((r) => !known.has(r));
      if (unknown.length) throw new HttpError('validation_failed', `Unknown resources for ${connection.displayName}: ${unknown.join(', ')}`);
      values.resources = [...new Set(change.resources)];
    }
    if (change.paused === true) Object.assign(values, { status: 'paused', pausedAt: new Date() });
    if (change.paused === false && connection.status === 'paused') Object.assign(values, { status: 'active', pausedAt: null });
    // Nothing left to write (resuming a connection that is not paused): answer it as it is.
    if (Object.keys(values).length === 0) return { before: connection, after: connection };
    const [updated] = await tx.update(connections).set(values).where(eq(connections.id, connection.id)).returning();
    return { before: connection, after: updated };
  });
  if (change.paused !== undefined && before.status !== after.status) {
    await asService(db, (tx) => recordActivity(tx, activityFor(user, before, change.paused ? 'connection.paused' : 'connection.resumed')));
    await requestHealthCheck(db, connectionId);
  }
  return toConnectionView(after);
}

/** The connection test: asks the provider who the token belongs to, refreshing it if needed. */
export async function testConnection(db: Db, user: SessionUser, workspaceId: string, connectionId: string) {
  const connection = await findConnection(db, user, workspaceId, connectionId, 'admin');
  if (connection.status === 'disconnected') throw new HttpError('conflict', 'This connection is disconnected: reconnect it first.');
  const provider = findProvider(connection.provider);
  if (!provider) throw new HttpError('provider_not_configured', `Provider ${connection.provider} is no longer available on this server.`);
  let failure: string | null = null;
  let accountLabel: string | null = null;
  try {
    const identity = await withProviderClient(db, connectionId, (client) => provider.identify(client));
    accountLabel = identity.accountLabel;
  } catch (error) {
    failure = describeFailure(error);
  }
  await asService(db, async (tx) => {
    const [latest] = await tx.select({ status: connections.status }).from(connections).where(eq(connections.id, connectionId));
    // A refresh that found the grant dead has already set needs_reauth; keep that verdict.
    const status = failure ? (latest.status === 'needs_reauth' ? 'needs_reauth' : 'error') : connection.status === 'paused' ? 'paused' : 'active';
    await tx
      .update(connections)
      .set({ status, statusReason: failure ? `Connection test failed: ${failure}` : null, ...(accountLabel ? { accountLabel } : {}) })
      .where(eq(connections.id, connectionId));
    await recordActivity(tx, {
      ...activityFor(user, connection, failure ? 'connection.test_failed' : 'connection.test_passed'),
      details: { provider: connection.provider, ...(failure ? { reason: failure } : { account: accountLabel }) },
    });
  });
  await requestHealthCheck(db, connectionId);
  return { ok: failure === null, message: failure ?? `Connected as ${accountLabel}.`, connection: await getConnection(db, user, workspaceId, connectionId) };
}

/** Revokes at the provider where it can, deletes the credentials, keeps history and settings. */
export async function disconnectConnection(db: Db, user: SessionUser, workspaceId: string, connectionId: string) {
  const connection = await findConnection(db, user, workspaceId, connectionId, 'admin');
  // Push channels are stopped while the tokens still work.
  await unsubscribeWebhooks(db, connectionId);
  const provider = findProvider(connection.provider);
  let revocation: 'revoked' | 'not_supported' | 'failed' | 'no_credentials' = 'not_supported';
  let revocationError: string | undefined;
  const stored = await asService(db, (tx) => loadCredentials(tx, connectionId)).catch(() => null);
  const credentials = provider ? credentialsFor(provider, environmentOf(connection), connection.authKind === 'api_key' ? 'api_key' : undefined) : null;
  if (!stored) revocation = 'no_credentials';
  else if (provider?.revoke && credentials) {
    try {
      await provider.revoke(createProviderClient(provider, credentials, stored.tokens));
      revocation = 'revoked';
    } catch (error) {
      // Deleting our copy of the tokens matters more than the provider's answer.
      revocation = 'failed';
      revocationError = describeFailure(error);
    }
  }
  await asService(db, async (tx) => {
    await deleteCredentials(tx, connectionId);
    await tx
      .update(connections)
      .set({ status: 'disconnected', statusReason: null, disconnectedAt: sql`now()`, nextSyncAt: null })
      .where(eq(connections.id, connectionId));
    await recordActivity(tx, {
      ...activityFor(user, connection, 'connection.disconnected'),
      details: { provider: connection.provider, account: connection.accountLabel, revocation, ...(revocationError ? { reason: revocationError } : {}) },
    });
  });
  await dispatch(db, connectionDisconnected(connectionId));
  await requestHealthCheck(db, connectionId);
  return { revocation, connection: await getConnection(db, user, workspaceId, connectionId) };
}

function activityFor(user: SessionUser, connection: Connection, action: string) {
  return {
    workspaceId: connection.workspaceId,
    actorId: user.userId,
    actorEmail: user.email,
    action,
    targetType: 'connection',
    targetId: connection.id,
    details: { provider: connection.provider, account: connection.accountLabel },
  };
}
