// Refresh before expiry and on 401, single-flight per connection (the credentials row lock),
// rotation kept atomic, dead grants moved to needs_reauth, provider outages kept temporary.
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCredentials } from '@/lib/connections/credential-store';
import { providerClientFor } from '@/lib/connections/provider-access';
import { asService } from '@/lib/db/rls';
import { connectionCredentials, connections } from '@/lib/db/schema';
import { ReauthorizationRequiredError, TemporaryProviderError } from '@/lib/providers/errors';
import { createWorkspace } from '@/lib/workspaces/workspaces';
import { connectViaSandbox } from '../support/connect';
import { testEngine } from '../support/database';
import { exampleProvider, exampleProviders } from '../support/providers';
import { sandboxSuite } from '../support/sandbox-suite';

const suite = sandboxSuite();

// Any OAuth provider; one whose refresh answers leave the refresh token alone; and one that
// rotates it (where none is registered, the sandbox makes one rotate: the app treats all alike).
const oauth = exampleProvider({ auth: 'oauth2' });
const keeping = exampleProvider({ auth: 'oauth2', refreshRotates: false });
const rotating = exampleProviders({ auth: 'oauth2', refreshRotates: true })[0] ?? oauth;

let workspaceId: string;

beforeAll(async () => {
  workspaceId = (await createWorkspace(suite.database.db, suite.admin, 'Refresh')).id;
});

async function expireAccessToken(connectionId: string) {
  await asService(suite.database.db, (tx) =>
    tx.update(connectionCredentials).set({ expiresAt: new Date(Date.now() - 60_000) }).where(eq(connectionCredentials.connectionId, connectionId)),
  );
}
const tokensOf = async (connectionId: string) => (await asService(suite.database.db, (tx) => loadCredentials(tx, connectionId)))!.tokens;
const statusOf = async (connectionId: string) =>
  (await asService(suite.database.db, (tx) => tx.select().from(connections).where(eq(connections.id, connectionId))))[0];

describe(`token refresh (${testEngine})`, () => {
  it('uses a fresh token as is', async () => {
    const { connectionId } = await connectViaSandbox(suite.database.db, suite.admin, workspaceId, oauth.id);
    const before = await tokensOf(connectionId);
    const client = await providerClientFor(suite.database.db, connectionId);
    expect(client.tokens.accessToken).toBe(before.accessToken);
    expect(suite.sandbox.stats().tokenRequests[oauth.id].refresh_token).toBe(0);
  });

  it('refreshes ahead of expiry and keeps a non-rotating provider’s refresh token', async () => {
    const { connectionId } = await connectViaSandbox(suite.database.db, suite.admin, workspaceId, keeping.id);
    const before = await tokensOf(connectionId);
    await expireAccessToken(connectionId);
    const client = await providerClientFor(suite.database.db, connectionId);
    expect(client.tokens.accessToken).not.toBe(before.accessToken);
    expect((await tokensOf(connectionId)).refreshToken).toBe(before.refreshToken);
    expect(suite.sandbox.stats().tokenRequests[keeping.id].refresh_token).toBe(1);
  });

  it('refreshes a rotating token exactly once when two callers race, and stores the new refresh token', async () => {
    suite.sandbox.setKnobs({ rotateRefreshTokens: { [rotating.id]: true } });
    const { connectionId } = await connectViaSandbox(suite.database.db, suite.admin, workspaceId, rotating.id);
    const before = await tokensOf(connectionId);
    await expireAccessToken(connectionId);
    suite.sandbox.knobs.tokenDelayMs = 150;
    const clients = await Promise.all([0, 1, 2].map(() => providerClientFor(suite.database.db, connectionId)));
    expect(suite.sandbox.stats().tokenRequests[rotating.id].refresh_token).toBe(1);
    expect(new Set(clients.map((c) => c.tokens.accessToken)).size).toBe(1);
    const after = await tokensOf(connectionId);
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(after.accessToken).toBe(clients[0].tokens.accessToken);
    // The rotated-out refresh token is dead at the provider; the stored one still works.
    await expireAccessToken(connectionId);
    await providerClientFor(suite.database.db, connectionId);
    expect(suite.sandbox.stats().tokenRequests[rotating.id].refresh_token).toBe(2);
  });

  it('moves the connection to needs_reauth on invalid_grant and stops', async () => {
    const { connectionId } = await connectViaSandbox(suite.database.db, suite.admin, workspaceId, oauth.id);
    await expireAccessToken(connectionId);
    suite.sandbox.knobs.failNextToken = { [oauth.id]: 'invalid_grant' };
    await expect(providerClientFor(suite.database.db, connectionId)).rejects.toBeInstanceOf(ReauthorizationRequiredError);
    expect(await statusOf(connectionId)).toMatchObject({ status: 'needs_reauth' });
    expect((await statusOf(connectionId)).statusReason).toMatch(/invalid_grant/);
  });

  it('treats a provider outage as temporary and leaves the connection alone', async () => {
    const { connectionId } = await connectViaSandbox(suite.database.db, suite.admin, workspaceId, oauth.id);
    await expireAccessToken(connectionId);
    suite.sandbox.knobs.failNextToken = { [oauth.id]: 'server_error' };
    await expect(providerClientFor(suite.database.db, connectionId)).rejects.toBeInstanceOf(TemporaryProviderError);
    expect(await statusOf(connectionId)).toMatchObject({ status: 'active' });
    const [row] = await asService(suite.database.db, (tx) =>
      tx.select().from(connectionCredentials).where(eq(connectionCredentials.connectionId, connectionId)),
    );
    expect(row.refreshFailures).toBe(1);
    const client = await providerClientFor(suite.database.db, connectionId);
    expect(client.tokens.accessToken).toMatch(new RegExp(`^sbx_at_${oauth.id}_`));
  });
});
