// Reads and writes a connection's tokens as one AES-256-GCM envelope bound to the connection.
// Service path only: no browser-reachable role can read connection_credentials.
import { eq, sql } from 'drizzle-orm';
import { credentialAad, decryptSecret, encryptSecret, envelopeKeyId } from '../crypto/envelope';
import type { Queryable } from '../db/engine';
import { connectionCredentials } from '../db/schema';
import type { TokenSet } from '../providers/types';

export interface StoredCredentials {
  tokens: TokenSet;
  expiresAt: Date | null;
  refreshedAt: Date | null;
  keyId: string;
}

export async function saveCredentials(
  tx: Queryable,
  target: { connectionId: string; workspaceId: string },
  tokens: TokenSet,
  refreshed = false,
): Promise<void> {
  const envelope = encryptSecret(JSON.stringify(tokens), credentialAad(target.connectionId));
  const values = {
    keyId: envelopeKeyId(envelope),
    envelope,
    expiresAt: tokens.expiresAt ? new Date(tokens.expiresAt) : null,
    refreshedAt: refreshed ? new Date() : null,
    refreshFailures: 0,
  };
  await tx
    .insert(connectionCredentials)
    .values({ connectionId: target.connectionId, workspaceId: target.workspaceId, ...values })
    .onConflictDoUpdate({ target: connectionCredentials.connectionId, set: values });
}

export async function loadCredentials(
  tx: Queryable,
  connectionId: string,
  options: { forUpdate?: boolean } = {},
): Promise<StoredCredentials | null> {
  const query = tx.select().from(connectionCredentials).where(eq(connectionCredentials.connectionId, connectionId));
  const [row] = options.forUpdate ? await query.for('update') : await query;
  if (!row) return null;
  return {
    tokens: JSON.parse(decryptSecret(row.envelope, credentialAad(connectionId))) as TokenSet,
    expiresAt: row.expiresAt,
    refreshedAt: row.refreshedAt,
    keyId: row.keyId,
  };
}

export async function deleteCredentials(tx: Queryable, connectionId: string): Promise<void> {
  await tx.delete(connectionCredentials).where(eq(connectionCredentials.connectionId, connectionId));
}

export async function countRefreshFailure(tx: Queryable, connectionId: string): Promise<void> {
  await tx
    .update(connectionCredentials)
    .set({ refreshFailures: sql`${connectionCredentials.refreshFailures} + 1` })
    .where(eq(connectionCredentials.connectionId, connectionId));
}
