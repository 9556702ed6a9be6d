// Fresha has no public OAuth or REST API (its only official data route is the reporting Data
// Connector). This follows the product spec's partner API (connect.fresha.com, api.fresha.com v2)
// and is labelled unverified in the catalog.
import { z } from 'zod';
import { parseStandardTokenResponse } from '../token-parsing';
import type { ProviderDefinition } from '../types';
import { freshaActions } from './actions';
import { defaultMappings } from './mappings';
import { freshaResources } from './resources';

const FRESHA_HOSTS = new Set(['connect.fresha.com', 'api.fresha.com']);

const me = z.object({ business: z.object({ id: z.string().min(1), name: z.string().optional(), timezone: z.string().optional() }) });
/** The contract's error documents: { errors: [{ status, code, title }] }. */
const apiErrors = z.object({ errors: z.array(z.object({ code: z.string().optional(), title: z.string().min(1) })).min(1) });

export const fresha: ProviderDefinition = {
  id: 'fresha',
  name: 'Fresha',
  category: 'Booking',
  description: 'Clients and appointments from a Fresha business (partner API), with lookups and bookings.',
  color: '#0f172a',
  initials: 'FR',
  capabilities: ['OAuth 2.0 with PKCE', 'Scheduled incremental sync', 'Client lookup and bookings'],
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
    // The write scopes let the actions create clients and book (connections made before need a reconnect for those).
    scopes: ['clients:read', 'appointments:read', 'clients:write', 'appointments:write'],
    scopeSeparator: ' ',
    refreshTokenRotates: false,
    parseTokenResponse: (body, now, previous) => parseStandardTokenResponse(body, now, previous),
  },
  allowedHosts: (host) => FRESHA_HOSTS.has(host),
  // "Title (code)": the actions read the code (actions.ts).
  describeError(body) {
    const first = apiErrors.safeParse(body).data?.errors[0];
    return first ? (first.code ? `${first.title} (${first.code})` : first.title) : undefined;
  },
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
  actions: freshaActions,
};
