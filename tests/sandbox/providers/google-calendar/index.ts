// Google Calendar in the sandbox: OAuth at accounts.google.com / oauth2.googleapis.com, the
// calendar list and events with sync tokens, and push channels.
import { defineSandboxProvider } from '../../provider';
import { PROFILE } from './accounts';
import { channelRoutes } from './channels';
import { googleCalendarDataRoutes } from './data';
import { googleEventsSpec } from './events';
import { eventsClient } from './listing';
import { googleCalendarRoutes } from './oauth';
import { webhooks } from './webhooks';

export const googleCalendar = defineSandboxProvider({
  ...PROFILE,
  auth: { kind: 'oauth2', scopes: ['https://www.googleapis.com/auth/calendar.readonly'], rotatesRefreshTokens: false },
  routes: [...googleCalendarRoutes, ...googleCalendarDataRoutes, ...channelRoutes],
  datasets: {
    events: { spec: googleEventsSpec, deletions: 'tombstone', client: eventsClient },
  },
  endpoints: ['calendars'],
  webhooks,
});
