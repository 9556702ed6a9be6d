// PGlite has no lock of its own: two processes on one directory silently lose writes.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '@/lib/db/engine';

const run = promisify(execFile);
const tsx = path.join(process.cwd(), 'node_modules', '.bin', 'tsx');
const child = path.join(process.cwd(), 'tests', 'support', 'open-embedded.ts');
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ih-lock-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

async function openFromAnotherProcess(dataDir: string) {
  try {
    const { stdout } = await run(tsx, [child, dataDir], { cwd: process.cwd() });
    return { code: 0, output: stdout };
  } catch (error) {
    const e = error as { code: number; stderr: string };
    return { code: e.code, output: e.stderr };
  }
}

describe('embedded database lock', () => {
  it('refuses a second process with a clear message, and admits it once the first closes', async () => {
    const dataDir = path.join(root, 'db');
    const first = await openDatabase({ engine: 'pglite', dataDir });
    const refused = await openFromAnotherProcess(dataDir);
    expect(refused.code).toBe(3);
    expect(refused.output).toMatch(/already open in another process \(pid \d+\)/);
    expect(refused.output).toMatch(/PGLITE_DIR/);
    await first.close();
    expect(await openFromAnotherProcess(dataDir)).toEqual({ code: 0, output: 'opened\n' });
  });

  it('takes over a lock left by a process that no longer exists', async () => {
    const dataDir = path.join(root, 'stale');
    fs.writeFileSync(`${dataDir}.lock`, '999999999');
    expect(await openFromAnotherProcess(dataDir)).toEqual({ code: 0, output: 'opened\n' });
  });
});
