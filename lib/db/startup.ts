// Opens the database when the server starts (and, on the embedded default, migrates and seeds
// it), so a broken setup fails at start with a clear message instead of on the first request.
// instrumentation.ts then starts the embedded jobs (lib/jobs) on it.
import { getAppDatabase } from './app-database';
import type { Database } from './engine';
import { DEMO_ADMIN, shouldSeedDemo } from './seed';

export async function openDatabaseAtStart(): Promise<Database> {
  try {
    const database = await getAppDatabase();
    if (database.engine === 'postgres' && process.env.NODE_ENV === 'production') warnAboutLocalSecrets();
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

/**
 * On a shared database every instance must encrypt and sign with the same keys. Without them in
 * env, each instance generates its own under DATA_DIR, and credentials one instance stores cannot
 * be read by the next (README: Scaling). Warned, not refused: one instance on one machine works.
 */
function warnAboutLocalSecrets(): void {
  const missing = ['ENCRYPTION_KEYS', 'SESSION_SECRET'].filter((name) => !process.env[name]);
  if (missing.length === 0) return;
  console.warn(
    `Integration Hub: ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set, so this instance uses secrets generated under DATA_DIR. ` +
      'Set the same values on every instance that shares this database.',
  );
}
