// Mailchimp in the sandbox: OAuth at login.mailchimp.com (tokens that never expire, no refresh
// token) and the metadata endpoint that names each account's data centre; the Marketing API on each
// account's data-centre host: audiences, members (count/offset, since_last_changed), merge fields,
// batch subscribe with per-member errors, archive and permanent deletion, audience webhooks (unsigned,
// form-encoded), and 429 past 10 simultaneous connections.
import { defineSandboxProvider } from '../../provider';
import { PROFILE } from './accounts';
import { mailchimpApiRoutes } from './api';
import { membersSpec } from './audiences';
import { membersClient } from './listing';
import { mailchimpOAuthRoutes } from './oauth';
import { webhooks } from './webhooks';

export const mailchimp = defineSandboxProvider({
  ...PROFILE,
  // Mailchimp has no scopes.
  auth: { kind: 'oauth2', scopes: [], rotatesRefreshTokens: false },
  routes: [...mailchimpOAuthRoutes, ...mailchimpApiRoutes],
  datasets: {
    members: { spec: membersSpec, deletions: 'status', client: membersClient },
  },
  endpoints: [],
  webhooks,
});
