// Mailchimp (Marketing API v3). Facts: shared/providers.md (Mailchimp rows), checked against
// Mailchimp's OAuth guide (https://mailchimp.com/developer/marketing/guides/access-user-data-oauth-2/;
// the older https://developer.mailchimp.com/documentation/mailchimp/guides/how-to-use-oauth2/):
// authorize at login.mailchimp.com/oauth2/authorize, a form-encoded code grant at /oauth2/token with
// client_id and client_secret; "tokens do not expire, so you do not need to use refresh_token": the
// answer is { access_token, expires_in: 0, scope: null } and carries no refresh token. Mailchimp has
// no OAuth scopes, so the grant is everything the authorizing user can reach. Then GET
// /oauth2/metadata gives the account's data centre and API host (api.ts), kept in the token set.
// No revocation endpoint is documented (a user removes the app under Account → Connected sites).
import { z } from 'zod';
import type { ProviderDefinition, TokenSet } from '../types';
import { describeMailchimpError, isMailchimpHost, mailchimp } from './api';
import { defaultMappings } from './mappings';
import { audienceMembers } from './push';
import { members } from './resources';
import { mailchimpWebhooks } from './webhooks';

const tokenResponse = z.object({
  access_token: z.string().min(1),
  // 0 means "never expires"; a positive value would be honoured.
  expires_in: z.coerce.number().int().min(0).optional(),
  scope: z.string().nullable().optional(),
});

/** The token answer; nothing expires, nothing refreshes. */
export function parseMailchimpTokens(body: unknown, now: Date, previous?: TokenSet): TokenSet {
  const parsed = tokenResponse.parse(body);
  const expiresAt = parsed.expires_in ? new Date(now.getTime() + parsed.expires_in * 1000).toISOString() : undefined;
  return { accessToken: parsed.access_token, expiresAt, extra: previous?.extra };
}

/** GET /3.0/ (the API root) answers who the account is. */
const root = z.object({ account_id: z.string().min(1), account_name: z.string().optional(), email: z.string().optional(), login_id: z.string().optional() }).passthrough();

export const mailchimpProvider: ProviderDefinition = {
  id: 'mailchimp',
  name: 'Mailchimp',
  category: 'Marketing',
  description: 'Audiences and their members, kept fresh by audience webhooks; push the workspace’s contacts into an audience.',
  color: '#c59d00',
  initials: 'MC',
  capabilities: ['OAuth 2.0 (tokens never expire)', 'Per-account data centre (checked)', 'Incremental sync (since_last_changed)', 'Audience webhooks (secret URL)', 'Push: batch upsert of 500 members'],
  resources: [members],
  defaultMappings,
  webhooks: mailchimpWebhooks,
  push: { destinations: [audienceMembers] },
  describeError: describeMailchimpError,
  docsUrl: 'https://mailchimp.com/developer/marketing/api/',
  auth: {
    kind: 'oauth2',
    authorizeUrl: 'https://login.mailchimp.com/oauth2/authorize',
    tokenUrl: 'https://login.mailchimp.com/oauth2/token',
    tokenRequestEncoding: 'form',
    pkce: false,
    clientSecretOnTokenRequests: true,
    // Mailchimp has no scopes; the authorize URL needs none.
    scopes: [],
    scopeSeparator: ' ',
    refreshTokenRotates: false,
    parseTokenResponse: parseMailchimpTokens,
  },
  allowedHosts: isMailchimpHost,
  async identify(client) {
    const account = root.parse(await mailchimp(client, '/'));
    const label = account.account_name ? (account.email ? `${account.account_name} (${account.email})` : account.account_name) : account.account_id;
    return { accountId: account.account_id, accountLabel: label, details: client.tokens.extra?.dc ? { dataCentre: client.tokens.extra.dc } : undefined };
  },
};
