// Mindbody in the sandbox: API-key access (API key + SiteId headers) to the site endpoint the
// connection test calls, staff user tokens (issue, renew), clients (listing, search, AddClient),
// appointments (staff appointments, BookableItems, AddAppointment, UpdateAppointment), classes and
// their visits, and the separate Webhooks API (subscriptions) with signed deliveries.
import { defineSandboxProvider } from '../../provider';
import { PROFILE, type MindbodySite } from './accounts';
import { MINDBODY_SANDBOX_KEY, mindbodyRoutes } from './api';
import { appointmentsClient, classVisitsClient, clientsClient } from './listing';
import { appointmentsSpec, classVisitsSpec, clientsSpec } from './site';
import { mindbodyPushRoutes, webhooks } from './webhooks';

export const mindbody = defineSandboxProvider({
  ...PROFILE,
  auth: {
    kind: 'api_key',
    credentials: (site: MindbodySite) => ({ apiKey: MINDBODY_SANDBOX_KEY, siteId: String(site.siteId), staffUsername: site.staffUsername, staffPassword: site.staffPassword }),
  },
  routes: [...mindbodyRoutes, ...mindbodyPushRoutes],
  datasets: {
    // A deactivated client stays listed (Active false); a cancelled appointment shows its status;
    // a visit removed from its class is no longer listed.
    clients: { spec: clientsSpec, deletions: 'status', client: clientsClient },
    appointments: { spec: appointmentsSpec, deletions: 'status', client: appointmentsClient },
    class_visits: { spec: classVisitsSpec, deletions: 'vanish', client: classVisitsClient },
  },
  // Counted in stats.dataRequests and open to page faults.
  endpoints: ['clientSearch', 'clientWrites', 'bookableItems', 'staffAppointments', 'appointmentWrites', 'classes', 'tokenIssues', 'tokenRenewals', 'subscriptions'],
  webhooks,
});
