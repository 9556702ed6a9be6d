// Saving a connection once the provider has granted tokens: run the connection test (who is
// this account?), then create the connection, or update the one that already holds this
// account (connecting twice never duplicates), and store the tokens encrypted. What to write is
// decided by planConnectionSave (connection-save-plan.ts); this file reads and writes.
import crypto from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { SessionUser } from '../auth/session-token';
import { installDefaultMappings } from '../mapping/store';
import { recordActivity } from '../activity/activity';
import type { Db, Tx } from '../db/engine';
import { asService } from '../db/rls';
import { connections } from '../db/schema';
import type { ProviderClient } from '../providers/client';
import type { AccountIdentity, ProviderDefinition } from '../providers/types';
import { subscribeWebhooks } from '../webhooks/subscriptions';
import {
  existingConnectionLookup,
  planConnectionSave,
  type ConnectionSavePlan,
  type ConnectionSaveRejection,
  type ConnectionTestResult,
  type ExistingConnection,
} from './connection-save-plan';
import { saveCredentials } from './credential-store';
import { describeFailure } from './failures';
import { requestHealthCheck } from '../jobs/health';

export interface ConnectionToSave {
  provider: ProviderDefinition;
  client: ProviderClient;
  workspaceId: string;
  reconnectConnectionId?: string;
  /** Already established by the caller (API-key forms validate before saving). */
  identity?: AccountIdentity;
  /** How it authenticates, when not its provider's own way (an API key for an OAuth provider). */
  authKind?: ProviderDefinition['auth']['kind'];
}

export type SaveConnectionOutcome = { ok: true; connectionId: string; status: 'active' | 'error' } | ConnectionSaveRejection;

export async function saveConnection(db: Db, user: SessionUser, input: ConnectionToSave): Promise<SaveConnectionOutcome> {
  const { provider, client, workspaceId } = input;
  const test = await connectionTestOf(input);
  const plan = await asService(db, async (tx) => {
    const decided = planConnectionSave({
      provider,
      tokens: client.tokens,
      environment: client.environment,
      test,
      existing: await findExistingConnection(tx, workspaceId, existingConnectionLookup(provider.id, input.reconnectConnectionId, test.identity)),
      newConnectionId: crypto.randomUUID(),
      authKind: input.authKind,
    });
    if (decided.ok) await writeConnection(tx, user, workspaceId, decided, client);
    return decided;
  });
  if (!plan.ok) return plan;
  if (plan.subscribeWebhooks) await subscribeWebhooks(db, plan.connectionId);
  await requestHealthCheck(db, plan.connectionId);
  return { ok: true, connectionId: plan.connectionId, status: plan.status };
}

/** The identity the caller established, or the provider's answer to "who is this?". */
async function connectionTestOf(input: ConnectionToSave): Promise<ConnectionTestResult> {
  if (input.identity) return { identity: input.identity, failure: null };
  try {
    return { identity: await input.provider.identify(input.client), failure: null };
  } catch (error) {
    return { identity: null, failure: describeFailure(error) };
  }
}

async function findExistingConnection(
  tx: Tx,
  workspaceId: string,
  lookup: ReturnType<typeof existingConnectionLookup>,
): Promise<ExistingConnection> {
  if (!lookup) return { kind: 'none' };
  if (lookup.by === 'id') {
    const [stored] = await tx
      .select({ accountId: connections.accountId, accountLabel: connections.accountLabel })
      .from(connections)
      .where(and(eq(connections.id, lookup.connectionId), eq(connections.workspaceId, workspaceId)));
    return { kind: 'reconnect', connectionId: lookup.connectionId, stored };
  }
  const [sameAccount] = await tx
    .select({ id: connections.id })
    .from(connections)
    .where(
      and(eq(connections.workspaceId, workspaceId), eq(connections.provider, lookup.provider), eq(connections.accountId, lookup.accountId)),
    );
  return sameAccount ? { kind: 'same_account', connectionId: sameAccount.id } : { kind: 'none' };
}

/** Writes the planned connection, its credentials, its default mappings and the Activity entry. */
async function writeConnection(tx: Tx, user: SessionUser, workspaceId: string, plan: ConnectionSavePlan, client: ProviderClient) {
  const { connectionId } = plan;
  const state = {
    status: plan.status,
    statusReason: plan.statusReason,
    scopes: plan.scopes,
    connectedAt: sql`now()`,
    disconnectedAt: null,
    pausedAt: null,
    consecutiveFailures: 0,
    lastError: null,
    // Due now: the scheduler picks a reconnected connection up without waiting a whole interval.
    nextSyncAt: sql`now()`,
    ...plan.account,
  };
  if (plan.write === 'update') {
    await tx
      .update(connections)
      .set({ ...state, settings: sql`${connections.settings} || ${JSON.stringify(plan.settings)}::jsonb` })
      .where(and(eq(connections.id, connectionId), eq(connections.workspaceId, workspaceId)));
  } else {
    await tx.insert(connections).values({ id: connectionId, workspaceId, ...plan.creation, settings: plan.settings, createdBy: user.userId, ...state });
  }
  await saveCredentials(tx, { connectionId, workspaceId }, client.tokens);
  await installDefaultMappings(tx, { workspaceId, connectionId, provider: plan.creation.provider, createdBy: user.userId });
  await recordActivity(tx, {
    workspaceId,
    actorId: user.userId,
    actorEmail: user.email,
    action: plan.activity.action,
    targetType: 'connection',
    targetId: connectionId,
    details: plan.activity.details,
  });
}
