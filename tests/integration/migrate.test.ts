import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, rowsOf, type Database } from '@/lib/db/engine';
import { migrate, readMigrations } from '@/lib/db/migrate';
import { seedDemo, DEMO_ADMIN, DEMO_WORKSPACE_NAME } from '@/lib/db/seed';
import { verifyLocalAccount } from '@/lib/auth/local-accounts';
import { createTestDatabase, testEngine, type TestDatabase } from '../support/database';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

describe(`migrator (${testEngine})`, () => {
  it('records every migration once, where the Supabase CLI looks', async () => {
    const versions = rowsOf<{ version: string }>(
      await database.db.execute(sql`select version from supabase_migrations.schema_migrations order by version`),
    ).map((r) => r.version);
    expect(versions).toEqual(readMigrations().map((m) => m.version));
  });

  it('applies nothing the second time', async () => {
    expect(await migrate(database)).toEqual([]);
  });

  it('applies each pending migration exactly once when two migrators race', async () => {
    const extra = [
      ...readMigrations(),
      { version: '29991231000000', name: 'race_probe', sql: 'create table public.race_probe (id int);' },
    ];
    let second: Database | undefined;
    try {
      if (database.engine === 'postgres') {
        // A second connection pool to the same database: a second app instance starting at once.
        const url = rowsOf<{ db: string }>(await database.db.execute(sql`select current_database() as db`))[0].db;
        const admin = new URL(process.env.TEST_DATABASE_URL!);
        admin.pathname = `/${url}`;
        second = await openDatabase({ engine: 'postgres', url: admin.toString(), max: 2 });
      }
      const results = await Promise.all([migrate(database, extra), migrate(second ?? database, extra)]);
      expect(results.flat()).toEqual(['29991231000000']);
    } finally {
      await database.execScript(`drop table public.race_probe;
        delete from supabase_migrations.schema_migrations where version = '29991231000000';`);
      await second?.close();
    }
  });

  it('rolls back a failing migration entirely and names it', async () => {
    const broken = [
      ...readMigrations(),
      { version: '29991231000001', name: 'broken', sql: 'create table public.half_done (id int); select no_such_function();' },
    ];
    await expect(migrate(database, broken)).rejects.toThrow(/29991231000001_broken failed/);
    const left = rowsOf<{ n: number }>(
      await database.db.execute(sql`select count(*)::int as n from pg_tables where tablename = 'half_done'`),
    );
    expect(left[0].n).toBe(0);
  });

  it('seeds the demo admin and workspace idempotently, with the credentials the README prints', async () => {
    await seedDemo(database);
    await seedDemo(database);
    const workspaces = rowsOf<{ n: number }>(
      await database.db.execute(sql`select count(*)::int as n from public.workspaces where name = ${DEMO_WORKSPACE_NAME}`),
    );
    expect(workspaces[0].n).toBe(1);
    const user = await verifyLocalAccount(database.db, { ...DEMO_ADMIN }, 'test');
    expect(user?.email).toBe(DEMO_ADMIN.email);
  });
});
