// Next calls register() once per server start, in every runtime; our start-up is Node-only:
// open (migrate, seed) the database, then start the jobs that run in this process, if any.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs' || process.env.NEXT_PHASE === 'phase-production-build') return;
  const { openDatabaseAtStart } = await import('./lib/db/startup');
  const database = await openDatabaseAtStart();
  const { startEmbeddedJobs } = await import('./lib/jobs/embedded');
  try {
    await startEmbeddedJobs(database.db);
  } catch (error) {
    console.error(`Integration Hub could not start its background jobs: ${(error as Error).message}`);
    process.exit(1);
  }
}
