// Workspace API keys for the public API (/api/v1) and the MCP endpoint. A key is `ihk_` and 32
// random bytes (base64url), shown once when it is created; the database keeps only its SHA-256
// and its first characters (the prefix lists show). Keys belong to one workspace, carry scopes,
// and are revoked rather than deleted (the action log keeps pointing at them).
//
// Admins list, create and revoke through inWorkspace (RLS: only owners and admins see the rows, and
// no API role can read key_hash at all); the writes themselves are the service path's, after that
// check. authenticateApiKey is the API's way in: one indexed lookup by hash, never a comparison
// of secrets, so its time says nothing about how close a guess was.
import crypto from 'node:crypto';
import { and, count, desc, eq, isNull, lt, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { SessionUser } from '../auth/session-token';
import { recordActivity } from '../activity/activity';
import type { Db } from '../db/engine';
import { asService } from '../db/rls';
import { apiKeys, profiles } from '../db/schema';
import { HttpError, notFound } from '../http/errors';
import { parseWith } from '../http/route';
import { inWorkspace } from '../workspaces/access';
import { API_KEY_PATTERN, API_KEY_PREFIX_LENGTH, API_SCOPES, isApiScope, type ApiScope } from './scopes';

export { API_SCOPES, type ApiScope } from './scopes';

/** Active keys a workspace may hold at once. */
export const MAX_ACTIVE_KEYS = 50;
/** last_used_at is written at most this often per key (not once per call). */
export const LAST_USED_PRECISION_MS = 60_000;

export const createApiKeySchema = z.object({
  name: z
    .string({ error: 'name is required' })
    .trim()
    .min(1, { error: 'Give the key a name' })
    .max(80, { error: 'A key name is at most 80 characters' })
    .refine((name) => !name.includes('\u0000'), 'must not contain NUL characters'),
  scopes: z
    .array(z.enum(API_SCOPES, { error: `scopes are ${API_SCOPES.join(', ')}` }), { error: 'scopes must be a list' })
    .min(1, { error: 'Choose at least one scope' })
    .max(API_SCOPES.length)
    .transform((scopes) => API_SCOPES.filter((scope) => scopes.includes(scope))),
});
export type CreateApiKeyInput = z.input<typeof createApiKeySchema>;

/** What the browser may see of a key: never its hash, never its secret (except once, at creation). */
export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  scopes: ApiScope[];
  createdBy: string | null;
  createdByEmail: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  revokedBy: string | null;
}

/** Every column but key_hash: the only ones `authenticated` may select. */
const VISIBLE = {
  id: apiKeys.id,
  name: apiKeys.name,
  prefix: apiKeys.prefix,
  scopes: apiKeys.scopes,
  createdBy: apiKeys.createdBy,
  createdAt: apiKeys.createdAt,
  lastUsedAt: apiKeys.lastUsedAt,
  revokedAt: apiKeys.revokedAt,
  revokedBy: apiKeys.revokedBy,
};

type VisibleRow = { [K in keyof typeof VISIBLE]: (typeof apiKeys.$inferSelect)[K] };

function toView(row: VisibleRow, createdByEmail: string | null = null): ApiKeyView {
  return { ...row, scopes: row.scopes.filter(isApiScope), createdByEmail };
}

