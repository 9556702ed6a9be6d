// Square, PKCE flow: JSON token requests with no client secret, ISO expiry timestamps, a new
// refresh token on every refresh, revocation with `Authorization: Client <secret>`, and a
// Square-Version header on every /v2 call.
import { json, readJson, type Reply, type RequestContext, type Route } from '../../http';
import { authenticate, authorizeRoutes, identityHandler, tokenRoute, type TokenErrorKind } from '../../oauth';
import { sandboxClient } from '../../provider';
import type { Grant } from '../../state';
import { findAccount, PROFILE } from './accounts';

const PROVIDER = PROFILE.id;
const HOST = 'connect.squareup.com';
const DAY = 24 * 60 * 60;

interface SquareError {
  category: string;
  code: string;
  detail: string;
  field?: string;
}

export function squareError(status: number, error: SquareError, oauthError?: string): Reply {
  return json(status, { errors: [error], ...(oauthError ? { error: oauthError, error_description: error.detail } : {}) });
}

const TOKEN_ERRORS: Record<TokenErrorKind, { status: number; category: string; code: string }> = {
  invalid_request: { status: 400, category: 'INVALID_REQUEST_ERROR', code: 'BAD_REQUEST' },
  unsupported_grant_type: { status: 400, category: 'INVALID_REQUEST_ERROR', code: 'INVALID_VALUE' },
  invalid_client: { status: 401, category: 'AUTHENTICATION_ERROR', code: 'UNAUTHORIZED' },
  invalid_grant: { status: 401, category: 'AUTHENTICATION_ERROR', code: 'UNAUTHORIZED' },
  server_error: { status: 500, category: 'API_ERROR', code: 'INTERNAL_SERVER_ERROR' },
  temporarily_unavailable: { status: 503, category: 'API_ERROR', code: 'SERVICE_UNAVAILABLE' },
};

function tokenError(kind: TokenErrorKind, detail: string): Reply {
  const { status, category, code } = TOKEN_ERRORS[kind];
  return squareError(status, { category, code, detail }, kind);
}

/** Square writes timestamps without milliseconds. */
function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export const unauthorized = (code: string, detail: string) => squareError(401, { category: 'AUTHENTICATION_ERROR', code, detail });

/** Every /v2 call: a Square-Version header, then a live access token. */
export function squareAuth(ctx: RequestContext): { ok: true; grant: Grant } | { ok: false; reply: Reply } {
  // Real Square falls back to the app's pinned version; the sandbox insists, so the app pins one.
  const version = ctx.headers['square-version'];
  if (typeof version !== 'string' || !version) {
    const detail = 'Missing required header: Square-Version';
    return { ok: false, reply: squareError(400, { category: 'INVALID_REQUEST_ERROR', code: 'MISSING_REQUIRED_PARAMETER', detail, field: 'Square-Version' }) };
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(version)) {
    const detail = `Invalid Square-Version: ${version}`;
    return { ok: false, reply: squareError(400, { category: 'INVALID_REQUEST_ERROR', code: 'INVALID_SQUARE_VERSION_FORMAT', detail }) };
  }
  const auth = authenticate(ctx, PROVIDER);
  if (auth.ok) return { ok: true, grant: auth.grant };
  if (auth.reason === 'expired') return { ok: false, reply: unauthorized('ACCESS_TOKEN_EXPIRED', 'The access token has expired.') };
  if (auth.reason === 'revoked') return { ok: false, reply: unauthorized('ACCESS_TOKEN_REVOKED', 'The access token has been revoked.') };
  return { ok: false, reply: unauthorized('UNAUTHORIZED', 'This request could not be authorized.') };
}

function forcedIdentity(status: number): Reply {
  if (status === 401) return unauthorized('UNAUTHORIZED', 'This request could not be authorized.');
  const code = status === 503 ? 'SERVICE_UNAVAILABLE' : status === 429 ? 'RATE_LIMITED' : status >= 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST';
  const category = status === 429 ? 'RATE_LIMIT_ERROR' : status >= 500 ? 'API_ERROR' : 'INVALID_REQUEST_ERROR';
  return squareError(status, { category, code, detail: `Forced by the sandbox (HTTP ${status}).` });
}

