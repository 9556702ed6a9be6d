// Opens the database when the server starts (and, on the embedded default, migrates and seeds
// it), so a broken setup fails at start with a clear message instead of on the first request.
// instrumentation.ts then starts the embedded jobs (lib/jobs) on it.
import { getAppDatabase } from './app-database';
import type { Database } from './engine';
import { DEMO_ADMIN, shouldSeedDemo } from './seed';

export async function openDatabaseAtStart(): Promise<Database> {
  try {
    const database = await getAppDatabase();
    if (database.engine === 'pglite') {
      const demo = shouldSeedDemo(database.engine) ? ` Sign in as ${DEMO_ADMIN.email} (see README.md for the demo credentials).` : '';
      console.log(`Integration Hub: embedded database ready.${demo}`);
    }
    return database;
  } catch (error) {
    console.error(`Integration Hub could not open its database: ${(error as Error).message}`);
    process.exit(1);
  }
}
