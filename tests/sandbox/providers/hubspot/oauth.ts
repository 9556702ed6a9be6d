// HubSpot on the date-versioned 2026-03 OAuth endpoints: every parameter in a form body, the
// token checked by introspection (body, not Bearer), 30-minute access tokens.
import crypto from 'node:crypto';
import { json, readForm, type Reply, type RequestContext, type Route } from '../../http';
import { authorizeRoutes, findToken, identityHandler, revokeToken, secondsLeft, tokenRoute, type TokenErrorKind } from '../../oauth';
import { sandboxClient } from '../../provider';
import type { GrantType } from '../../state';
import { findAccount, PROFILE } from './accounts';

const PROVIDER = PROFILE.id;
const API_HOST = 'api.hubapi.com';
const BASE = '/oauth/2026-03';
const APP_ID = 990001;

/**
 * HubSpot's error envelope: the 2026-03 API documents {category, correlationId, message}; the
 * v1-era `status` codes (BAD_REFRESH_TOKEN...) and the OAuth `error` field ride along so both
 * HubSpot-aware and generic parsers work.
 */
function hubspotError(httpStatus: number, status: string, category: string, message: string, error?: string): Reply {
  return json(httpStatus, {
    status,
    message,
    correlationId: crypto.randomUUID(),
    category,
    ...(error ? { error, error_description: message } : {}),
  });
}

function tokenError(kind: TokenErrorKind, description: string, grantType?: GrantType): Reply {
  switch (kind) {
    case 'invalid_grant':
      return hubspotError(400, grantType === 'refresh_token' ? 'BAD_REFRESH_TOKEN' : 'BAD_AUTH_CODE', 'VALIDATION_ERROR', description, kind);
    case 'invalid_client':
      return hubspotError(400, 'BAD_CLIENT_ID', 'VALIDATION_ERROR', description, kind);
    case 'unsupported_grant_type':
      return hubspotError(400, 'BAD_GRANT_TYPE', 'VALIDATION_ERROR', description, kind);
    case 'invalid_request':
      return hubspotError(400, 'BAD_REQUEST', 'VALIDATION_ERROR', description, kind);
    case 'server_error':
      return hubspotError(500, 'error', 'INTERNAL_ERROR', description, kind);
    case 'temporarily_unavailable':
      return hubspotError(503, 'error', 'SERVICE_UNAVAILABLE', description, kind);
  }
}

/** Introspect and revoke authenticate the app by client_id + client_secret in the body. */
function clientForm(ctx: RequestContext): { ok: true; form: Record<string, string> } | { ok: false; reply: Reply } {
  const form = readForm(ctx);
  if (!form.ok) return { ok: false, reply: tokenError('invalid_request', form.reason) };
  const client = sandboxClient(PROVIDER);
  if (form.value.client_id !== client.clientId || form.value.client_secret !== client.clientSecret) {
    return { ok: false, reply: tokenError('invalid_client', 'The client_id or client_secret is invalid.') };
  }
  if (!form.value.token) return { ok: false, reply: tokenError('invalid_request', 'Missing required parameter: token') };
  return { ok: true, form: form.value };
}

function forcedIdentity(status: number): Reply {
  if (status === 401) {
    return hubspotError(401, 'error', 'INVALID_AUTHENTICATION', 'Authentication credentials not found.');
  }
  return hubspotError(status, 'error', status >= 500 ? 'INTERNAL_ERROR' : 'VALIDATION_ERROR', `Forced by the sandbox (HTTP ${status}).`);
}

export const hubspotRoutes: Route[] = [
  ...authorizeRoutes({
    provider: PROFILE,
    host: 'app.hubspot.com',
    path: '/oauth/authorize',
    requireResponseType: false,
    requirePkce: false,
  }),
  tokenRoute([API_HOST], `${BASE}/token`, {
    provider: PROVIDER,
    encoding: 'form',
    secretRequired: true,
    accessTokenSeconds: 1800,
    refreshEchoesRefreshToken: true,
    error: tokenError,
    success({ access, refresh, expiresIn, grant }) {
      const account = findAccount(grant.accountId);
      return json(200, {
        token_use: 'access_token',
        access_token: access.token,
        ...(refresh ? { refresh_token: refresh.token } : {}),
        expires_in: expiresIn,
        token_type: 'bearer',
        hub_id: account?.hubId,
        user_id: account?.userId,
        scopes: grant.scopes,
      });
    },
  }),
  {
    method: 'POST',
    hosts: [API_HOST],
    path: `${BASE}/token/introspect`,
    handle: identityHandler(PROVIDER, forcedIdentity, (ctx) => {
      const checked = clientForm(ctx);
      if (!checked.ok) return checked.reply;
      const found = findToken(ctx, PROVIDER, checked.form.token);
      const left = found ? secondsLeft(found.token) : undefined;
      if (!found || found.token.revoked || left === 0) return json(200, { active: false });
      const account = findAccount(found.grant.accountId);
      const common = {
        active: true,
        token: found.token.token,
        hub_id: account?.hubId,
        user_id: account?.userId,
        client_id: found.grant.clientId,
        app_id: APP_ID,
        scopes: found.grant.scopes,
        token_type: 'bearer',
        user: account?.user,
        hub_domain: account?.hubDomain,
      };
      if (found.token.kind === 'refresh') return json(200, { token_use: 'refresh_token', ...common });
      return json(200, { token_use: 'access_token', ...common, expires_in: left, is_private_distribution: false });
    }),
  },
  {
    // Documented only as "Deletes/Revokes provided Refresh Token" with no success body, so the
    // 200 {} here is our reading; an unknown token is not an error (RFC 7009 §2.2).
    method: 'POST',
    hosts: [API_HOST],
    path: `${BASE}/token/revoke`,
    handle(ctx) {
      ctx.state.countRevocation(PROVIDER);
      const checked = clientForm(ctx);
      if (!checked.ok) return checked.reply;
      const found = findToken(ctx, PROVIDER, checked.form.token);
      if (found) revokeToken(ctx.state, found);
      return json(200, {});
    },
  },
];
