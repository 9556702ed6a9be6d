// The whole connect path against the provider sandbox: handshake, code exchange, connection
// test, storage, and everything that must be refused along the way.
import { and, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { listActivity } from '@/lib/activity/activity';
import { disconnectConnection, testConnection } from '@/lib/connections/connections';
import { loadCredentials } from '@/lib/connections/credential-store';
import { rowsOf } from '@/lib/db/engine';
import { asService } from '@/lib/db/rls';
import { connectionCredentials, connections, oauthStates } from '@/lib/db/schema';
import { addMemberAndAccept as addMember } from '../support/members';
import { createWorkspace } from '@/lib/workspaces/workspaces';
import { issuedTokens } from '../sandbox/handles';
import { authorizeAtSandbox, connectViaSandbox, finish } from '../support/connect';
import { createUser, testEngine } from '../support/database';
import { exampleProvider, exampleProviders } from '../support/providers';
import { sandboxSuite } from '../support/sandbox-suite';
import type { ProviderId } from '../sandbox/server';

const suite = sandboxSuite();

let workspaceId: string;

beforeAll(async () => {
  workspaceId = (await createWorkspace(suite.database.db, suite.admin, 'Connect')).id;
});

const connectionRow = async (id: string) =>
  (await asService(suite.database.db, (tx) => tx.select().from(connections).where(eq(connections.id, id))))[0];

// Every OAuth provider, and the account its sandbox connects by default (what identify() reports).
const oauthProviders = exampleProviders({ auth: 'oauth2' });
const expectedAccounts: Record<string, string> = Object.fromEntries(oauthProviders.map((p) => [p.id, p.accounts[0].id]));
// Two of them, for the flows any OAuth provider goes through (and a state crossing between two).
const [a, b] = oauthProviders;

describe(`connecting providers through the sandbox (${testEngine})`, () => {
  it.each(Object.entries(expectedAccounts))('connects %s end to end and stores the account identity', async (providerId, accountId) => {
    const outcome = await connectViaSandbox(suite.database.db, suite.admin, workspaceId, providerId);
    expect(outcome.status).toBe('active');
    const row = await connectionRow(outcome.connectionId);
    expect(row).toMatchObject({ provider: providerId, status: 'active', accountId, workspaceId });
    expect(row.settings).toMatchObject({ environment: 'sandbox' });
    const stored = await asService(suite.database.db, (tx) => loadCredentials(tx, outcome.connectionId));
    expect(stored?.tokens.accessToken).toMatch(/^sbx_at_/);
    expect(suite.sandbox.stats().tokenRequests[providerId as ProviderId].authorization_code).toBe(1);
  });

  it('updates the existing connection when the same account connects again', async () => {
    const first = await connectViaSandbox(suite.database.db, suite.admin, workspaceId, a.id);
    const second = await connectViaSandbox(suite.database.db, suite.admin, workspaceId, a.id);
    expect(second.connectionId).toBe(first.connectionId);
    const rows = await asService(suite.database.db, (tx) =>
      tx.select().from(connections).where(and(eq(connections.workspaceId, workspaceId), eq(connections.provider, a.id))),
    );
    expect(rows).toHaveLength(1);
  });

  it('reconnects an existing connection in place', async () => {
    const first = await connectViaSandbox(suite.database.db, suite.admin, workspaceId, b.id);
    const again = await connectViaSandbox(suite.database.db, suite.admin, workspaceId, b.id, first.connectionId);
    expect(again.connectionId).toBe(first.connectionId);
    const log = await listActivity(suite.database.db, suite.admin, workspaceId, { action: 'connection.reconnected', pageSize: 5 });
    expect(log.total).toBeGreaterThan(0);
  });

  it('rejects a replayed state', async () => {
    const handshake = await authorizeAtSandbox(suite.database.db, suite.admin, workspaceId, a.id);
    expect((await finish(suite.database.db, suite.admin, a.id, handshake)).ok).toBe(true);
    expect(await finish(suite.database.db, suite.admin, a.id, handshake)).toMatchObject({ ok: false, reason: 'state_reused', workspaceId });
  });

  it('rejects a state started by another user, from their workspace, and connects nothing', async () => {
    const attacker = await createUser(suite.database, 'attacker');
    const attackerWorkspace = (await createWorkspace(suite.database.db, attacker, 'Attacker')).id;
    const handshake = await authorizeAtSandbox(suite.database.db, attacker, attackerWorkspace, b.id);
    const before = await asService(suite.database.db, (tx) => tx.select().from(connections).where(eq(connections.provider, b.id)));
    const outcome = await finish(suite.database.db, suite.admin, b.id, handshake);
    expect(outcome).toMatchObject({ ok: false, reason: 'state_other_user' });
    const after = await asService(suite.database.db, (tx) => tx.select().from(connections).where(eq(connections.provider, b.id)));
    expect(after).toHaveLength(before.length);
  });

  it('rejects a state whose workspace the user no longer administers', async () => {
    const owner = await createUser(suite.database, 'owner');
    const other = (await createWorkspace(suite.database.db, owner, 'Other')).id;
    const colleague = await createUser(suite.database, 'colleague');
    await addMember(suite.database.db, owner, other, { email: colleague.email, role: 'admin' });
    const handshake = await authorizeAtSandbox(suite.database.db, colleague, other, a.id);
    await asService(suite.database.db, (tx) =>
      tx.execute(sql`update public.workspace_members set role = 'viewer' where user_id = ${colleague.userId}`),
    );
    expect(await finish(suite.database.db, colleague, a.id, handshake)).toMatchObject({ ok: false, reason: 'workspace_access' });
  });

  it('rejects a callback from a browser that did not start the handshake', async () => {
    const handshake = await authorizeAtSandbox(suite.database.db, suite.admin, workspaceId, a.id);
    expect(await finish(suite.database.db, suite.admin, a.id, handshake, [])).toMatchObject({ ok: false, reason: 'state_other_browser' });
  });

  it('rejects an expired state, a state for another provider, and a missing state', async () => {
    const late = await authorizeAtSandbox(suite.database.db, suite.admin, workspaceId, a.id);
    await asService(suite.database.db, (tx) => tx.update(oauthStates).set({ expiresAt: new Date(Date.now() - 1000) }));
    expect(await finish(suite.database.db, suite.admin, a.id, late)).toMatchObject({ ok: false, reason: 'state_expired' });

    const crossed = await authorizeAtSandbox(suite.database.db, suite.admin, workspaceId, a.id);
    expect(await finish(suite.database.db, suite.admin, b.id, crossed)).toMatchObject({ ok: false, reason: 'state_mismatch' });

    const bare = { callbackQuery: new URLSearchParams({ code: 'x' }), stateCookie: 'none' };
    expect(await finish(suite.database.db, suite.admin, a.id, bare)).toMatchObject({ ok: false, reason: 'missing_state' });
  });

  it('reports a denial at the provider and logs it', async () => {
    const handshake = await authorizeAtSandbox(suite.database.db, suite.admin, workspaceId, b.id);
    handshake.callbackQuery.delete('code');
    handshake.callbackQuery.set('error', 'access_denied');
    expect(await finish(suite.database.db, suite.admin, b.id, handshake)).toMatchObject({ ok: false, reason: 'access_denied', workspaceId });
    const log = await listActivity(suite.database.db, suite.admin, workspaceId, { action: 'connection.authorization_denied', pageSize: 5 });
    expect(log.entries[0].details).toMatchObject({ provider: b.id, reason: 'access_denied' });
  });

  it('reports a failed code exchange', async () => {
    const handshake = await authorizeAtSandbox(suite.database.db, suite.admin, workspaceId, a.id);
    suite.sandbox.knobs.failNextToken = { [a.id]: 'invalid_grant' };
    const outcome = await finish(suite.database.db, suite.admin, a.id, handshake);
    expect(outcome).toMatchObject({ ok: false, reason: 'exchange_failed' });
    expect(outcome.ok === false && outcome.detail).toMatch(/invalid_grant/);
  });

  it('stores the connection as error with the reason when the connection test fails', async () => {
    suite.sandbox.knobs.identityStatus = { [b.id]: 500 };
    const outcome = await connectViaSandbox(suite.database.db, suite.admin, workspaceId, b.id);
    expect(outcome.status).toBe('error');
    expect((await connectionRow(outcome.connectionId)).statusReason).toMatch(/Connection test failed: the provider answered 500/);
  });

  it('disconnects: revokes at the provider, deletes credentials, keeps the connection and its history', async () => {
    const revoking = exampleProvider({ auth: 'oauth2', revokes: true });
    const { connectionId } = await connectViaSandbox(suite.database.db, suite.admin, workspaceId, revoking.id);
    const result = await disconnectConnection(suite.database.db, suite.admin, workspaceId, connectionId);
    expect(result.revocation).toBe('revoked');
    expect(suite.sandbox.stats().revocations[revoking.id]).toBe(1);
    expect(result.connection.status).toBe('disconnected');
    const creds = await asService(suite.database.db, (tx) =>
      tx.select().from(connectionCredentials).where(eq(connectionCredentials.connectionId, connectionId)),
    );
    expect(creds).toEqual([]);
    await expect(testConnection(suite.database.db, suite.admin, workspaceId, connectionId)).rejects.toMatchObject({ status: 409, code: 'conflict' });
  });

  it('never stores a token in plaintext anywhere in the database', async () => {
    const kept: Record<string, string[]> = {};
    for (const providerId of Object.keys(expectedAccounts)) {
      const { connectionId } = await connectViaSandbox(suite.database.db, suite.admin, workspaceId, providerId);
      const stored = await asService(suite.database.db, (tx) => loadCredentials(tx, connectionId));
      kept[providerId] = [stored!.tokens.accessToken, ...(stored!.tokens.refreshToken ? [stored!.tokens.refreshToken] : [])];
    }
    // Every token the providers issued for these connects (the sandbox was reset before this test):
    // an access token each, and a refresh token from those that issue one. The app keeps exactly
    // those, so the scan below covers each provider's every stored token, whatever kinds it issues.
    const issued = issuedTokens(suite.sandbox);
    for (const providerId of Object.keys(expectedAccounts)) {
      const own = issued.filter((token) => token.provider === providerId);
      expect(own.filter((token) => token.kind === 'access'), `${providerId} issued one access token`).toHaveLength(1);
      expect([...kept[providerId]].sort(), `${providerId}: what is stored is what was issued`).toEqual(own.map((token) => token.token).sort());
    }
    const secrets = issued.map((token) => token.token);
    const tables = rowsOf<{ schema: string; name: string }>(
      await suite.database.db.execute(sql`select schemaname as schema, tablename as name from pg_tables
        where schemaname in ('public', 'auth', 'app_private', 'supabase_migrations')`),
    );
    let dump = '';
    for (const table of tables) {
      const rows = await suite.database.db.execute(sql`select row_to_json(t)::text as j from ${sql.identifier(table.schema)}.${sql.identifier(table.name)} t`);
      dump += rowsOf<{ j: string }>(rows).map((r) => r.j).join('\n');
    }
    expect(dump.length).toBeGreaterThan(1000);
    for (const secret of secrets) expect(dump.includes(secret), 'a token appears in plaintext').toBe(false);
  });
});
