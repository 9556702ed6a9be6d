// The schema as it lands on a Supabase project. Supabase differs from plain PostgreSQL in one way
// that matters here: its default privileges grant everything on every new table, sequence and
// function in `public` to anon and authenticated, and PostgREST exposes `public` to anyone with the
// anon key. Revoking from PUBLIC does not undo a grant to a named role. This suite builds a
// database with Supabase's default privileges first, migrates it, and checks what the browser
// roles are left with (issue 12, findings 4 and 6).
import crypto from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, rowsOf, type Database } from '@/lib/db/engine';
import { migrate } from '@/lib/db/migrate';
import { asService, asUser } from '@/lib/db/rls';
import type { SessionUser } from '@/lib/auth/session-token';
import { createUser, testEngine } from '../support/database';
import { AUTHENTICATED_GRANTS, grantsQuery } from './rls-fixtures';

/** What a new Supabase project has before any migration of ours runs. */
const SUPABASE_PLATFORM = `
  do $$
  declare
    role_name text;
  begin
    foreach role_name in array array['anon', 'authenticated', 'service_role'] loop
      if not exists (select 1 from pg_roles where rolname = role_name) then
        begin
          execute format('create role %I nologin', role_name);
        exception when duplicate_object or unique_violation then
          null;
        end;
      end if;
    end loop;
  end
  $$;
  grant usage on schema public to anon, authenticated, service_role;
  alter default privileges in schema public grant all on tables to anon, authenticated, service_role;
  alter default privileges in schema public grant all on functions to anon, authenticated, service_role;
  alter default privileges in schema public grant all on sequences to anon, authenticated, service_role;
`;

/** The membership helpers RLS policies call as the user: the only definer functions it may run. */
const POLICY_HELPERS = ['has_workspace_role', 'is_workspace_member', 'my_workspace_ids', 'shares_workspace_with', 'workspace_role'];
/**
 * Definer reads that make the policy's own membership test (my_workspace_ids) before reading, for
 * what RLS cannot do with an index (record search: @@ is not leakproof; 20261208000800).
 */
const MEMBER_CHECKED_READS = ['search_synced_records'];

let database: Database & { drop(): Promise<void> };
let member: SessionUser;
let workspaceId: string;

async function createSupabaseLikeDatabase(): Promise<Database & { drop(): Promise<void> }> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const embedded = await openDatabase({ engine: 'pglite' });
    await embedded.execScript(SUPABASE_PLATFORM);
    await migrate(embedded);
    return { ...embedded, drop: () => embedded.close() };
  }
  const name = `ih_test_${crypto.randomBytes(6).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const server = await openDatabase({ engine: 'postgres', url: url.toString(), max: 4 });
  await server.execScript(SUPABASE_PLATFORM);
  await migrate(server);
  return {
    ...server,
    drop: async () => {
      await server.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

function codeOf(error: unknown): string {
  let e: unknown = error;
  while (e && typeof e === 'object' && !('code' in e) && 'cause' in e) e = (e as { cause: unknown }).cause;
  return String((e as { code?: string }).code ?? (e as Error).message);
}

/** Runs a statement as anon (no session) or as the member; returns 'ok' or the error code. */
async function as(role: 'anon' | 'authenticated', statement: SQL): Promise<string> {
  const run =
    role === 'anon'
      ? database.db.transaction(async (tx) => {
          await tx.execute(sql`set local role anon`);
          await tx.execute(statement);
        })
      : asUser(database.db, { sub: member.userId, email: member.email }, (tx) => tx.execute(statement));
  return run.then(
    () => 'ok',
    (error: unknown) => codeOf(error),
  );
}

const forgedCount = async () =>
  (
    await asService(database.db, async (tx) =>
      rowsOf<{ n: number }>(await tx.execute(sql`select count(*)::int as n from public.activity where action = 'probe.forged'`)),
    )
  )[0].n;

beforeAll(async () => {
  database = await createSupabaseLikeDatabase();
  member = await createUser(database, 'member');
  workspaceId = crypto.randomUUID();
  await asService(database.db, (tx) =>
    tx.execute(sql`insert into public.workspaces (id, name, created_by) values (${workspaceId}, 'Supabase', ${member.userId})`),
  );
});
afterAll(() => database?.drop());

describe(`on a Supabase project's default privileges (${testEngine})`, () => {
  it('leaves authenticated exactly the grant matrix and anon nothing, on every table in public', async () => {
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
    const sequences = rowsOf<{ name: string; anon: boolean; authenticated: boolean }>(
      await database.db.execute(sql`
        select c.relname as name,
               has_sequence_privilege('anon', c.oid, 'usage') or has_sequence_privilege('anon', c.oid, 'update') as anon,
               has_sequence_privilege('authenticated', c.oid, 'usage') or has_sequence_privilege('authenticated', c.oid, 'update') as authenticated
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind = 'S'`),
    );
    expect(sequences.filter((s) => s.anon || s.authenticated)).toEqual([]);
  });

  it('lets neither anon nor authenticated run record_activity', async () => {
    const forge = sql`select public.record_activity(${workspaceId}::uuid, 'probe.forged', 'workspace', ${workspaceId}, '{}'::jsonb)`;
    expect(await as('anon', forge), 'anon').toBe('42501');
    expect(await as('authenticated', forge), 'authenticated (an owner of the workspace)').toBe('42501');
    expect(await forgedCount()).toBe(0);
  });

  it('lets no browser role run any SECURITY DEFINER function but the policy helpers', async () => {
    const functions = rowsOf<{ name: string; signature: string; anon: boolean; authenticated: boolean }>(
      await database.db.execute(sql`
        select p.proname as name, p.oid::regprocedure::text as signature,
               has_function_privilege('anon', p.oid, 'execute') as anon,
               has_function_privilege('authenticated', p.oid, 'execute') as authenticated
        from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where p.prosecdef and n.nspname not in ('pg_catalog', 'information_schema')
        order by 1`),
    );
    expect(functions.map((f) => f.name)).toEqual(expect.arrayContaining(['record_activity', 'handle_new_user', ...POLICY_HELPERS]));
    expect(functions.filter((f) => f.anon).map((f) => f.signature), 'executable by anon').toEqual([]);
    expect(
      functions.filter((f) => f.authenticated && ![...POLICY_HELPERS, ...MEMBER_CHECKED_READS].includes(f.name)).map((f) => f.signature),
      'executable by authenticated',
    ).toEqual([]);
  });

  it('still runs the app: the policy helpers, triggers and user writes work as authenticated', async () => {
    const otherWorkspace = crypto.randomUUID();
    const result = await asUser(database.db, { sub: member.userId, email: member.email }, async (tx) => {
      await tx.execute(sql`insert into public.workspaces (id, name, created_by) values (${otherWorkspace}, 'Second', ${member.userId})`);
      await tx.execute(sql`update public.workspaces set name = 'Second, renamed' where id = ${otherWorkspace}`);
      return rowsOf<{ role: string }>(await tx.execute(sql`select public.workspace_role(${otherWorkspace}::uuid) as role`));
    });
    expect(result).toEqual([{ role: 'owner' }]);
    const logged = await asService(database.db, async (tx) =>
      rowsOf<{ action: string }>(
        await tx.execute(sql`select action from public.activity where workspace_id = ${otherWorkspace} order by created_at`),
      ),
    );
    expect(logged.map((l) => l.action)).toEqual(['workspace.created', 'member.added', 'workspace.renamed']);
  });
});