export function hashApiKey(secret: string): string {
  return crypto.createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function generateApiKey(): { secret: string; prefix: string; hash: string } {
  const secret = `ihk_${crypto.randomBytes(32).toString('base64url')}`;
  return { secret, prefix: secret.slice(0, API_KEY_PREFIX_LENGTH), hash: hashApiKey(secret) };
}

/** The workspace's keys, newest first, active and revoked (admins only). */
export async function listApiKeys(db: Db, user: SessionUser, workspaceId: string): Promise<ApiKeyView[]> {
  return inWorkspace(db, user, workspaceId, 'admin', async ({ tx }) => {
    const rows = await tx
      .select({ ...VISIBLE, createdByEmail: profiles.email })
      .from(apiKeys)
      .leftJoin(profiles, eq(profiles.id, apiKeys.createdBy))
      .where(eq(apiKeys.workspaceId, workspaceId))
      .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
    return rows.map(({ createdByEmail, ...row }) => toView(row, createdByEmail));
  });
}

/** Creates a key; the answer holds its secret, which is never available again. */
export async function createApiKey(
  db: Db,
  user: SessionUser,
  workspaceId: string,
  input: CreateApiKeyInput,
): Promise<{ key: ApiKeyView; secret: string }> {
  const parsed = parseWith(createApiKeySchema, input);
  await inWorkspace(db, user, workspaceId, 'admin', async () => undefined);
  const { secret, prefix, hash } = generateApiKey();
  const key = await asService(db, async (tx) => {
    // One creation at a time per workspace, so the cap below holds under concurrent requests.
    await tx.execute(sql`select pg_advisory_xact_lock(7401, hashtext(${workspaceId}))`);
    const [{ active }] = await tx
      .select({ active: count() })
      .from(apiKeys)
      .where(and(eq(apiKeys.workspaceId, workspaceId), isNull(apiKeys.revokedAt)));
    if (Number(active) >= MAX_ACTIVE_KEYS) {
      throw new HttpError('conflict', `A workspace can hold ${MAX_ACTIVE_KEYS} active API keys; revoke one first.`);
    }
    const [row] = await tx
      .insert(apiKeys)
      .values({ workspaceId, name: parsed.name, prefix, keyHash: hash, scopes: parsed.scopes, createdBy: user.userId })
      .returning(VISIBLE);
    await recordActivity(tx, {
      workspaceId,
      actorId: user.userId,
      actorEmail: user.email,
      action: 'api_key.created',
      targetType: 'api_key',
      targetId: row.id,
      details: { name: row.name, prefix: row.prefix, scopes: row.scopes },
    });
    return row;
  });
  return { key: toView(key, user.email), secret };
}

/** Revokes a key at once: the next request with it answers 401. Revoking twice changes nothing. */
export async function revokeApiKey(db: Db, user: SessionUser, workspaceId: string, keyId: string): Promise<ApiKeyView> {
  const existing = await inWorkspace(db, user, workspaceId, 'admin', async ({ tx }) => {
    const [row] = await tx
      .select(VISIBLE)
      .from(apiKeys)
      .where(and(eq(apiKeys.id, keyId), eq(apiKeys.workspaceId, workspaceId)));
    if (!row) throw notFound('That API key does not exist in this workspace.');
    return row;
  });
  if (existing.revokedAt) return toView(existing);
  const revoked = await asService(db, async (tx) => {
    const [row] = await tx
      .update(apiKeys)
      .set({ revokedAt: sql`now()`, revokedBy: user.userId })
      .where(and(eq(apiKeys.id, keyId), eq(apiKeys.workspaceId, workspaceId), isNull(apiKeys.revokedAt)))
      .returning(VISIBLE);
    if (!row) return null;
    await recordActivity(tx, {
      workspaceId,
      actorId: user.userId,
      actorEmail: user.email,
      action: 'api_key.revoked',
      targetType: 'api_key',
      targetId: row.id,
      details: { name: row.name, prefix: row.prefix },
    });
    return row;
  });
  forget(keyId);
  return toView(revoked ?? existing);
}

/** Who a valid key speaks for. */
export interface ApiKeyIdentity {
  keyId: string;
  workspaceId: string;
  name: string;
  prefix: string;
  scopes: ApiScope[];
}

/** When each key's last_used_at was last written by this process. */
const lastWritten = new Map<string, number>();
const MAX_REMEMBERED = 10_000;

function forget(keyId: string) {
  lastWritten.delete(keyId);
}

/**
 * The key a bearer token names, or null when it is malformed, unknown or revoked. Service path:
 * there is no user yet. Notes the key's use (at most once a minute per key).
 */
export async function authenticateApiKey(db: Db, bearer: string | null | undefined, now = new Date()): Promise<ApiKeyIdentity | null> {
  if (!bearer || !API_KEY_PATTERN.test(bearer)) return null;
  const hash = hashApiKey(bearer);
  const row = await asService(db, async (tx) => {
    const [found] = await tx
      .select({ id: apiKeys.id, workspaceId: apiKeys.workspaceId, name: apiKeys.name, prefix: apiKeys.prefix, scopes: apiKeys.scopes, lastUsedAt: apiKeys.lastUsedAt })
      .from(apiKeys)
      .where(and(eq(apiKeys.keyHash, hash), isNull(apiKeys.revokedAt)));
    if (!found) return null;
    const previous = Math.max(lastWritten.get(found.id) ?? 0, found.lastUsedAt?.getTime() ?? 0);
    if (now.getTime() - previous >= LAST_USED_PRECISION_MS) {
      // The condition keeps other processes (and a stale memory here) to one write a minute too.
      await tx
        .update(apiKeys)
        .set({ lastUsedAt: now })
        .where(and(eq(apiKeys.id, found.id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, new Date(now.getTime() - LAST_USED_PRECISION_MS)))));
      if (lastWritten.size >= MAX_REMEMBERED) lastWritten.clear();
      lastWritten.set(found.id, now.getTime());
    }
    return found;
  });
  if (!row) return null;
  return { keyId: row.id, workspaceId: row.workspaceId, name: row.name, prefix: row.prefix, scopes: row.scopes.filter(isApiScope) };
}
