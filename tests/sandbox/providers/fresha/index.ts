// Fresha in the sandbox, following the product spec's partner contract (unverified: Fresha
// publishes no public API): OAuth at connect.fresha.com, clients and appointments at api.fresha.com.
import { defineSandboxProvider } from '../../provider';
import { PROFILE } from './accounts';
import { freshaDataRoutes, freshaDataSpecs } from './data';
import { resourceClient } from './listing';
import { freshaRoutes } from './oauth';

export const fresha = defineSandboxProvider({
  ...PROFILE,
  auth: { kind: 'oauth2', scopes: ['clients:read', 'appointments:read'], rotatesRefreshTokens: false },
  routes: [...freshaRoutes, ...freshaDataRoutes],
  datasets: {
    clients: { spec: freshaDataSpecs.clients, deletions: 'tombstone', client: resourceClient('clients') },
    appointments: { spec: freshaDataSpecs.appointments, deletions: 'tombstone', client: resourceClient('appointments') },
  },
  endpoints: [],
});
