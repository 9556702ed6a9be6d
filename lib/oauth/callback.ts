// Step two: the provider sends the browser back. Every way this can go wrong ends in a clear
// outcome (and, where we know the workspace, an activity entry), never an exception page.
import type { SessionUser } from '../auth/session-token';
import type { Db } from '../db/engine';
import { logActivity } from '../activity/log';
import { saveConnection } from '../connections/save-connection';
import { createProviderClient } from '../providers/client';
import { credentialsFor } from '../providers/credentials';
import { findProvider } from '../providers/registry';
import { startSync } from '../sync/jobs';
import { inWorkspace } from '../workspaces/access';
import { HttpError } from '../http/errors';
import { consumeState, hashState, stateCookieName } from './state';
import { oauthSettings, requestTokens } from './token-endpoint';

export type CallbackFailure =
  | 'unknown_provider'
  | 'missing_state'
  | 'unknown_state'
  | 'state_reused'
  | 'state_expired'
  | 'state_mismatch'
  | 'not_signed_in'
  | 'state_other_user'
  | 'state_other_browser'
  | 'workspace_access'
  | 'access_denied'
  | 'provider_error'
  | 'missing_code'
  | 'exchange_failed'
  | 'account_mismatch'
  | 'not_configured';

export type CallbackOutcome =
  | { ok: true; workspaceId: string; connectionId: string; status: string }
  | { ok: false; reason: CallbackFailure; detail?: string; workspaceId?: string };

export interface CallbackInput {
  providerId: string;
  query: URLSearchParams;
  user: SessionUser | null;
  /** Names of the cookies the browser sent (the state cookie proves it started the handshake). */
  cookieNames: Set<string>;
}

export async function completeAuthorization(db: Db, input: CallbackInput): Promise<CallbackOutcome> {
  const provider = findProvider(input.providerId);
  if (!provider || provider.auth.kind !== 'oauth2') return { ok: false, reason: 'unknown_provider' };
  const state = input.query.get('state');
  if (!state) return { ok: false, reason: 'missing_state' };

  const consumed = await consumeState(db, state);
  if (!consumed.ok) {
    const row = consumed.row;
    return fail(db, row ? actorOf(input.user, row.userId) : null, consumed.reason, row?.workspaceId, provider.id);
  }
  const row = consumed.row;
  // The failure lands in the workspace of whoever started the handshake; a visitor holding someone
  // else's state (a replayed or leaked callback URL) is not its actor, so it is recorded actorless.
  const failHere = (reason: CallbackFailure, detail?: string) =>
    fail(db, actorOf(input.user, row.userId), reason, row.workspaceId, provider.id, detail);

  if (row.provider !== provider.id) return failHere('state_mismatch');
  if (!input.user) return { ok: false, reason: 'not_signed_in', workspaceId: row.workspaceId };
  if (row.userId !== input.user.userId) return failHere('state_other_user');
  if (!input.cookieNames.has(stateCookieName(hashState(state)))) return failHere('state_other_browser');
  try {
    await inWorkspace(db, input.user, row.workspaceId, 'admin', async () => undefined);
  } catch (error) {
    if (error instanceof HttpError) return { ok: false, reason: 'workspace_access' };
    throw error;
  }

  const error = input.query.get('error');
  if (error) {
    const description = input.query.get('error_description') ?? undefined;
    return failHere(error === 'access_denied' ? 'access_denied' : 'provider_error', description ?? error);
  }
  const code = input.query.get('code');
  if (!code) return failHere('missing_code');

  const credentials = credentialsFor(provider, row.environment);
  if (!credentials) return failHere('not_configured');

  let tokens;
  try {
    const grant: Record<string, string> = { grant_type: 'authorization_code', code, redirect_uri: row.redirectUri };
    if (consumed.codeVerifier) grant.code_verifier = consumed.codeVerifier;
    tokens = await requestTokens(provider, credentials, grant);
    const auth = oauthSettings(provider);
    if (auth.checkTokens) tokens = auth.checkTokens(tokens, credentials.environment);
  } catch (exchangeError) {
    return failHere('exchange_failed', (exchangeError as Error).message);
  }

  const saved = await saveConnection(db, input.user, {
    provider,
    client: createProviderClient(provider, credentials, tokens),
    workspaceId: row.workspaceId,
    reconnectConnectionId: row.connectionId ?? undefined,
  });
  if (!saved.ok) return failHere(saved.reason, saved.detail);
  if (saved.status === 'active' && !row.connectionId) {
    await startSync(db, { workspaceId: row.workspaceId, connectionId: saved.connectionId, provider: provider.id, trigger: 'initial', mode: 'full', requestedBy: input.user.userId });
  }
  return { ok: true, workspaceId: row.workspaceId, connectionId: saved.connectionId, status: saved.status };
}

/** The signed-in user as the actor of a handshake's activity, only when they started it. */
function actorOf(user: SessionUser | null, startedBy: string): SessionUser | null {
  return user && user.userId === startedBy ? user : null;
}

async function fail(
  db: Db,
  actor: SessionUser | null,
  reason: CallbackFailure,
  workspaceId: string | undefined,
  providerId: string,
  detail?: string,
): Promise<CallbackOutcome> {
  // The detail comes from the callback's query (error_description): no NUL may reach the log.
  detail = detail?.replaceAll('\u0000', '');
  if (workspaceId) {
    await logActivity(db, actor, {
      workspaceId,
      action: reason === 'access_denied' ? 'connection.authorization_denied' : 'connection.authorization_failed',
      targetType: 'provider',
      targetId: providerId,
      details: { provider: providerId, reason, ...(detail ? { detail: detail.slice(0, 500) } : {}) },
    });
  }
  return { ok: false, reason, detail: detail?.slice(0, 300), workspaceId };
}
