// Mindbody Public API v6: no OAuth here, an API key (header Api-Key) plus a SiteId header.
// `GET /public/v6/site/sites` is the cheapest call that proves both are right.
import { json, type Route } from '../../http';
import { identityHandler } from '../../oauth';
import { PROFILE } from './accounts';

export const MINDBODY_SANDBOX_KEY = 'sandbox-mindbody-key';
/** The sites this key may access, as the API names their fields. */
export const MINDBODY_SITES = PROFILE.accounts.map((site) => ({ Id: site.siteId, Name: site.name, TimeZone: site.timeZone }));

const error = (status: number, code: string, message: string) => json(status, { Error: { Message: message, Code: code } });

export const mindbodyRoutes: Route[] = [
  {
    method: 'GET',
    hosts: ['api.mindbodyonline.com'],
    path: '/public/v6/site/sites',
    handle: identityHandler(
      PROFILE.id,
      (status) => error(status, status >= 500 ? 'InternalError' : 'BadRequest', `Forced by the sandbox (HTTP ${status}).`),
      (ctx) => {
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
    ),
  },
];
