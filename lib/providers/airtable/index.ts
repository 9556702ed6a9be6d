// Airtable. Facts: shared/providers.md (Airtable rows) and the official docs cited in each file.
// OAuth ✔ https://airtable.com/developers/web/api/oauth-reference: authorize at
// airtable.com/oauth2/v1/authorize with PKCE (code_challenge_method "S256", required), tokens at
// airtable.com/oauth2/v1/token (form body; a client with a secret authenticates with HTTP Basic, as
// Airtable's own example app, Airtable/oauth-example, does; client_id stays in the body). Access
// tokens live 60 minutes; refresh tokens rotate on every use (the old one dies) and expire after
// 60 days unused ~ (refresh_expires_in). No revocation endpoint is documented. Identity:
// GET /v0/meta/whoami ✔. Syncs: resources.ts; webhooks: webhooks.ts + payloads.ts; push: push.ts.
import { z } from 'zod';
import { parseStandardTokenResponse } from '../token-parsing';
import type { ProviderDefinition } from '../types';
import { AUTH, currentUser, describeAirtableError } from './api';
import { defaultMappings } from './mappings';
import { airtableRecordsDestination } from './push';
import { airtableRecords } from './resources';
import { airtableWebhooks } from './webhooks';

const AIRTABLE_HOSTS = new Set(['api.airtable.com', 'airtable.com']);
const refreshExpiry = z.object({ refresh_expires_in: z.coerce.number().int().positive().optional() }).passthrough();

export const airtable: ProviderDefinition = {
  id: 'airtable',
  name: 'Airtable',
  category: 'Database',
  description: 'Records of every table in the bases you share, kept fresh by per-base webhooks; push contacts into a table.',
  color: '#18bfff',
  initials: 'AT',
  capabilities: ['OAuth 2.0 with PKCE', 'Rotating refresh tokens', 'Per-base webhooks with MAC, refreshed weekly', 'Incremental sync from webhook payloads', 'Push: upsert into a table'],
  resources: [airtableRecords],
  defaultMappings,
  webhooks: airtableWebhooks,
  push: { destinations: [airtableRecordsDestination] },
  describeError: describeAirtableError,
  selection: {
    label: 'tables',
    description: 'The tables whose records sync (and whose bases get a webhook).',
    whenNoneChosen: 'None chosen: every table of every base this account can see syncs. Choose some to sync only those.',
    max: 1000,
    async options(client) {
      return (await airtableRecordsDestination.targets(client)).map((t) => ({ id: t.id, label: `${t.group} › ${t.label}` }));
    },
  },
  docsUrl: 'https://airtable.com/developers/web/api/introduction',
  auth: {
    kind: 'oauth2',
    authorizeUrl: `${AUTH}/authorize`,
    tokenUrl: `${AUTH}/token`,
    tokenRequestEncoding: 'form',
    pkce: true,
    clientSecretOnTokenRequests: true,
    tokenClientAuthentication: 'basic',
    // Read and write records, read base schemas (tables and fields), manage webhooks, and the
    // user's email for the connection's label ✔ (oauth-reference, "Scopes").
    scopes: ['data.records:read', 'data.records:write', 'schema.bases:read', 'webhook:manage', 'user.email:read'],
    scopeSeparator: ' ',
    refreshTokenRotates: true,
    parseTokenResponse(body, now, previous) {
      const tokens = parseStandardTokenResponse(body, now, previous);
      const seconds = refreshExpiry.safeParse(body).data?.refresh_expires_in;
      // Kept so the health rules and a person can see when the grant runs out unless used.
      if (!seconds) return tokens;
      return { ...tokens, extra: { ...tokens.extra, refreshExpiresAt: new Date(now.getTime() + seconds * 1000).toISOString() } };
    },
  },
  allowedHosts: (host) => AIRTABLE_HOSTS.has(host),
  async identify(client) {
    const user = await currentUser(client);
    return { accountId: user.id, accountLabel: user.email ?? user.id, grantedScopes: user.scopes };
  },
};
