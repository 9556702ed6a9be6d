// Applies supabase/seed.sql (the demo admin and workspace). The constants below are what the
// README prints and the tests sign in with; a test fails if they drift from seed.sql.
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from './engine';

export const DEMO_ADMIN = { email: 'admin@demo.local', password: 'integration-hub-demo' } as const;
export const DEMO_WORKSPACE_NAME = 'Demo Workspace';

export async function seedDemo(database: Database): Promise<void> {
  const script = fs.readFileSync(path.join(/*turbopackIgnore: true*/ process.cwd(), 'supabase', 'seed.sql'), 'utf8');
  await database.execScript(script);
}
