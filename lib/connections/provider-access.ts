// A ready-to-use provider client for a connection, refreshing its access token when it is about
// to expire or when the provider answers 401. Refreshes are single-flight per connection across
// processes: the credentials row is locked (SELECT … FOR UPDATE) while the token endpoint is
// called, so a rotating refresh token is never sent twice.
import { eq } from 'drizzle-orm';
import type { Db, Tx } from '../db/engine';
import { asService } from '../db/rls';
import { connections, type Connection } from '../db/schema';
import { requestTokens } from '../oauth/token-endpoint';
import { createProviderClient, type ProviderClient } from '../providers/client';
import { credentialsFor } from '../providers/credentials';
import type { Environment } from '../providers/environment';
import { ProviderHttpError, ProviderProtocolError, ReauthorizationRequiredError } from '../providers/errors';
import { findProvider } from '../providers/registry';
import { recordActivity } from '../activity/activity';
import { countRefreshFailure, loadCredentials, saveCredentials } from './credential-store';
import { requestHealthCheck } from '../jobs/health';
import { selectionOf } from './selection-settings';

/** Refresh this long before the provider's expiry, so a request never starts with a dying token. */
export const REFRESH_MARGIN_MS = 5 * 60 * 1000;

export function environmentOf(connection: Pick<Connection, 'settings'>): Environment {
  return connection.settings?.environment === 'live' ? 'live' : 'sandbox';
}

async function loadConnection(tx: Tx, connectionId: string): Promise<Connection> {
  const [connection] = await tx.select().from(connections).where(eq(connections.id, connectionId));
  if (!connection) throw new ProviderProtocolError(`Connection ${connectionId} does not exist`);
  return connection;
}

function needsRefresh(expiresAt: Date | null, now: Date): boolean {
  return expiresAt !== null && expiresAt.getTime() - REFRESH_MARGIN_MS <= now.getTime();
}

export async function providerClientFor(
  db: Db,
  connectionId: string,
  options: { rejectedAccessToken?: string; now?: Date } = {},
): Promise<ProviderClient> {
  const now = options.now ?? new Date();
  const { connection, stored } = await asService(db, async (tx) => ({
    connection: await loadConnection(tx, connectionId),
    stored: await loadCredentials(tx, connectionId),
  }));
  const provider = findProvider(connection.provider);
  if (!provider) throw new ProviderProtocolError(`Unknown provider ${connection.provider}`);
  const apiKey = connection.authKind === 'api_key';
  const credentials = credentialsFor(provider, environmentOf(connection), apiKey ? 'api_key' : undefined);
  if (!credentials) throw new ProviderProtocolError(`${provider.name} is not configured on this server any more`);
  if (!stored) throw new ReauthorizationRequiredError('no stored credentials');
  const stale = options.rejectedAccessToken === stored.tokens.accessToken || needsRefresh(stored.expiresAt, now);
  if (!stale || provider.auth.kind !== 'oauth2' || apiKey) return withTokenUpdates(db, connection, createProviderClient(provider, credentials, stored.tokens));

  // Work out the refresh under the row lock; record its outcome in the same transaction, and only
  // throw once that transaction has committed.
  const outcome = await asService(db, async (tx) => {
    const locked = await loadCredentials(tx, connectionId, { forUpdate: true });
    if (!locked) return { error: new ReauthorizationRequiredError('no stored credentials') };
    const stillStale = options.rejectedAccessToken === locked.tokens.accessToken || needsRefresh(locked.expiresAt, now);
    // Another request refreshed while we waited for the lock: use its tokens.
    if (!stillStale) return { tokens: locked.tokens };
    if (!locked.tokens.refreshToken) {
      return { error: await markNeedsReauth(tx, connection, 'The provider gave no refresh token; reconnect to continue.') };
    }
    try {
      const fresh = await requestTokens(
        provider,
        credentials,
        { grant_type: 'refresh_token', refresh_token: locked.tokens.refreshToken },
        locked.tokens,
      );
      const checked = provider.auth.kind === 'oauth2' && provider.auth.checkTokens ? provider.auth.checkTokens(fresh, credentials.environment) : fresh;
      await saveCredentials(tx, { connectionId: connection.id, workspaceId: connection.workspaceId }, checked, true);
      return { tokens: checked };
    } catch (error) {
      if (error instanceof ReauthorizationRequiredError) return { error: await markNeedsReauth(tx, connection, error.message) };
      await countRefreshFailure(tx, connectionId);
      return { error: error as Error };
    }
  });
  if ('error' in outcome) {
    // The grant died or the refresh failed: the connection's health changed.
    await requestHealthCheck(db, connectionId);
    throw outcome.error;
  }
  return withTokenUpdates(db, connection, createProviderClient(provider, credentials, outcome.tokens));
}

