// Mindbody: an API-key connection (API key + site id), validated against the site before saving.
import { z } from 'zod';
import { ProviderProtocolError } from '../errors';
import type { ProviderDefinition } from '../types';

const sitesResponse = z.object({
  Sites: z.array(z.object({ Id: z.number().int(), Name: z.string(), TimeZone: z.string().optional() })),
});

const mindbodyError = z.object({ Error: z.object({ Message: z.string().min(1) }) });

export const mindbody: ProviderDefinition = {
  id: 'mindbody',
  name: 'Mindbody',
  category: 'Booking',
  description: 'Clients and class bookings from a Mindbody site, connected with an API key and site ID.',
  color: '#00b4b4',
  initials: 'MB',
  capabilities: ['API key + site ID', 'Validated against the site before saving'],
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
    ],
    toTokenSet: (values) => ({ accessToken: values.apiKey, extra: { siteId: values.siteId } }),
  },
  allowedHosts: (host) => host === 'api.mindbodyonline.com',
  // Mindbody answers { Error: { Message, Code } } (developers.mindbodyonline.com, "Errors").
  describeError(body) {
    return mindbodyError.safeParse(body).data?.Error.Message;
  },
  async identify(client) {
    const siteId = client.tokens.extra?.siteId ?? '';
    const { body } = await client.request(`https://api.mindbodyonline.com/public/v6/site/sites?request.siteIds=${encodeURIComponent(siteId)}`, {
      bearer: false,
      headers: { 'Api-Key': client.tokens.accessToken, SiteId: siteId },
    });
    const site = sitesResponse.parse(body).Sites.find((s) => String(s.Id) === siteId);
    if (!site) throw new ProviderProtocolError(`Mindbody did not return site ${siteId} for this API key`);
    return { accountId: siteId, accountLabel: `${site.Name} (site ${siteId})`, details: site.TimeZone ? { timeZone: site.TimeZone } : undefined };
  },
};
