// Microsoft identity platform v2 (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow):
// /common/oauth2/v2.0/authorize and /token on login.microsoftonline.com, form bodies, a refresh
// token only with the offline_access scope, and a new refresh token on every refresh (the old one
// dies). Token answers carry token_type, scope, expires_in, ext_expires_in. /v1.0/me is the identity.
import crypto from 'node:crypto';
import { json, type Reply, type Route } from '../../http';
import { authenticate, authorizeRoutes, identityHandler, tokenRoute, type TokenErrorKind } from '../../oauth';
import { findAccount, PROFILE } from './accounts';
import { GRAPH_HOST, graphError, unauthenticated } from './graph';

const LOGIN_HOST = 'login.microsoftonline.com';
const TENANT_PATH = '/common/oauth2/v2.0';

/** AADSTS codes as Microsoft reports them beside the OAuth error. */
const AADSTS: Record<TokenErrorKind, number> = {
  invalid_request: 900144,
  invalid_client: 7000215,
  invalid_grant: 70000,
  unsupported_grant_type: 70003,
  server_error: 90033,
  temporarily_unavailable: 90033,
};

function tokenError(kind: TokenErrorKind, description: string): Reply {
  const status = kind === 'invalid_client' ? 401 : kind === 'server_error' ? 500 : kind === 'temporarily_unavailable' ? 503 : 400;
  const traceId = crypto.randomUUID();
  return json(status, {
    error: kind,
    error_description: `AADSTS${AADSTS[kind]}: ${description} Trace ID: ${traceId}`,
    error_codes: [AADSTS[kind]],
    timestamp: new Date().toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, 'Z'),
    trace_id: traceId,
    correlation_id: crypto.randomUUID(),
  });
}

export const outlookOAuthRoutes: Route[] = [
  ...authorizeRoutes({
    provider: PROFILE,
    host: LOGIN_HOST,
    path: `${TENANT_PATH}/authorize`,
    requireResponseType: true,
    requirePkce: false,
    offline: (request) => request.scopes.includes('offline_access'),
  }),
  tokenRoute([LOGIN_HOST], `${TENANT_PATH}/token`, {
    provider: PROFILE.id,
    encoding: 'form',
    secretRequired: true,
    // Microsoft's access tokens live 60–90 minutes.
    accessTokenSeconds: 3600 + 17 * 60,
    refreshEchoesRefreshToken: true,
    error: tokenError,
    success: ({ access, expiresIn, refresh, grant }) =>
      json(200, {
        token_type: 'Bearer',
        scope: grant.scopes.join(' '),
        expires_in: expiresIn,
        ext_expires_in: expiresIn,
        access_token: access.token,
        ...(refresh ? { refresh_token: refresh.token } : {}),
      }),
  }),
  {
    method: 'GET',
    hosts: [GRAPH_HOST],
    path: '/v1.0/me',
    handle: identityHandler(
      PROFILE.id,
      (status) => (status === 401 ? unauthenticated() : graphError(status, 'generalException', `Forced by the sandbox (HTTP ${status}).`)),
      (ctx) => {
        const auth = authenticate(ctx, PROFILE.id);
        if (!auth.ok) return unauthenticated();
        const account = findAccount(auth.grant.accountId);
        if (!account) return unauthenticated();
        return json(200, {
          '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users/$entity',
          id: account.id,
          displayName: account.name,
          givenName: account.name.split(' ')[0],
          surname: account.name.split(' ').slice(1).join(' '),
          mail: account.email,
          userPrincipalName: account.email,
          preferredLanguage: 'en-GB',
        });
      },
    ),
  },
];
