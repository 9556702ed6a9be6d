// Re-encrypts every stored credential with the newest key in ENCRYPTION_KEYS, one row at a time
// under a row lock, so rotation can run while the app is serving.
import { eq, ne } from 'drizzle-orm';
import type { Db } from '../db/engine';
import { asService } from '../db/rls';
import { connectionCredentials } from '../db/schema';
import { credentialAad, decryptSecret, encryptSecret } from './envelope';
import { keyRing } from './keys';

export async function reencryptCredentials(db: Db): Promise<{ reencrypted: number; keyId: string }> {
  const current = keyRing().current.id;
  const stale = await asService(db, (tx) =>
    tx.select({ connectionId: connectionCredentials.connectionId }).from(connectionCredentials).where(ne(connectionCredentials.keyId, current)),
  );
  let reencrypted = 0;
  for (const { connectionId } of stale) {
    const changed = await asService(db, async (tx) => {
      const [row] = await tx
        .select()
        .from(connectionCredentials)
        .where(eq(connectionCredentials.connectionId, connectionId))
        .for('update');
      if (!row || row.keyId === current) return false;
      const plaintext = decryptSecret(row.envelope, credentialAad(connectionId));
      await tx
        .update(connectionCredentials)
        .set({ envelope: encryptSecret(plaintext, credentialAad(connectionId)), keyId: current })
        .where(eq(connectionCredentials.connectionId, connectionId));
      return true;
    });
    if (changed) reencrypted += 1;
  }
  return { reencrypted, keyId: current };
}
