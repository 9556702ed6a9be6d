// GitHub OAuth at github.com (https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps):
// authorize (no response_type; PKCE S256 optional), a form-encoded token endpoint that answers JSON
// when asked with Accept: application/json — refusals as 200 with an `error` field, as GitHub does —
// GitHub App user tokens (8 h, 6-month refresh tokens that rotate) for the first account and a
// never-expiring OAuth App token for the second; GET /user with X-OAuth-Scopes; and revocation of
// the whole grant at DELETE /applications/{client_id}/grant with Basic client credentials.
// API errors are { message, documentation_url }; every API answer carries x-ratelimit-* headers.
import { json, readJson, type Reply, type RequestContext, type Route } from '../../http';
import { authenticate, authorizeRoutes, findToken, identityHandler, revokeToken, tokenRoute, type TokenErrorKind } from '../../oauth';
import { sandboxClient } from '../../provider';
import { bookOf } from './book';
import { API_HOST, findAccount, PROFILE, userObject, WEB_HOST, type GithubAccount } from './accounts';

const PROVIDER = PROFILE.id;
/** GitHub App user tokens: 8 hours; their refresh tokens: 6 months. */
const ACCESS_SECONDS = 8 * 60 * 60;
const REFRESH_SECONDS = 15_897_600;
export const RATE_LIMIT = 5000;

/** GitHub's names for token refusals (https://docs.github.com/en/apps/oauth-apps/maintaining-oauth-apps/troubleshooting-oauth-app-access-token-request-errors). */
const TOKEN_ERRORS: Record<TokenErrorKind, string> = {
  invalid_request: 'invalid_request',
  invalid_client: 'incorrect_client_credentials',
  invalid_grant: 'bad_verification_code',
  unsupported_grant_type: 'unsupported_grant_type',
  server_error: 'server_error',
  temporarily_unavailable: 'temporarily_unavailable',
};

function tokenError(kind: TokenErrorKind, description: string, grantType?: string): Reply {
  if (kind === 'server_error' || kind === 'temporarily_unavailable') return json(kind === 'server_error' ? 500 : 503, { error: kind, error_description: description });
  const error = kind === 'invalid_grant' && grantType === 'refresh_token' ? 'bad_refresh_token' : TOKEN_ERRORS[kind];
  return json(200, { error, error_description: description, error_uri: 'https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors' });
}

/** The x-ratelimit-* headers of an API answer; `spend` false for answers that cost nothing (304). */
export function rateHeaders(ctx: RequestContext, spend = true): Record<string, string> {
  const book = bookOf(ctx.state);
  if (spend) book.used += 1;
  const now = book.used;
  return {
    'x-ratelimit-limit': String(RATE_LIMIT),
    'x-ratelimit-remaining': String(Math.max(0, RATE_LIMIT - now)),
    'x-ratelimit-used': String(now),
    'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
    'x-ratelimit-resource': 'core',
    'x-github-api-version-selected': '2022-11-28',
  };
}

/** GitHub's API error envelope. */
export function apiError(status: number, message: string, headers: Record<string, string> = {}): Reply {
  return json(status, { message, documentation_url: 'https://docs.github.com/rest', status: String(status) }, headers);
}

export const unauthenticated = () => apiError(401, 'Bad credentials');

/** The bearer's account, or the 401/403 to answer. */
export function authorize(ctx: RequestContext, scope?: string): { ok: true; account: GithubAccount; scopes: string[] } | { ok: false; reply: Reply } {
  const auth = authenticate(ctx, PROVIDER);
  if (!auth.ok) return { ok: false, reply: unauthenticated() };
  const account = findAccount(auth.grant.accountId);
  if (!account) return { ok: false, reply: unauthenticated() };
  if (scope && !auth.grant.scopes.includes(scope)) return { ok: false, reply: apiError(404, 'Not Found') };
  return { ok: true, account, scopes: auth.grant.scopes };
}

export const githubOauthRoutes: Route[] = [
  ...authorizeRoutes({
    provider: PROFILE,
    host: WEB_HOST,
    path: '/login/oauth/authorize',
    requireResponseType: false,
    requirePkce: false,
    // Only the GitHub App style account gets a refresh token.
    offline: (_request, accountId) => findAccount(accountId)?.tokens === 'expiring',
  }),
  tokenRoute([WEB_HOST], '/login/oauth/access_token', {
    provider: PROVIDER,
    encoding: 'form',
    secretRequired: true,
    accessTokenSeconds: ACCESS_SECONDS,
    refreshTokenSeconds: REFRESH_SECONDS,
    refreshEchoesRefreshToken: false,
    error: tokenError,
    success: ({ access, refresh, expiresIn, grant }) =>
      json(200, {
        access_token: access.token,
        token_type: 'bearer',
        // GitHub lists granted scopes comma-separated.
        scope: grant.scopes.join(','),
        ...(refresh ? { expires_in: expiresIn, refresh_token: refresh.token, refresh_token_expires_in: REFRESH_SECONDS } : {}),
      }),
  }),
  {
    method: 'DELETE',
    hosts: [API_HOST],
    path: '/applications/{client_id}/grant',
    pattern: /^\/applications\/(?<client_id>[^/]+)\/grant$/,
    handle(ctx) {
      ctx.state.countRevocation(PROVIDER);
      const client = sandboxClient(PROVIDER);
      const basic = String(ctx.headers.authorization ?? '');
      const expected = `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`;
      if (ctx.params.client_id !== client.clientId || basic !== expected) return apiError(404, 'Not Found');
      const body = readJson(ctx);
      if (!body.ok || typeof body.value.access_token !== 'string') return apiError(422, 'Invalid request: access_token is required');
      const found = findToken(ctx, PROVIDER, body.value.access_token);
      if (!found) return apiError(404, 'Not Found');
      // Deleting the authorization revokes every token of the grant.
      revokeToken(ctx.state, found, true);
      return { status: 204, headers: rateHeaders(ctx) };
    },
  },
  {
    method: 'GET',
    hosts: [API_HOST],
    path: '/user',
    handle: identityHandler(
      PROVIDER,
      (status) => (status === 401 ? unauthenticated() : apiError(status, `Forced by the sandbox (HTTP ${status}).`)),
      (ctx) => {
        const auth = authorize(ctx);
        if (!auth.ok) return auth.reply;
        const account = auth.account;
        return json(
          200,
          { ...userObject(account), name: account.name, email: account.email, created_at: '2020-01-02T03:04:05Z', updated_at: '2026-01-02T03:04:05Z' },
          // OAuth App tokens report their scopes; GitHub App user tokens have permissions instead.
          { ...rateHeaders(ctx), ...(account.tokens === 'non-expiring' ? { 'x-oauth-scopes': auth.scopes.join(', ') } : {}) },
        );
      },
    ),
  },
];
