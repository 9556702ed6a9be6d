// `npm run dev`: the app on the embedded database (or DATABASE_URL), on http://localhost:3000.
import { spawn } from 'node:child_process';

const port = process.env.PORT ?? '3000';
const next = spawn(process.execPath, ['node_modules/next/dist/bin/next', 'dev', '-p', port], {
  stdio: 'inherit',
  env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => next.kill(signal));
next.on('exit', (code) => process.exit(code ?? 0));
