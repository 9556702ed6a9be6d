// What saving a connection does, decided from facts already gathered: whether it lands on an
// existing connection (a reconnect, or the same account connected again) or creates one, which
// status and account it records, and what Activity says. No I/O: save-connection.ts gathers the
// facts and carries the plan out.
import type { Environment } from '../providers/environment';
import type { AccountIdentity, ProviderDefinition, TokenSet } from '../providers/types';

/** The connection test's answer: who the account is, or why the provider would not say. */
export interface ConnectionTestResult {
  identity: AccountIdentity | null;
  /** Why identifying the account failed; null when it did not fail. */
  failure: string | null;
}

/** Which stored connection to look up before deciding, or null when there is none to look for. */
export type ExistingConnectionLookup =
  | { by: 'id'; connectionId: string }
  | { by: 'account'; provider: string; accountId: string }
  | null;

/** A reconnect looks up the connection it reconnects; a new connect, one already holding the account. */
export function existingConnectionLookup(
  providerId: string,
  reconnectConnectionId: string | undefined,
  identity: AccountIdentity | null,
): ExistingConnectionLookup {
  if (reconnectConnectionId) return { by: 'id', connectionId: reconnectConnectionId };
  if (identity) return { by: 'account', provider: providerId, accountId: identity.accountId };
  return null;
}

/** What the lookup found. */
export type ExistingConnection =
  /** Reconnecting this connection; `stored` is its account as stored (undefined when not found). */
  | { kind: 'reconnect'; connectionId: string; stored: { accountId: string | null; accountLabel: string | null } | undefined }
  /** A new connect of an account the workspace already has connected. */
  | { kind: 'same_account'; connectionId: string }
  | { kind: 'none' };

export interface ConnectionSaveFacts {
  provider: Pick<ProviderDefinition, 'id' | 'name' | 'auth' | 'resources'>;
  tokens: Pick<TokenSet, 'scopes'>;
  environment: Environment;
  test: ConnectionTestResult;
  existing: ExistingConnection;
  /** The id a new connection gets (unused when an existing connection is updated). */
  newConnectionId: string;
  /** How it authenticates, when not its provider's own way (an API key for an OAuth provider). */
  authKind?: ProviderDefinition['auth']['kind'];
}

export type ConnectionSaveRejection = { ok: false; reason: 'account_mismatch'; detail: string };

export interface ConnectionSavePlan {
  ok: true;
  /** Update the existing connection, or insert a new one. */
  write: 'update' | 'insert';
  connectionId: string;
  status: 'active' | 'error';
  statusReason: string | null;
  scopes: string[];
  /** The account the test identified; absent when the test failed (the stored one is kept). */
  account?: { accountId: string; accountLabel: string };
  /** Merged into an existing connection's settings, or a new connection's settings. */
  settings: { environment: Environment; identity: Record<string, string> };
  /** Columns only a new connection gets. */
  creation: { provider: string; displayName: string; authKind: ProviderDefinition['auth']['kind']; resources: string[] };
  activity: { action: 'connection.connected' | 'connection.reconnected'; details: Record<string, unknown> };
  /** Push channels are only opened for a connection that passed its test. */
  subscribeWebhooks: boolean;
}

export function planConnectionSave(facts: ConnectionSaveFacts): ConnectionSavePlan | ConnectionSaveRejection {
  const { provider, test, existing } = facts;
  const { identity, failure } = test;
  if (existing.kind === 'reconnect') {
    const stored = existing.stored;
    if (stored?.accountId && identity && stored.accountId !== identity.accountId) {
      return {
        ok: false,
        reason: 'account_mismatch',
        detail: `You signed in to ${identity.accountLabel}, but this connection belongs to ${stored.accountLabel ?? stored.accountId}.`,
      };
    }
  }
  const status = identity ? ('active' as const) : ('error' as const);
  const updating = existing.kind !== 'none';
  return {
    ok: true,
    write: updating ? 'update' : 'insert',
    connectionId: updating ? existing.connectionId : facts.newConnectionId,
    status,
    statusReason: failure ? `Connection test failed: ${failure}` : null,
    scopes: identity?.grantedScopes ?? facts.tokens.scopes ?? (provider.auth.kind === 'oauth2' && facts.authKind !== 'api_key' ? provider.auth.scopes : []),
    ...(identity ? { account: { accountId: identity.accountId, accountLabel: identity.accountLabel } } : {}),
    settings: { environment: facts.environment, identity: identity?.details ?? {} },
    creation: { provider: provider.id, displayName: provider.name, authKind: facts.authKind ?? provider.auth.kind, resources: provider.resources.map((r) => r.id) },
    activity: {
      // Connecting an account the workspace already has counts as reconnecting it.
      action: updating ? 'connection.reconnected' : 'connection.connected',
      details: { provider: provider.id, account: identity?.accountLabel ?? null, status, ...(failure ? { reason: failure } : {}) },
    },
    subscribeWebhooks: status === 'active',
  };
}
