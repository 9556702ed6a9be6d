// Mindbody Public API v6: no OAuth here, an API key (header Api-Key) plus a SiteId header.
// `GET /public/v6/site/sites` is the cheapest call that proves both are right.
import { json, type Route } from '../http';

export const MINDBODY_SANDBOX_KEY = 'sandbox-mindbody-key';
/** -99 is Mindbody's own public test site; 4242 stands in for a second studio. */
export const MINDBODY_SITES = [
  { Id: -99, Name: 'Mindbody Sandbox Studio', TimeZone: 'America/Los_Angeles' },
  { Id: 4242, Name: 'Acme Yoga', TimeZone: 'Europe/London' },
];

const error = (status: number, code: string, message: string) => json(status, { Error: { Message: message, Code: code } });

export const mindbodyRoutes: Route[] = [
  {
    method: 'GET',
    hosts: ['api.mindbodyonline.com'],
    path: '/public/v6/site/sites',
    handle(ctx) {
      const key = ctx.headers['api-key'];
      if (key !== MINDBODY_SANDBOX_KEY) return error(401, 'DeniedAccess', 'Authentication failed: the Api-Key header is missing or invalid.');
      const siteId = Number(ctx.headers.siteid);
      const site = MINDBODY_SITES.find((s) => s.Id === siteId);
      if (!site) return error(400, 'InvalidSiteId', `SiteId ${String(ctx.headers.siteid ?? '')} is not a site this key may access.`);
      return json(200, {
        PaginationResponse: { RequestedLimit: 100, RequestedOffset: 0, PageSize: 1, TotalResults: 1 },
        Sites: [{ ...site, Description: 'Sandbox site', AcceptsVisa: true }],
      });
    },
  },
];
