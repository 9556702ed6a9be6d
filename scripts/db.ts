// npm run db:migrate | db:seed — against DATABASE_URL when set, else the embedded database.
import { embeddedDataDir } from '../lib/db/app-database';
import { openDatabase } from '../lib/db/engine';
import { migrate } from '../lib/db/migrate';
import { seedDemo } from '../lib/db/seed';

async function main() {
  const command = process.argv[2];
  if (command !== 'migrate' && command !== 'seed') {
    console.error('usage: tsx scripts/db.ts migrate|seed');
    process.exit(2);
  }
  const url = process.env.DATABASE_URL;
  const database = url
    ? await openDatabase({ engine: 'postgres', url, max: 1 })
    : await openDatabase({ engine: 'pglite', dataDir: embeddedDataDir() });
  const where = url ? new URL(url).host : embeddedDataDir();
  try {
    const applied = await migrate(database);
    console.log(applied.length ? `Applied ${applied.length} migration(s) on ${where}: ${applied.join(', ')}` : `Up to date: ${where}`);
    if (command === 'seed') {
      await seedDemo(database);
      console.log('Seeded the demo admin and workspace (see README).');
    }
  } finally {
    await database.close();
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
