// The embedded database's own process (lib/db/embedded-server.mjs): it never outlives the app —
// SIGKILL or SIGTERM on the app, and the database process closes PGlite cleanly within moments —
// what was written survives, a crashed app never leaves a lock that blocks the next start (even a
// start at once, while the old database process is still closing), and the directory lock still
// refuses a second app with the same clear message.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { openEmbeddedDatabase } from '@/lib/db/embedded-process';
import { rowsOf } from '@/lib/db/engine';

const parentScript = path.join(process.cwd(), 'tests', 'support', 'embedded-parent.ts');
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ih-embedded-'));
const started: ChildProcess[] = [];
afterAll(() => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  fs.rmSync(root, { recursive: true, force: true });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Starts an app process on `dataDir` that writes `value`; resolves with the pids once it is up. */
function startApp(dataDir: string, value: string): Promise<{ app: ChildProcess; serverPid: number }> {
  // node itself (not the tsx binary, a wrapper with a process of its own): SIGKILL must hit the app.
  const app = spawn(process.execPath, ['--import', 'tsx', parentScript, dataDir, value], { stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(app);
  return new Promise((resolve, reject) => {
    let output = '';
    app.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /ready (\d+)/.exec(output);
      if (match) resolve({ app, serverPid: Number(match[1]) });
    });
    app.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    app.on('exit', (code) => reject(new Error(`the app exited (${code}) before it was ready: ${output}`)));
  });
}

/** Milliseconds until `pid` is gone (polling), or a failure after `within` ms. */
async function goneWithin(pid: number, within: number): Promise<number> {
  const start = Date.now();
  while (alive(pid)) {
    if (Date.now() - start > within) throw new Error(`process ${pid} still alive after ${within} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Date.now() - start;
}

const kept = async (dataDir: string) => {
  const database = await openEmbeddedDatabase(dataDir);
  try {
    return rowsOf<{ value: string }>(await database.db.execute(sql`select value from public.embedded_kept order by value`)).map((r) => r.value);
  } finally {
    await database.close();
  }
};

// One data directory for the file: every PGlite start in a new one pays for initdb.
const dataDir = path.join(root, 'pglite');

describe('the embedded database process', () => {
  it('closes when its app is stopped (SIGTERM) or killed (SIGKILL); the next start, even at once, finds the data', async () => {
    const first = await startApp(dataDir, 'a');
    first.app.kill('SIGTERM');
    await goneWithin(first.serverPid, 3_000);
    expect(fs.existsSync(`${dataDir}.lock`)).toBe(false);

    const second = await startApp(dataDir, 'b');
    second.app.kill('SIGKILL');
    // Start again at once: the lock still names the closing database process, whose app is dead,
    // so the new one waits for it instead of refusing or opening the directory twice.
    const reopened = kept(dataDir);
    reopened.catch(() => {}); // awaited below; not unhandled if the wait fails first
    await goneWithin(second.serverPid, 3_000);
    expect(await reopened).toEqual(['a', 'b']);
    expect(fs.existsSync(`${dataDir}.lock`)).toBe(false);
    expect(fs.existsSync(path.join(dataDir, '.s.PGSQL.5432'))).toBe(false);
  });

  it('refuses a second app on the same directory with the clear message, naming the app that has it', async () => {
    const first = await openEmbeddedDatabase(dataDir);
    try {
      const refused = openEmbeddedDatabase(dataDir);
      await expect(refused).rejects.toThrow(new RegExp(`already open in another process \\(pid ${process.pid}\\)`));
      await expect(refused).rejects.toThrow(/PGLITE_DIR/);
      await expect(refused).rejects.toMatchObject({ name: 'DatabaseLockedError' });
      // The socket is for this user only.
      expect(fs.statSync(path.join(dataDir, '.s.PGSQL.5432')).mode & 0o777).toBe(0o600);
    } finally {
      await first.close();
    }
    expect(alive(first.serverPid)).toBe(false);
  });

  it('puts the socket in a private directory when the data directory is too deep for a socket path, and never on TCP', async () => {
    const deep = path.join(root, 'a-directory-name-long-enough'.repeat(3), 'to-push-the-socket-path', 'past-the-limit');
    const before = Date.now() - 1_000;
    const database = await openEmbeddedDatabase(deep);
    let socketDir = '';
    try {
      const [row] = rowsOf<{ ok: number }>(await database.db.execute(sql`select 1 as ok`));
      expect(row.ok).toBe(1);
      expect(fs.existsSync(path.join(deep, '.s.PGSQL.5432'))).toBe(false);
      const sockets = fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith('ih-db-'));
      const mine = sockets.map((name) => path.join(os.tmpdir(), name)).filter((dir) => {
        try {
          const stat = fs.statSync(dir);
          return stat.uid === process.getuid!() && stat.mtimeMs >= before && fs.existsSync(path.join(dir, '.s.PGSQL.5432'));
        } catch {
          return false;
        }
      });
      expect(mine).toHaveLength(1);
      socketDir = mine[0];
      // Only this user may enter the directory or open the socket.
      expect(fs.statSync(socketDir).mode & 0o777).toBe(0o700);
      expect(fs.statSync(path.join(socketDir, '.s.PGSQL.5432')).mode & 0o777).toBe(0o600);
    } finally {
      await database.close();
    }
    expect(alive(database.serverPid)).toBe(false);
    expect(fs.existsSync(socketDir)).toBe(false);
  });
});
