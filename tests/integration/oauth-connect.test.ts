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
import { authorizeAtSandbox, connectViaSandbox, finish } from '../support/connect';
import { createUser, testEngine } from '../support/database';
import { sandboxSuite } from '../support/sandbox-suite';

const suite = sandboxSuite();

let workspaceId: string;

beforeAll(async () => {
  workspaceId = (await createWorkspace(suite.database.db, suite.admin, 'Connect')).id;
});

const connectionRow = async (id: string) =>
  (await asService(suite.database.db, (tx) => tx.select().from(connections).where(eq(connections.id, id))))[0];

const expectedAccounts: Record<string, string> = {
  'google-calendar': 'ada@sandbox.example',
  salesforce: '00DSBX0000000001',
  hubspot: '4242001',
  square: 'MLSBX0000000001',
  fresha: 'fresha-sbx-0001',
};

describe(`connecting providers through the sandbox (${testEngine})`, () => {
  it.each(Object.entries(expectedAccounts))('connects %s end to end and stores the account identity', async (providerId, accountId) => {
    const outcome = await connectViaSandbox(suite.database.db, suite.admin, workspaceId, providerId);
    expect(outcome.status).toBe('active');
    const row = await connectionRow(outcome.connectionId);
    expect(row).toMatchObject({ provider: providerId, status: 'active', accountId, workspaceId });
    expect(row.settings).toMatchObject({ environment: 'sandbox' });
    const stored = await asService(suite.database.db, (tx) => loadCredentials(tx, outcome.connectionId));
    expect(stored?.tokens.accessToken).toMatch(/^sbx_at_/);
    expect(suite.sandbox.stats().tokenRequests[providerId as 'hubspot'].authorization_code).toBe(1);
  });

  it('updates the existing connection when the same account connects again', async () => {
    const first = await connectViaSandbox(suite.database.db, suite.admin, workspaceId, 'hubspot');
    const second = await connectViaSandbox(suite.database.db, suite.admin, workspaceId, 'hubspot');
    expect(second.connectionId).toBe(first.connectionId);
    const rows = await asService(suite.database.db, (tx) =>
      tx.select().from(connections).where(and(eq(connections.workspaceId, workspaceId), eq(connections.provider, 'hubspot'))),
    );
    expect(rows).toHaveLength(1);
  });

  it('reconnects an existing connection in place', async () => {
    const first = await connectViaSandbox(suite.database.db, suite.admin, workspaceId, 'salesforce');
    const again = await connectViaSandbox(suite.database.db, suite.admin, workspaceId, 'salesforce', first.connectionId);
    expect(again.connectionId).toBe(first.connectionId);
    const log = await listActivity(suite.database.db, suite.admin, workspaceId, { action: 'connection.reconnected', page: 1, pageSize: 5 });
    expect(log.total).toBeGreaterThan(0);
  });

  it('rejects a replayed state', async () => {
    const handshake = await authorizeAtSandbox(suite.database.db, suite.admin, workspaceId, 'hubspot');
    expect((await finish(suite.database.db, suite.admin, 'hubspot', handshake)).ok).toBe(true);
    expect(await finish(suite.database.db, suite.admin, 'hubspot', handshake)).toMatchObject({ ok: false, reason: 'state_reused', workspaceId });
  });

  it('rejects a state started by another user, from their workspace, and connects nothing', async () => {
    const attacker = await createUser(suite.database, 'attacker');
    const attackerWorkspace = (await createWorkspace(suite.database.db, attacker, 'Attacker')).id;
    const handshake = await authorizeAtSandbox(suite.database.db, attacker, attackerWorkspace, 'square');
    const before = await asService(suite.database.db, (tx) => tx.select().from(connections).where(eq(connections.provider, 'square')));
    const outcome = await finish(suite.database.db, suite.admin, 'square', handshake);
    expect(outcome).toMatchObject({ ok: false, reason: 'state_other_user' });
    const after = await asService(suite.database.db, (tx) => tx.select().from(connections).where(eq(connections.provider, 'square')));
    expect(after).toHaveLength(before.length);
  });

  it('rejects a state whose workspace the user no longer administers', async () => {
    const owner = await createUser(suite.database, 'owner');
    const other = (await createWorkspace(suite.database.db, owner, 'Other')).id;
    const colleague = await createUser(suite.database, 'colleague');
    await addMember(suite.database.db, owner, other, { email: colleague.email, role: 'admin' });
    const handshake = await authorizeAtSandbox(suite.database.db, colleague, other, 'hubspot');
    await asService(suite.database.db, (tx) =>
      tx.execute(sql`update public.workspace_members set role = 'viewer' where user_id = ${colleague.userId}`),
    );
    expect(await finish(suite.database.db, colleague, 'hubspot', handshake)).toMatchObject({ ok: false, reason: 'workspace_access' });
  });

  it('rejects a callback from a browser that did not start the handshake', async () => {
    const handshake = await authorizeAtSandbox(suite.database.db, suite.admin, workspaceId, 'hubspot');
    expect(await finish(suite.database.db, suite.admin, 'hubspot', handshake, [])).toMatchObject({ ok: false, reason: 'state_other_browser' });
  });

  it('rejects an expired state, a state for another provider, and a missing state', async () => {
    const late = await authorizeAtSandbox(suite.database.db, suite.admin, workspaceId, 'hubspot');
    await asService(suite.database.db, (tx) => tx.update(oauthStates).set({ expiresAt: new Date(Date.now() - 1000) }));
    expect(await finish(suite.database.db, suite.admin, 'hubspot', late)).toMatchObject({ ok: false, reason: 'state_expired' });

    const crossed = await authorizeAtSandbox(suite.database.db, suite.admin, workspaceId, 'hubspot');
    expect(await finish(suite.database.db, suite.admin, 'fresha', crossed)).toMatchObject({ ok: false, reason: 'state_mismatch' });

    const bare = { callbackQuery: new URLSearchParams({ code: 'x' }), stateCookie: 'none' };
    expect(await finish(suite.database.db, suite.admin, 'hubspot', bare)).toMatchObject({ ok: false, reason: 'missing_state' });
  });

  it('reports a denial at the provider and logs it', async () => {
    const handshake = await authorizeAtSandbox(suite.database.db, suite.admin, workspaceId, 'google-calendar');
    handshake.callbackQuery.delete('code');
    handshake.callbackQuery.set('error', 'access_denied');
    expect(await finish(suite.database.db, suite.admin, 'google-calendar', handshake)).toMatchObject({ ok: false, reason: 'access_denied', workspaceId });
    const log = await listActivity(suite.database.db, suite.admin, workspaceId, { action: 'connection.authorization_denied', page: 1, pageSize: 5 });
    expect(log.entries[0].details).toMatchObject({ provider: 'google-calendar', reason: 'access_denied' });
  });

  it('reports a failed code exchange', async () => {
    const handshake = await authorizeAtSandbox(suite.database.db, suite.admin, workspaceId, 'fresha');
    suite.sandbox.knobs.failNextToken = { fresha: 'invalid_grant' };
    const outcome = await finish(suite.database.db, suite.admin, 'fresha', handshake);
    expect(outcome).toMatchObject({ ok: false, reason: 'exchange_failed' });
    expect(outcome.ok === false && outcome.detail).toMatch(/invalid_grant/);
  });

  it('stores the connection as error with the reason when the connection test fails', async () => {
    suite.sandbox.knobs.identityStatus = { 'google-calendar': 500 };
    const outcome = await connectViaSandbox(suite.database.db, suite.admin, workspaceId, 'google-calendar');
    expect(outcome.status).toBe('error');
    expect((await connectionRow(outcome.connectionId)).statusReason).toMatch(/Connection test failed: the provider answered 500/);
  });

  it('disconnects: revokes at the provider, deletes credentials, keeps the connection and its history', async () => {
    const { connectionId } = await connectViaSandbox(suite.database.db, suite.admin, workspaceId, 'square');
    const result = await disconnectConnection(suite.database.db, suite.admin, workspaceId, connectionId);
    expect(result.revocation).toBe('revoked');
    expect(suite.sandbox.stats().revocations.square).toBe(1);
    expect(result.connection.status).toBe('disconnected');
    const creds = await asService(suite.database.db, (tx) =>
      tx.select().from(connectionCredentials).where(eq(connectionCredentials.connectionId, connectionId)),
    );
    expect(creds).toEqual([]);
    await expect(testConnection(suite.database.db, suite.admin, workspaceId, connectionId)).rejects.toMatchObject({ status: 409, code: 'conflict' });
  });

  it('never stores a token in plaintext anywhere in the database', async () => {
    const secrets: string[] = [];
    for (const providerId of Object.keys(expectedAccounts)) {
      const { connectionId } = await connectViaSandbox(suite.database.db, suite.admin, workspaceId, providerId);
      const stored = await asService(suite.database.db, (tx) => loadCredentials(tx, connectionId));
      secrets.push(stored!.tokens.accessToken, ...(stored!.tokens.refreshToken ? [stored!.tokens.refreshToken] : []));
    }
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
    expect(secrets.length).toBeGreaterThanOrEqual(9);
    for (const secret of secrets) expect(dump.includes(secret), 'a token appears in plaintext').toBe(false);
  });
});
