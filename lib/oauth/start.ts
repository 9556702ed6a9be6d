// Step one of connecting: an admin asks to connect (or reconnect) a provider; we record a state
// and send the browser to the provider's consent screen.
import { and, eq } from 'drizzle-orm';
import type { SessionUser } from '../auth/session-token';
import type { Db } from '../db/engine';
import { connections } from '../db/schema';
import { HttpError, notFound } from '../http/errors';
import { environmentOf } from '../connections/provider-access';
import { credentialsFor, credentialsForNewConnection, envPrefix } from '../providers/credentials';
import { findProvider } from '../providers/registry';
import { inWorkspace } from '../workspaces/access';
import { buildAuthorizeUrl } from './authorize-url';
import { createPkcePair } from './pkce';
import { createState, stateCookieName } from './state';

export interface StartRequest {
  providerId: string;
  workspaceId: string;
  connectionId?: string;
  /** Our own origin, for the redirect URI (APP_URL overrides it). */
  origin: string;
}

export function callbackUrl(origin: string, providerId: string): string {
  const base = (process.env.APP_URL ?? origin).replace(/\/+$/, '');
  return `${base}/api/oauth/${providerId}/callback`;
}

export async function startAuthorization(db: Db, user: SessionUser, request: StartRequest) {
  const provider = findProvider(request.providerId);
  if (!provider) throw notFound(`There is no provider called "${request.providerId}".`);
  if (provider.auth.kind !== 'oauth2') throw new HttpError('bad_request', `${provider.name} connects with an API key, not OAuth.`);

  const existing = await inWorkspace(db, user, request.workspaceId, 'admin', async ({ tx }) => {
    if (!request.connectionId) return null;
    const [connection] = await tx
      .select()
      .from(connections)
      .where(and(eq(connections.id, request.connectionId), eq(connections.workspaceId, request.workspaceId)));
    if (!connection || connection.provider !== provider.id) throw notFound('That connection does not exist in this workspace.');
    return connection;
  });

  const credentials = existing ? credentialsFor(provider, environmentOf(existing)) : credentialsForNewConnection(provider);
  if (!credentials) {
    const prefix = envPrefix(provider.id);
    throw new HttpError('provider_not_configured', `${provider.name} is not configured on this server: set ${prefix}_CLIENT_ID and ${prefix}_CLIENT_SECRET.`);
  }
  const pkce = provider.auth.pkce ? createPkcePair() : undefined;
  const redirectUri = callbackUrl(request.origin, provider.id);
  const { state, stateHash } = await createState(db, {
    workspaceId: request.workspaceId,
    userId: user.userId,
    provider: provider.id,
    connectionId: existing?.id,
    codeVerifier: pkce?.verifier,
    environment: credentials.environment,
    redirectUri,
  });
  return {
    authorizeUrl: buildAuthorizeUrl(provider, credentials, { state, redirectUri, codeChallenge: pkce?.challenge }),
    stateCookie: stateCookieName(stateHash),
  };
}
