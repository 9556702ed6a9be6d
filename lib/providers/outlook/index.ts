// Microsoft Outlook calendars through Microsoft Graph. Facts: shared/providers.md (Outlook rows).
// OAuth 2.0 on the Microsoft identity platform (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow):
// /common/oauth2/v2.0/authorize and /token, form-encoded, PKCE S256; `offline_access` yields a
// refresh token, and every refresh answer carries a new one (refreshTokenRotates: the kit stores it
// atomically and serializes refreshes per connection). Microsoft offers no per-token revocation
// endpoint (only revoking every session of the user), so disconnect deletes the subscriptions and
// the stored tokens and revokes nothing.
import { z } from 'zod';
import { parseStandardTokenResponse } from '../token-parsing';
import type { ProviderDefinition } from '../types';
import { outlookActions } from './actions';
import { describeGraphError, GRAPH } from './graph';
import { defaultMappings } from './mappings';
import { outlookEvents } from './resources';
import { outlookWebhooks } from './webhooks';

const MICROSOFT_HOSTS = new Set(['login.microsoftonline.com', 'graph.microsoft.com']);
/** "common": work, school and personal accounts alike. */
const AUTHORITY = 'https://login.microsoftonline.com/common/oauth2/v2.0';

const me = z.object({ id: z.string().min(1), mail: z.string().nullish(), userPrincipalName: z.string().nullish(), displayName: z.string().nullish() });

export const outlook: ProviderDefinition = {
  id: 'outlook',
  name: 'Microsoft Outlook',
  category: 'Calendar',
  description: 'Events from every Outlook calendar through Microsoft Graph, kept fresh by change notifications.',
  color: '#0f6cbd',
  initials: 'MO',
  capabilities: ['OAuth 2.0 with PKCE', 'Offline access (rotating refresh token)', 'Incremental sync (delta links)', 'Change notifications', 'Availability and booking'],
  resources: [outlookEvents],
  defaultMappings,
  webhooks: outlookWebhooks,
  actions: outlookActions,
  describeError: describeGraphError,
  docsUrl: 'https://learn.microsoft.com/graph/outlook-calendar-concept-overview',
  auth: {
    kind: 'oauth2',
    authorizeUrl: `${AUTHORITY}/authorize`,
    tokenUrl: `${AUTHORITY}/token`,
    tokenRequestEncoding: 'form',
    pkce: true,
    clientSecretOnTokenRequests: true,
    // offline_access: a refresh token; User.Read: who the account is; Calendars.ReadWrite: events, getSchedule and bookings.
    scopes: ['offline_access', 'User.Read', 'Calendars.ReadWrite'],
    scopeSeparator: ' ',
    refreshTokenRotates: true,
    parseTokenResponse: (body, now, previous) => parseStandardTokenResponse(body, now, previous),
  },
  allowedHosts: (host) => MICROSOFT_HOSTS.has(host),
  async identify(client) {
    const { body } = await client.request(`${GRAPH}/me?$select=id,mail,userPrincipalName,displayName`);
    const user = me.parse(body);
    const address = user.mail ?? user.userPrincipalName ?? user.id;
    return { accountId: user.id, accountLabel: address, details: user.displayName ? { name: user.displayName } : undefined };
  },
};
