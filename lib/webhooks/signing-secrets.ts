// Per-connection Standard Webhooks signing secrets ("whsec_" + base64 of 32 random bytes). Shown
// to the admin once, when created or rotated; stored only encrypted, bound to the row id, in a
// table no API role can read. A rotated-out secret keeps verifying for a day, so senders can
// switch over without losing deliveries.
import crypto from 'node:crypto';
import { and, eq, gt, isNull, or, sql } from 'drizzle-orm';
import type { SessionUser } from '../auth/session-token';
import { recordActivity } from '../activity/activity';
import { findConnection } from '../connections/connections';
import { decryptSecret, encryptSecret, envelopeKeyId } from '../crypto/envelope';
import type { Db, Queryable } from '../db/engine';
import { asService } from '../db/rls';
import { connections, webhookSigningSecrets } from '../db/schema';
import { HttpError } from '../http/errors';

export const ROTATION_GRACE_MS = 24 * 60 * 60 * 1000;

const secretAad = (id: string) => `webhook-signing-secret:${id}`;

export function newSigningSecret(): string {
  return `whsec_${crypto.randomBytes(32).toString('base64')}`;
}

/** Creates the connection's signing secret, or rotates it; the answer is the only time it is shown. */
export async function rotateSigningSecret(db: Db, user: SessionUser, workspaceId: string, connectionId: string) {
  const connection = await findConnection(db, user, workspaceId, connectionId, 'admin');
  if (connection.status === 'disconnected') throw new HttpError('conflict', 'This connection is disconnected: reconnect it first.');
  const secret = newSigningSecret();
  const id = crypto.randomUUID();
  const envelope = encryptSecret(secret, secretAad(id));
  return asService(db, async (tx) => {
    // Two rotations at once would both insert a "current" secret: take turns on the connection row.
    await tx.select({ id: connections.id }).from(connections).where(eq(connections.id, connectionId)).for('update');
    const retired = await tx
      .update(webhookSigningSecrets)
      .set({ expiresAt: sql`now() + make_interval(secs => ${ROTATION_GRACE_MS / 1000})` })
      .where(and(eq(webhookSigningSecrets.connectionId, connectionId), isNull(webhookSigningSecrets.expiresAt)))
      .returning({ expiresAt: webhookSigningSecrets.expiresAt });
    const [created] = await tx
      .insert(webhookSigningSecrets)
      .values({ id, workspaceId, connectionId, keyId: envelopeKeyId(envelope), envelope, createdBy: user.userId })
      .returning({ createdAt: webhookSigningSecrets.createdAt });
    await recordActivity(tx, {
      workspaceId,
      actorId: user.userId,
      actorEmail: user.email,
      action: retired.length > 0 ? 'webhook.signing_secret_rotated' : 'webhook.signing_secret_created',
      targetType: 'connection',
      targetId: connectionId,
      details: { provider: connection.provider, account: connection.accountLabel },
    });
    return { secret, createdAt: created.createdAt, previousValidUntil: retired[0]?.expiresAt ?? null };
  });
}

/** Every secret that may verify a delivery now: the current one and any still in its grace period. */
export async function activeSigningSecrets(tx: Queryable, connectionId: string): Promise<string[]> {
  const rows = await tx
    .select({ id: webhookSigningSecrets.id, envelope: webhookSigningSecrets.envelope })
    .from(webhookSigningSecrets)
    .where(
      and(
        eq(webhookSigningSecrets.connectionId, connectionId),
        or(isNull(webhookSigningSecrets.expiresAt), gt(webhookSigningSecrets.expiresAt, sql`now()`)),
      ),
    );
  return rows.map((row) => decryptSecret(row.envelope, secretAad(row.id)));
}

/** What the setup panel may show about the secret: when, never what. */
export async function signingSecretFacts(tx: Queryable, connectionId: string) {
  const rows = await tx
    .select({ createdAt: webhookSigningSecrets.createdAt, expiresAt: webhookSigningSecrets.expiresAt })
    .from(webhookSigningSecrets)
    .where(
      and(
        eq(webhookSigningSecrets.connectionId, connectionId),
        or(isNull(webhookSigningSecrets.expiresAt), gt(webhookSigningSecrets.expiresAt, sql`now()`)),
      ),
    );
  const current = rows.find((row) => row.expiresAt === null);
  const previous = rows.find((row) => row.expiresAt !== null);
  return { configured: Boolean(current), createdAt: current?.createdAt ?? null, previousValidUntil: previous?.expiresAt ?? null };
}

/** Re-encrypts signing secrets under the newest key (key rotation). */
export async function reencryptSigningSecrets(db: Db, currentKeyId: string): Promise<number> {
  const stale = await asService(db, (tx) =>
    tx.select().from(webhookSigningSecrets).where(sql`${webhookSigningSecrets.keyId} <> ${currentKeyId}`),
  );
  for (const row of stale) {
    const envelope = encryptSecret(decryptSecret(row.envelope, secretAad(row.id)), secretAad(row.id));
    await asService(db, (tx) =>
      tx.update(webhookSigningSecrets).set({ envelope, keyId: envelopeKeyId(envelope) }).where(eq(webhookSigningSecrets.id, row.id)),
    );
  }
  return stale.length;
}
