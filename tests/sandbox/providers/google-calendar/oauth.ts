// Google (Calendar): accounts.google.com authorize, oauth2.googleapis.com token and revoke,
// and the primary calendar as the identity check.
import { json, readForm, type Reply, type Route } from '../../http';
import { authenticate, authorizeRoutes, findToken, identityHandler, revokeToken, tokenRoute, type TokenErrorKind } from '../../oauth';
import { findAccount, PROFILE } from './accounts';

const PROVIDER = PROFILE.id;
export const CALENDAR_SCOPE = 'https://www.googleapis.com/auth/calendar';

function tokenError(kind: TokenErrorKind, description: string): Reply {
  const status = kind === 'invalid_client' ? 401 : kind === 'server_error' ? 500 : kind === 'temporarily_unavailable' ? 503 : 400;
  return json(status, { error: kind, error_description: description });
}

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
  return json(
    code,
    { error: { code, message, errors: [{ message, domain: 'global', reason }], status: API_STATUS[code] ?? 'UNKNOWN' } },
    headers,
  );
}

export const unauthenticated = () =>
  apiError(401, 'Request had invalid authentication credentials.', 'authError', {
    'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"',
  });

export const googleCalendarRoutes: Route[] = [
  ...authorizeRoutes({
    provider: PROFILE,
    host: 'accounts.google.com',
    path: '/o/oauth2/v2/auth',
    requireResponseType: true,
    requirePkce: false,
    // Google issues a refresh token only with access_type=offline, and on a repeat consent only
    // when prompt=consent forces the consent screen again.
    offline(request, accountId, state) {
      const key = `${PROVIDER}:${accountId}`;
      const firstConsent = !state.consented.has(key);
      state.consented.add(key);
      const prompts = (request.query.get('prompt') ?? '').split(/\s+/);
      return request.query.get('access_type') === 'offline' && (firstConsent || prompts.includes('consent'));
    },
    successParams: (request) => ({ scope: request.scopes.join(' ') }),
  }),
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
  {
    method: 'POST',
    hosts: ['oauth2.googleapis.com'],
    path: '/revoke',
    handle(ctx) {
      ctx.state.countRevocation(PROVIDER);
      const form = readForm(ctx);
      // Google also takes the token in the query string.
      const value = (form.ok ? form.value.token : undefined) ?? ctx.query.get('token') ?? undefined;
      const found = findToken(ctx, PROVIDER, value);
      if (!found || found.token.revoked) return json(400, { error: 'invalid_token', error_description: 'Token expired or revoked' });
      // Revoking either token of a pair revokes both.
      revokeToken(ctx.state, found, true);
      return json(200, {});
    },
  },
  {
    method: 'GET',
    hosts: ['www.googleapis.com'],
    path: '/calendar/v3/users/me/calendarList/primary',
    handle: identityHandler(
      PROVIDER,
      (status) => (status === 401 ? unauthenticated() : apiError(status, `Forced by the sandbox (HTTP ${status}).`, 'backendError')),
      (ctx) => {
        const auth = authenticate(ctx, PROVIDER);
        if (!auth.ok) return unauthenticated();
        if (!auth.grant.scopes.some((scope) => scope.startsWith(CALENDAR_SCOPE))) {
          return apiError(403, 'Request had insufficient authentication scopes.', 'insufficientPermissions');
        }
        const account = findAccount(auth.grant.accountId);
        if (!account) return unauthenticated();
        return json(200, {
          kind: 'calendar#calendarListEntry',
          etag: '"1767225600000000"',
          id: account.email,
          summary: account.email,
          timeZone: 'Europe/London',
          colorId: '14',
          backgroundColor: '#9fe1e7',
          foregroundColor: '#000000',
          selected: true,
          accessRole: 'owner',
          defaultReminders: [{ method: 'popup', minutes: 10 }],
          conferenceProperties: { allowedConferenceSolutionTypes: ['hangoutsMeet'] },
          primary: true,
        });
      },
    ),
  },
];
