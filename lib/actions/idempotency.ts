// Idempotency-Key for write actions (IETF httpapi draft "The Idempotency-Key HTTP Header Field",
// with Stripe's storage rules): a pure state machine (decide, completionFor) and its table.
//
// * A write without a key is refused (400 idempotency_key_required).
// * Keys are workspace-scoped and kept 24 hours. A key is bound to the first request's hash
//   (action + connection + canonical JSON of the validated input): the same key with another body
//   is refused (422 idempotency_key_reused) for as long as the key is kept.
// * The first request takes the key with an insert … on conflict do nothing, committed before the
//   provider is called; concurrent requests with the key find it `running` under its lease and are
//   refused (409 idempotency_key_in_use): exactly one runs.
// * The answer is stored with the key, errors included (a 409 slot_unavailable replays as such),
//   and replayed for a repeated request (`Idempotent-Replayed: true`). Retryable failures (5xx,
//   provider_rate_limited, needs_reauth) are not stored: the key is `released`, and the next
//   request with the same body runs again.
// * A `running` key whose holder died (older than the lease: a crash, or a timeout after the
//   provider committed) is taken over by the next request with the same body. Taking over a
//   released or abandoned key sets `retry: true` in the ActionContext, so the handler first looks
//   for what the earlier attempt may have created.
import crypto from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { rowsOf, type Db, type Queryable } from '../db/engine';
import { asService } from '../db/rls';
import { idempotencyKeys, type IdempotencyKeyRow } from '../db/schema';
import { isErrorCode, type ErrorCode } from '../http/error-codes';
import { HttpError } from '../http/errors';
import { canonicalJson } from '../sync/canonical';

/** How long a key and its stored answer are kept. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/**
 * How long a running attempt holds its key. Longer than any action can take (a provider request
 * times out after 15 s; a refresh and one retry fit well within), so a key still running after this
 * was abandoned by its holder.
 */
export const IDEMPOTENCY_LEASE_MS = 60 * 1000;

const MAX_KEY_LENGTH = 255;

/**
 * The key from the request header. The draft makes it a structured-field string (`"abc"`); a bare
 * token is accepted too. Printable ASCII only, 1–255 characters. Null when the header is absent.
 */
