// Calendly (API v2). Facts: shared/providers.md (Calendly rows) and
// https://developer.calendly.com/docs/authentication (auth.calendly.com/oauth/authorize → /oauth/token,
// form bodies, PKCE recommended, 2-hour access tokens, single-use rotating refresh tokens,
// POST /oauth/revoke) and https://developer.calendly.com/docs/authentication/scopes (scopes).
import { parseStandardTokenResponse } from '../token-parsing';
import type { ProviderDefinition } from '../types';
import { calendlyActions } from './actions';
import { AUTH, API, currentUser, describeCalendlyError, ownerExtra, uuidOf } from './api';
import { defaultMappings } from './mappings';
import { invitees, scheduledEvents } from './resources';
import { calendlyWebhooks } from './webhooks';

const CALENDLY_HOSTS = new Set([new URL(API).host, new URL(AUTH).host]);

export const calendly: ProviderDefinition = {
  id: 'calendly',
  name: 'Calendly',
  category: 'Booking',
  description: 'Scheduled events and their invitees, kept fresh by webhook subscriptions; find times and book.',
  color: '#006bff',
  initials: 'CY',
  capabilities: [
    'OAuth 2.0 with PKCE',
    'Rotating refresh tokens',
    'Incremental sync (re-scanned window)',
    'Signed webhook subscriptions',
    'Availability, booking (paid plans) and cancelling',
  ],
  resources: [scheduledEvents, invitees],
  defaultMappings,
  webhooks: calendlyWebhooks,
  actions: calendlyActions,
  describeError: describeCalendlyError,
  docsUrl: 'https://developer.calendly.com/api-docs',
  auth: {
    kind: 'oauth2',
    authorizeUrl: `${AUTH}/oauth/authorize`,
    tokenUrl: `${AUTH}/oauth/token`,
    tokenRequestEncoding: 'form',
    pkce: true,
    clientSecretOnTokenRequests: true,
    // Read users, event types (available times), scheduled events and invitees; cancel events and
    // book invitees (scheduled_events:write); manage the connection's webhook subscription.
    scopes: ['users:read', 'event_types:read', 'scheduled_events:write', 'webhooks:write'],
    scopeSeparator: ' ',
    refreshTokenRotates: true,
    parseTokenResponse(body, now, previous) {
      const tokens = parseStandardTokenResponse(body, now, previous);
      // Calendly names the token's user and organization (owner, organization): kept for later calls.
      const extra = { ...previous?.extra, ...ownerExtra(body) };
      return Object.keys(extra).length > 0 ? { ...tokens, extra } : tokens;
    },
  },
  allowedHosts: (host) => CALENDLY_HOSTS.has(host),
  async identify(client) {
    const user = await currentUser(client);
    return {
      accountId: uuidOf(user.uri),
      accountLabel: user.email ? `${user.name ?? user.email} (${user.email})` : (user.name ?? uuidOf(user.uri)),
      details: { organization: uuidOf(user.current_organization), ...(user.timezone ? { timeZone: user.timezone } : {}) },
    };
  },
  async revoke(client) {
    await client.request(`${AUTH}/oauth/revoke`, {
      method: 'POST',
      bearer: false,
      form: { client_id: client.credentials.clientId, client_secret: client.credentials.clientSecret, token: client.tokens.refreshToken ?? client.tokens.accessToken },
    });
  },
};
