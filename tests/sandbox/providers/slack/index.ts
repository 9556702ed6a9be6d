// Slack in the sandbox: OAuth v2 at slack.com (token rotation on in the first workspace, off in the
// second), auth.test and auth.revoke, users and the bot's channels' message history, posting and
// looking users up, and signed Events API deliveries.
import { defineSandboxProvider } from '../../provider';
import { PROFILE } from './accounts';
import { messagesSpec, slackDataRoutes, usersSpec } from './data';
import { messagesClient, usersClient } from './listing';
import { slackOAuthRoutes } from './oauth';
import { webhooks } from './webhooks';
import { slackWriteRoutes } from './writes';

export const slack = defineSandboxProvider({
  ...PROFILE,
  auth: { kind: 'oauth2', scopes: ['channels:read', 'channels:history', 'groups:read', 'groups:history', 'users:read', 'users:read.email', 'chat:write'], rotatesRefreshTokens: true },
  routes: [...slackOAuthRoutes, ...slackDataRoutes, ...slackWriteRoutes],
  datasets: {
    // A deactivated user stays listed (deleted: true); a deleted message is no longer listed.
    users: { spec: usersSpec, deletions: 'status', client: usersClient },
    messages: { spec: messagesSpec, deletions: 'vanish', client: messagesClient },
  },
  endpoints: ['conversations', 'postMessage', 'lookupByEmail'],
  webhooks,
});
