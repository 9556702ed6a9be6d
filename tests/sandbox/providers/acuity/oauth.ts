// Acuity's OAuth 2 in the sandbox, as the official JS SDK uses it (github.com/AcuityScheduling/acuity-js,
// src/AcuitySchedulingOAuth.js): /oauth2/authorize with response_type=code and scope api-v1, a
// form-encoded /oauth2/token code grant with client_id and client_secret, answered with an access
// token and no refresh token (none is documented; the tokens live far beyond any test here).
import { json, type Reply, type Route } from '../../http';
import { authorizeRoutes, tokenRoute, type TokenErrorKind } from '../../oauth';
import { API_HOST, PROFILE } from './accounts';

function tokenError(kind: TokenErrorKind, description: string): Reply {
  const status = kind === 'invalid_client' ? 401 : kind === 'server_error' ? 500 : kind === 'temporarily_unavailable' ? 503 : 400;
  return json(status, { error: kind, error_description: description });
}

export const acuityOAuthRoutes: Route[] = [
  // No refresh token: Acuity's code grant answers an access token only.
  ...authorizeRoutes({ provider: PROFILE, host: API_HOST, path: '/oauth2/authorize', requireResponseType: true, requirePkce: false, offline: () => false }),
  tokenRoute([API_HOST], '/oauth2/token', {
    provider: PROFILE.id,
    encoding: 'form',
    secretRequired: true,
    accessTokenSeconds: 10 * 365 * 24 * 3600,
    refreshEchoesRefreshToken: false,
    error: tokenError,
    success: ({ access }) => json(200, { access_token: access.token, token_type: 'Bearer' }),
  }),
];
