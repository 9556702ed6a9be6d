// Proves tenant isolation in the database itself, for every table the catalog lists in `public`.
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf, type Tx } from '@/lib/db/engine';
import { asService, asUser } from '@/lib/db/rls';
import type { SessionUser } from '@/lib/auth/session-token';
import { createTestDatabase, createUser, testEngine, type TestDatabase } from '../support/database';
import { ADMIN_WRITABLE_TABLES, fixtures, SERVICE_ONLY_TABLES, type FixtureContext } from './rls-fixtures';

let database: TestDatabase;
let tables: string[];
let adminOfA: SessionUser;
let ownerOfB: SessionUser;
let viewerOfB: SessionUser;
let outsider: SessionUser;
let workspaceB: FixtureContext;

async function seedWorkspace(owner: SessionUser, name: string): Promise<FixtureContext> {
  const workspaceId = crypto.randomUUID();
  const connectionId = crypto.randomUUID();
  const runId = crypto.randomUUID();
  await asService(database.db, async (tx) => {
    await tx.execute(sql`insert into public.workspaces (id, name, created_by) values (${workspaceId}, ${name}, ${owner.userId})`);
    await tx.execute(sql`insert into public.connections (id, workspace_id, provider, display_name, auth_kind)
      values (${connectionId}, ${workspaceId}, 'hubspot', 'HubSpot', 'oauth2')`);
    await tx.execute(sql`insert into public.sync_runs (id, workspace_id, connection_id, trigger, mode)
      values (${runId}, ${workspaceId}, ${connectionId}, 'initial', 'full')`);
  });
  const ctx = { workspaceId, userId: owner.userId, connectionId, runId };
  // One row of every table in this workspace, so every probe below has something to find.
  await asService(database.db, async (tx) => {
    for (const table of tables) {
      if (table === 'workspaces' || table === 'profiles' || table === 'workspace_members') continue;
      if (table === 'connection_credentials') {
        await tx.execute(sql`insert into public.connection_credentials (connection_id, workspace_id, key_id, envelope)
          values (${connectionId}, ${workspaceId}, 'k1', 'v1.secret')`);
        continue;
      }
      await tx.execute(fixtures[table].insert(ctx));
    }
  });
  return ctx;
}

const scopeOf = (table: string, ctx: FixtureContext) =>
  fixtures[table].scope?.(ctx) ?? sql`workspace_id = ${ctx.workspaceId}`;

async function count(tx: Tx, table: string, where = sql`true`): Promise<number> {
  const rows = rowsOf<{ n: number }>(await tx.execute(sql`select count(*)::int as n from ${sql.identifier(table)} where ${where}`));
  return rows[0].n;
}

/** Runs a statement as the user; returns rows affected, or the error code it was refused with. */
async function attempt(user: SessionUser, statement: (tx: Tx) => Promise<unknown>): Promise<number | string> {
  try {
    return await asUser(database.db, { sub: user.userId, email: user.email }, async (tx) => rowsOf(await statement(tx)).length);
  } catch (error) {
    let e: unknown = error;
    while (e && typeof e === 'object' && !('code' in e) && 'cause' in e) e = (e as { cause: unknown }).cause;
    return String((e as { code?: string }).code ?? (e as Error).message);
  }
}

const updateProbe = (table: string, ctx: FixtureContext) => (tx: Tx) => {
  const column = sql.identifier(fixtures[table].column ?? 'workspace_id');
  return tx.execute(sql`update ${sql.identifier(table)} set ${column} = ${column} where ${scopeOf(table, ctx)} returning 1`);
};
const deleteProbe = (table: string, ctx: FixtureContext) => (tx: Tx) =>
  tx.execute(sql`delete from ${sql.identifier(table)} where ${scopeOf(table, ctx)} returning 1`);
const insertProbe = (table: string, ctx: FixtureContext) => (tx: Tx) =>
  tx.execute(sql`${fixtures[table].insert(ctx)} returning 1`);

async function serviceCount(table: string, ctx: FixtureContext) {
  return asService(database.db, (tx) => count(tx, table, scopeOf(table, ctx)));
}

beforeAll(async () => {
  database = await createTestDatabase();
  tables = rowsOf<{ tablename: string }>(
    await database.db.execute(sql`select tablename from pg_tables where schemaname = 'public' order by tablename`),
  ).map((r) => r.tablename);
  adminOfA = await createUser(database, 'admin-a');
  ownerOfB = await createUser(database, 'owner-b');
  viewerOfB = await createUser(database, 'viewer-b');
  outsider = await createUser(database, 'outsider');
  const workspaceA = await seedWorkspace(adminOfA, 'A');
  workspaceB = await seedWorkspace(ownerOfB, 'B');
  await asService(database.db, (tx) =>
    tx.execute(sql`insert into public.workspace_members (workspace_id, user_id, role)
      values (${workspaceB.workspaceId}, ${viewerOfB.userId}, 'viewer')`),
  );
  expect(workspaceA.workspaceId).not.toBe(workspaceB.workspaceId);
});
afterAll(() => database.drop());