export const squareRoutes: Route[] = [
  ...authorizeRoutes({
    provider: PROFILE,
    host: HOST,
    path: '/oauth2/authorize',
    requireResponseType: false,
    // This integration uses Square's PKCE flow (no client secret on token requests).
    requirePkce: true,
    challengeMethodOptional: true,
    // Square's authorization codes live five minutes.
    codeLifetimeSeconds: 5 * 60,
    successParams: () => ({ response_type: 'code' }),
  }),
  tokenRoute([HOST], '/oauth2/token', {
    provider: PROVIDER,
    encoding: 'json',
    secretRequired: false,
    accessTokenSeconds: 30 * DAY,
    refreshTokenSeconds: 90 * DAY,
    refreshEchoesRefreshToken: true,
    error: tokenError,
    success({ access, refresh, grant }) {
      const account = findAccount(grant.accountId);
      return json(200, {
        access_token: access.token,
        token_type: 'bearer',
        expires_at: isoSeconds(access.expiresAt ?? Date.now()),
        merchant_id: account?.merchantId,
        ...(refresh ? { refresh_token: refresh.token } : {}),
        short_lived: false,
        ...(refresh?.expiresAt ? { refresh_token_expires_at: isoSeconds(refresh.expiresAt) } : {}),
      });
    },
  }),
  {
    method: 'POST',
    hosts: [HOST],
    path: '/oauth2/revoke',
    handle(ctx) {
      const { state } = ctx;
      state.countRevocation(PROVIDER);
      const client = sandboxClient(PROVIDER);
      if (ctx.headers.authorization !== `Client ${client.clientSecret}`) {
        return unauthorized('UNAUTHORIZED', 'The Authorization header must be `Client <application secret>`.');
      }
      const body = readJson(ctx);
      if (!body.ok) return squareError(400, { category: 'INVALID_REQUEST_ERROR', code: 'INVALID_CONTENT_TYPE', detail: body.reason });
      const { client_id: clientId, access_token: accessToken, merchant_id: merchantId, revoke_only_access_token: onlyAccess } = body.value;
      if (clientId !== client.clientId) return unauthorized('UNAUTHORIZED', 'Unknown client_id.');
      if (typeof accessToken !== 'string' && typeof merchantId !== 'string') {
        return squareError(400, {
          category: 'INVALID_REQUEST_ERROR',
          code: 'MISSING_REQUIRED_PARAMETER',
          detail: 'Either access_token or merchant_id is required.',
        });
      }
      // Square revokes every token this app holds for the seller, not just the one named.
      const named = typeof accessToken === 'string' ? state.tokens.get(accessToken) : undefined;
      const namedGrant = named ? state.grants.get(named.grantId) : undefined;
      const merchant = namedGrant?.provider === PROVIDER ? namedGrant.accountId : typeof merchantId === 'string' ? merchantId : undefined;
      for (const grant of state.grants.values()) {
        if (grant.provider === PROVIDER && grant.accountId === merchant && grant.clientId === client.clientId) {
          state.revokeGrant(grant.id, onlyAccess === true ? 'access' : undefined);
        }
      }
      return json(200, { success: true });
    },
  },
  {
    // RetrieveTokenStatus: the token's scopes (what the seller granted), expiry, app and merchant.
    // An expired or unknown token answers UNAUTHORIZED.
    method: 'POST',
    hosts: [HOST],
    path: '/oauth2/token/status',
    handle(ctx) {
      const auth = authenticate(ctx, PROVIDER);
      if (!auth.ok) return unauthorized('UNAUTHORIZED', 'This request could not be authorized.');
      const account = findAccount(auth.grant.accountId);
      return json(200, {
        scopes: auth.grant.scopes,
        ...(auth.token.expiresAt ? { expires_at: isoSeconds(auth.token.expiresAt) } : {}),
        client_id: auth.grant.clientId,
        merchant_id: account?.merchantId,
      });
    },
  },
  {
    method: 'GET',
    hosts: [HOST],
    path: '/v2/merchants/me',
    handle: identityHandler(PROVIDER, forcedIdentity, (ctx) => {
      const auth = squareAuth(ctx);
      if (!auth.ok) return auth.reply;
      const account = findAccount(auth.grant.accountId);
      if (!account) return unauthorized('UNAUTHORIZED', 'This request could not be authorized.');
      return json(200, {
        merchant: {
          id: account.merchantId,
          business_name: account.businessName,
          country: 'GB',
          language_code: 'en-GB',
          currency: 'GBP',
          status: 'ACTIVE',
          main_location_id: account.mainLocationId,
          created_at: '2026-01-05T09:00:00.000Z',
        },
      });
    }),
  },
];
