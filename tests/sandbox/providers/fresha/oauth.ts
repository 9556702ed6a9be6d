// Fresha publishes no public OAuth or REST API. This follows the product spec's partner contract
// (connect.fresha.com OAuth, api.fresha.com v2) and is unverified against Fresha itself; the
// error shapes are plain RFC 6749 / RFC 6750 because the contract names none.
import { json, readForm, type Reply, type Route } from '../../http';
import { authenticate, authorizeRoutes, findToken, identityHandler, revokeToken, tokenRoute, type TokenErrorKind } from '../../oauth';
import { findAccount, PROFILE } from './accounts';

const PROVIDER = PROFILE.id;
const CONNECT_HOST = 'connect.fresha.com';

function tokenError(kind: TokenErrorKind, description: string): Reply {
  const status = kind === 'invalid_client' ? 401 : kind === 'server_error' ? 500 : kind === 'temporarily_unavailable' ? 503 : 400;
  return json(status, { error: kind, error_description: description });
}

const invalidToken = (description: string) =>
  json(401, { error: 'invalid_token', error_description: description }, { 'www-authenticate': 'Bearer error="invalid_token"' });

function forcedIdentity(status: number): Reply {
  if (status === 401) return invalidToken('The access token is invalid.');
  return json(status, { error: status >= 500 ? 'server_error' : 'invalid_request', error_description: `Forced by the sandbox (HTTP ${status}).` });
}

export const freshaRoutes: Route[] = [
  ...authorizeRoutes({
    provider: PROFILE,
    host: CONNECT_HOST,
    path: '/oauth/authorize',
    requireResponseType: true,
    requirePkce: false,
  }),
  tokenRoute([CONNECT_HOST], '/oauth/token', {
    provider: PROVIDER,
    encoding: 'form',
    secretRequired: true,
    accessTokenSeconds: 3600,
    refreshEchoesRefreshToken: true,
    error: tokenError,
    success: ({ access, refresh, expiresIn }) =>
      json(200, {
        access_token: access.token,
        ...(refresh ? { refresh_token: refresh.token } : {}),
        expires_in: expiresIn,
        token_type: 'Bearer',
      }),
  }),
  {
    method: 'POST',
    hosts: [CONNECT_HOST],
    path: '/oauth/revoke',
    handle(ctx) {
      ctx.state.countRevocation(PROVIDER);
      const form = readForm(ctx);
      if (!form.ok) return tokenError('invalid_request', form.reason);
      const found = findToken(ctx, PROVIDER, form.value.token);
      if (found) revokeToken(ctx.state, found);
      return json(200, {});
    },
  },
  {
    method: 'GET',
    hosts: ['api.fresha.com'],
    path: '/v2/me',
    handle: identityHandler(PROVIDER, forcedIdentity, (ctx) => {
      const auth = authenticate(ctx, PROVIDER);
      if (!auth.ok) return invalidToken(auth.reason === 'missing' ? 'Missing bearer token.' : `The access token is ${auth.reason}.`);
      const account = findAccount(auth.grant.accountId);
      if (!account) return invalidToken('The access token is unknown.');
      return json(200, { business: { id: account.businessId, name: account.name, country: 'GB', timezone: 'Europe/London' } });
    }),
  },
];
