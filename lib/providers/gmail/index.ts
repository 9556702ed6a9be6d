// Gmail. Google OAuth (as Google Calendar: offline access, consent, PKCE) with the Gmail scopes;
// messages synced with history.list (resources.ts); push through users.watch and Cloud Pub/Sub
// with Google-signed OIDC tokens (push.ts, webhooks.ts); send, reply, draft and read a body on demand (actions.ts, text.ts).
// Facts: shared/providers.md (Google and Gmail rows).
import { parseStandardTokenResponse } from '../token-parsing';
import type { ProviderDefinition } from '../types';
import { gmailActions } from './actions';
import { describeGoogleError, GMAIL_API, GMAIL_COMPOSE_SCOPE, GMAIL_READ_SCOPE, GMAIL_SEND_SCOPE, profileSchema } from './api';
import { defaultMappings } from './mappings';
import { gmailMessages } from './resources';
import { gmailWebhooks } from './webhooks';

const GOOGLE_HOSTS = new Set(['accounts.google.com', 'oauth2.googleapis.com', 'gmail.googleapis.com']);

export const gmail: ProviderDefinition = {
  id: 'gmail',
  name: 'Gmail',
  category: 'Email',
  description: 'Messages with their headers, snippet and labels, kept fresh by Pub/Sub push; send, reply in a thread and draft.',
  color: '#ea4335',
  initials: 'GM',
  capabilities: ['OAuth 2.0 with PKCE', 'Offline access (refresh token)', 'Incremental sync (history.list)', 'Push notifications (Pub/Sub, OIDC-verified)', 'Send, reply and draft'],
  resources: [gmailMessages],
  defaultMappings,
  webhooks: gmailWebhooks,
  actions: gmailActions,
  describeError: describeGoogleError,
  docsUrl: 'https://developers.google.com/workspace/gmail/api',
  auth: {
    kind: 'oauth2',
    authorizeUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
    tokenUrl: 'https://oauth2.googleapis.com/token',
    tokenRequestEncoding: 'form',
    pkce: true,
    clientSecretOnTokenRequests: true,
    scopes: [GMAIL_READ_SCOPE, GMAIL_SEND_SCOPE, GMAIL_COMPOSE_SCOPE],
    scopeSeparator: ' ',
    // Without both, Google issues no refresh token (or none on a second consent).
    authorizeParams: { access_type: 'offline', prompt: 'consent', include_granted_scopes: 'true' },
    refreshTokenRotates: false,
    parseTokenResponse: (body, now, previous) => parseStandardTokenResponse(body, now, previous),
  },
  allowedHosts: (host) => GOOGLE_HOSTS.has(host),
  async identify(client) {
    const { body } = await client.request(`${GMAIL_API}/profile`);
    const profile = profileSchema.parse(body);
    return { accountId: profile.emailAddress, accountLabel: profile.emailAddress };
  },
  async revoke(client) {
    await client.request('https://oauth2.googleapis.com/revoke', {
      method: 'POST',
      bearer: false,
      form: { token: client.tokens.refreshToken ?? client.tokens.accessToken },
    });
  },
};
