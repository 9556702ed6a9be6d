// Acuity's second way in: the account's user id and API key (HTTP Basic), tried against GET /me
// before anything is saved; a wrong key is refused and saves nothing; the connection is an API-key
// connection (no refresh, no scopes), reads with Basic auth, and the OAuth client plays no part.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { connectWithApiKey } from '@/lib/connections/api-key';
import { testConnection } from '@/lib/connections/connections';
import { asService } from '@/lib/db/rls';
import { connections } from '@/lib/db/schema';
import { catalogEntry } from '@/lib/providers/catalog';
import { findProvider } from '@/lib/providers/registry';
import { createWorkspace } from '@/lib/workspaces/workspaces';
import { testEngine } from '@/tests/support/database';
import { sandboxSuite } from '@/tests/support/sandbox-suite';
import { PROFILE } from './accounts';

const suite = sandboxSuite();

describe(`Acuity API-key connections (${testEngine})`, () => {
  it('the catalog offers OAuth and the API-key form', () => {
    const entry = catalogEntry(findProvider('acuity')!);
    expect(entry.authKind).toBe('oauth2');
    expect(entry.apiKeyFields.map((f) => [f.name, f.secret])).toEqual([
      ['userId', false],
      ['apiKey', true],
    ]);
  });

  it('connects with a user id and API key after GET /me accepts them, and refuses a wrong key', async () => {
    const workspaceId = (await createWorkspace(suite.database.db, suite.admin, 'Acuity key')).id;
    const account = PROFILE.accounts[1];
    const before = suite.sandbox.stats();
    await expect(
      connectWithApiKey(suite.database.db, suite.admin, workspaceId, { provider: 'acuity', fields: { userId: account.id, apiKey: `${account.apiKey}-wrong` } }),
    ).rejects.toMatchObject({ code: 'credentials_rejected' });
    await expect(connectWithApiKey(suite.database.db, suite.admin, workspaceId, { provider: 'acuity', fields: { userId: 'abc', apiKey: account.apiKey } })).rejects.toMatchObject({
      code: 'validation_failed',
    });
    const none = await asService(suite.database.db, (tx) => tx.select().from(connections).where(eq(connections.workspaceId, workspaceId)));
    expect(none).toHaveLength(0);

    const { connectionId, status } = await connectWithApiKey(suite.database.db, suite.admin, workspaceId, { provider: 'acuity', fields: { userId: account.id, apiKey: account.apiKey } });
    expect(status).toBe('active');
    const [row] = await asService(suite.database.db, (tx) => tx.select().from(connections).where(eq(connections.id, connectionId)));
    expect(row).toMatchObject({ provider: 'acuity', authKind: 'api_key', accountId: account.id, scopes: [] });
    // No OAuth happened.
    expect(suite.sandbox.stats().tokenRequests.acuity).toEqual(before.tokenRequests.acuity);
    expect((await testConnection(suite.database.db, suite.admin, workspaceId, connectionId)).ok).toBe(true);
  });
});
