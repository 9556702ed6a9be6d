// Slack, as a bot: OAuth v2 (https://api.slack.com/authentication/oauth-v2) — authorize at
// slack.com/oauth/v2/authorize, exchange at slack.com/api/oauth.v2.access with a form body —
// gives a bot token (xoxb-) for the workspace that installed the app. Tokens do not expire unless
// the app turned token rotation on; then the answer carries expires_in (12 h) and a refresh token
// that is single-use and replaced on every refresh (https://api.slack.com/authentication/rotation).
// The token endpoint answers refusals with HTTP 200 { ok: false, error }, read here.
import { z } from 'zod';
import { ProviderProtocolError, ReauthorizationRequiredError, TemporaryProviderError } from '../errors';
import { expiresAtFromSeconds } from '../token-parsing';
import type { ProviderDefinition, TokenSet } from '../types';
import { slackActions } from './actions';
import { describeSlackError, slack } from './api';
import { defaultMappings } from './mappings';
import { slackResources } from './resources';
import { slackWebhooks } from './webhooks';

const tokenAnswer = z
  .object({
    ok: z.literal(true),
    access_token: z.string().min(1),
    token_type: z.string().optional(),
    scope: z.string().optional(),
    bot_user_id: z.string().optional(),
    app_id: z.string().optional(),
    team: z.object({ id: z.string().min(1), name: z.string().optional() }).nullable().optional(),
    expires_in: z.coerce.number().int().positive().optional(),
    refresh_token: z.string().min(1).optional(),
  })
  .passthrough();

const refusedAnswer = z.object({ ok: z.literal(false), error: z.string().max(200) }).passthrough();
/** Refusals that mean only a new installation helps. */
const DEAD_GRANT = new Set(['invalid_refresh_token', 'invalid_code', 'invalid_grant_type', 'code_already_used', 'bad_client_secret', 'invalid_client_id', 'token_revoked', 'invalid_auth', 'cannot_install_an_org_installed_app']);

export function parseSlackTokenResponse(body: unknown, now: Date, previous?: TokenSet): TokenSet {
  const refused = refusedAnswer.safeParse(body);
  if (refused.success) {
    const code = refused.data.error;
    if (code === 'ratelimited' || code === 'internal_error' || code === 'fatal_error') throw new TemporaryProviderError(`Slack's token endpoint answered ${code}`);
    if (DEAD_GRANT.has(code)) throw new ReauthorizationRequiredError(code);
    throw new ProviderProtocolError(`Slack refused the token request: ${code}`);
  }
  const parsed = tokenAnswer.parse(body);
  const extra: Record<string, string> = { ...previous?.extra };
  if (parsed.team?.id) extra.team_id = parsed.team.id;
  if (parsed.team?.name) extra.team_name = parsed.team.name;
  if (parsed.bot_user_id) extra.bot_user_id = parsed.bot_user_id;
  return {
    accessToken: parsed.access_token,
    // Rotation off: no refresh token, nothing expires. Rotation on: each answer brings the next one.
    refreshToken: parsed.refresh_token ?? previous?.refreshToken,
    expiresAt: expiresAtFromSeconds(now, parsed.expires_in),
    scopes: parsed.scope ? parsed.scope.split(',').filter(Boolean) : previous?.scopes,
    ...(Object.keys(extra).length ? { extra } : {}),
  };
}

const authTest = z.object({ team_id: z.string().min(1), team: z.string().optional(), url: z.string().optional(), user_id: z.string().optional(), bot_id: z.string().optional() }).passthrough();

export const slackProvider: ProviderDefinition = {
  id: 'slack',
  name: 'Slack',
  category: 'Messaging',
  description:
    'Users, and the messages of the channels the bot is a member of (invite the bot to each channel you want synced). Events API deliveries keep them fresh; post messages and look people up by email.',
  color: '#4a154b',
  initials: 'SL',
  capabilities: ['OAuth v2 bot token (optional token rotation)', 'Cursor-paged sync, messages from each channel’s stored oldest ts', 'Events API, signed (v0)', 'Post messages, look up users'],
  resources: slackResources,
  defaultMappings,
  webhooks: slackWebhooks,
  actions: slackActions,
  describeError: describeSlackError,
  docsUrl: 'https://api.slack.com/authentication/oauth-v2',
  auth: {
    kind: 'oauth2',
    authorizeUrl: 'https://slack.com/oauth/v2/authorize',
    tokenUrl: 'https://slack.com/api/oauth.v2.access',
    tokenRequestEncoding: 'form',
    pkce: false,
    clientSecretOnTokenRequests: true,
    // Bot scopes: channels and private channels the bot is in, their history, users with emails, posting.
    scopes: ['channels:read', 'channels:history', 'groups:read', 'groups:history', 'users:read', 'users:read.email', 'chat:write'],
    scopeSeparator: ',',
    refreshTokenRotates: true,
    parseTokenResponse: parseSlackTokenResponse,
  },
  allowedHosts: (host) => host === 'slack.com',
  async identify(client) {
    // https://api.slack.com/methods/auth.test: the workspace (team) the bot token belongs to.
    const info = authTest.parse(await slack(client, 'auth.test'));
    return {
      accountId: info.team_id,
      accountLabel: `${info.team ?? info.team_id}${info.url ? ` (${info.url.replace(/^https:\/\//, '').replace(/\/$/, '')})` : ''}`,
      details: { teamId: info.team_id, ...(info.bot_id ? { botId: info.bot_id } : {}) },
    };
  },
  async revoke(client) {
    // https://api.slack.com/methods/auth.revoke: uninstalls the bot token.
    await slack(client, 'auth.revoke', {}, true);
  },
};
