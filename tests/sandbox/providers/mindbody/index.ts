// Mindbody in the sandbox: API-key access (API key + SiteId headers) to the site endpoint the
// connection test calls, staff user tokens, clients (search, AddClient) and appointments
// (BookableItems, StaffAppointments, AddAppointment, UpdateAppointment). Nothing syncs and no
// webhooks are sent.
import { defineSandboxProvider } from '../../provider';
import { PROFILE, type MindbodySite } from './accounts';
import { MINDBODY_SANDBOX_KEY, mindbodyRoutes } from './api';

export const mindbody = defineSandboxProvider({
  ...PROFILE,
  auth: {
    kind: 'api_key',
    credentials: (site: MindbodySite) => ({ apiKey: MINDBODY_SANDBOX_KEY, siteId: String(site.siteId), staffUsername: site.staffUsername, staffPassword: site.staffPassword }),
  },
  routes: mindbodyRoutes,
  datasets: {},
  // Counted in stats.dataRequests and open to page faults.
  endpoints: ['clientSearch', 'clientWrites', 'bookableItems', 'staffAppointments', 'appointmentWrites'],
});
