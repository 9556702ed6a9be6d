// Endpoint signing secrets at rest: AES-256-GCM envelopes (lib/crypto) bound to the row id, in a
// table no API role can read. The current secret has no expires_at; rotating gives the previous
// one an expiry ROTATION_GRACE_MS ahead, and until then deliveries carry both signatures.
import crypto from 'node:crypto';
import { and, asc, eq, gt, inArray, isNull, or, sql } from 'drizzle-orm';
import { decryptSecret, encryptSecret, envelopeKeyId } from '../crypto/envelope';
import type { Db, Queryable } from '../db/engine';
import { asService } from '../db/rls';
import { outboundEndpointSecrets } from '../db/schema';
import { newEndpointSecret } from './signing';

export const ROTATION_GRACE_MS = 24 * 60 * 60 * 1000;

const secretAad = (id: string) => `outbound-endpoint-secret:${id}`;

/** Makes a new current secret for the endpoint (retiring the current one, if any, after the grace period). */
export async function storeNewSecret(
  tx: Queryable,
  workspaceId: string,
  endpointId: string,
  createdBy: string | null,
  now: Date = new Date(),
): Promise<{ secret: string; previousValidUntil: Date | null }> {
  const secret = newEndpointSecret();
  const id = crypto.randomUUID();
  const envelope = encryptSecret(secret, secretAad(id));
  const validUntil = new Date(now.getTime() + ROTATION_GRACE_MS);
  const retired = await tx
    .update(outboundEndpointSecrets)
    .set({ expiresAt: validUntil })
    .where(and(eq(outboundEndpointSecrets.endpointId, endpointId), isNull(outboundEndpointSecrets.expiresAt)))
    .returning({ id: outboundEndpointSecrets.id });
  await tx.insert(outboundEndpointSecrets).values({ id, workspaceId, endpointId, keyId: envelopeKeyId(envelope), envelope, createdBy });
  return { secret, previousValidUntil: retired.length > 0 ? validUntil : null };
}

/** Every secret that signs now, per endpoint, the current one first. */
export async function activeSecrets(tx: Queryable, endpointIds: string[], now: Date = new Date()): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>();
  if (endpointIds.length === 0) return result;
  const rows = await tx
    .select({ id: outboundEndpointSecrets.id, endpointId: outboundEndpointSecrets.endpointId, envelope: outboundEndpointSecrets.envelope, expiresAt: outboundEndpointSecrets.expiresAt })
    .from(outboundEndpointSecrets)
    .where(
      and(
        inArray(outboundEndpointSecrets.endpointId, endpointIds),
        or(isNull(outboundEndpointSecrets.expiresAt), gt(outboundEndpointSecrets.expiresAt, now)),
      ),
    )
    .orderBy(sql`${outboundEndpointSecrets.expiresAt} is not null`, asc(outboundEndpointSecrets.createdAt));
  for (const row of rows) {
    const list = result.get(row.endpointId) ?? [];
    list.push(decryptSecret(row.envelope, secretAad(row.id)));
    result.set(row.endpointId, list);
  }
  return result;
}

/** Re-encrypts endpoint secrets under the newest key (key rotation, lib/crypto/rotate-all.ts). */
export async function reencryptEndpointSecrets(db: Db, currentKeyId: string): Promise<number> {
  const stale = await asService(db, (tx) => tx.select().from(outboundEndpointSecrets).where(sql`${outboundEndpointSecrets.keyId} <> ${currentKeyId}`));
  for (const row of stale) {
    const envelope = encryptSecret(decryptSecret(row.envelope, secretAad(row.id)), secretAad(row.id));
    await asService(db, (tx) => tx.update(outboundEndpointSecrets).set({ envelope, keyId: envelopeKeyId(envelope) }).where(eq(outboundEndpointSecrets.id, row.id)));
  }
  return stale.length;
}
