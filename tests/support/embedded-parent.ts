// Child process for the embedded-process test: an "app" that opens the embedded database at
// argv[2] (its own database process), writes argv[3] into a table, prints the database process's
// pid, and then stays up until it is killed — as a server would.
import { sql } from 'drizzle-orm';
import { openEmbeddedDatabase } from '@/lib/db/embedded-process';

openEmbeddedDatabase(process.argv[2])
  .then(async (database) => {
    await database.db.execute(sql`create table if not exists public.embedded_kept (value text not null)`);
    await database.db.execute(sql`insert into public.embedded_kept values (${process.argv[3]})`);
    console.log(`ready ${database.serverPid}`);
    setInterval(() => {}, 60_000);
  })
  .catch((error: Error) => {
    console.error(error.message);
    process.exit(3);
  });
