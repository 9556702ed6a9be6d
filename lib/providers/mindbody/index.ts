// Mindbody: an API-key connection (API key + site id), validated against the site before saving.
// An optional staff login (username and password) lets the actions look up clients and book:
// Mindbody issues staff user tokens for it (POST /usertoken/issue, see api.ts). The login is stored
// only inside the encrypted credentials (TokenSet.extra), tried once when connecting, and never
// logged or answered; connections made without it keep working for everything else.
import { z } from 'zod';
import { ProviderProtocolError } from '../errors';
import type { ProviderDefinition } from '../types';
import { mindbodyActions } from './actions';
import { fetchSite, issueStaffToken, staffLoginOf } from './api';

const mindbodyError = z.object({ Error: z.object({ Message: z.string().min(1) }) });

/** An optional text field: absent or blank is ''. */
const optionalText = (max: number) => z.string().trim().max(max).default('');

export const mindbody: ProviderDefinition = {
  id: 'mindbody',
  name: 'Mindbody',
  category: 'Booking',
  description: 'Clients and class bookings from a Mindbody site, connected with an API key and site ID.',
  color: '#00b4b4',
  initials: 'MB',
  capabilities: ['API key + site ID', 'Validated against the site before saving', 'Bookings with a staff login'],
  resources: [
    { id: 'clients', label: 'Clients' },
    { id: 'appointments', label: 'Appointments' },
  ],
  withoutWebhooks: 'Mindbody webhooks (X-Mindbody-Signature) are not wired up yet.',
  docsUrl: 'https://developers.mindbodyonline.com/PublicDocumentation/V6',
  auth: {
    kind: 'api_key',
    fields: [
      {
        name: 'apiKey',
        label: 'API key',
        secret: true,
        schema: z.string().trim().min(8, { error: 'API key looks too short' }).max(200),
        help: 'From the Mindbody developer portal: Account → API Credentials.',
      },
      {
        name: 'siteId',
        label: 'Site ID',
        secret: false,
        schema: z.string().trim().regex(/^-?\d{1,10}$/, { error: 'Site ID is a number, such as 123456 (or -99 for the test site)' }),
        help: 'Shown in your Mindbody business settings.',
      },
      {
        name: 'staffUsername',
        label: 'Staff username (optional)',
        secret: false,
        optional: true,
        schema: optionalText(200),
        help: 'A Mindbody staff login, needed to look up clients and book appointments. Leave empty to only connect the site.',
      },
      {
        name: 'staffPassword',
        label: 'Staff password (optional)',
        secret: true,
        optional: true,
        schema: optionalText(200),
        help: 'The staff login’s password; stored encrypted and never shown again.',
      },
    ],
    toTokenSet: (values) => ({
      accessToken: values.apiKey,
      extra: {
        siteId: values.siteId,
        ...(values.staffUsername ? { staffUsername: values.staffUsername } : {}),
        ...(values.staffPassword ? { staffPassword: values.staffPassword } : {}),
      },
    }),
  },
  allowedHosts: (host) => host === 'api.mindbodyonline.com',
  // Mindbody answers { Error: { Message, Code } } (developers.mindbodyonline.com, "Errors").
  describeError(body) {
    return mindbodyError.safeParse(body).data?.Error.Message;
  },
  async identify(client) {
    const siteId = client.tokens.extra?.siteId ?? '';
    const site = await fetchSite(client);
    const { staffUsername, staffPassword } = client.tokens.extra ?? {};
    if (Boolean(staffUsername) !== Boolean(staffPassword)) {
      throw new ProviderProtocolError('give both the staff username and the staff password, or neither');
    }
    // The staff login is tried now, so a wrong one is refused before anything is saved.
    const login = staffLoginOf(client);
    if (login) await issueStaffToken(client, login);
    return { accountId: siteId, accountLabel: `${site.Name} (site ${siteId})`, details: site.TimeZone ? { timeZone: site.TimeZone } : undefined };
  },
  actions: mindbodyActions,
};
