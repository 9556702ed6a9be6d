// Next calls register() once per server start, in every runtime; our start-up is Node-only
// (lib/server-start.ts), imported here only when running on Node.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs' || process.env.NEXT_PHASE === 'phase-production-build') return;
  const { startServer } = await import('./lib/server-start');
  await startServer();
}
