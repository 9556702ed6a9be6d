// Drives a whole OAuth handshake against the provider sandbox the way a browser would:
// start → follow the authorize redirect (auto-approve) → hand the callback query to the app.
import type { SessionUser } from '@/lib/auth/session-token';
import { connectWithApiKey } from '@/lib/connections/api-key';
import { chooseSelection, getSelection } from '@/lib/connections/selection';
import type { Db } from '@/lib/db/engine';
import { completeAuthorization, type CallbackOutcome } from '@/lib/oauth/callback';
import { startAuthorization } from '@/lib/oauth/start';
import { findProvider } from '@/lib/providers/registry';
import { sandboxProvider } from '../sandbox/server';

export interface Handshake {
  callbackQuery: URLSearchParams;
  stateCookie: string;
}

export async function authorizeAtSandbox(
  db: Db,
  user: SessionUser,
  workspaceId: string,
  providerId: string,
  connectionId?: string,
): Promise<Handshake> {
  const { authorizeUrl, stateCookie } = await startAuthorization(db, user, {
    providerId,
    workspaceId,
    connectionId,
    origin: 'http://hub.test',
  });
  const response = await fetch(authorizeUrl, { redirect: 'manual' });
  if (response.status !== 302) throw new Error(`sandbox authorize answered ${response.status}: ${await response.text()}`);
  const location = new URL(response.headers.get('location')!);
  return { callbackQuery: location.searchParams, stateCookie };
}

export function finish(db: Db, user: SessionUser | null, providerId: string, handshake: Handshake, cookies?: string[]) {
  return completeAuthorization(db, {
    providerId,
    query: handshake.callbackQuery,
    user,
    cookieNames: new Set(cookies ?? [handshake.stateCookie]),
  });
}

export async function connectViaSandbox(db: Db, user: SessionUser, workspaceId: string, providerId: string, connectionId?: string) {
  const outcome: CallbackOutcome = await finish(db, user, providerId, await authorizeAtSandbox(db, user, workspaceId, providerId, connectionId));
  if (!outcome.ok) throw new Error(`connect ${providerId} failed: ${outcome.reason} ${outcome.detail ?? ''}`);
  return outcome;
}

/**
 * Connects a provider's first sandbox account (or `accountId`) the way its definition says: the
 * OAuth code flow (the consent page auto-approves the first account, or posts the chosen one), or
 * the API-key form filled in with what the sandbox accepts for that account.
 */
export async function connectAccount(db: Db, user: SessionUser, workspaceId: string, providerId: string, accountId?: string): Promise<{ connectionId: string; status: string }> {
  const connected = await connectOnly(db, user, workspaceId, providerId, accountId);
  // A provider that asks the admin to choose (GitHub repositories) gets everything it offers chosen,
  // up to its maximum, so its syncs and webhooks have something to work on.
  if (findProvider(providerId)?.selection && connected.status === 'active') {
    const { options, max } = await getSelection(db, user, workspaceId, connected.connectionId);
    await chooseSelection(db, user, workspaceId, connected.connectionId, { chosen: options.slice(0, max).map((option) => option.id) });
  }
  return connected;
}

async function connectOnly(db: Db, user: SessionUser, workspaceId: string, providerId: string, accountId?: string): Promise<{ connectionId: string; status: string }> {
  const provider = findProvider(providerId);
  if (!provider) throw new Error(`The app has no provider ${providerId}`);
  const sandboxed = sandboxProvider(providerId);
  const account = accountId === undefined ? sandboxed.accounts[0] : sandboxed.accounts.find((a) => a.id === accountId);
  if (!account) throw new Error(`No ${providerId} sandbox account ${accountId}`);
  if (provider.auth.kind === 'api_key') {
    if (sandboxed.auth.kind !== 'api_key') throw new Error(`${providerId} connects with an API key in the app but not in the sandbox`);
    return connectWithApiKey(db, user, workspaceId, { provider: providerId, fields: sandboxed.auth.credentials(account) });
  }
  if (account === sandboxed.accounts[0]) return connectViaSandbox(db, user, workspaceId, providerId);
  const { authorizeUrl, stateCookie } = await startAuthorization(db, user, { providerId, workspaceId, origin: 'http://hub.test' });
  // Consent for another account than the default: what the consent form posts back.
  const response = await fetch(authorizeUrl, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ account: account.id, decision: 'allow' }),
  });
  if (response.status !== 302) throw new Error(`sandbox consent answered ${response.status}: ${await response.text()}`);
  const outcome = await finish(db, user, providerId, { callbackQuery: new URL(response.headers.get('location')!).searchParams, stateCookie });
  if (!outcome.ok) throw new Error(`connect ${providerId} failed: ${outcome.reason} ${outcome.detail ?? ''}`);
  return outcome;
}
