// Mindbody, the API-key provider: connecting with its key and site id, validated against the site.
// (Moved from tests/integration/api-key-connect.test.ts: Mindbody is the provider that connects by API key.)
import { beforeAll, describe, expect, it } from 'vitest';
import { connectWithApiKey } from '@/lib/connections/api-key';
import { listConnections, testConnection } from '@/lib/connections/connections';
import { addMemberAndAccept as addMember } from '@/tests/support/members';
import { createWorkspace } from '@/lib/workspaces/workspaces';
import { MINDBODY_SANDBOX_KEY } from './api';
import { createUser, testEngine } from '@/tests/support/database';
import { sandboxSuite } from '@/tests/support/sandbox-suite';

const suite = sandboxSuite();

let workspaceId: string;

beforeAll(async () => {
  workspaceId = (await createWorkspace(suite.database.db, suite.admin, 'Studio')).id;
});

const connect = (fields: Record<string, string>, user = suite.admin) =>
  connectWithApiKey(suite.database.db, user, workspaceId, { provider: 'mindbody', fields });

describe(`API-key connections (${testEngine})`, () => {
  it('validates the fields before calling the provider', async () => {
    await expect(connect({ apiKey: MINDBODY_SANDBOX_KEY, siteId: 'abc' })).rejects.toMatchObject({ status: 400, message: /siteId: Site ID is a number/ });
    await expect(connect({ siteId: '-99' })).rejects.toMatchObject({ status: 400, code: 'validation_failed', message: /apiKey/ });
  });

  it('saves nothing when the provider rejects the key or the site', async () => {
    await expect(connect({ apiKey: 'wrong-key-123', siteId: '-99' })).rejects.toMatchObject({ status: 400, code: 'credentials_rejected', message: /Mindbody did not accept these credentials.*401/ });
    await expect(connect({ apiKey: MINDBODY_SANDBOX_KEY, siteId: '777' })).rejects.toMatchObject({ status: 400, message: /InvalidSiteId|not a site/ });
    expect(await listConnections(suite.database.db, suite.admin, workspaceId)).toEqual([]);
  });

  it('connects with a valid key and site, once per site, and the connection test passes', async () => {
    const first = await connect({ apiKey: MINDBODY_SANDBOX_KEY, siteId: '-99' });
    const again = await connect({ apiKey: ` ${MINDBODY_SANDBOX_KEY} `, siteId: '-99' });
    expect(again.connectionId).toBe(first.connectionId);
    const [connection] = await listConnections(suite.database.db, suite.admin, workspaceId);
    expect(connection).toMatchObject({ provider: 'mindbody', status: 'active', accountId: '-99', accountLabel: 'Mindbody Sandbox Studio (site -99)' });
    expect((await testConnection(suite.database.db, suite.admin, workspaceId, first.connectionId)).ok).toBe(true);
  });

  it('is for admins only', async () => {
    const member = await createUser(suite.database, 'member');
    await addMember(suite.database.db, suite.admin, workspaceId, { email: member.email, role: 'member' });
    await expect(connect({ apiKey: MINDBODY_SANDBOX_KEY, siteId: '4242' }, member)).rejects.toMatchObject({ status: 403 });
  });
});
