// Runs once when the server starts: open (and on the embedded default, migrate and seed) the
// database now, so the first request does not pay for it and a broken setup fails at start.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs' || process.env.NEXT_PHASE === 'phase-production-build') return;
  const { getAppDatabase } = await import('./lib/db/app-database');
  const { DEMO_ADMIN } = await import('./lib/db/seed');
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
