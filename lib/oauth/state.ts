// OAuth `state`: random, stored only as a hash, single-use, valid 10 minutes, bound to the user,
// the workspace, the provider and the browser that started the handshake (a cookie).
import crypto from 'node:crypto';
import { and, eq, isNull, lt, sql } from 'drizzle-orm';
import { decryptSecret, encryptSecret } from '../crypto/envelope';
import type { Db } from '../db/engine';
import { asService } from '../db/rls';
import { oauthStates } from '../db/schema';
import type { Environment } from '../providers/environment';

export const STATE_TTL_MS = 10 * 60 * 1000;

export const hashState = (state: string) => crypto.createHash('sha256').update(state, 'utf8').digest('hex');
const verifierAad = (stateHash: string) => `oauth-state:${stateHash}`;

/** The cookie that ties a handshake to the browser that started it. */
export const stateCookieName = (stateHash: string) => `ih_oauth_${stateHash.slice(0, 16)}`;

export interface NewState {
  workspaceId: string;
  userId: string;
  provider: string;
  connectionId?: string;
  codeVerifier?: string;
  environment: Environment;
  redirectUri: string;
  returnTo?: string;
}

export async function createState(db: Db, input: NewState, now = new Date()): Promise<{ state: string; stateHash: string }> {
  const state = crypto.randomBytes(32).toString('base64url');
  const stateHash = hashState(state);
  await asService(db, async (tx) => {
    // Old handshakes are useless after their expiry; clearing them here needs no scheduler.
    await tx.delete(oauthStates).where(lt(oauthStates.expiresAt, new Date(now.getTime() - 24 * 3600 * 1000)));
    await tx.insert(oauthStates).values({
      stateHash,
      workspaceId: input.workspaceId,
      userId: input.userId,
      provider: input.provider,
      connectionId: input.connectionId ?? null,
      codeVerifierEnvelope: input.codeVerifier ? encryptSecret(input.codeVerifier, verifierAad(stateHash)) : null,
      environment: input.environment,
      redirectUri: input.redirectUri,
      returnTo: input.returnTo ?? null,
      expiresAt: new Date(now.getTime() + STATE_TTL_MS),
    });
  });
  return { state, stateHash };
}

export type StateRow = typeof oauthStates.$inferSelect;

export type ConsumeResult =
  | { ok: true; row: StateRow; codeVerifier?: string }
  | { ok: false; reason: 'unknown_state' | 'state_reused' | 'state_expired'; row?: StateRow };

/** Marks the state used, atomically: of two callbacks racing with one state, one wins. */
export async function consumeState(db: Db, state: string, now = new Date()): Promise<ConsumeResult> {
  const stateHash = hashState(state);
  return asService(db, async (tx) => {
    const [consumed] = await tx
      .update(oauthStates)
      .set({ consumedAt: sql`now()` })
      .where(and(eq(oauthStates.stateHash, stateHash), isNull(oauthStates.consumedAt)))
      .returning();
    if (!consumed) {
      const [existing] = await tx.select().from(oauthStates).where(eq(oauthStates.stateHash, stateHash));
      return existing ? { ok: false as const, reason: 'state_reused' as const, row: existing } : { ok: false as const, reason: 'unknown_state' as const };
    }
    if (consumed.expiresAt.getTime() < now.getTime()) return { ok: false as const, reason: 'state_expired' as const, row: consumed };
    const codeVerifier = consumed.codeVerifierEnvelope
      ? decryptSecret(consumed.codeVerifierEnvelope, verifierAad(stateHash))
      : undefined;
    return { ok: true as const, row: consumed, codeVerifier };
  });
}
