// Square in the sandbox: the PKCE OAuth flow with rotating refresh tokens, the merchant as identity,
// Customers and Bookings, the writes the actions make (writes.ts), and signed webhook deliveries.
import { defineSandboxProvider } from '../../provider';
import { PROFILE, SQUARE_VERSION } from './accounts';
import { squareDataRoutes, squareDataSpecs } from './data';
import { bookingsClient, customersClient } from './listing';
import { squareRoutes } from './oauth';
import { webhooks } from './webhooks';
import { squareWriteRoutes } from './writes';

export const square = defineSandboxProvider({
  ...PROFILE,
  // Its PKCE flow rotates the refresh token on every refresh.
  auth: { kind: 'oauth2', scopes: ['MERCHANT_PROFILE_READ', 'CUSTOMERS_READ', 'CUSTOMERS_WRITE', 'APPOINTMENTS_READ', 'APPOINTMENTS_ALL_READ', 'APPOINTMENTS_WRITE'], rotatesRefreshTokens: true },
  routes: [...squareRoutes, ...squareDataRoutes, ...squareWriteRoutes],
  datasets: {
    // Square keeps no tombstones for customers: a deleted one just stops being listed.
    customers: { spec: squareDataSpecs.customers, deletions: 'vanish', client: customersClient },
    // A deleted booking turns CANCELLED_BY_SELLER and stays listed.
    bookings: { spec: squareDataSpecs.bookings, deletions: 'status', client: bookingsClient },
  },
  // Counted in stats.dataRequests and open to page faults: the write side's endpoints.
  endpoints: ['locations', 'availability', 'bookingWrites', 'customerWrites'],
  apiHeaders: { 'square-version': SQUARE_VERSION },
  webhooks,
});
