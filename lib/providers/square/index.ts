// Square, with its PKCE flow: JSON token requests without a client secret, ISO `expires_at`,
// and a new refresh token on every refresh (the old one dies), so refreshes must be serialized.
// Actions (./actions.ts) write customers and bookings: CUSTOMERS_WRITE and APPOINTMENTS_WRITE.
// Writes are buyer-level on purpose (no APPOINTMENTS_ALL_WRITE): Square then books only slots it
// offers, and seller-level writes would need an Appointments Plus or Premium subscription.
import { z } from 'zod';
import type { ProviderDefinition } from '../types';
import { squareActions } from './actions';
import { defaultMappings } from './mappings';
import { squareBookings, squareCustomers } from './resources';
import { SQUARE_VERSION } from './version';
import { squareWebhooks } from './webhooks';

const SQUARE_HOSTS = new Set(['connect.squareup.com', 'connect.squareupsandbox.com']);

const tokenResponse = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  expires_at: z.iso.datetime({ offset: true }),
  merchant_id: z.string().min(1).optional(),
  token_type: z.string().optional(),
});

const squareErrors = z.object({ errors: z.array(z.object({ code: z.string(), detail: z.string().min(1).optional() })).min(1) });

/** RetrieveTokenStatus (https://developer.squareup.com/reference/square/o-auth-api/RetrieveTokenStatus). */
const tokenStatus = z.object({ scopes: z.array(z.string()).optional() });

const merchantResponse = z.object({
  merchant: z.object({ id: z.string().min(1), business_name: z.string().optional(), country: z.string().optional() }),
});

export const square: ProviderDefinition = {
  id: 'square',
  name: 'Square',
  category: 'Booking',
  description: 'Customers and bookings from a Square seller account.',
  color: '#3e4348',
  initials: 'SQ',
  capabilities: ['OAuth 2.0 PKCE flow', 'Rotating refresh tokens (serialized refresh)', 'Signed webhooks', 'Customers, availability and booking'],
  resources: [squareCustomers, squareBookings],
  defaultMappings,
  webhooks: squareWebhooks,
  actions: squareActions,
  docsUrl: 'https://developer.squareup.com/docs/oauth-api/overview',
  auth: {
    kind: 'oauth2',
    authorizeUrl: 'https://connect.squareup.com/oauth2/authorize',
    tokenUrl: 'https://connect.squareup.com/oauth2/token',
    tokenRequestEncoding: 'json',
    pkce: true,
    clientSecretOnTokenRequests: false,
    scopes: ['MERCHANT_PROFILE_READ', 'CUSTOMERS_READ', 'CUSTOMERS_WRITE', 'APPOINTMENTS_READ', 'APPOINTMENTS_ALL_READ', 'APPOINTMENTS_WRITE'],
    scopeSeparator: ' ',
    authorizeParams: { session: 'false' },
    refreshTokenRotates: true,
    parseTokenResponse(body, _now, previous) {
      const parsed = tokenResponse.parse(body);
      return {
        accessToken: parsed.access_token,
        refreshToken: parsed.refresh_token ?? previous?.refreshToken,
        expiresAt: new Date(parsed.expires_at).toISOString(),
        scopes: previous?.scopes,
        extra: { ...previous?.extra, ...(parsed.merchant_id ? { merchantId: parsed.merchant_id } : {}) },
      };
    },
  },
  allowedHosts: (host) => SQUARE_HOSTS.has(host),
  // Square answers { errors: [{ category, code, detail }] } (developer.squareup.com/docs/build-basics/handling-errors).
  // The code rides along ("detail (CODE)"): actions tell IDEMPOTENCY_KEY_REUSED from other refusals by it.
  describeError(body) {
    const [first] = squareErrors.safeParse(body).data?.errors ?? [];
    if (!first) return undefined;
    return first.detail ? `${first.detail} (${first.code})` : first.code;
  },
  async identify(client) {
    const { body } = await client.request('https://connect.squareup.com/v2/merchants/me', {
      headers: { 'Square-Version': SQUARE_VERSION },
    });
    const { merchant } = merchantResponse.parse(body);
    // Square's token answer does not say what the seller granted; its token introspection does, so
    // a grant missing a permission a resource needs shows (lib/health). The account is already
    // identified, so a failure here only leaves the requested scopes standing for the grant.
    const status = await client
      .request('https://connect.squareup.com/oauth2/token/status', { method: 'POST', headers: { 'Square-Version': SQUARE_VERSION }, json: {} })
      .then(({ body: answer }) => tokenStatus.safeParse(answer).data, () => undefined);
    return {
      accountId: merchant.id,
      accountLabel: merchant.business_name ? `${merchant.business_name} (${merchant.id})` : merchant.id,
      details: { merchantId: merchant.id, ...(merchant.country ? { country: merchant.country } : {}) },
      ...(status?.scopes ? { grantedScopes: status.scopes } : {}),
    };
  },
  async revoke(client) {
    await client.request('https://connect.squareup.com/oauth2/revoke', {
      method: 'POST',
      bearer: false,
      headers: { authorization: `Client ${client.credentials.clientSecret}` },
      json: { client_id: client.credentials.clientId, access_token: client.tokens.accessToken },
    });
  },
};
