// Google Calendar. Facts: shared/providers.md (Google rows).
import { z } from 'zod';
import { parseStandardTokenResponse } from '../token-parsing';
import type { ProviderDefinition } from '../types';
import { googleCalendarActions } from './actions';
import { defaultMappings } from './mappings';
import { CALENDAR_READ_SCOPE, googleCalendarEvents } from './resources';
import { googleCalendarWebhooks } from './webhooks';

const GOOGLE_HOSTS = new Set(['accounts.google.com', 'oauth2.googleapis.com', 'www.googleapis.com']);

const primaryCalendar = z.object({ id: z.string().min(1), summary: z.string().optional(), timeZone: z.string().optional() });

export const googleCalendar: ProviderDefinition = {
  id: 'google-calendar',
  name: 'Google Calendar',
  category: 'Calendar',
  description: 'Events from every calendar the account can see, kept fresh by push notifications.',
  color: '#1a73e8',
  initials: 'GC',
  capabilities: ['OAuth 2.0 with PKCE', 'Offline access (refresh token)', 'Incremental sync (syncToken)', 'Push notifications', 'Availability and booking'],
  resources: [googleCalendarEvents],
  defaultMappings,
  webhooks: googleCalendarWebhooks,
  actions: googleCalendarActions,
  docsUrl: 'https://developers.google.com/calendar/api',
  auth: {
    kind: 'oauth2',
    authorizeUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
    tokenUrl: 'https://oauth2.googleapis.com/token',
    tokenRequestEncoding: 'form',
    pkce: true,
    clientSecretOnTokenRequests: true,
    // readonly: the calendar list, events and freeBusy; calendar.events: booking, cancelling, rescheduling.
    scopes: [CALENDAR_READ_SCOPE, 'https://www.googleapis.com/auth/calendar.events'],
    scopeSeparator: ' ',
    // Without both, Google issues no refresh token (or none on a second consent).
    authorizeParams: { access_type: 'offline', prompt: 'consent', include_granted_scopes: 'true' },
    refreshTokenRotates: false,
    parseTokenResponse: (body, now, previous) => parseStandardTokenResponse(body, now, previous),
  },
  allowedHosts: (host) => GOOGLE_HOSTS.has(host),
  async identify(client) {
    const { body } = await client.request('https://www.googleapis.com/calendar/v3/users/me/calendarList/primary');
    const calendar = primaryCalendar.parse(body);
    return { accountId: calendar.id, accountLabel: calendar.id, details: calendar.timeZone ? { timeZone: calendar.timeZone } : undefined };
  },
  async revoke(client) {
    await client.request('https://oauth2.googleapis.com/revoke', {
      method: 'POST',
      bearer: false,
      form: { token: client.tokens.refreshToken ?? client.tokens.accessToken },
    });
  },
};