export function parseIdempotencyKey(header: string | null | undefined): string | null {
  if (header === null || header === undefined) return null;
  let key = header.trim();
  if (key.length >= 2 && key.startsWith('"') && key.endsWith('"')) key = key.slice(1, -1).replace(/\\(["\\])/g, '$1');
  if (key.length === 0 || key.length > MAX_KEY_LENGTH || !/^[\x20-\x7e]+$/.test(key)) {
    throw new HttpError('bad_request', `The Idempotency-Key header must be 1–${MAX_KEY_LENGTH} printable ASCII characters.`);
  }
  return key;
}

/** The fingerprint a key is bound to: what is asked of which connection, with what input. */
export function requestFingerprint(request: { connectionId: string; action: string; input: unknown }): string {
  return crypto
    .createHash('sha256')
    .update(`${request.action}\n${request.connectionId}\n${canonicalJson(request.input ?? null)}`)
    .digest('hex');
}

/**
 * The key handed to provider handlers (ActionContext.idempotencyKey): stable for one client key in
 * one workspace, connection and action, and distinct across them. 64 lower-case hex characters, a
 * subset of what every provider accepts (Google event ids are base32hex: a–v, 0–9; Square takes
 * up to 45 characters of anything: slice it).
 */
export function providerIdempotencyKey(scope: { workspaceId: string; connectionId: string; action: string; key: string }): string {
  return crypto.createHash('sha256').update(`${scope.workspaceId}\n${scope.connectionId}\n${scope.action}\n${scope.key}`).digest('hex');
}

/** What the state machine needs of a stored key. */
export interface StoredKey {
  status: IdempotencyKeyRow['status'];
  requestHash: string;
  lockedAt: Date;
  expiresAt: Date;
  responseStatus: number | null;
  responseBody: unknown;
}

export type KeyDecision =
  /** Run the action. `retry`: an earlier attempt with this key may have done it already. `fresh`: the row starts over (expired). */
  | { kind: 'run'; retry: boolean; fresh: boolean }
  | { kind: 'replay'; status: number; body: unknown }
  | { kind: 'refuse'; code: Extract<ErrorCode, 'idempotency_key_reused' | 'idempotency_key_in_use'> };

/** What to do with a request whose key is already stored. */
export function decide(existing: StoredKey, requestHash: string, now: Date, leaseMs = IDEMPOTENCY_LEASE_MS): KeyDecision {
  // An expired key is as good as absent: the request starts it over, bound to its own body.
  if (existing.expiresAt.getTime() <= now.getTime()) return { kind: 'run', retry: false, fresh: true };
  if (existing.requestHash !== requestHash) return { kind: 'refuse', code: 'idempotency_key_reused' };
  switch (existing.status) {
    case 'completed':
      return { kind: 'replay', status: existing.responseStatus ?? 500, body: existing.responseBody };
    case 'released':
      return { kind: 'run', retry: true, fresh: false };
    case 'running':
      if (now.getTime() - existing.lockedAt.getTime() < leaseMs) return { kind: 'refuse', code: 'idempotency_key_in_use' };
      return { kind: 'run', retry: true, fresh: false };
  }
}

/** Codes whose answer is not final: the key is released so the same request can run again. */
const RETRYABLE: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['provider_rate_limited', 'needs_reauth', 'rate_limited', 'unavailable']);

/** Whether an answer is stored for replay, or the key released for a retry. */
export function completionFor(status: number, code?: string | null): 'store' | 'release' {
  if (status >= 500) return 'release';
  if (code && isErrorCode(code) && RETRYABLE.has(code)) return 'release';
  return 'store';
}

// ── The table ──────────────────────────────────────────────────────────────────────────────────

export interface KeyScope {
  workspaceId: string;
  key: string;
  connectionId: string;
  action: string;
  requestHash: string;
}

/** The key is ours until we complete or release it (the holder id proves it). */
export interface HeldKey {
  id: string;
  holder: string;
  retry: boolean;
}

export type Acquired = { kind: 'run'; held: HeldKey } | Exclude<KeyDecision, { kind: 'run' }>;

/**
 * Takes the key for this request, or says why not. Commits before returning, so a concurrent
 * request with the same key sees it `running`. Service path: every statement names the workspace.
 */
export async function acquireKey(db: Db, scope: KeyScope, options: { now?: Date; leaseMs?: number } = {}): Promise<Acquired> {
  const holder = crypto.randomUUID();
  return asService(db, async (tx) => {
    const now = options.now ?? (await databaseNow(tx));
    const expiresAt = new Date(now.getTime() + IDEMPOTENCY_TTL_MS);
    const [inserted] = await tx
      .insert(idempotencyKeys)
      .values({ ...scope, status: 'running', holder, lockedAt: now, expiresAt, createdAt: now })
      .onConflictDoNothing({ target: [idempotencyKeys.workspaceId, idempotencyKeys.key] })
      .returning({ id: idempotencyKeys.id });
    if (inserted) return { kind: 'run', held: { id: inserted.id, holder, retry: false } } as const;

    // Someone holds (or held) it: lock the row, so two requests cannot both take it over.
    const [existing] = await tx
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.workspaceId, scope.workspaceId), eq(idempotencyKeys.key, scope.key)))
      .for('update');
    // Deleted (by retention) between the two statements: the caller may simply ask again.
    if (!existing) return { kind: 'refuse', code: 'idempotency_key_in_use' } as const;
    const decision = decide(existing, scope.requestHash, now, options.leaseMs);
    if (decision.kind !== 'run') return decision;
    await tx
      .update(idempotencyKeys)
      .set(
        decision.fresh
          ? { ...scope, status: 'running', holder, lockedAt: now, attempts: 1, responseStatus: null, responseBody: null, createdAt: now, expiresAt, completedAt: null }
          : { status: 'running', holder, lockedAt: now, attempts: sql`${idempotencyKeys.attempts} + 1` },
      )
      .where(eq(idempotencyKeys.id, existing.id));
    return { kind: 'run', held: { id: existing.id, holder, retry: decision.retry } } as const;
  });
}

/**
 * Records the answer for replay (`store`) or frees the key for a retry (`release`), if this
 * attempt still holds it (one that outlived its lease may have been taken over: then the newer
 * attempt decides). Runs in the caller's transaction, beside the action log row.
 */
export async function finishKey(tx: Queryable, held: HeldKey, answer: { status: number; code?: string | null; body: unknown }): Promise<'store' | 'release'> {
  const how = completionFor(answer.status, answer.code);
  const owned = and(eq(idempotencyKeys.id, held.id), eq(idempotencyKeys.holder, held.holder), eq(idempotencyKeys.status, 'running'));
  if (how === 'store') {
    await tx
      .update(idempotencyKeys)
      .set({ status: 'completed', responseStatus: answer.status, responseBody: answer.body, completedAt: sql`now()` })
      .where(owned);
  } else {
    await tx.update(idempotencyKeys).set({ status: 'released' }).where(owned);
  }
  return how;
}

async function databaseNow(tx: Queryable): Promise<Date> {
  const [row] = rowsOf<{ now: Date | string }>(await tx.execute(sql`select now() as now`));
  return row.now instanceof Date ? row.now : new Date(row.now);
}
