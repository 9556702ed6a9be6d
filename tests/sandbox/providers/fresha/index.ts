// Fresha in the sandbox, following the product spec's partner contract (unverified: Fresha
// publishes no public API): OAuth at connect.fresha.com, clients and appointments at api.fresha.com
// (listings, lookups, availability and bookings).
import { defineSandboxProvider } from '../../provider';
import { PROFILE } from './accounts';
import { freshaDataRoutes, freshaDataSpecs } from './data';
import { resourceClient } from './listing';
import { freshaRoutes } from './oauth';
import { freshaWriteRoutes } from './writes';

export const fresha = defineSandboxProvider({
  ...PROFILE,
  auth: { kind: 'oauth2', scopes: ['clients:read', 'appointments:read', 'clients:write', 'appointments:write'], rotatesRefreshTokens: false },
  routes: [...freshaRoutes, ...freshaDataRoutes, ...freshaWriteRoutes],
  datasets: {
    clients: { spec: freshaDataSpecs.clients, deletions: 'tombstone', client: resourceClient('clients') },
    appointments: { spec: freshaDataSpecs.appointments, deletions: 'tombstone', client: resourceClient('appointments') },
  },
  // Counted in stats.dataRequests and open to page faults: the booking side's endpoints.
  endpoints: ['availability', 'clientWrites', 'appointmentWrites'],
});
