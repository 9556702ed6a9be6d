// Mindbody Public API v6: no OAuth here, an API key (header Api-Key) plus a SiteId header.
// `GET /public/v6/site/sites` is the cheapest call that proves both are right; `POST
// /public/v6/usertoken/issue {Username, Password}` issues the staff user tokens that client search
// and bookings need ({ TokenType, AccessToken, Expires, User }; a wrong login answers 401
// DeniedAccess "Staff identity authentication failed.").
import { pageGate } from '../../data-faults';
import { json, readJson, type Route } from '../../http';
import { identityHandler } from '../../oauth';
import { PROFILE } from './accounts';
import { mindbodyAppointmentRoutes } from './appointments';
import { mindbodyClientRoutes } from './clients';
import { mindbodyClassRoutes } from './classes';
import { BASE, error, faults, HOST, issueToken, MINDBODY_SANDBOX_KEY, renewToken, siteOf, siteStore } from './site';

export { MINDBODY_SANDBOX_KEY } from './site';
/** The sites this key may access, as the API names their fields. */
export const MINDBODY_SITES = PROFILE.accounts.map((site) => ({ Id: site.siteId, Name: site.name, TimeZone: site.timeZone }));

export const mindbodyRoutes: Route[] = [
  {
    method: 'GET',
    hosts: [HOST],
    path: `${BASE}/site/sites`,
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
  {
    method: 'POST',
    hosts: [HOST],
    path: `${BASE}/usertoken/issue`,
    handle(ctx) {
      const checked = siteOf(ctx);
      if (!checked.ok) return checked.reply;
      const site = checked.value;
      const parsed = readJson(ctx);
      if (!parsed.ok) return error(400, 'InvalidParameter', parsed.reason);
      const { Username, Password } = parsed.value;
      if (typeof Username !== 'string' || typeof Password !== 'string' || !Username || !Password) {
        return error(400, 'MissingRequiredFields', 'Username and Password are required.');
      }
      const refused = pageGate(ctx.state, 'mindbody.tokenIssues', 1, faults);
      if (refused) return refused;
      if (Username !== site.staffUsername || Password !== site.staffPassword) return error(401, 'DeniedAccess', 'Staff identity authentication failed.');
      const { token, expiresAt } = issueToken(siteStore(ctx, site));
      return json(200, {
        TokenType: 'Bearer',
        AccessToken: token,
        Expires: new Date(expiresAt).toISOString(),
        User: { Id: 1, FirstName: 'Sandbox', LastName: 'Staff', Type: 'Staff' },
      });
    },
  },
  {
    // Renews the token in Authorization: 24 hours past its current expiry, at most 7 times ✔
    // (mindbody-user-token-api-openapi.yml). Its answer is documented only as 200 OK; the sandbox
    // answers the issue shape.
    method: 'POST',
    hosts: [HOST],
    path: `${BASE}/usertoken/renew`,
    handle(ctx) {
      const checked = siteOf(ctx);
      if (!checked.ok) return checked.reply;
      const refused = pageGate(ctx.state, 'mindbody.tokenRenewals', 1, faults);
      if (refused) return refused;
      const token = String(ctx.headers.authorization ?? '').replace(/^Bearer\s+/i, '').trim();
      const renewed = token ? renewToken(siteStore(ctx, checked.value), token) : null;
      if (!renewed) return error(401, 'DeniedAccess', 'The staff user token is invalid, has expired or cannot be renewed again.');
      return json(200, { TokenType: 'Bearer', AccessToken: renewed.token, Expires: new Date(renewed.expiresAt).toISOString() });
    },
  },
  ...mindbodyClientRoutes,
  ...mindbodyClassRoutes,
  ...mindbodyAppointmentRoutes,
];
