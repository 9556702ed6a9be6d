// The action log: one row per action call (run.ts writes it on the service path, its input and
// output redacted by redact.ts), read back newest first with keyset paging. Members read their
// workspace's log through RLS (listActionLogsAsMember); the public API reads it on the service path
// for the key's workspace (queryActionLogs, always filtered by workspace).
import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { SessionUser } from '../auth/session-token';
import type { Db, Queryable } from '../db/engine';
import { actionLogs, apiKeys, profiles } from '../db/schema';
import { HttpError } from '../http/errors';
import { inWorkspace } from '../workspaces/access';
import { redactForLog, redactText } from './redact';
import { emitActionCompleted } from '../events/emitters';

export interface ActionLogDraft {
  id: string;
  workspaceId: string;
  connectionId: string | null;
  provider: string | null;
  apiKeyId: string | null;
  userId: string | null;
  action: string;
  status: 'succeeded' | 'failed';
  httpStatus: number;
  errorCode: string | null;
  error: string | null;
  latencyMs: number;
  providerRequests: number;
  idempotencyKey: string | null;
  replayed: boolean;
  retried: boolean;
  /** Stored redacted: pass them as they are. */
  input: unknown;
  output: unknown;
}

export async function insertActionLog(tx: Queryable, draft: ActionLogDraft): Promise<void> {
  await tx.insert(actionLogs).values({
    ...draft,
    action: draft.action.slice(0, 100),
    error: draft.error === null ? null : redactText(draft.error).slice(0, 2_000),
    latencyMs: Math.max(0, Math.round(draft.latencyMs)),
    input: redactForLog(draft.input),
    output: draft.output === undefined || draft.output === null ? null : redactForLog(draft.output),
  });
  // Every finished call is logged here, in the transaction that logs it: the one place to emit.
  await emitActionCompleted(tx, draft);
}

export const actionLogQuerySchema = z.object({
  connection: z.uuid({ error: 'connection must be a connection id' }).optional(),
  action: z
    .string()
    .regex(/^[a-z][a-z_]*(\.[a-z_]+)*$/, { error: 'action must be an action name such as contacts.lookup' })
    .max(64)
    .optional(),
  status: z.enum(['succeeded', 'failed'], { error: 'status must be succeeded or failed' }).optional(),
  limit: z.coerce.number({ error: 'limit must be a number' }).int().min(1).max(100).default(25),
  cursor: z.string().max(200).optional(),
});
export type ActionLogQuery = z.infer<typeof actionLogQuerySchema>;

/** Keyset position: the row's created_at in microseconds since the epoch (exact) and its id. */
interface Position {
  micros: number;
  id: string;
}

function encodeCursor(position: Position): string {
  return Buffer.from(JSON.stringify([position.micros, position.id])).toString('base64url');
}

function decodeCursor(cursor: string): Position {
  try {
    const [micros, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof micros === 'number' && Number.isSafeInteger(micros) && typeof id === 'string' && z.uuid().safeParse(id).success) return { micros, id };
  } catch {
    // fall through
  }
  throw new HttpError('validation_failed', 'cursor is not one this API gave out; start again without it.', [{ pointer: '/cursor', detail: 'unknown cursor' }]);
}

const micros = sql<number>`(extract(epoch from ${actionLogs.createdAt}) * 1000000)::bigint`;

export interface ActionLogEntry {
  id: string;
  connectionId: string | null;
  provider: string | null;
  action: string;
  status: 'succeeded' | 'failed';
  httpStatus: number;
  code: string | null;
  error: string | null;
  latencyMs: number;
  providerRequests: number;
  idempotencyKey: string | null;
  replayed: boolean;
  retried: boolean;
  actor:
    | { type: 'api_key'; id: string | null; name: string | null; prefix: string | null }
    | { type: 'user'; id: string | null; email: string | null };
  input: unknown;
  output: unknown;
  createdAt: Date;
}

/** One page of a workspace's log, newest first; `nextCursor` continues it (null at the end). */
export async function queryActionLogs(
  tx: Queryable,
  workspaceId: string,
  query: ActionLogQuery,
): Promise<{ data: ActionLogEntry[]; nextCursor: string | null }> {
  const filters: SQL[] = [eq(actionLogs.workspaceId, workspaceId)];
  if (query.connection) filters.push(eq(actionLogs.connectionId, query.connection));
  if (query.action) filters.push(eq(actionLogs.action, query.action));
  if (query.status) filters.push(eq(actionLogs.status, query.status));
  if (query.cursor) {
    const at = decodeCursor(query.cursor);
    filters.push(
      sql`(${actionLogs.createdAt}, ${actionLogs.id}) < (timestamptz 'epoch' + ${at.micros}::bigint * interval '1 microsecond', ${at.id}::uuid)`,
    );
  }
  const rows = await tx
    .select({
      row: actionLogs,
      micros,
      keyName: apiKeys.name,
      keyPrefix: apiKeys.prefix,
      userEmail: profiles.email,
    })
    .from(actionLogs)
    .leftJoin(apiKeys, and(eq(apiKeys.id, actionLogs.apiKeyId), eq(apiKeys.workspaceId, actionLogs.workspaceId)))
    .leftJoin(profiles, eq(profiles.id, actionLogs.userId))
    .where(and(...filters))
    .orderBy(desc(actionLogs.createdAt), desc(actionLogs.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    data: page.map(({ row, keyName, keyPrefix, userEmail }) => ({
      id: row.id,
      connectionId: row.connectionId,
      provider: row.provider,
      action: row.action,
      status: row.status,
      httpStatus: row.httpStatus,
      code: row.errorCode,
      error: row.error,
      latencyMs: row.latencyMs,
      providerRequests: row.providerRequests,
      idempotencyKey: row.idempotencyKey,
      replayed: row.replayed,
      retried: row.retried,
      actor: row.apiKeyId || !row.userId ? { type: 'api_key', id: row.apiKeyId, name: keyName, prefix: keyPrefix } : { type: 'user', id: row.userId, email: userEmail },
      input: row.input,
      output: row.output,
      createdAt: row.createdAt,
    })),
    nextCursor: rows.length > query.limit && last ? encodeCursor({ micros: Number(last.micros), id: last.row.id }) : null,
  };
}

/** The log as a member sees it in the app (RLS: members of the workspace read it). */
export async function listActionLogsAsMember(db: Db, user: SessionUser, workspaceId: string, query: ActionLogQuery) {
  return inWorkspace(db, user, workspaceId, 'viewer', ({ tx }) => queryActionLogs(tx, workspaceId, query));
}
