// The demo admin's password is published in the README: a production server must not have it
// unless someone asked (issue: "a demo owner in production"), in development and tests it is there.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { shouldSeedDemo } from '@/lib/db/seed';

const run = promisify(execFile);
const tsx = path.join(process.cwd(), 'node_modules', '.bin', 'tsx');
const child = path.join(process.cwd(), 'tests', 'support', 'open-app-database.ts');
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ih-seed-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

async function openAppDatabase(name: string, env: Record<string, string>) {
  const dir = path.join(root, name);
  const { DATABASE_URL: _url, SEED_DEMO: _seed, ...inherited } = process.env;
  const { stdout } = await run(tsx, [child], {
    cwd: process.cwd(),
    env: { ...inherited, DATA_DIR: dir, PGLITE_DIR: path.join(dir, 'pglite'), ...env },
  });
  return stdout.trim();
}

describe('demo admin seeding', () => {
  it('is decided by SEED_DEMO first, then by engine and NODE_ENV', () => {
    expect(shouldSeedDemo('pglite', { NODE_ENV: 'development' })).toBe(true);
    expect(shouldSeedDemo('pglite', { NODE_ENV: 'test' })).toBe(true);
    expect(shouldSeedDemo('pglite', { NODE_ENV: 'production' })).toBe(false);
    expect(shouldSeedDemo('postgres', { NODE_ENV: 'development' })).toBe(false);
    expect(shouldSeedDemo('pglite', { NODE_ENV: 'production', SEED_DEMO: '1' })).toBe(true);
    expect(shouldSeedDemo('postgres', { NODE_ENV: 'production', SEED_DEMO: '1' })).toBe(true);
    expect(shouldSeedDemo('pglite', { NODE_ENV: 'development', SEED_DEMO: '0' })).toBe(false);
  });

  it('a production server on the embedded database starts without the demo admin, unless asked', async () => {
    expect(await openAppDatabase('production', { NODE_ENV: 'production' })).toBe('no demo');
    expect(await openAppDatabase('asked', { NODE_ENV: 'production', SEED_DEMO: '1' })).toBe('demo');
  });
});
