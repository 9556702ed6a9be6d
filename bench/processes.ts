// What the benchmarks share: a free local port, and the provider sandbox in a process of its own
// (so its CPU is not counted in the measured process).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function startSandboxProcess(): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/sandbox/main.ts'], {
    env: { ...process.env, SANDBOX_PORT: String(port) },
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if (await fetch(`${url}/_sandbox/health`).then((r) => r.ok, () => false)) return { url, child };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the sandbox did not start');
}

// ---------------------------------------------------------------------------------------------
// The app as a user runs it: the production build behind `next start`.

/** What a production build is made from: a newer file here than the build means it is stale. */
const BUILD_INPUTS = ['app', 'lib', 'components', 'proxy.ts', 'instrumentation.ts', 'next.config.ts', 'package-lock.json', 'postcss.config.mjs'];

function newestMtime(entry: string): number {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(entry);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of fs.readdirSync(entry)) newest = Math.max(newest, newestMtime(path.join(entry, name)));
  return newest;
}

/**
 * Makes sure `distDir` holds a production build of this checkout: builds it when it is missing or
 * older than any source file (BENCH_BUILD=always rebuilds, BENCH_BUILD=never only requires one).
 * A benchmark of a stale build would measure code that no longer exists.
 */
export function ensureProductionBuild(distDir: string): void {
  const mode = process.env.BENCH_BUILD ?? 'auto';
  const buildId = path.join(distDir, 'BUILD_ID');
  const builtAt = fs.existsSync(buildId) ? fs.statSync(buildId).mtimeMs : 0;
  if (mode === 'never') {
    if (!builtAt) throw new Error(`No production build in ${distDir}: run NEXT_DIST_DIR=${distDir} npx next build (or unset BENCH_BUILD).`);
    return;
  }
  const stale = !builtAt || BUILD_INPUTS.some((entry) => newestMtime(entry) > builtAt);
  if (mode !== 'always' && !stale) return;
  console.log(`Building the production app into ${distDir} (${builtAt ? 'sources changed since the last build' : 'no build yet'}); this takes a few minutes…`);
  const result = spawnSync(process.execPath, ['node_modules/next/dist/bin/next', 'build'], {
    env: { ...process.env, NEXT_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: '1' },
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error(`next build failed (exit ${result.status})`);
}

export interface AppProcess {
  url: string;
  pid: number;
  /** Where the server's own output went (printed when it fails to start). */
  log: string;
  /** SIGTERM, then SIGKILL after 15 s; resolves once the server has exited. */
  stop(): Promise<void>;
}

/**
 * `next start` on a free local port with exactly `env` on top of a clean environment (no
 * DATABASE_URL leaking in from the caller), started as `node …/next` so its PID is the server's.
 */
export async function startNextApp(options: { distDir: string; env: Record<string, string>; log: string; nodeArgs?: string[] }): Promise<AppProcess> {
  const port = await freePort();
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(DATABASE_URL|PGLITE_DIR|DATA_DIR|JOB_RUNNER|INNGEST_|NEXT_DIST_DIR|BENCH_|PUBLIC_APP_URL|APP_URL|SEED_DEMO)/.test(name)),
  );
  const out = fs.openSync(options.log, 'a');
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), 'node_modules/next/dist/bin/next', 'start', '-p', String(port), '-H', '127.0.0.1'], {
    env: { ...inherited, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', NEXT_DIST_DIR: options.distDir, ...options.env },
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    if (await fetch(`${url}/sign-in`).then((r) => r.ok, () => false)) return { url, pid: child.pid!, log: options.log, stop };
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error(`next start did not come up; its output:\n${fs.readFileSync(options.log, 'utf8').slice(-4000)}`);
}

/**
 * CPU seconds (user + system) used so far by a process (`self`) and by every process descended
 * from it (`descendants`: for the app, the embedded database's server), read from /proc (Linux;
 * null elsewhere). Unlike a rate, this hardly depends on what else the machine is running, so it
 * compares runs taken on a busy machine.
 */
export function processTreeCpuSeconds(pid: number): { self: number; descendants: number } | null {
  if (!fs.existsSync('/proc/self/stat')) return null;
  const ticks = 100; // USER_HZ: 100 on every Linux Node supports.
  const stats = new Map<number, { ppid: number; cpu: number }>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command (which may hold spaces) in its parentheses: state ppid … utime stime.
      const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
      stats.set(Number(entry), { ppid: Number(fields[1]), cpu: (Number(fields[11]) + Number(fields[12])) / ticks });
    } catch {
      // The process ended while we looked.
    }
  }
  const own = stats.get(pid);
  if (!own) return null;
  let descendants = 0;
  const walk = (id: number) => {
    for (const [child, stat] of stats) {
      if (stat.ppid !== id) continue;
      descendants += stat.cpu;
      walk(child);
    }
  };
  walk(pid);
  return { self: own.cpu, descendants };
}
