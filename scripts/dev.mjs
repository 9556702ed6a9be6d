// `npm run dev`: the provider sandbox on :4010 and the app on http://localhost:3000, on the
// embedded database (or DATABASE_URL). Real provider credentials in env take precedence over
// the sandbox, provider by provider.
import { spawn } from 'node:child_process';

const port = process.env.PORT ?? '3000';
const sandboxPort = process.env.SANDBOX_PORT ?? '4010';
const sandboxUrl = process.env.PROVIDER_SANDBOX_URL ?? `http://127.0.0.1:${sandboxPort}`;
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', PROVIDER_SANDBOX_URL: sandboxUrl, SANDBOX_PORT: sandboxPort };

const children = [
  spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'tests/sandbox/main.ts'], { stdio: 'inherit', env }),
  spawn(process.execPath, ['node_modules/next/dist/bin/next', 'dev', '-p', port], { stdio: 'inherit', env }),
];

let stopping = false;
function stop(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  process.exitCode = code;
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stop(0));
for (const child of children) child.on('exit', (code) => stop(code ?? 0));
