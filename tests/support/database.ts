// A fresh, migrated database per test file, on the engine the run asks for:
// TEST_DATABASE_URL set → a new database on that PostgreSQL server; otherwise in-memory PGlite.
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { openDatabase, rowsOf, type Database } from '@/lib/db/engine';
import { migrate } from '@/lib/db/migrate';
import { asService } from '@/lib/db/rls';
import type { SessionUser } from '@/lib/auth/session-token';

export interface TestDatabase extends Database {
  drop(): Promise<void>;
}

export const testEngine = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';

export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const database = await openDatabase({ engine: 'pglite' });
    await migrate(database);
    return { ...database, drop: () => database.close() };
  }
  const name = `ih_test_${crypto.randomBytes(6).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ engine: 'postgres', url: url.toString(), max: 4 });
  await migrate(database);
  return {
    ...database,
    drop: async () => {
      await database.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

let userCounter = 0;

/**
 * Creates an account directly (as sign-up would) and returns its session identity. The address is
 * verified (as after following the verification link) unless `verified: false`.
 */
export async function createUser(database: Database, label = 'user', options: { verified?: boolean } = {}): Promise<SessionUser> {
  userCounter += 1;
  const email = `${label}-${userCounter}-${crypto.randomBytes(3).toString('hex')}@example.test`;
  const confirmedAt = options.verified === false ? null : new Date().toISOString();
  const [row] = await asService(database.db, async (tx) =>
    rowsOf<{ id: string }>(
      await tx.execute(sql`insert into auth.users (email, encrypted_password, email_confirmed_at)
        values (${email}, null, ${confirmedAt}::timestamptz) returning id`),
    ),
  );
  return { userId: row.id, email };
}
