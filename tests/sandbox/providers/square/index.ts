// Square in the sandbox: the PKCE OAuth flow with rotating refresh tokens, the merchant as identity,
// Customers and Bookings, and signed webhook deliveries.
import { defineSandboxProvider } from '../../provider';
import { PROFILE, SQUARE_VERSION } from './accounts';
import { squareDataRoutes, squareDataSpecs } from './data';
import { bookingsClient, customersClient } from './listing';
import { squareRoutes } from './oauth';
import { webhooks } from './webhooks';

export const square = defineSandboxProvider({
  ...PROFILE,
  // Its PKCE flow rotates the refresh token on every refresh.
  auth: { kind: 'oauth2', scopes: ['MERCHANT_PROFILE_READ', 'CUSTOMERS_READ', 'APPOINTMENTS_READ', 'APPOINTMENTS_ALL_READ'], rotatesRefreshTokens: true },
  routes: [...squareRoutes, ...squareDataRoutes],
  datasets: {
    // Square keeps no tombstones for customers: a deleted one just stops being listed.
    customers: { spec: squareDataSpecs.customers, deletions: 'vanish', client: customersClient },
    // A deleted booking turns CANCELLED_BY_SELLER and stays listed.
    bookings: { spec: squareDataSpecs.bookings, deletions: 'status', client: bookingsClient },
  },
  endpoints: [],
  apiHeaders: { 'square-version': SQUARE_VERSION },
  webhooks,
});
