// Google Calendar in the sandbox: OAuth at accounts.google.com / oauth2.googleapis.com, the
// calendar list and events with sync tokens, push channels, freeBusy and event writes.
import { defineSandboxProvider } from '../../provider';
import { PROFILE } from './accounts';
import { channelRoutes } from './channels';
import { googleCalendarDataRoutes } from './data';
import { googleEventsSpec } from './events';
import { eventsClient } from './listing';
import { googleCalendarRoutes } from './oauth';
import { webhooks } from './webhooks';
import { googleCalendarWriteRoutes } from './writes';

export const googleCalendar = defineSandboxProvider({
  ...PROFILE,
  auth: {
    kind: 'oauth2',
    scopes: ['https://www.googleapis.com/auth/calendar.readonly', 'https://www.googleapis.com/auth/calendar.events'],
    rotatesRefreshTokens: false,
  },
  routes: [...googleCalendarRoutes, ...googleCalendarDataRoutes, ...channelRoutes, ...googleCalendarWriteRoutes],
  datasets: {
    events: { spec: googleEventsSpec, deletions: 'tombstone', client: eventsClient },
  },
  // freeBusy queries and event writes are counted (and open to failPage / rateLimitPage at page 1).
  endpoints: ['calendars', 'freeBusy', 'eventWrites'],
  webhooks,
});
