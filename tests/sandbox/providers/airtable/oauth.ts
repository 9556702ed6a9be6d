// Airtable OAuth at airtable.com/oauth2/v1 ✔ (https://airtable.com/developers/web/api/oauth-reference):
// authorize with PKCE (S256) required; a form-encoded token endpoint where a client that has a
// secret authenticates with HTTP Basic (a secret in the body is refused here, so the app is held to
// it), answering 60-minute access tokens and refresh tokens that rotate on every use and expire
// after 60 days (refresh_expires_in) ~. GET /v0/meta/whoami is the identity check ✔. No revocation.
import { json, type Reply, type RequestContext, type Route } from '../../http';
import { authenticate, authorizeRoutes, identityHandler, tokenRoute, type TokenErrorKind } from '../../oauth';
import { sandboxClient } from '../../provider';
import { API_HOST, AUTH_HOST, findAccount, PROFILE, type AirtableAccount } from './accounts';

const PROVIDER = PROFILE.id;
export const ACCESS_TOKEN_SECONDS = 3600;
export const REFRESH_TOKEN_SECONDS = 60 * 86_400;
export const SCOPES = ['data.records:read', 'data.records:write', 'schema.bases:read', 'webhook:manage', 'user.email:read'] as const;

function tokenError(kind: TokenErrorKind, description: string): Reply {
  const status = kind === 'invalid_client' ? 401 : kind === 'server_error' ? 500 : kind === 'temporarily_unavailable' ? 503 : 400;
  return json(status, { error: kind, error_description: description });
}

/** Airtable's API error envelope ~ (support.airtable.com, "Airtable API: Common troubleshooting"). */
export const apiError = (status: number, type: string, message: string, headers: Record<string, string> = {}): Reply => json(status, { error: { type, message } }, headers);
export const notFound = () => json(404, { error: 'NOT_FOUND' });

/** The bearer's account, or the 401/403 to answer. */
export function authorize(ctx: RequestContext, scope: string): { ok: true; account: AirtableAccount; scopes: string[]; clientId: string } | { ok: false; reply: Reply } {
  const auth = authenticate(ctx, PROVIDER);
  if (!auth.ok) return { ok: false, reply: apiError(401, 'AUTHENTICATION_REQUIRED', 'Authentication required') };
  const account = findAccount(auth.grant.accountId);
  if (!account) return { ok: false, reply: apiError(401, 'AUTHENTICATION_REQUIRED', 'Authentication required') };
  if (!auth.grant.scopes.includes(scope)) return { ok: false, reply: apiError(403, 'INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND', `Invalid permissions, or the requested model was not found. This token lacks the ${scope} scope.`) };
  return { ok: true, account, scopes: auth.grant.scopes, clientId: auth.grant.clientId };
}

const standardTokens = tokenRoute([AUTH_HOST], '/oauth2/v1/token', {
  provider: PROVIDER,
  encoding: 'form',
  secretRequired: false,
  accessTokenSeconds: ACCESS_TOKEN_SECONDS,
  refreshTokenSeconds: REFRESH_TOKEN_SECONDS,
  refreshEchoesRefreshToken: false,
  error: tokenError,
  success: ({ access, refresh, expiresIn, grant }) =>
    json(200, {
      access_token: access.token,
      ...(refresh ? { refresh_token: refresh.token, refresh_expires_in: REFRESH_TOKEN_SECONDS } : {}),
      token_type: 'Bearer',
      scope: grant.scopes.join(' '),
      expires_in: expiresIn,
    }),
});

/** HTTP Basic client credentials, or null when absent; undefined when malformed. */
function basicCredentials(ctx: RequestContext): { id: string; secret: string } | null | undefined {
  const header = ctx.headers.authorization;
  if (!header) return null;
  const match = /^Basic\s+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(header);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  try {
    return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
  } catch {
    return undefined;
  }
}

const tokenEndpoint: Route = {
  ...standardTokens,
  handle(ctx) {
    const params = new URLSearchParams(ctx.body.toString('utf8'));
    if (params.has('client_secret')) return tokenError('invalid_request', 'Send the client secret with HTTP Basic authentication, not in the body.');
    const basic = basicCredentials(ctx);
    if (basic === undefined) return tokenError('invalid_client', 'The Authorization header is not valid HTTP Basic.');
    if (basic) {
      if (basic.id !== params.get('client_id') || basic.id !== sandboxClient(PROVIDER).clientId) return tokenError('invalid_client', 'The client id in the Authorization header does not match.');
      // The shared machinery checks the secret as if it came in the body.
      params.set('client_secret', basic.secret);
    }
    return standardTokens.handle({ ...ctx, body: Buffer.from(params.toString(), 'utf8') });
  },
};

export const oauthRoutes: Route[] = [
  ...authorizeRoutes({ provider: PROFILE, host: AUTH_HOST, path: '/oauth2/v1/authorize', requireResponseType: true, requirePkce: true }),
  tokenEndpoint,
  {
    method: 'GET',
    hosts: [API_HOST],
    path: '/v0/meta/whoami',
    handle: identityHandler(
      PROVIDER,
      (status) => (status === 401 ? apiError(401, 'AUTHENTICATION_REQUIRED', 'Authentication required') : apiError(status, 'SERVER_ERROR', `Forced by the sandbox (HTTP ${status}).`)),
      (ctx) => {
        const auth = authenticate(ctx, PROVIDER);
        const account = auth.ok ? findAccount(auth.grant.accountId) : undefined;
        if (!auth.ok || !account) return apiError(401, 'AUTHENTICATION_REQUIRED', 'Authentication required');
        return json(200, { id: account.id, scopes: auth.grant.scopes, ...(auth.grant.scopes.includes('user.email:read') ? { email: account.email } : {}) });
      },
    ),
  },
];