describe(`row level security (${testEngine})`, () => {
  it('knows every table in public', () => {
    expect(tables.length).toBeGreaterThanOrEqual(14);
    const missing = tables.filter((t) => !fixtures[t]);
    expect(missing, 'add a fixture in tests/integration/rls-fixtures.ts for each new table').toEqual([]);
  });

  it('has RLS enabled and at least one policy on every table, except the service-only ones', async () => {
    const rows = rowsOf<{ table: string; rls: boolean; policies: number }>(
      await database.db.execute(sql`
        select c.relname as table, c.relrowsecurity as rls,
               (select count(*)::int from pg_policies p where p.schemaname = 'public' and p.tablename = c.relname) as policies
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind = 'r' order by 1`),
    );
    for (const row of rows) {
      expect(row.rls, `RLS on ${row.table}`).toBe(true);
      if (SERVICE_ONLY_TABLES.includes(row.table)) expect(row.policies, `policies on ${row.table}`).toBe(0);
      else expect(row.policies, `policies on ${row.table}`).toBeGreaterThan(0);
    }
  });

  it('gives the browser roles no privilege at all on credentials and OAuth state', async () => {
    for (const table of SERVICE_ONLY_TABLES) {
      for (const role of ['anon', 'authenticated']) {
        for (const privilege of ['select', 'insert', 'update', 'delete']) {
          const [{ allowed }] = rowsOf<{ allowed: boolean }>(
            await database.db.execute(sql`select has_table_privilege(${role}, ${`public.${table}`}, ${privilege}) as allowed`),
          );
          expect(allowed, `${role} ${privilege} on ${table}`).toBe(false);
        }
      }
      expect(await attempt(ownerOfB, (tx) => tx.execute(sql`select * from ${sql.identifier(table)}`))).toBe('42501');
    }
  });

  it('lets members read their own workspace (the probes below are not vacuous)', async () => {
    for (const table of tables.filter((t) => !SERVICE_ONLY_TABLES.includes(t))) {
      const seen = await asUser(database.db, { sub: viewerOfB.userId, email: viewerOfB.email }, (tx) =>
        count(tx, table, scopeOf(table, workspaceB)),
      );
      expect(seen, `viewer of B reads ${table}`).toBeGreaterThan(0);
    }
  });

  it('hides every row of workspace B from a member of workspace A', async () => {
    for (const table of tables) {
      const seen = await attempt(adminOfA, async (tx) => [...Array(await count(tx, table, scopeOf(table, workspaceB)))]);
      expect(seen === 0 || seen === '42501', `admin of A reads ${table} of B: ${seen}`).toBe(true);
    }
  });

  it('refuses inserts, updates and deletes into workspace B from a member of workspace A', async () => {
    for (const table of tables) {
      const before = await serviceCount(table, workspaceB);
      const inserted = await attempt(adminOfA, insertProbe(table, workspaceB));
      expect(typeof inserted, `admin of A inserts into ${table} of B: ${inserted}`).toBe('string');
      for (const probe of [updateProbe, deleteProbe]) {
        const affected = await attempt(adminOfA, probe(table, workspaceB));
        expect(affected === 0 || affected === '42501', `admin of A ${probe.name} ${table} of B: ${affected}`).toBe(true);
      }
      expect(await serviceCount(table, workspaceB), `${table} of B unchanged`).toBe(before);
    }
  });

  it('refuses every write from a viewer of the same workspace', async () => {
    for (const table of tables) {
      const before = await serviceCount(table, workspaceB);
      const inserted = await attempt(viewerOfB, insertProbe(table, workspaceB));
      expect(typeof inserted, `viewer inserts into ${table}: ${inserted}`).toBe('string');
      for (const probe of [updateProbe, deleteProbe]) {
        const affected = await attempt(viewerOfB, probe(table, workspaceB));
        expect(affected === 0 || affected === '42501', `viewer ${probe.name} ${table}: ${affected}`).toBe(true);
      }
      expect(await serviceCount(table, workspaceB), `${table} of B unchanged`).toBe(before);
    }
  });

  it('lets the owner write the admin-writable tables (positive control)', async () => {
    for (const table of ADMIN_WRITABLE_TABLES) {
      const affected = await attempt(ownerOfB, updateProbe(table, workspaceB));
      expect(affected, `owner updates ${table}`).toBeGreaterThan(0);
    }
  });

  it('shows an outsider nothing but their own profile', async () => {
    for (const table of tables) {
      const seen = await attempt(outsider, async (tx) => [...Array(await count(tx, table))]);
      const expected = table === 'profiles' ? 1 : 0;
      expect(seen === expected || seen === '42501', `outsider reads ${table}: ${seen}`).toBe(true);
    }
  });

  it('shows anonymous requests nothing', async () => {
    for (const table of tables) {
      const result = await database.db
        .transaction(async (tx) => {
          await tx.execute(sql`set local role anon`);
          return count(tx, table);
        })
        .catch((error: unknown) => error);
      expect(typeof result === 'number' ? result : 'refused', `anon reads ${table}`).toSatisfy(
        (v: unknown) => v === 0 || v === 'refused',
      );
    }
  });
});
