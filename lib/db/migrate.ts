// Applies supabase/migrations/*.sql in order, each in its own transaction, recording them in the
// table the Supabase CLI uses, so `supabase db push` and this migrator agree on what is applied.
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { rowsOf, type Database } from './engine';

export const MIGRATIONS_DIR = path.join(/*turbopackIgnore: true*/ process.cwd(), 'supabase', 'migrations');
const MIGRATION_FILE = /^(\d{14})_([a-z0-9_]+)\.sql$/;
// Any constant works; it only has to be the same for every migrator of this project.
const MIGRATION_LOCK_KEY = 7_204_311_906;

export interface Migration {
  version: string;
  name: string;
  sql: string;
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return fs
    .readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .sort()
    .map((file) => {
      const match = MIGRATION_FILE.exec(file);
      if (!match) throw new Error(`Migration file name must look like 20260101000000_name.sql: ${file}`);
      return { version: match[1], name: match[2], sql: fs.readFileSync(path.join(/*turbopackIgnore: true*/ dir, file), 'utf8') };
    });
}

/** Applies pending migrations; returns the versions it applied. Safe to run concurrently. */
export async function migrate(database: Database, migrations = readMigrations()): Promise<string[]> {
  const { db } = database;
  await database.execScript(`
    create schema if not exists supabase_migrations;
    create table if not exists supabase_migrations.schema_migrations (
      version text primary key, statements text[], name text
    );
  `);
  const applied: string[] = [];
  for (const migration of migrations) {
    // The advisory lock is taken inside the migration's own transaction so two migrators
    // (two app instances starting at once) apply each file exactly once.
    const script = `
      select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY});
      do $migrate$ begin
        if exists (select 1 from supabase_migrations.schema_migrations where version = '${migration.version}') then
          raise exception using errcode = 'P0002', message = 'already applied';
        end if;
      end $migrate$;
      ${migration.sql}
      ;
      insert into supabase_migrations.schema_migrations (version, name, statements)
      values ('${migration.version}', '${migration.name}', array[]::text[]);
    `;
    const done = rowsOf<{ n: number }>(
      await db.execute(
        sql`select count(*)::int as n from supabase_migrations.schema_migrations where version = ${migration.version}`,
      ),
    )[0].n;
    if (done > 0) continue;
    try {
      await database.execScript(script);
      applied.push(migration.version);
    } catch (error) {
      if (isAlreadyApplied(error)) continue;
      throw new Error(`Migration ${migration.version}_${migration.name} failed: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  return applied;
}

function isAlreadyApplied(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return e.code === 'P0002' && /already applied/.test(e.message ?? '');
}
