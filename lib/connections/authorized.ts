// Saving a connection once the provider has granted tokens: run the connection test (who is
// this account?), then create the connection, or update the one that already holds this
// account (connecting twice never duplicates), and store the tokens encrypted.
import crypto from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { SessionUser } from '../auth/session-token';
import { installDefaultMappings } from '../mapping/store';
import { recordActivity } from '../activity/activity';
import type { Db } from '../db/engine';
import { asService } from '../db/rls';
import { connections } from '../db/schema';
import type { ProviderClient } from '../providers/client';
import type { AccountIdentity, ProviderDefinition } from '../providers/types';
import { subscribeWebhooks } from '../webhooks/subscriptions';
import { saveCredentials } from './credential-store';
import { describeFailure } from './failures';

export interface AuthorizedConnection {
  provider: ProviderDefinition;
  client: ProviderClient;
  workspaceId: string;
  reconnectConnectionId?: string;
  /** Already established by the caller (API-key forms validate before saving). */
  identity?: AccountIdentity;
}

export type SaveOutcome =
  | { ok: true; connectionId: string; status: 'active' | 'error' }
  | { ok: false; reason: 'account_mismatch'; detail: string };

export async function saveAuthorizedConnection(db: Db, user: SessionUser, input: AuthorizedConnection): Promise<SaveOutcome> {
  const { provider, client, workspaceId } = input;
  let identity: AccountIdentity | null = input.identity ?? null;
  let testFailure: string | null = null;
  if (!identity) {
    try {
      identity = await provider.identify(client);
    } catch (error) {
      testFailure = describeFailure(error);
    }
  }

  const outcome = await asService(db, async (tx) => {
    let targetId = input.reconnectConnectionId;
    if (targetId) {
      const [current] = await tx
        .select({ accountId: connections.accountId, accountLabel: connections.accountLabel })
        .from(connections)
        .where(and(eq(connections.id, targetId), eq(connections.workspaceId, workspaceId)));
      if (current?.accountId && identity && current.accountId !== identity.accountId) {
        return {
          ok: false as const,
          reason: 'account_mismatch' as const,
          detail: `You signed in to ${identity.accountLabel}, but this connection belongs to ${current.accountLabel ?? current.accountId}.`,
        };
      }
    } else if (identity) {
      const [sameAccount] = await tx
        .select({ id: connections.id })
        .from(connections)
        .where(
          and(
            eq(connections.workspaceId, workspaceId),
            eq(connections.provider, provider.id),
            eq(connections.accountId, identity.accountId),
          ),
        );
      targetId = sameAccount?.id;
    }

    const status = identity ? ('active' as const) : ('error' as const);
    const common = {
      status,
      statusReason: testFailure ? `Connection test failed: ${testFailure}` : null,
      scopes: client.tokens.scopes ?? (provider.auth.kind === 'oauth2' ? provider.auth.scopes : []),
      connectedAt: sql`now()`,
      disconnectedAt: null,
      pausedAt: null,
      consecutiveFailures: 0,
      lastError: null,
      // Due now: the scheduler picks a reconnected connection up without waiting a whole interval.
      nextSyncAt: sql`now()`,
      ...(identity ? { accountId: identity.accountId, accountLabel: identity.accountLabel } : {}),
    };
    const settings = { environment: client.environment, identity: identity?.details ?? {} };
    const reconnecting = Boolean(targetId);
    const connectionId = targetId ?? crypto.randomUUID();
    if (targetId) {
      await tx
        .update(connections)
        .set({ ...common, settings: sql`${connections.settings} || ${JSON.stringify(settings)}::jsonb` })
        .where(and(eq(connections.id, targetId), eq(connections.workspaceId, workspaceId)));
    } else {
      await tx.insert(connections).values({
        id: connectionId,
        workspaceId,
        provider: provider.id,
        displayName: provider.name,
        authKind: provider.auth.kind,
        resources: provider.resources.map((r) => r.id),
        settings,
        createdBy: user.userId,
        ...common,
      });
    }
    await saveCredentials(tx, { connectionId, workspaceId }, client.tokens);
    await installDefaultMappings(tx, { workspaceId, connectionId, provider: provider.id, createdBy: user.userId });
    await recordActivity(tx, {
      workspaceId,
      actorId: user.userId,
      actorEmail: user.email,
      action: reconnecting ? 'connection.reconnected' : 'connection.connected',
      targetType: 'connection',
      targetId: connectionId,
      details: {
        provider: provider.id,
        account: identity?.accountLabel ?? null,
        status,
        ...(testFailure ? { reason: testFailure } : {}),
      },
    });
    return { ok: true as const, connectionId, status };
  });
  if (outcome.ok && outcome.status === 'active') await subscribeWebhooks(db, outcome.connectionId);
  return outcome;
}
