// Acuity Scheduling in the sandbox: OAuth at acuityscheduling.com/oauth2 (access tokens only), or HTTP
// Basic with a user id and API key (each account's apiKey in accounts.ts), GET /me, appointments
// (cancelled ones included) and clients, appointment types, availability (dates, times,
// check-times), booking, cancelling and rescheduling, and dynamic webhooks signed with the API key.
import { defineSandboxProvider } from '../../provider';
import { PROFILE } from './accounts';
import { acuityOAuthRoutes } from './oauth';
import { acuityDataRoutes, acuitySpecs } from './api';
import { appointmentsClient, clientsClient } from './listing';
import { subscriptionRoutes, webhooks } from './webhooks';
import { acuityWriteRoutes } from './writes';

export const acuity = defineSandboxProvider({
  ...PROFILE,
  auth: { kind: 'oauth2', scopes: ['api-v1'], rotatesRefreshTokens: false },
  routes: [...acuityOAuthRoutes, ...acuityDataRoutes, ...acuityWriteRoutes, ...subscriptionRoutes],
  datasets: {
    appointments: { spec: acuitySpecs.appointments, deletions: 'status', client: appointmentsClient },
    clients: { spec: acuitySpecs.clients, deletions: 'vanish', client: clientsClient },
  },
  // Counted in stats.dataRequests and open to page faults besides the datasets.
  endpoints: ['availability', 'appointmentWrites'],
  webhooks,
});
