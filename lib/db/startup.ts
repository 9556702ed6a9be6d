// Opens the database when the server starts (and, on the embedded default, migrates and seeds
// it), so a broken setup fails at start with a clear message instead of on the first request;
// then resumes interrupted syncs and starts the schedule when jobs run in-process.
import { getAppDatabase } from './app-database';
import { DEMO_ADMIN } from './seed';
import { startEmbeddedJobs } from '../sync/jobs';

export async function openDatabaseAtStart(): Promise<void> {
  try {
    const database = await getAppDatabase();
    await startEmbeddedJobs(database.db);
    if (database.engine === 'pglite') {
      console.log(`Integration Hub: embedded database ready. Sign in as ${DEMO_ADMIN.email} (see README.md for the demo credentials).`);
    }
  } catch (error) {
    console.error(`Integration Hub could not open its database: ${(error as Error).message}`);
    process.exit(1);
  }
}
