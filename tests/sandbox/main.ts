// `tsx tests/sandbox/main.ts`: the provider sandbox as a standalone server for the demo and
// manual testing. SANDBOX_PORT (default 4010), SANDBOX_HOST (default 127.0.0.1).
import { startSandbox } from './server';

async function main() {
  const port = Number(process.env.SANDBOX_PORT ?? 4010);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`SANDBOX_PORT must be a port number, got ${process.env.SANDBOX_PORT}`);
    process.exit(2);
  }
  const sandbox = await startSandbox({ port, host: process.env.SANDBOX_HOST });
  console.log(`Provider sandbox on ${sandbox.url}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`Provider sandbox stopping (${signal})`);
    await sandbox.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error('Provider sandbox failed to start:', (error as Error).message);
  process.exit(1);
});
