// Applies supabase/seed.sql (the demo admin and workspace). The constants below are what the
// README prints and the tests sign in with; a test fails if they drift from seed.sql. The demo
// admin's password is published, so it exists only where someone asked for it: the embedded
// database in development and tests, or SEED_DEMO=1; never a production server by default.
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from './engine';

export const DEMO_ADMIN = { email: 'admin@demo.local', password: 'integration-hub-demo' } as const;
export const DEMO_WORKSPACE_NAME = 'Demo Workspace';

/** Whether opening the app's database seeds the demo: SEED_DEMO=1 or 0 decides; else embedded and not production. */
export function shouldSeedDemo(engine: 'pglite' | 'postgres', env: Record<string, string | undefined> = process.env): boolean {
  if (env.SEED_DEMO === '1') return true;
  if (env.SEED_DEMO === '0') return false;
  return engine === 'pglite' && env.NODE_ENV !== 'production';
}

export async function seedDemo(database: Database): Promise<void> {
  const script = fs.readFileSync(path.join(/*turbopackIgnore: true*/ process.cwd(), 'supabase', 'seed.sql'), 'utf8');
  await database.execScript(script);
}
