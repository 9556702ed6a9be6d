// Calendly in the sandbox: OAuth at auth.calendly.com (rotating refresh tokens), the user, scheduled
// events and invitees at api.calendly.com, event types and available times, booking through the
// Scheduling API (refused on the second user's free plan), cancellation, and webhook subscriptions
// whose deliveries are signed with the subscription's signing key.
import { defineSandboxProvider } from '../../provider';
import { PROFILE } from './accounts';
import { calendlyDataRoutes, calendlySpecs } from './data';
import { eventsClient, inviteesClient } from './listing';
import { calendlyRoutes } from './oauth';
import { subscriptionRoutes, webhooks } from './webhooks';
import { calendlyWriteRoutes } from './writes';

export const calendly = defineSandboxProvider({
  ...PROFILE,
  auth: { kind: 'oauth2', scopes: ['users:read', 'event_types:read', 'scheduled_events:write', 'webhooks:write'], rotatesRefreshTokens: true },
  routes: [...calendlyRoutes, ...calendlyDataRoutes, ...calendlyWriteRoutes, ...subscriptionRoutes],
  datasets: {
    scheduled_events: { spec: calendlySpecs.scheduled_events, deletions: 'status', client: eventsClient },
    invitees: { spec: calendlySpecs.invitees, deletions: 'status', client: inviteesClient },
  },
  // Counted in stats.dataRequests and open to page faults besides the datasets.
  endpoints: ['eventTypes', 'availableTimes', 'inviteeWrites'],
  webhooks,
});
