// Proves tenant isolation in the database itself, for every table the catalog lists in `public`.
import crypto from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf, type Tx } from '@/lib/db/engine';
import { asService, asUser } from '@/lib/db/rls';
import type { SessionUser } from '@/lib/auth/session-token';
import { createTestDatabase, createUser, testEngine, type TestDatabase } from '../support/database';
import {
  ADMIN_READ_TABLES,
  OWN_ROW_TABLES,
  ADMIN_WRITES,
  AUTHENTICATED_GRANTS,
  fixtures,
  grantsQuery,
  SERVICE_ONLY_TABLES,
  type FixtureContext,
} from './rls-fixtures';

let database: TestDatabase;
let tables: string[];
let adminOfA: SessionUser;
let ownerOfB: SessionUser;
let viewerOfB: SessionUser;
let outsider: SessionUser;
let workspaceA: FixtureContext;
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
    return codeOf(error);
  }
}

/** Runs a statement on the service path (no RLS); returns rows affected, or the error code. */
async function serviceAttempt(statement: SQL): Promise<number | string> {
  try {
    return await asService(database.db, async (tx) => rowsOf(await tx.execute(statement)).length);
  } catch (error) {
    return codeOf(error);
  }
}

function codeOf(error: unknown): string {
  let e: unknown = error;
  while (e && typeof e === 'object' && !('code' in e) && 'cause' in e) e = (e as { cause: unknown }).cause;
  return String((e as { code?: string }).code ?? (e as Error).message);
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
  workspaceA = await seedWorkspace(adminOfA, 'A');
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
      const seenBy = (user: SessionUser) =>
        asUser(database.db, { sub: user.userId, email: user.email }, (tx) => count(tx, table, scopeOf(table, workspaceB)));
      if (OWN_ROW_TABLES.includes(table)) {
        expect(await seenBy(ownerOfB), `owner of B reads their own ${table}`).toBeGreaterThan(0);
        expect(await seenBy(viewerOfB), `viewer of B reads the owner's ${table}`).toBe(0);
        continue;
      }
      if (ADMIN_READ_TABLES.includes(table)) {
        expect(await seenBy(ownerOfB), `owner of B reads ${table}`).toBeGreaterThan(0);
        expect(await seenBy(viewerOfB), `viewer of B reads ${table} (admins only)`).toBe(0);
        continue;
      }
      expect(await seenBy(viewerOfB), `viewer of B reads ${table}`).toBeGreaterThan(0);
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

  it('lets the owner make the writes the app makes as a user (positive control)', async () => {
    for (const [table, write] of Object.entries(ADMIN_WRITES)) {
      const affected = await attempt(ownerOfB, (tx) => tx.execute(write(workspaceB)));
      expect(affected, `owner writes ${table}`).toBeGreaterThan(0);
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

// Issue 12, finding 4: on Supabase a user's session reaches PostgREST as `authenticated`, so these
// privileges are what anyone signed in can do with a hand-made request, past every app check.
describe(`what a signed-in user may write, whatever the client (${testEngine})`, () => {
  const asOwnerOfB = (statement: SQL) => attempt(ownerOfB, (tx) => tx.execute(statement));

  it('grants authenticated exactly the writes the app makes as a user, and anon nothing', async () => {
    const grants = async (role: string) =>
      Object.fromEntries(
        rowsOf<{ table: string; table_privileges: string[]; update_columns: string[] }>(
          await database.db.execute(grantsQuery(role)),
        ).map((r) => [r.table, { table: r.table_privileges, update: r.update_columns }]),
      );
    expect(await grants('authenticated')).toEqual(AUTHENTICATED_GRANTS);
    for (const [table, granted] of Object.entries(await grants('anon'))) {
      expect(granted, `anon on ${table}`).toEqual({ table: [], update: [] });
    }
  });

  it("refuses an admin every connection write the service path makes (account id, provider, inserts, deletes)", async () => {
    const connection = workspaceB.connectionId;
    const probes: Record<string, SQL> = {
      'insert a connection claiming a merchant account': sql`insert into public.connections
        (workspace_id, provider, display_name, auth_kind, account_id, status)
        values (${workspaceB.workspaceId}, 'square', 'Mine now', 'oauth2', 'victim-merchant', 'active') returning 1`,
      "change a connection's account id": sql`update public.connections set account_id = 'victim-merchant' where id = ${connection} returning 1`,
      "change a connection's provider": sql`update public.connections set provider = 'square' where id = ${connection} returning 1`,
      "move a connection to another workspace": sql`update public.connections set workspace_id = ${workspaceA.workspaceId} where id = ${connection} returning 1`,
      "rewrite a connection's settings": sql`update public.connections set settings = '{"environment": "live"}' where id = ${connection} returning 1`,
      'delete a connection': sql`delete from public.connections where id = ${connection} returning 1`,
      'queue a sync run': sql`${fixtures.sync_runs.insert(workspaceB)} returning 1`,
      'add an account to the workspace without an invitation': sql`insert into public.workspace_members (workspace_id, user_id, role)
        values (${workspaceB.workspaceId}, ${outsider.userId}, 'admin') returning 1`,
      'forge an activity entry': sql`${fixtures.activity.insert(workspaceB)} returning 1`,
      'write a sync cursor': sql`${fixtures.sync_cursors.insert(workspaceB)} returning 1`,
      'delete a workspace': sql`delete from public.workspaces where id = ${workspaceB.workspaceId} returning 1`,
      'rewrite a saved mapping': sql`update public.field_mappings set definition = '{}' where workspace_id = ${workspaceB.workspaceId} returning 1`,
      'delete a template': sql`delete from public.mapping_templates where workspace_id = ${workspaceB.workspaceId} returning 1`,
      'mark an invitation accepted': sql`update public.workspace_invitations set accepted_at = now() where workspace_id = ${workspaceB.workspaceId} returning 1`,
    };
    for (const [what, statement] of Object.entries(probes)) {
      expect(await asOwnerOfB(statement), `owner of B may not ${what}`).toBe('42501');
    }
    const [row] = await asService(database.db, (tx) =>
      tx.execute(sql`select account_id, provider, workspace_id from public.connections where id = ${connection}`).then(rowsOf),
    );
    expect(row).toEqual({ account_id: null, provider: 'hubspot', workspace_id: workspaceB.workspaceId });
  });

  it('lets a user change a connection status only by pausing or resuming it', async () => {
    const id = crypto.randomUUID();
    await serviceAttempt(sql`insert into public.connections (id, workspace_id, provider, display_name, auth_kind, status)
      values (${id}, ${workspaceB.workspaceId}, 'hubspot', 'Status probe', 'oauth2', 'needs_reauth')`);
    const setStatus = (status: string) => asOwnerOfB(sql`update public.connections set status = ${status} where id = ${id} returning 1`);
    expect(await setStatus('active'), 'needs_reauth → active').toBe('42501');
    expect(await setStatus('paused'), 'needs_reauth → paused').toBe(1);
    expect(await setStatus('error'), 'paused → error').toBe('42501');
    expect(await setStatus('active'), 'paused → active').toBe(1);
    await serviceAttempt(sql`update public.connections set status = 'disconnected' where id = ${id}`);
    expect(await setStatus('paused'), 'disconnected → paused').toBe('42501');
    expect(await setStatus('active'), 'disconnected → active').toBe('42501');
    expect(await asOwnerOfB(sql`update public.connections set display_name = 'Renamed' where id = ${id} returning 1`)).toBe(1);
  });

  it('lets an admin cancel a queued or running run, and change nothing else about runs', async () => {
    const id = crypto.randomUUID();
    await serviceAttempt(sql`insert into public.sync_runs (id, workspace_id, connection_id, trigger, mode, status)
      values (${id}, ${workspaceB.workspaceId}, ${workspaceB.connectionId}, 'manual', 'full', 'running')`);
    const update = (set: SQL) => asOwnerOfB(sql`update public.sync_runs set ${set} where id = ${id} returning 1`);
    expect(await update(sql`status = 'succeeded'`), 'mark a run succeeded').toBe('42501');
    expect(await update(sql`records_created = 1000`), 'rewrite a run counter').toBe('42501');
    expect(await update(sql`connection_id = ${workspaceA.connectionId}`), "move a run to another connection").toBe('42501');
    expect(await update(sql`status = 'cancelled', finished_at = now(), error = 'Cancelled'`), 'cancel it').toBe(1);
    expect(await update(sql`status = 'cancelled'`), 'touch a finished run').toBe(0);
  });

  it('refuses users their profile email (and every other profile write)', async () => {
    const own = sql`id = auth.uid()`;
    expect(await attempt(outsider, (tx) => tx.execute(sql`update public.profiles set email = ${ownerOfB.email} where ${own} returning 1`))).toBe('42501');
    expect(await attempt(outsider, (tx) => tx.execute(sql`update public.profiles set email = 'not-yet-signed-up@example.test' where ${own} returning 1`))).toBe('42501');
    expect(await attempt(outsider, (tx) => tx.execute(sql`update public.profiles set display_name = 'x' where ${own} returning 1`))).toBe('42501');
    expect(await attempt(outsider, (tx) => tx.execute(sql`delete from public.profiles where ${own} returning 1`))).toBe('42501');
    const [profile] = await asService(database.db, (tx) =>
      tx.execute(sql`select email from public.profiles where id = ${outsider.userId}`).then(rowsOf<{ email: string }>),
    );
    expect(profile.email).toBe(outsider.email);
  });

  it('keeps profiles.email the sign-in email when the account changes it', async () => {
    const user = await createUser(database, 'renamed');
    const email = `moved-${crypto.randomUUID()}@example.test`;
    await serviceAttempt(sql`update auth.users set email = ${email} where id = ${user.userId}`);
    const [profile] = await asService(database.db, (tx) =>
      tx.execute(sql`select email from public.profiles where id = ${user.userId}`).then(rowsOf<{ email: string }>),
    );
    expect(profile.email).toBe(email);
  });

  it('carries the workspace in every foreign key between workspace-scoped tables', async () => {
    const keys = rowsOf<{ name: string; carries: boolean }>(
      await database.db.execute(sql`
        select con.conrelid::regclass::text || '.' || con.conname as name,
               exists (select 1 from unnest(con.conkey, con.confkey) as k(a, b)
                       join pg_attribute fa on fa.attrelid = con.conrelid and fa.attnum = k.a
                       join pg_attribute ta on ta.attrelid = con.confrelid and ta.attnum = k.b
                       where fa.attname = 'workspace_id' and ta.attname = 'workspace_id') as carries
        from pg_constraint con
        where con.contype = 'f' and con.connamespace = 'public'::regnamespace
          and exists (select 1 from pg_attribute a where a.attrelid = con.conrelid and a.attname = 'workspace_id' and not a.attisdropped)
          and exists (select 1 from pg_attribute a where a.attrelid = con.confrelid and a.attname = 'workspace_id' and not a.attisdropped)
        order by 1`),
    );
    expect(keys.length).toBeGreaterThanOrEqual(15);
    expect(keys.filter((k) => !k.carries).map((k) => k.name)).toEqual([]);
  });

  it("refuses a row of workspace A that points at workspace B's rows, as admin and on the service path", async () => {
    const a = workspaceA;
    const b = workspaceB;
    const one = async (query: SQL) =>
      (await asService(database.db, (tx) => tx.execute(query).then(rowsOf<{ id: string }>)))[0].id;
    const templateOfB = await one(sql`select id from public.mapping_templates where workspace_id = ${b.workspaceId} limit 1`);
    const mappingOfB = await one(sql`select id from public.field_mappings where workspace_id = ${b.workspaceId} limit 1`);
    const bareConnectionOfB = crypto.randomUUID();
    await serviceAttempt(sql`insert into public.connections (id, workspace_id, provider, display_name, auth_kind)
      values (${bareConnectionOfB}, ${b.workspaceId}, 'hubspot', 'No credentials', 'oauth2')`);
    const id = () => crypto.randomUUID();

    // As an admin of A, through RLS: the policies only see A's workspace_id; the keys see the rest.
    const asAdminOfA = (statement: SQL) => attempt(adminOfA, (tx) => tx.execute(statement));
    expect(
      await asAdminOfA(sql`insert into public.field_mappings (workspace_id, connection_id, resource, target_model, version, definition)
        values (${a.workspaceId}, ${b.connectionId}, 'contacts', 'Contact', 1000, '{"version": 1}') returning 1`),
      "a mapping of A on B's connection",
    ).toBe('23503');
    expect(
      await asAdminOfA(sql`insert into public.field_mappings (workspace_id, connection_id, resource, target_model, version, definition, template_id)
        values (${a.workspaceId}, ${a.connectionId}, 'contacts', 'Contact', 1000, '{"version": 1}', ${templateOfB}) returning 1`),
      "a mapping of A naming B's template",
    ).toBe('23503');

    const service: Record<string, SQL> = {
      "a run of A on B's connection": sql`insert into public.sync_runs (workspace_id, connection_id, trigger, mode)
        values (${a.workspaceId}, ${b.connectionId}, 'manual', 'full')`,
      "a cursor of A on B's connection": sql`insert into public.sync_cursors (connection_id, resource, workspace_id)
        values (${b.connectionId}, ${`r-${id()}`}, ${a.workspaceId})`,
      "a cursor of A naming B's run": sql`insert into public.sync_cursors (connection_id, resource, workspace_id, last_run_id)
        values (${a.connectionId}, ${`r-${id()}`}, ${a.workspaceId}, ${b.runId})`,
      "a seen-batch of A for B's run": sql`insert into public.sync_seen_batches (run_id, resource, workspace_id, external_ids)
        values (${b.runId}, 'contacts', ${a.workspaceId}, array['1'])`,
      "records of A on B's connection": sql`insert into public.synced_records (workspace_id, connection_id, resource, external_id, raw, content_hash)
        values (${a.workspaceId}, ${b.connectionId}, 'contacts', ${id()}, '{}', 'h')`,
      "a mapping job of A for B's mapping": sql`insert into public.mapping_jobs (workspace_id, connection_id, resource, mapping_id, mapping_version)
        values (${a.workspaceId}, ${a.connectionId}, 'contacts', ${mappingOfB}, 1)`,
      "a mapping job of A on B's connection": sql`insert into public.mapping_jobs (workspace_id, connection_id, resource, mapping_id, mapping_version)
        values (${a.workspaceId}, ${b.connectionId}, 'contacts', ${mappingOfB}, 1)`,
      "a delivery of A for B's connection": sql`insert into public.webhook_events (workspace_id, connection_id, provider, dedupe_key, verification)
        values (${a.workspaceId}, ${b.connectionId}, 'hubspot', ${id()}, 'verified')`,
      "a delivery of A naming B's run": sql`insert into public.webhook_events (workspace_id, connection_id, provider, dedupe_key, verification, sync_run_id)
        values (${a.workspaceId}, ${a.connectionId}, 'hubspot', ${id()}, 'verified', ${b.runId})`,
      "a channel of A on B's connection": sql`insert into public.webhook_channels (id, workspace_id, connection_id, provider, resource, target, address, key_id, token_envelope)
        values (${id()}, ${a.workspaceId}, ${b.connectionId}, 'google-calendar', 'events', 'primary', 'https://hub.test/x', 'k1', 'v1.x')`,
      "a signing secret of A for B's connection": sql`insert into public.webhook_signing_secrets (workspace_id, connection_id, key_id, envelope, expires_at)
        values (${a.workspaceId}, ${b.connectionId}, 'k1', 'v1.x', now())`,
      "credentials of A for B's connection": sql`insert into public.connection_credentials (connection_id, workspace_id, key_id, envelope)
        values (${bareConnectionOfB}, ${a.workspaceId}, 'k1', 'v1.x')`,
      "an OAuth state of A for B's connection": sql`insert into public.oauth_states (state_hash, workspace_id, user_id, provider, connection_id, environment, redirect_uri, expires_at)
        values (${id()}, ${a.workspaceId}, ${a.userId}, 'hubspot', ${b.connectionId}, 'sandbox', 'http://localhost/cb', now() + interval '10 minutes')`,
    };
    for (const [what, statement] of Object.entries(service)) {
      expect(await serviceAttempt(statement), what).toBe('23503');
    }
    expect(
      await serviceAttempt(sql`insert into public.webhook_events (workspace_id, connection_id, provider, dedupe_key, verification)
        values (null, ${b.connectionId}, 'hubspot', ${id()}, 'verified')`),
      'a delivery with a connection but no workspace',
    ).toBe('23514');
  });
});
