import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionUser } from '@/lib/auth/session-token';
import { connectWithApiKey } from '@/lib/connections/api-key';
import { listConnections, testConnection } from '@/lib/connections/connections';
import { addMember } from '@/lib/workspaces/members';
import { createWorkspace } from '@/lib/workspaces/workspaces';
import { MINDBODY_SANDBOX_KEY } from '../sandbox/providers/mindbody';
import { startSandbox, type Sandbox } from '../sandbox/server';
import { createTestDatabase, createUser, testEngine, type TestDatabase } from '../support/database';

let database: TestDatabase;
let sandbox: Sandbox;
let admin: SessionUser;
let workspaceId: string;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  process.env.PROVIDER_SANDBOX_URL = sandbox.url;
  database = await createTestDatabase();
  admin = await createUser(database, 'admin');
  workspaceId = (await createWorkspace(database.db, admin, 'Studio')).id;
});
afterAll(async () => {
  await database.drop();
  await sandbox.close();
  delete process.env.PROVIDER_SANDBOX_URL;
});

const connect = (fields: Record<string, string>, user = admin) =>
  connectWithApiKey(database.db, user, workspaceId, { provider: 'mindbody', fields });

describe(`API-key connections (${testEngine})`, () => {
  it('validates the fields before calling the provider', async () => {
    await expect(connect({ apiKey: MINDBODY_SANDBOX_KEY, siteId: 'abc' })).rejects.toMatchObject({ status: 400, message: /siteId: Site ID is a number/ });
    await expect(connect({ siteId: '-99' })).rejects.toMatchObject({ status: 400, message: /apiKey/ });
  });

  it('saves nothing when the provider rejects the key or the site', async () => {
    await expect(connect({ apiKey: 'wrong-key-123', siteId: '-99' })).rejects.toMatchObject({ status: 400, message: /Mindbody did not accept these credentials.*401/ });
    await expect(connect({ apiKey: MINDBODY_SANDBOX_KEY, siteId: '777' })).rejects.toMatchObject({ status: 400, message: /InvalidSiteId|not a site/ });
    expect(await listConnections(database.db, admin, workspaceId)).toEqual([]);
  });

  it('connects with a valid key and site, once per site, and the connection test passes', async () => {
    const first = await connect({ apiKey: MINDBODY_SANDBOX_KEY, siteId: '-99' });
    const again = await connect({ apiKey: ` ${MINDBODY_SANDBOX_KEY} `, siteId: '-99' });
    expect(again.connectionId).toBe(first.connectionId);
    const [connection] = await listConnections(database.db, admin, workspaceId);
    expect(connection).toMatchObject({ provider: 'mindbody', status: 'active', accountId: '-99', accountLabel: 'Mindbody Sandbox Studio (site -99)' });
    expect((await testConnection(database.db, admin, workspaceId, first.connectionId)).ok).toBe(true);
  });

  it('is for admins only', async () => {
    const member = await createUser(database, 'member');
    await addMember(database.db, admin, workspaceId, { email: member.email, role: 'member' });
    await expect(connect({ apiKey: MINDBODY_SANDBOX_KEY, siteId: '4242' }, member)).rejects.toMatchObject({ status: 403 });
  });
});
