// What a server does once when it starts (instrumentation.ts calls it in the Node runtime only):
// open the database (migrating and, outside production, seeding the embedded one), then start the
// jobs that run in this process, if any. A setup that cannot start exits with a clear message
// instead of failing on the first request.
import { openDatabaseAtStart } from './db/startup';
import { startEmbeddedJobs } from './jobs/embedded';

export async function startServer(): Promise<void> {
  const database = await openDatabaseAtStart();
  try {
    await startEmbeddedJobs(database.db);
  } catch (error) {
    console.error(`Integration Hub could not start its background jobs: ${(error as Error).message}`);
    process.exit(1);
  }
}
