// Calendly OAuth at auth.calendly.com (https://developer.calendly.com/docs/authentication):
// authorize, a form-encoded token endpoint answering 2-hour access tokens and single-use refresh
// tokens (every refresh rotates), revocation, and GET /users/me as the identity check. API errors
// are { title, message, details? }.
import { json, readForm, type Reply, type RequestContext, type Route } from '../../http';
import { authenticate, authorizeRoutes, findToken, identityHandler, revokeToken, tokenRoute, type TokenErrorKind } from '../../oauth';
import { API, API_HOST, AUTH_HOST, findAccount, organizationUri, PROFILE, userUri, type CalendlyAccount } from './accounts';

const PROVIDER = PROFILE.id;

function tokenError(kind: TokenErrorKind, description: string): Reply {
  const status = kind === 'invalid_client' ? 401 : kind === 'server_error' ? 500 : kind === 'temporarily_unavailable' ? 503 : 400;
  return json(status, { error: kind, error_description: description });
}

/** Calendly's API error envelope. */
export function apiError(status: number, title: string, message: string, details?: { parameter?: string; message: string }[], headers: Record<string, string> = {}): Reply {
  return json(status, { title, message, ...(details ? { details } : {}) }, headers);
}

export const unauthenticated = () => apiError(401, 'Unauthenticated', 'The access token is invalid');

/** The bearer's account, or the 401/403 to answer. */
export function authorize(ctx: RequestContext, scope?: string): { ok: true; account: CalendlyAccount; scopes: string[] } | { ok: false; reply: Reply } {
  const auth = authenticate(ctx, PROVIDER);
  if (!auth.ok) return { ok: false, reply: unauthenticated() };
  const account = findAccount(auth.grant.accountId);
  if (!account) return { ok: false, reply: unauthenticated() };
  // A :write scope includes the :read scope of its domain.
  if (scope && !auth.grant.scopes.includes(scope) && !auth.grant.scopes.includes(scope.replace(/:read$/, ':write'))) {
    return { ok: false, reply: apiError(403, 'Permission Denied', `This token lacks the ${scope} scope`) };
  }
  return { ok: true, account, scopes: auth.grant.scopes };
}

export function userResource(account: CalendlyAccount) {
  return {
    uri: userUri(account),
    name: account.name,
    slug: account.name.toLowerCase().replace(/\s+/g, '-'),
    email: account.email,
    scheduling_url: `https://calendly.com/${account.name.toLowerCase().replace(/\s+/g, '-')}`,
    timezone: account.timezone,
    time_notation: '24h',
    avatar_url: null,
    created_at: '2024-01-02T03:04:05.000000Z',
    updated_at: '2026-01-02T03:04:05.000000Z',
    current_organization: organizationUri(account),
    resource_type: 'User',
    locale: 'en',
  };
}

export const calendlyRoutes: Route[] = [
  ...authorizeRoutes({ provider: PROFILE, host: AUTH_HOST, path: '/oauth/authorize', requireResponseType: true, requirePkce: false }),
  tokenRoute([AUTH_HOST], '/oauth/token', {
    provider: PROVIDER,
    encoding: 'form',
    secretRequired: true,
    accessTokenSeconds: 7200,
    refreshEchoesRefreshToken: false,
    error: tokenError,
    success: ({ access, refresh, expiresIn, grant }) => {
      const account = findAccount(grant.accountId);
      return json(200, {
        token_type: 'Bearer',
        access_token: access.token,
        ...(refresh ? { refresh_token: refresh.token } : {}),
        scope: grant.scopes.join(' '),
        created_at: Math.floor(Date.now() / 1000),
        expires_in: expiresIn,
        ...(account ? { owner: userUri(account), organization: organizationUri(account) } : {}),
      });
    },
  }),
  {
    method: 'POST',
    hosts: [AUTH_HOST],
    path: '/oauth/revoke',
    handle(ctx) {
      ctx.state.countRevocation(PROVIDER);
      const form = readForm(ctx);
      if (!form.ok) return tokenError('invalid_request', form.reason);
      const found = findToken(ctx, PROVIDER, form.value.token);
      // Revoking either token ends the authorization.
      if (found) revokeToken(ctx.state, found, true);
      return json(200, {});
    },
  },
  {
    method: 'GET',
    hosts: [API_HOST],
    path: '/users/me',
    handle: identityHandler(
      PROVIDER,
      (status) => (status === 401 ? unauthenticated() : apiError(status, 'Internal Server Error', `Forced by the sandbox (HTTP ${status}).`)),
      (ctx) => {
        const auth = authorize(ctx, 'users:read');
        if (!auth.ok) return auth.reply;
        return json(200, { resource: userResource(auth.account) });
      },
    ),
  },
];

export { API };
