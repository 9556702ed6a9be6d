// Acuity Scheduling (API v1): OAuth 2 for connecting any account, or the account's user id and API
// key (HTTP Basic) as the alternative. Facts: shared/providers.md (Acuity rows) and the official JS
// SDK (github.com/AcuityScheduling/acuity-js, src/AcuitySchedulingOAuth.js): authorize at
// acuityscheduling.com/oauth2/authorize with scope api-v1, a form-encoded code grant at
// /oauth2/token carrying client_id and client_secret, answered with an access token only (no
// expiry and no refresh token are documented; the SDK keeps just the token). No revocation
// endpoint is documented. The identity check is GET /me.
import { z } from 'zod';
import { parseStandardTokenResponse } from '../token-parsing';
import type { ProviderDefinition } from '../types';
import { acuityActions } from './actions';
import { acuity, describeAcuityError, me } from './api';
import { defaultMappings } from './mappings';
import { appointments, clients } from './resources';
import { acuityWebhooks } from './webhooks';

export const acuityScheduling: ProviderDefinition = {
  id: 'acuity',
  name: 'Acuity Scheduling',
  category: 'Booking',
  description: 'Appointments (cancelled ones too) and clients, kept fresh by webhooks; find times, book, cancel and reschedule.',
  color: '#3a5f8a',
  initials: 'AS',
  capabilities: ['OAuth 2.0, or user ID + API key', 'Incremental sync (re-scanned date window)', 'Signed webhook subscriptions', 'Availability, booking, cancelling and rescheduling'],
  resources: [appointments, clients],
  defaultMappings,
  webhooks: acuityWebhooks,
  actions: acuityActions,
  describeError: describeAcuityError,
  docsUrl: 'https://developers.acuityscheduling.com/reference',
  auth: {
    kind: 'oauth2',
    authorizeUrl: 'https://acuityscheduling.com/oauth2/authorize',
    tokenUrl: 'https://acuityscheduling.com/oauth2/token',
    tokenRequestEncoding: 'form',
    pkce: false,
    clientSecretOnTokenRequests: true,
    scopes: ['api-v1'],
    scopeSeparator: ' ',
    refreshTokenRotates: false,
    parseTokenResponse: (body, now, previous) => parseStandardTokenResponse(body, now, previous),
  },
  alternativeApiKey: {
    kind: 'api_key',
    fields: [
      {
        name: 'userId',
        label: 'User ID',
        secret: false,
        schema: z.string().trim().regex(/^\d{1,12}$/, { error: 'The user ID is a number, such as 12345678' }),
        help: 'In Acuity: Integrations → API → View credentials.',
      },
      {
        name: 'apiKey',
        label: 'API key',
        secret: true,
        schema: z.string().trim().min(16, { error: 'API key looks too short' }).max(200),
        help: 'Shown beside the user ID; it also signs the webhooks Acuity sends.',
      },
    ],
    toTokenSet: (values) => ({ accessToken: values.apiKey, extra: { userId: values.userId } }),
  },
  allowedHosts: (host) => host === 'acuityscheduling.com',
  async identify(client) {
    const account = me.parse(await acuity(client, '/me'));
    return {
      accountId: String(account.id),
      accountLabel: account.email ? `${account.name ?? account.email} (${account.email})` : (account.name ?? String(account.id)),
      details: account.timezone ? { timeZone: account.timezone } : undefined,
    };
  },
};
