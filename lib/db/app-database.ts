// The app's one database handle: a PostgreSQL server when DATABASE_URL is set, otherwise the
// embedded PGlite under .data/ (migrated on first use, and seeded with the demo outside production).
import path from 'node:path';
import { dataDirectory } from '../crypto/local-secrets';
import { openDatabase, type Database, type Db } from './engine';
import { migrate } from './migrate';
import { seedDemo, shouldSeedDemo } from './seed';

const globalKey = Symbol.for('integration-hub.database');
type Holder = { [globalKey]?: Promise<Database> };

export function embeddedDataDir(): string {
  return path.resolve(/*turbopackIgnore: true*/ process.env.PGLITE_DIR ?? path.join(/*turbopackIgnore: true*/ dataDirectory(), 'pglite'));
}

async function open(): Promise<Database> {
  if (process.env.NEXT_PHASE === 'phase-production-build') {
    throw new Error('The database is never opened while building: mark the page or route dynamic.');
  }
  const url = process.env.DATABASE_URL;
  const database = url
    ? await openDatabase({ engine: 'postgres', url })
    : await openDatabase({ engine: 'pglite', dataDir: embeddedDataDir() });
  const skipMigrate = url && process.env.AUTO_MIGRATE === '0';
  if (!skipMigrate) await migrate(database);
  if (shouldSeedDemo(database.engine)) await seedDemo(database);
  return database;
}

/** Survives Next's hot reloads (one PGlite per process, never two on one directory). */
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
