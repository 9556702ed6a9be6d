// Microsoft Outlook in the sandbox: the identity platform's authorize and token endpoints, Graph's
// /me, calendars, calendarView/delta, event writes, getSchedule, and change-notification
// subscriptions with their validation handshake.
import { defineSandboxProvider } from '../../provider';
import { PROFILE } from './accounts';
import { outlookDataRoutes } from './data';
import { outlookEventsSpec } from './events';
import { eventsClient } from './listing';
import { outlookOAuthRoutes } from './oauth';
import { subscriptionRoutes } from './subscriptions';
import { webhooks } from './webhooks';
import { outlookWriteRoutes } from './writes';

export const outlook = defineSandboxProvider({
  ...PROFILE,
  auth: { kind: 'oauth2', scopes: ['offline_access', 'User.Read', 'Calendars.ReadWrite'], rotatesRefreshTokens: true },
  routes: [...outlookOAuthRoutes, ...outlookDataRoutes, ...outlookWriteRoutes, ...subscriptionRoutes],
  datasets: {
    events: { spec: outlookEventsSpec, deletions: 'tombstone', client: eventsClient },
  },
  // The calendar list, getSchedule calls and event writes are counted (and open to page faults at page 1).
  endpoints: ['calendars', 'getSchedule', 'eventWrites'],
  webhooks,
});
