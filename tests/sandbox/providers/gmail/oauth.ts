// Gmail's OAuth is Google's: the same accounts.google.com authorize page and oauth2.googleapis.com
// token and revoke endpoints as Google Calendar, told apart by client id (and, for revocation, by
// whose token it is) through Route.claims. users.getProfile, the identity check, is in mailbox.ts.
import { json, readForm, type Reply, type RequestContext, type Route } from '../../http';
import { authenticate, authorizeRoutes, findToken, revokeToken, tokenRoute, type TokenErrorKind } from '../../oauth';
import { sandboxClient } from '../../provider';
import { PROFILE, READ_SCOPE } from './accounts';

const PROVIDER = PROFILE.id;
const CLIENT_ID = sandboxClient(PROVIDER).clientId;

const API_STATUS: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

/** Google's JSON API error envelope. */
export function apiError(code: number, message: string, reason: string, headers: Record<string, string> = {}): Reply {
  return json(code, { error: { code, message, errors: [{ message, domain: 'global', reason }], status: API_STATUS[code] ?? 'UNKNOWN' } }, headers);
}

export const unauthenticated = () =>
  apiError(401, 'Request had invalid authentication credentials.', 'authError', {
    'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"',
  });

function tokenError(kind: TokenErrorKind, description: string): Reply {
  const status = kind === 'invalid_client' ? 401 : kind === 'server_error' ? 500 : kind === 'temporarily_unavailable' ? 503 : 400;
  return json(status, { error: kind, error_description: description });
}

/** The bearer's account and scopes, or Google's 401 / 403 answer (every Gmail call needs one of `scopes`). */
export function authorize(ctx: RequestContext, scopes: readonly string[] = [READ_SCOPE]): { ok: true; account: string } | { ok: false; reply: Reply } {
  const auth = authenticate(ctx, PROVIDER);
  if (!auth.ok) return { ok: false, reply: unauthenticated() };
  if (!auth.grant.scopes.some((scope) => scopes.includes(scope))) {
    return { ok: false, reply: apiError(403, 'Request had insufficient authentication scopes.', 'insufficientPermissions') };
  }
  return { ok: true, account: auth.grant.accountId };
}

const ownClient = (ctx: RequestContext) => (ctx.method === 'POST' && ctx.path === '/token' ? formField(ctx, 'client_id') : ctx.query.get('client_id')) === CLIENT_ID;

function formField(ctx: RequestContext, name: string): string | undefined {
  const form = readForm(ctx);
  return form.ok ? form.value[name] : undefined;
}

function revokedToken(ctx: RequestContext): string | undefined {
  return formField(ctx, 'token') ?? ctx.query.get('token') ?? undefined;
}

const claimed = (routes: Route[], claims: (ctx: RequestContext) => boolean): Route[] => routes.map((route) => ({ ...route, claims }));

export const gmailOAuthRoutes: Route[] = [
  ...claimed(
    authorizeRoutes({
      provider: PROFILE,
      host: 'accounts.google.com',
      path: '/o/oauth2/v2/auth',
      requireResponseType: true,
      requirePkce: false,
      // Google issues a refresh token only with access_type=offline, and on a repeat consent only with prompt=consent.
      offline(request, accountId, state) {
        const key = `${PROVIDER}:${accountId}`;
        const firstConsent = !state.consented.has(key);
        state.consented.add(key);
        const prompts = (request.query.get('prompt') ?? '').split(/\s+/);
        return request.query.get('access_type') === 'offline' && (firstConsent || prompts.includes('consent'));
      },
      successParams: (request) => ({ scope: request.scopes.join(' ') }),
    }),
    ownClient,
  ),
  ...claimed(
    [
      tokenRoute(['oauth2.googleapis.com'], '/token', {
        provider: PROVIDER,
        encoding: 'form',
        secretRequired: true,
        accessTokenSeconds: 3599,
        refreshEchoesRefreshToken: false,
        error: tokenError,
        success: ({ access, expiresIn, refresh, grant }) =>
          json(200, {
            access_token: access.token,
            expires_in: expiresIn,
            ...(refresh ? { refresh_token: refresh.token } : {}),
            scope: grant.scopes.join(' '),
            token_type: 'Bearer',
          }),
      }),
    ],
    ownClient,
  ),
  {
    method: 'POST',
    hosts: ['oauth2.googleapis.com'],
    path: '/revoke',
    claims: (ctx) => findToken(ctx, PROVIDER, revokedToken(ctx)) !== undefined,
    handle(ctx) {
      ctx.state.countRevocation(PROVIDER);
      const found = findToken(ctx, PROVIDER, revokedToken(ctx));
      if (!found || found.token.revoked) return json(400, { error: 'invalid_token', error_description: 'Token expired or revoked' });
      // Revoking either token of a pair revokes both.
      revokeToken(ctx.state, found, true);
      return json(200, {});
    },
  },
];