/** Lets the provider change its stored tokens under the row lock (ProviderClient.updateTokens). */
function withTokenUpdates(db: Db, connection: Connection, client: ProviderClient): ProviderClient {
  client.selection = selectionOf(connection);
  client.updateTokens = (change) =>
    asService(db, async (tx) => {
      const locked = await loadCredentials(tx, connection.id, { forUpdate: true });
      if (!locked) throw new ReauthorizationRequiredError('no stored credentials');
      const { tokens, result } = await change(locked.tokens);
      if (tokens) {
        await saveCredentials(tx, { connectionId: connection.id, workspaceId: connection.workspaceId }, tokens, true);
        client.tokens = tokens;
      }
      return result;
    });
  return client;
}

async function markNeedsReauth(tx: Tx, connection: Connection, reason: string): Promise<ReauthorizationRequiredError> {
  await tx
    .update(connections)
    .set({ status: 'needs_reauth', statusReason: reason })
    .where(eq(connections.id, connection.id));
  await recordActivity(tx, {
    workspaceId: connection.workspaceId,
    action: 'connection.needs_reauth',
    targetType: 'connection',
    targetId: connection.id,
    details: { provider: connection.provider, reason },
  });
  return new ReauthorizationRequiredError(reason);
}

/** How long a session trusts the tokens it loaded before looking again (another process may have rotated them). */
const SESSION_TOKEN_REUSE_MS = 60_000;

export type ProviderSession = <T>(call: (client: ProviderClient) => Promise<T>) => Promise<T>;

/**
 * A client reused across calls (a sync run's pages), so each page does not reload and decrypt
 * the credentials. It reloads when the token nears expiry or after a minute, and when the
 * provider rejects the token it refreshes once (single-flight) and retries that call.
 */
export function providerSession(db: Db, connectionId: string): ProviderSession {
  let client: ProviderClient | null = null;
  let loadedAt = 0;
  return async (call) => {
    const now = Date.now();
    const expiresAt = client?.tokens.expiresAt ? new Date(client.tokens.expiresAt) : null;
    if (!client || now - loadedAt > SESSION_TOKEN_REUSE_MS || needsRefresh(expiresAt, new Date(now))) {
      client = await providerClientFor(db, connectionId);
      loadedAt = now;
    }
    const current = client;
    try {
      return await call(current);
    } catch (error) {
      if (!(error instanceof ProviderHttpError) || current.provider.auth.kind !== 'oauth2') throw error;
      const rejected = current.provider.rejectsAccessToken ? current.provider.rejectsAccessToken(error) : error.status === 401;
      if (!rejected) throw error;
      client = await providerClientFor(db, connectionId, { rejectedAccessToken: current.tokens.accessToken });
      loadedAt = Date.now();
      return call(client);
    }
  };
}

/** Runs one provider call with fresh credentials (see providerSession). */
export function withProviderClient<T>(db: Db, connectionId: string, call: (client: ProviderClient) => Promise<T>): Promise<T> {
  return providerSession(db, connectionId)(call);
}
