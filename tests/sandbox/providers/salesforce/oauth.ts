// Salesforce: login.salesforce.com authorize/token/revoke, and userinfo on each org's own
// instance host. Token answers carry instance_url, id, issued_at and signature, never expires_in.
import crypto from 'node:crypto';
import { json, readForm, text, type Reply, type Route } from '../../http';
import { authenticate, authorizeRoutes, findToken, identityHandler, revokeToken, tokenRoute, type TokenErrorKind } from '../../oauth';
import { sandboxClient } from '../../provider';
import { findAccount, INSTANCE_HOSTS, PROFILE } from './accounts';

const PROVIDER = PROFILE.id;
const LOGIN_HOST = 'login.salesforce.com';
/** The org's session timeout: Salesforce does not say, the token just stops working (default 2 h). */
const SESSION_SECONDS = 2 * 60 * 60;

function tokenError(kind: TokenErrorKind, description: string): Reply {
  const status = kind === 'invalid_client' ? 401 : kind === 'server_error' ? 500 : kind === 'temporarily_unavailable' ? 503 : 400;
  return json(status, { error: kind, error_description: description });
}

function identityUrl(organizationId: string, userId: string): string {
  return `https://login.salesforce.com/id/${organizationId}/${userId}`;
}

/**
 * The identity service (userinfo, the id URL) refuses a bad or expired token with 403 and one
 * word of plain text; only the REST data API answers 401 INVALID_SESSION_ID.
 */
const badToken = () => text(403, 'Bad_OAuth_Token');
const missingToken = () => text(403, 'Missing_OAuth_Token');

function forcedIdentity(status: number): Reply {
  if (status === 401) return json(401, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
  if (status === 403) return badToken();
  const errorCode = status === 503 ? 'SERVER_UNAVAILABLE' : status >= 500 ? 'UNKNOWN_EXCEPTION' : 'REQUEST_REFUSED';
  return json(status, [{ message: `Forced by the sandbox (HTTP ${status}).`, errorCode }]);
}

export const salesforceRoutes: Route[] = [
  ...authorizeRoutes({
    provider: PROFILE,
    host: LOGIN_HOST,
    path: '/services/oauth2/authorize',
    requireResponseType: true,
    requirePkce: false,
    // Salesforce returns a refresh token only when the refresh_token (or offline_access) scope was asked for.
    offline: (request) => request.scopes.includes('refresh_token') || request.scopes.includes('offline_access'),
  }),
  // My Domain hosts serve the same OAuth endpoints as login.salesforce.com.
  tokenRoute([LOGIN_HOST, ...INSTANCE_HOSTS], '/services/oauth2/token', {
    provider: PROVIDER,
    encoding: 'form',
    secretRequired: true,
    accessTokenSeconds: SESSION_SECONDS,
    refreshEchoesRefreshToken: false,
    error: tokenError,
    success({ access, refresh, grant }, ctx) {
      const account = findAccount(grant.accountId);
      if (!account) return tokenError('server_error', 'Sandbox account vanished');
      const id = identityUrl(account.organizationId, account.userId);
      const issuedAt = String(access.issuedAt);
      const signature = crypto.createHmac('sha256', sandboxClient(PROVIDER).clientSecret).update(id + issuedAt).digest('base64');
      return json(200, {
        access_token: access.token,
        ...(refresh ? { refresh_token: refresh.token } : {}),
        signature,
        scope: grant.scopes.join(' '),
        // The sandbox-rewritten form of https://<instance host>, so the app can strip the prefix,
        // check the real host and call back through the sandbox.
        instance_url: `${ctx.publicBaseUrl}/${account.instanceHost}`,
        id,
        token_type: 'Bearer',
        issued_at: issuedAt,
      });
    },
  }),
  {
    method: 'POST',
    hosts: [LOGIN_HOST, ...INSTANCE_HOSTS],
    path: '/services/oauth2/revoke',
    handle(ctx) {
      ctx.state.countRevocation(PROVIDER);
      const form = readForm(ctx);
      if (!form.ok) return json(400, { error: 'invalid_request', error_description: form.reason });
      const found = findToken(ctx, PROVIDER, form.value.token);
      // A refresh token takes its access tokens with it; an access token goes alone.
      if (found) revokeToken(ctx.state, found);
      return { status: 200 };
    },
  },
  {
    method: 'GET',
    hosts: INSTANCE_HOSTS,
    path: '/services/oauth2/userinfo',
    handle: identityHandler(PROVIDER, forcedIdentity, (ctx) => {
      const auth = authenticate(ctx, PROVIDER);
      if (!auth.ok) return auth.reason === 'missing' ? missingToken() : badToken();
      const account = findAccount(auth.grant.accountId);
      // A session belongs to one org: another org's instance host does not know it.
      if (!account || account.instanceHost !== ctx.host) return badToken();
      const [givenName, familyName] = account.name.split(' ');
      return json(200, {
        sub: identityUrl(account.organizationId, account.userId),
        user_id: account.userId,
        organization_id: account.organizationId,
        preferred_username: account.email,
        nickname: givenName.toLowerCase(),
        name: account.name,
        email: account.email,
        email_verified: true,
        given_name: givenName,
        family_name: familyName,
        zoneinfo: 'Europe/London',
        active: true,
        user_type: 'STANDARD',
        language: 'en_US',
        locale: 'en_GB',
        utcOffset: 0,
        updated_at: '2026-01-05T09:00:00Z',
        is_app_installed: true,
      });
    }),
  },
];
