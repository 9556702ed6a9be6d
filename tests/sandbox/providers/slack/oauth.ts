// Slack OAuth v2 in the sandbox (https://api.slack.com/authentication/oauth-v2): the authorize page
// at slack.com/oauth/v2/authorize (comma-separated bot scopes), oauth.v2.access with a form body
// answering HTTP 200 { ok: true, access_token: "xoxb-…", team, bot_user_id, … } — plus expires_in
// (12 h) and a refresh token for a workspace with token rotation on
// (https://api.slack.com/authentication/rotation) — and every refusal as HTTP 200 { ok: false, error }.
// auth.test is the identity check; auth.revoke uninstalls the token.
import { json, type Reply, type RequestContext, type Route } from '../../http';
import { authenticate, authorizeRoutes, findToken, identityHandler, revokeToken, tokenRoute, type TokenErrorKind } from '../../oauth';
import { findAccount, HOST, PROFILE, type SlackAccount } from './accounts';

const PROVIDER = PROFILE.id;

/** Slack's envelope for a refusal: HTTP 200 unless the platform itself failed. */
export const slackError = (error: string, extra: Record<string, unknown> = {}, status = 200, headers: Record<string, string> = {}): Reply =>
  json(status, { ok: false, error, ...extra }, headers);

const TOKEN_ERRORS: Record<TokenErrorKind, string> = {
  invalid_request: 'invalid_arguments',
  invalid_client: 'invalid_client_id',
  invalid_grant: 'invalid_code',
  unsupported_grant_type: 'invalid_grant_type',
  server_error: 'internal_error',
  temporarily_unavailable: 'service_unavailable',
};

function tokenError(kind: TokenErrorKind, _description: string, grantType?: string): Reply {
  if (kind === 'server_error') return slackError('internal_error', {}, 500);
  if (kind === 'temporarily_unavailable') return slackError('service_unavailable', {}, 503);
  if (kind === 'invalid_grant' && grantType === 'refresh_token') return slackError('invalid_refresh_token');
  return slackError(TOKEN_ERRORS[kind]);
}

/** The scopes of a grant: Slack's authorize takes them comma-separated, so one entry may hold several. */
export const scopesOf = (scopes: readonly string[]) => scopes.flatMap((scope) => scope.split(',')).filter(Boolean);

/** The bearer's workspace, or Slack's refusal. */
export function authorize(ctx: RequestContext, scope?: string): { ok: true; account: SlackAccount } | { ok: false; reply: Reply } {
  const auth = authenticate(ctx, PROVIDER);
  if (!auth.ok) {
    const error = auth.reason === 'missing' ? 'not_authed' : auth.reason === 'revoked' ? 'token_revoked' : auth.reason === 'expired' ? 'token_expired' : 'invalid_auth';
    return { ok: false, reply: slackError(error) };
  }
  const account = findAccount(auth.grant.accountId);
  if (!account) return { ok: false, reply: slackError('invalid_auth') };
  if (scope && !scopesOf(auth.grant.scopes).includes(scope)) return { ok: false, reply: slackError('missing_scope', { needed: scope, provided: scopesOf(auth.grant.scopes).join(',') }) };
  return { ok: true, account };
}

export const slackOAuthRoutes: Route[] = [
  ...authorizeRoutes({
    provider: PROFILE,
    host: HOST,
    path: '/oauth/v2/authorize',
    requireResponseType: false,
    requirePkce: false,
    // Only a workspace with token rotation on gets a refresh token (and an expiring access token).
    offline: (_request, accountId) => findAccount(accountId)?.rotation ?? false,
  }),
  tokenRoute([HOST], '/api/oauth.v2.access', {
    provider: PROVIDER,
    encoding: 'form',
    secretRequired: true,
    accessTokenSeconds: 43_200,
    refreshEchoesRefreshToken: false,
    error: tokenError,
    success: ({ access, refresh, expiresIn, grant }) => {
      const account = findAccount(grant.accountId);
      return json(200, {
        ok: true,
        app_id: 'A0SBXAPP001',
        authed_user: { id: 'U0SBXADMIN1' },
        scope: scopesOf(grant.scopes).join(','),
        token_type: 'bot',
        access_token: access.token,
        bot_user_id: account?.botUserId,
        team: account ? { id: account.id, name: account.name } : null,
        enterprise: null,
        is_enterprise_install: false,
        ...(refresh ? { refresh_token: refresh.token, expires_in: expiresIn } : {}),
      });
    },
  }),
  {
    method: 'POST',
    hosts: [HOST],
    path: '/api/auth.revoke',
    handle(ctx) {
      ctx.state.countRevocation(PROVIDER);
      const auth = authenticate(ctx, PROVIDER);
      if (!auth.ok) return slackError(auth.reason === 'missing' ? 'not_authed' : 'invalid_auth');
      const found = findToken(ctx, PROVIDER, (ctx.headers.authorization ?? '').replace(/^Bearer\s+/i, '').trim());
      // Revoking the bot token uninstalls it: its refresh token goes with it.
      if (found) revokeToken(ctx.state, found, true);
      return json(200, { ok: true, revoked: true });
    },
  },
  {
    method: 'GET',
    hosts: [HOST],
    path: '/api/auth.test',
    handle: identityHandler(
      PROVIDER,
      (status) => (status === 401 ? slackError('invalid_auth') : slackError('internal_error', {}, status)),
      (ctx) => {
        const auth = authorize(ctx);
        if (!auth.ok) return auth.reply;
        const { account } = auth;
        return json(200, { ok: true, url: `https://${account.domain}.slack.com/`, team: account.name, user: 'hub-bot', team_id: account.id, user_id: account.botUserId, bot_id: account.botId, is_enterprise_install: false });
      },
    ),
  },
];

