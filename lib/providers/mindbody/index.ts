// Mindbody: an API-key connection (API key + site id), validated against the site before saving.
// A staff login (username and password) lets the syncs list appointments and class visits and the
// actions look up clients and book: Mindbody issues staff user tokens for it (POST
// /usertoken/issue), which are stored encrypted with the credentials and renewed (api.ts). The
// login is stored only inside the encrypted credentials (TokenSet.extra), tried when connecting,
// and never logged or answered; without it the site connects and clients sync, nothing else.
// Syncs: resources.ts; webhooks: webhooks.ts; default mappings: mappings.ts; actions: actions.ts.
import { z } from 'zod';
import { ProviderProtocolError } from '../errors';
import type { ProviderDefinition } from '../types';
import { mindbodyActions } from './actions';
import { fetchSite, staffLoginOf, staffToken } from './api';
import { defaultMappings } from './mappings';
import { mindbodyResources } from './resources';
import { mindbodyWebhooks } from './webhooks';

const mindbodyError = z.object({ Error: z.object({ Message: z.string().min(1) }) });
/** The Webhooks API's errors: { errorInformation: [{ errorCode, errorMessage }], isSuccess: false } ~. */
const pushError = z.object({ errorInformation: z.array(z.object({ errorMessage: z.string().min(1) }).passthrough()).min(1) });

/** An optional text field: absent or blank is ''. */
const optionalText = (max: number) => z.string().trim().max(max).default('');

export const mindbody: ProviderDefinition = {
  id: 'mindbody',
  name: 'Mindbody',
  category: 'Booking',
  description: 'Clients, appointments and class visits from a Mindbody site, connected with an API key, site ID and a staff login.',
  color: '#00b4b4',
  initials: 'MB',
  capabilities: ['API key + site ID', 'Validated against the site before saving', 'Staff user tokens, renewed', 'Webhooks API subscription', 'Bookings with a staff login'],
  resources: mindbodyResources,
  defaultMappings,
  webhooks: mindbodyWebhooks,
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
        help: 'A Mindbody staff login, needed to sync appointments and class visits, look up clients and book. Without it only clients sync.',
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
  allowedHosts: (host) => host === 'api.mindbodyonline.com' || host === 'push-api.mindbodyonline.com',
  // Mindbody answers { Error: { Message, Code } } (developers.mindbodyonline.com, "Errors").
  describeError(body) {
    return mindbodyError.safeParse(body).data?.Error.Message ?? pushError.safeParse(body).data?.errorInformation[0].errorMessage;
  },
  async identify(client) {
    const siteId = client.tokens.extra?.siteId ?? '';
    const site = await fetchSite(client);
    const { staffUsername, staffPassword } = client.tokens.extra ?? {};
    if (Boolean(staffUsername) !== Boolean(staffPassword)) {
      throw new ProviderProtocolError('give both the staff username and the staff password, or neither');
    }
    // The staff login is tried now, so a wrong one is refused before anything is saved; the token
    // it gives is saved with the connection (later tests use, or renew, the stored one).
    if (staffLoginOf(client)) await staffToken(client);
    return { accountId: siteId, accountLabel: `${site.Name} (site ${siteId})`, details: site.TimeZone ? { timeZone: site.TimeZone } : undefined };
  },
  actions: mindbodyActions,
};
