// npm run keys:rotate — re-encrypts every stored secret (credentials, Google channel tokens,
// webhook signing secrets) with the newest ENCRYPTION_KEYS entry.
import { embeddedDataDir } from '../lib/db/app-database';
import { openDatabase } from '../lib/db/engine';
import { migrate } from '../lib/db/migrate';
import { reencryptAllSecrets } from '../lib/crypto/rotate-all';

async function main() {
  const url = process.env.DATABASE_URL;
  const database = url
    ? await openDatabase({ engine: 'postgres', url, max: 1 })
    : await openDatabase({ engine: 'pglite', dataDir: embeddedDataDir() });
  try {
    await migrate(database);
    const report = await reencryptAllSecrets(database.db);
    console.log(
      `Re-encrypted with key "${report.keyId}": ${report.credentials} credential(s), ` +
        `${report.channelTokens} channel token(s), ${report.signingSecrets} webhook signing secret(s).`,
    );
  } finally {
    await database.close();
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
