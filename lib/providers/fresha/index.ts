// Fresha has no public OAuth or REST API (its only official data route is the reporting Data
// Connector). This follows the product spec's partner API (connect.fresha.com, api.fresha.com v2)
// and is labelled unverified in the catalog.
import { z } from 'zod';
import { parseStandardTokenResponse } from '../token-parsing';
import type { ProviderDefinition } from '../types';
import { defaultMappings } from './mappings';
import { freshaResources } from './resources';

const FRESHA_HOSTS = new Set(['connect.fresha.com', 'api.fresha.com']);

const me = z.object({ business: z.object({ id: z.string().min(1), name: z.string().optional(), timezone: z.string().optional() }) });

export const fresha: ProviderDefinition = {
  id: 'fresha',
  name: 'Fresha',
  category: 'Booking',
  description: 'Clients and appointments from a Fresha business (partner API).',
  color: '#0f172a',
  initials: 'FR',
  capabilities: ['OAuth 2.0 with PKCE', 'Scheduled incremental sync'],
  resources: freshaResources,
  defaultMappings,
  unverified:
    'Fresha publishes no public API. These endpoints follow the product spec (connect.fresha.com, api.fresha.com v2) and are unverified against Fresha.',
  withoutWebhooks: 'No signed public webhooks; changes arrive by scheduled sync.',
  docsUrl: 'https://www.fresha.com/',
  auth: {
    kind: 'oauth2',
    authorizeUrl: 'https://connect.fresha.com/oauth/authorize',
    tokenUrl: 'https://connect.fresha.com/oauth/token',
    tokenRequestEncoding: 'form',
    pkce: true,
    clientSecretOnTokenRequests: true,
    scopes: ['clients:read', 'appointments:read'],
    scopeSeparator: ' ',
    refreshTokenRotates: false,
    parseTokenResponse: (body, now, previous) => parseStandardTokenResponse(body, now, previous),
  },
  allowedHosts: (host) => FRESHA_HOSTS.has(host),
  async identify(client) {
    const { body } = await client.request('https://api.fresha.com/v2/me');
    const { business } = me.parse(body);
    return {
      accountId: business.id,
      accountLabel: business.name ? `${business.name} (${business.id})` : business.id,
      details: business.timezone ? { timeZone: business.timezone } : undefined,
    };
  },
  async revoke(client) {
    await client.request('https://connect.fresha.com/oauth/revoke', {
      method: 'POST',
      bearer: false,
      form: { token: client.tokens.refreshToken ?? client.tokens.accessToken },
    });
  },
};
