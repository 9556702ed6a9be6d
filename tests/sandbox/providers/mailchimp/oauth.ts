// Mailchimp's OAuth 2 in the sandbox (https://mailchimp.com/developer/marketing/guides/access-user-data-oauth-2/):
// /oauth2/authorize with response_type=code and no scope (Mailchimp has none), a form-encoded
// /oauth2/token code grant with client_id and client_secret answered { access_token, expires_in: 0,
// scope: null } and no refresh token (tokens never expire), and GET /oauth2/metadata, which takes
// "Authorization: OAuth <token>" and answers the account's data centre and API endpoint.
import { json, type Reply, type Route } from '../../http';
import { authorizeRoutes, tokenRoute, type TokenErrorKind } from '../../oauth';
import { apiHost, findAccount, LOGIN_HOST, PROFILE } from './accounts';

function tokenError(kind: TokenErrorKind, description: string): Reply {
  const status = kind === 'invalid_client' ? 401 : kind === 'server_error' ? 500 : kind === 'temporarily_unavailable' ? 503 : 400;
  return json(status, { error: kind, error_description: description });
}

export const mailchimpOAuthRoutes: Route[] = [
  ...authorizeRoutes({ provider: PROFILE, host: LOGIN_HOST, path: '/oauth2/authorize', requireResponseType: true, requirePkce: false, requireScope: false, offline: () => false }),
  tokenRoute([LOGIN_HOST], '/oauth2/token', {
    provider: PROFILE.id,
    encoding: 'form',
    secretRequired: true,
    // "Never expires": ten years outlives any test.
    accessTokenSeconds: 10 * 365 * 24 * 3600,
    refreshEchoesRefreshToken: false,
    error: tokenError,
    success: ({ access }) => json(200, { access_token: access.token, expires_in: 0, scope: null }),
  }),
  {
    method: 'GET',
    hosts: [LOGIN_HOST],
    path: '/oauth2/metadata',
    handle(ctx) {
      const match = /^OAuth\s+(\S+)\s*$/i.exec(String(ctx.headers.authorization ?? ''));
      const checked = match ? ctx.state.check(match[1], PROFILE.id, 'access') : null;
      const account = checked?.ok ? findAccount(checked.grant.accountId) : undefined;
      if (!account) return json(401, { error: 'invalid_token', error_description: 'The access token is missing, unknown or revoked.' });
      return json(200, {
        dc: account.dc,
        role: 'owner',
        accountname: account.name,
        user_id: Number.parseInt(account.id.slice(0, 8), 16),
        login: { email: account.email, avatar: null, login_id: Number.parseInt(account.id.slice(-6), 16), login_name: account.email, login_email: account.email },
        login_url: `https://${LOGIN_HOST}`,
        api_endpoint: `https://${apiHost(account)}`,
      });
    },
  },
];
