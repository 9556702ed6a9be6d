// Child process for the demo-seed test: opens the app's database as a server would (PGLITE_DIR and
// NODE_ENV from the environment) and reports whether the demo admin exists.
import { sql } from 'drizzle-orm';
import { getAppDatabase } from '@/lib/db/app-database';
import { rowsOf } from '@/lib/db/engine';
import { DEMO_ADMIN } from '@/lib/db/seed';

getAppDatabase()
  .then(async (database) => {
    const rows = rowsOf(await database.db.execute(sql`select 1 from auth.users where email = ${DEMO_ADMIN.email}`));
    await database.close();
    console.log(rows.length > 0 ? 'demo' : 'no demo');
  })
  .catch((error: Error) => {
    console.error(error.message);
    process.exit(3);
  });
