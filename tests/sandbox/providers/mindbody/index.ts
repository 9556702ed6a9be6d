// Mindbody in the sandbox: API-key access to the site endpoint the connection test calls. Nothing
// syncs and no webhooks are sent.
import { defineSandboxProvider } from '../../provider';
import { PROFILE, type MindbodySite } from './accounts';
import { MINDBODY_SANDBOX_KEY, mindbodyRoutes } from './api';

export const mindbody = defineSandboxProvider({
  ...PROFILE,
  auth: { kind: 'api_key', credentials: (site: MindbodySite) => ({ apiKey: MINDBODY_SANDBOX_KEY, siteId: String(site.siteId) }) },
  routes: mindbodyRoutes,
  datasets: {},
  endpoints: [],
});
