// Salesforce. Facts: shared/providers.md. Token answers carry instance_url (the org's API host)
// and no expiry: we refresh on a 401.
import { z } from 'zod';
import type { ProviderDefinition, TokenSet } from '../types';
import { salesforceActions } from './actions';
import { describeSalesforceError } from './errors';
import { checkedInstanceUrl, isSalesforceHost } from './instance';
import { defaultMappings } from './mappings';
import { API_SCOPE, salesforceResources } from './resources';

export { checkedInstanceUrl, isSalesforceHost };

const tokenResponse = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  instance_url: z.string().url(),
  id: z.string().url(),
  issued_at: z.string().optional(),
  scope: z.string().optional(),
});

const userInfo = z.object({
  user_id: z.string().min(1),
  organization_id: z.string().min(1),
  preferred_username: z.string().optional(),
  email: z.string().optional(),
  name: z.string().optional(),
});

export const salesforce: ProviderDefinition = {
  id: 'salesforce',
  name: 'Salesforce',
  category: 'CRM',
  description: 'Contacts and opportunities from your Salesforce org, incrementally by SystemModstamp.',
  color: '#00a1e0',
  initials: 'SF',
  capabilities: ['OAuth 2.0 with PKCE', 'Per-org instance URL (checked)', 'Incremental sync (SystemModstamp)'],
  resources: salesforceResources,
  defaultMappings,
  withoutWebhooks: 'No signed public webhooks; changes arrive by scheduled incremental sync.',
  describeError: describeSalesforceError,
  actions: salesforceActions,
  docsUrl: 'https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/',
  auth: {
    kind: 'oauth2',
    authorizeUrl: 'https://login.salesforce.com/services/oauth2/authorize',
    tokenUrl: 'https://login.salesforce.com/services/oauth2/token',
    tokenRequestEncoding: 'form',
    pkce: true,
    clientSecretOnTokenRequests: true,
    scopes: [API_SCOPE, 'refresh_token'],
    scopeSeparator: ' ',
    refreshTokenRotates: false,
    parseTokenResponse(body, _now, previous): TokenSet {
      const parsed = tokenResponse.parse(body);
      return {
        accessToken: parsed.access_token,
        refreshToken: parsed.refresh_token ?? previous?.refreshToken,
        // No expires_in from Salesforce: the access token lives until a 401 says otherwise.
        expiresAt: undefined,
        scopes: parsed.scope?.split(' ') ?? previous?.scopes,
        extra: { ...previous?.extra, instanceUrl: parsed.instance_url, identityUrl: parsed.id },
      };
    },
    checkTokens: (tokens, environment) => ({
      ...tokens,
      extra: { ...tokens.extra, instanceUrl: checkedInstanceUrl(tokens.extra?.instanceUrl ?? '', environment) },
    }),
  },
  allowedHosts: isSalesforceHost,
  // The REST API says 401 INVALID_SESSION_ID; the identity service says 403 Bad_OAuth_Token.
  rejectsAccessToken: (error) => error.status === 401 || (error.status === 403 && /Bad_OAuth_Token/i.test(error.providerMessage)),
  async identify(client) {
    const instance = checkedInstanceUrl(client.tokens.extra?.instanceUrl ?? '', 'live');
    const { body } = await client.request(`${instance}/services/oauth2/userinfo`);
    const user = userInfo.parse(body);
    const who = user.preferred_username ?? user.email ?? user.user_id;
    return {
      accountId: user.organization_id,
      accountLabel: `${who} (org ${user.organization_id})`,
      details: { userId: user.user_id, instanceHost: new URL(instance).host },
    };
  },
  async revoke(client) {
    await client.request('https://login.salesforce.com/services/oauth2/revoke', {
      method: 'POST',
      bearer: false,
      form: { token: client.tokens.refreshToken ?? client.tokens.accessToken },
    });
  },
};
