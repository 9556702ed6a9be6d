// Airtable in the sandbox: OAuth with PKCE and HTTP Basic client authentication, rotating refresh
// tokens, the meta API (whoami, bases, table schemas), records (listing with offset and formulas,
// upserts, deletes, the per-base write rate limit) and the webhooks API (create, list, refresh,
// delete, payloads by cursor) with MAC-signed pings.
import { defineSandboxProvider } from '../../provider';
import { PROFILE } from './accounts';
import { apiRoutes } from './api';
import { recordsSpec } from './data';
import { recordsClient } from './listing';
import { oauthRoutes, SCOPES } from './oauth';
import { webhookRoutes, webhooks } from './webhooks';

export const airtable = defineSandboxProvider({
  ...PROFILE,
  auth: { kind: 'oauth2', scopes: SCOPES, rotatesRefreshTokens: true },
  routes: [...oauthRoutes, ...apiRoutes, ...webhookRoutes],
  datasets: {
    // Deleted records come back from the webhook payloads as destroyedRecordIds.
    records: { spec: recordsSpec, deletions: 'tombstone', client: recordsClient },
  },
  endpoints: ['recordWrites', 'webhooks', 'payloads'],
  webhooks,
});
