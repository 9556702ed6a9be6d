// HubSpot, on the 2026-03 OAuth endpoints (v1 is deprecated, sunset 2027-02-16).
import { z } from 'zod';
import { ProviderProtocolError } from '../errors';
import { parseStandardTokenResponse } from '../token-parsing';
import type { ProviderDefinition } from '../types';
import { hubspotActions } from './actions';
import { defaultMappings } from './mappings';
import { hubspotResources, readScope } from './resources';
import { hubspotWebhooks } from './webhooks';

const HUBSPOT_HOSTS = new Set(['app.hubspot.com', 'api.hubapi.com']);

const grantedScopes = z.object({ scopes: z.array(z.string()) });

const introspection = z.object({
  active: z.boolean(),
  hub_id: z.number().int().optional(),
  user: z.string().optional(),
  user_id: z.number().int().optional(),
  hub_domain: z.string().optional(),
  scopes: z.array(z.string()).optional(),
});

export const hubspot: ProviderDefinition = {
  id: 'hubspot',
  name: 'HubSpot',
  category: 'CRM',
  description: 'Contacts and deals from a HubSpot portal, incrementally by last-modified date.',
  color: '#ff7a59',
  initials: 'HS',
  capabilities: ['OAuth 2.0 with PKCE', '30-minute tokens, refreshed ahead of expiry', 'Incremental sync (search API)', 'Signed webhooks (v3)'],
  resources: hubspotResources,
  defaultMappings,
  webhooks: hubspotWebhooks,
  actions: hubspotActions,
  docsUrl: 'https://developers.hubspot.com/docs/api-reference/latest/authentication/manage-oauth-tokens',
  auth: {
    kind: 'oauth2',
    authorizeUrl: 'https://app.hubspot.com/oauth/authorize',
    tokenUrl: 'https://api.hubapi.com/oauth/2026-03/token',
    tokenRequestEncoding: 'form',
    pkce: true,
    clientSecretOnTokenRequests: true,
    // contacts.write: the contacts.create action.
    scopes: ['oauth', readScope('contacts'), 'crm.objects.contacts.write', readScope('deals')],
    scopeSeparator: ' ',
    refreshTokenRotates: false,
    parseTokenResponse(body, now, previous) {
      const tokens = parseStandardTokenResponse(body, now, previous);
      // HubSpot reports the grant as a `scopes` array, not OAuth's `scope` string: what the account
      // actually granted, so a declined optional scope shows (and the health rules can flag it).
      // https://developers.hubspot.com/changelog/additional-details-returned-when-generating-oauth-access-tokens
      const granted = grantedScopes.safeParse(body).data?.scopes;
      return granted ? { ...tokens, scopes: granted } : tokens;
    },
  },
  allowedHosts: (host) => HUBSPOT_HOSTS.has(host),
  async identify(client) {
    // The 2026-03 endpoints take the token in the body, never in a URL that could be logged.
    const { body } = await client.request('https://api.hubapi.com/oauth/2026-03/token/introspect', {
      method: 'POST',
      bearer: false,
      form: {
        client_id: client.credentials.clientId,
        client_secret: client.credentials.clientSecret,
        token: client.tokens.accessToken,
        token_type_hint: 'access_token',
      },
    });
    const info = introspection.parse(body);
    if (!info.active || info.hub_id === undefined) throw new ProviderProtocolError('HubSpot reports the access token as inactive');
    const portal = String(info.hub_id);
    return {
      accountId: portal,
      accountLabel: `${info.hub_domain ?? `Portal ${portal}`}${info.user ? ` (${info.user})` : ''}`,
      details: { portalId: portal, ...(info.user ? { user: info.user } : {}) },
    };
  },
  async revoke(client) {
    if (!client.tokens.refreshToken) return;
    await client.request('https://api.hubapi.com/oauth/2026-03/token/revoke', {
      method: 'POST',
      bearer: false,
      form: {
        client_id: client.credentials.clientId,
        client_secret: client.credentials.clientSecret,
        token: client.tokens.refreshToken,
        token_type_hint: 'refresh_token',
      },
    });
  },
};
