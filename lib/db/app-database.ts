// The app's one database handle: a PostgreSQL server when DATABASE_URL is set, otherwise the
// embedded PGlite under .data/, which runs in a process of its own and is reached over the
// PostgreSQL wire protocol (embedded-process.ts) — migrated on first use, and seeded with the demo
// outside production.
import path from 'node:path';
import { dataDirectory } from '../crypto/local-secrets';
import { openEmbeddedDatabase } from './embedded-process';
import { openDatabase, type Database, type Db } from './engine';
import { migrate } from './migrate';
import { seedDemo, shouldSeedDemo } from './seed';

const globalKey = Symbol.for('integration-hub.database');
type Holder = { [globalKey]?: Promise<Database> };

export function embeddedDataDir(): string {
  return path.resolve(/*turbopackIgnore: true*/ process.env.PGLITE_DIR ?? path.join(/*turbopackIgnore: true*/ dataDirectory(), 'pglite'));
}

/**
 * Connections each app instance may open to a DATABASE_URL server (postgres.js pool size). With
 * several instances, instances × this must stay under the server's (or pooler's) limit.
 */
export function databasePoolMax(env: Partial<Record<string, string>> = process.env): number {
  const raw = env.DATABASE_POOL_MAX;
  if (raw === undefined || raw === '') return 10;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 1000) {
    throw new Error(`DATABASE_POOL_MAX must be a whole number from 1 to 1000 (got "${raw}").`);
  }
  return value;
}

async function open(): Promise<Database> {
  if (process.env.NEXT_PHASE === 'phase-production-build') {
    throw new Error('The database is never opened while building: mark the page or route dynamic.');
  }
  const url = process.env.DATABASE_URL;
  const database = url
    ? await openDatabase({ engine: 'postgres', url, max: databasePoolMax() })
    : await openEmbeddedDatabase(embeddedDataDir());
  const skipMigrate = url && process.env.AUTO_MIGRATE === '0';
  if (!skipMigrate) await migrate(database);
  if (shouldSeedDemo(database.engine)) await seedDemo(database);
  return database;
}

/**
 * Survives Next's hot reloads: the promise lives on globalThis, so a reloaded module finds it and
 * never starts a second database process (which the directory lock would refuse anyway).
 */
export function getAppDatabase(): Promise<Database> {
  const holder = globalThis as Holder;
  holder[globalKey] ??= open().catch((error) => {
    delete holder[globalKey];
    throw error;
  });
  return holder[globalKey];
}

export async function getDb(): Promise<Db> {
  return (await getAppDatabase()).db;
}
