// Next calls register() once per server start, in every runtime; our start-up is Node-only.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs' || process.env.NEXT_PHASE === 'phase-production-build') return;
  const { openDatabaseAtStart } = await import('./lib/db/startup');
  await openDatabaseAtStart();
}
