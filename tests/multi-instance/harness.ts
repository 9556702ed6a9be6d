// Two real app processes on one PostgreSQL server: a database of their own on the server the run
// gives (TEST_DATABASE_URL), the production build started with `next start` (the dist directory in
// MULTI_INSTANCE_DIST_DIR, default .next, of the checkout in MULTI_INSTANCE_APP_DIR, default this
// one), free ports, and every process killed at the end — SIGKILL to its whole process group,
// which is also how a test kills one mid-sync.
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { openDatabase, type Database } from '@/lib/db/engine';
import { migrate } from '@/lib/db/migrate';
import { seedDemo } from '@/lib/db/seed';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Polls `probe` until it answers something other than undefined/false, or fails with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 30_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

export interface SharedDatabase {
  url: string;
  database: Database;
  drop(): Promise<void>;
}

/** A new database on the server, migrated and seeded with the demo admin before any app starts. */
export async function createSharedDatabase(adminUrl: string): Promise<SharedDatabase> {
  const name = `ih_multi_${crypto.randomBytes(6).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ engine: 'postgres', url: url.toString(), max: 4 });
  await migrate(database);
  await seedDemo(database);
  return {
    url: url.toString(),
    database,
    drop: async () => {
      await database.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

const appDir = () => path.resolve(process.env.MULTI_INSTANCE_APP_DIR ?? process.cwd());

/** The dist directory of the production build the processes run; the build must exist. */
export function distDir(): string {
  const dir = process.env.MULTI_INSTANCE_DIST_DIR ?? '.next';
  if (!fs.existsSync(path.join(appDir(), dir, 'BUILD_ID'))) {
    throw new Error(`No production build in ${dir}: run \`NEXT_DIST_DIR=${dir} npx next build\` first (MULTI_INSTANCE_DIST_DIR names the directory).`);
  }
  return dir;
}

export class AppProcess {
  private readonly output: string[] = [];
  readonly url: string;
  private exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(
    readonly name: string,
    readonly port: number,
    readonly child: ChildProcess,
    readonly dataDir: string,
  ) {
    this.url = `http://127.0.0.1:${port}`;
    const keep = (chunk: Buffer) => {
      this.output.push(chunk.toString('utf8'));
      if (this.output.length > 400) this.output.splice(0, this.output.length - 400);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  /** `next start` of the production build; resolves once it serves the sign-in page. */
  static async start(name: string, env: Record<string, string>): Promise<AppProcess> {
    const port = await freePort();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `ih-multi-${name}-`));
    const child = spawn(process.execPath, ['node_modules/next/dist/bin/next', 'start', '-p', String(port)], {
      cwd: appDir(),
      // Its own process group, so a kill reaches whatever `next start` forks too.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...pickEnv(), ...env, DATA_DIR: dataDir, PORT: String(port), NEXT_TELEMETRY_DISABLED: '1' } as unknown as NodeJS.ProcessEnv,
    });
    const app = new AppProcess(name, port, child, dataDir);
    running.add(app);
    try {
      await waitFor(`${name} to serve /sign-in`, async () => {
        if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${app.log()}`);
        const response = await fetch(`${app.url}/sign-in`, { signal: AbortSignal.timeout(5_000) });
        await response.arrayBuffer();
        return response.ok;
      }, 90_000, 250);
    } catch (error) {
      await app.kill();
      throw error;
    }
    return app;
  }

  log(): string {
    return this.output.join('');
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** SIGKILL to the process group: no shutdown hook runs, as when a machine dies. */
  async kill(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    // MULTI_INSTANCE_LOG_DIR keeps each instance's output, to read after a failure in CI.
    const logDir = process.env.MULTI_INSTANCE_LOG_DIR;
    if (logDir) {
      fs.mkdirSync(logDir, { recursive: true });
      fs.writeFileSync(path.join(logDir, `instance-${this.name}.log`), this.log());
    }
    if (this.alive && this.child.pid) {
      try {
        process.kill(-this.child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    const exit = await this.exited;
    running.delete(this);
    fs.rmSync(this.dataDir, { recursive: true, force: true });
    return exit;
  }
}

const running = new Set<AppProcess>();

/** Kills whatever is still running (afterAll, and on the test process's own exit). */
export async function killAll(): Promise<void> {
  await Promise.all([...running].map((app) => app.kill()));
}

process.once('exit', () => {
  for (const app of running) {
    try {
      if (app.child.pid) process.kill(-app.child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
});

/** What a child needs from this environment: the path and locale, never the test runner's own settings. */
function pickEnv(): Record<string, string> {
  const keep = ['PATH', 'HOME', 'LANG', 'TMPDIR', 'TZ'];
  return Object.fromEntries(keep.flatMap((key) => (process.env[key] ? [[key, process.env[key]]] : [])));
}

/** A request that hangs fails with its own message instead of the hook's timeout. */
export const REQUEST_TIMEOUT_MS = 30_000;

/** Signs in through the app's own route; the cookies work on every instance (sessions live in the database). */
export async function signIn(baseUrl: string, email: string, password: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  if (!response.ok) throw new Error(`sign-in answered ${response.status}: ${await response.text()}`);
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .join('; ');
}

export async function call(baseUrl: string, cookie: string, method: string, route: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${baseUrl}${route}`, {
    method,
    headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON: keep the text.
  }
  return { status: response.status, body: parsed };
}
