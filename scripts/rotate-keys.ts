// npm run keys:rotate — re-encrypts all stored credentials with the newest ENCRYPTION_KEYS entry.
import { embeddedDataDir } from '../lib/db/app-database';
import { openDatabase } from '../lib/db/engine';
import { migrate } from '../lib/db/migrate';
import { reencryptCredentials } from '../lib/crypto/rotate';

async function main() {
  const url = process.env.DATABASE_URL;
  const database = url
    ? await openDatabase({ engine: 'postgres', url, max: 1 })
    : await openDatabase({ engine: 'pglite', dataDir: embeddedDataDir() });
  try {
    await migrate(database);
    const { reencrypted, keyId } = await reencryptCredentials(database.db);
    console.log(`Re-encrypted ${reencrypted} credential(s) with key "${keyId}".`);
  } finally {
    await database.close();
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
