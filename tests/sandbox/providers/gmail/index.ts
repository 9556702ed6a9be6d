// Gmail in the sandbox: Google OAuth (shared with Google Calendar, told apart by client id),
// users.getProfile, labels, messages (metadata / full / raw), threads, history with historyTypes,
// send and drafts (keeping the raw MIME), users.watch and Pub/Sub pushes signed with the sandbox's
// own Google key set.
import { defineSandboxProvider } from '../../provider';
import { COMPOSE_SCOPE, PROFILE, READ_SCOPE, SEND_SCOPE } from './accounts';
import { gmailDataRoutes } from './data';
import { messagesClient } from './listing';
import { gmailMessagesSpec } from './mailbox';
import { gmailOAuthRoutes } from './oauth';
import { pushRoutes, webhooks } from './push';

export const gmail = defineSandboxProvider({
  ...PROFILE,
  auth: { kind: 'oauth2', scopes: [READ_SCOPE, SEND_SCOPE, COMPOSE_SCOPE], rotatesRefreshTokens: false },
  routes: [...gmailOAuthRoutes, ...gmailDataRoutes, ...pushRoutes],
  datasets: {
    // Gmail lists a deleted message in history.list as messagesDeleted: a tombstone.
    messages: { spec: gmailMessagesSpec, deletions: 'tombstone', client: messagesClient },
  },
  // Message gets and writes are counted (the listing's pages count as gmail.messages).
  endpoints: ['messageGets', 'writes'],
  webhooks,
});
