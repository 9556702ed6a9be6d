// Child process for the lock test: opens the embedded database at argv[2] and reports.
import { openDatabase } from '@/lib/db/engine';

openDatabase({ engine: 'pglite', dataDir: process.argv[2] })
  .then(async (database) => {
    await database.close();
    console.log('opened');
  })
  .catch((error: Error) => {
    console.error(error.message);
    process.exit(3);
  });
