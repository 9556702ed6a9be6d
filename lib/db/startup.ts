// Opens the database when the server starts (and, on the embedded default, migrates and seeds
// it), so a broken setup fails at start with a clear message instead of on the first request.
import { getAppDatabase } from './app-database';
import { DEMO_ADMIN } from './seed';

export async function openDatabaseAtStart(): Promise<void> {
  try {
    const database = await getAppDatabase();
    if (database.engine === 'pglite') {
      console.log(`Integration Hub: embedded database ready. Demo admin: ${DEMO_ADMIN.email} / ${DEMO_ADMIN.password}`);
    }
  } catch (error) {
    console.error(`Integration Hub could not open its database: ${(error as Error).message}`);
    process.exit(1);
  }
}
