// A member's own notifications: the bell's listing (newest first, keyset-paged) with the unread
// count, and marking read. Runs as the user, so the policies return only the member's own rows;
// the user filter below states the same thing for readers and for the index.
import { and, count, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { SessionUser } from '../auth/session-token';
import type { Db, Tx } from '../db/engine';
import { notifications } from '../db/schema';
import { HttpError } from '../http/errors';
import { inWorkspace } from '../workspaces/access';

export const listNotificationsQuerySchema = z.object({
  cursor: z
    .string()
    .max(200)
    .regex(/^[A-Za-z0-9_-]+$/, { error: 'cursor must be a nextCursor from an earlier page' })
    .optional(),
  limit: z.coerce.number({ error: 'limit must be a number' }).int().min(1).max(50).default(20),
  unread: z.enum(['true', 'false'], { error: 'unread must be true or false' }).optional(),
});
export type ListNotificationsQuery = z.infer<typeof listNotificationsQuerySchema>;

export const markReadSchema = z.union(
  [
    z.object({ ids: z.array(z.uuid({ error: 'ids must be notification ids' })).min(1).max(100) }).strict(),
    z.object({ all: z.literal(true) }).strict(),
  ],
  { error: 'Send { "ids": [...] } or { "all": true }.' },
);
export type MarkReadInput = z.infer<typeof markReadSchema>;

export interface NotificationView {
  id: string;
  issueId: string | null;
  kind: string;
  severity: 'critical' | 'warning' | 'info';
  title: string;
  body: string;
  href: string | null;
  createdAt: string;
  readAt: string | null;
}

export interface NotificationList {
  notifications: NotificationView[];
  unread: number;
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

// The cursor is the last row's created_at in microseconds since the epoch and its id: exact, where
// a JavaScript Date (milliseconds) would skip or repeat rows created in the same millisecond.
function encodeCursor(micros: string, id: string): string {
  return Buffer.from(`${micros}.${id}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): { micros: string; id: string } {
  const match = /^(\d{1,20})\.([0-9a-f-]{36})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new HttpError('bad_request', 'cursor is not a nextCursor from an earlier page.');
  return { micros: match[1], id: match[2] };
}

const micros = sql<string>`((extract(epoch from ${notifications.createdAt}) * 1000000)::bigint)::text`;

async function unreadCount(tx: Tx, workspaceId: string, userId: string): Promise<number> {
  const [{ n }] = await tx
    .select({ n: count() })
    .from(notifications)
    .where(and(eq(notifications.workspaceId, workspaceId), eq(notifications.userId, userId), sql`${notifications.readAt} is null`));
  return Number(n);
}

export async function listNotifications(db: Db, user: SessionUser, workspaceId: string, query: ListNotificationsQuery): Promise<NotificationList> {
  return inWorkspace(db, user, workspaceId, 'viewer', async ({ tx }) => {
    const filters: SQL[] = [eq(notifications.workspaceId, workspaceId), eq(notifications.userId, user.userId)];
    if (query.unread === 'true') filters.push(sql`${notifications.readAt} is null`);
    if (query.cursor) {
      const after = decodeCursor(query.cursor);
      filters.push(
        sql`(${notifications.createdAt}, ${notifications.id}) < (timestamptz 'epoch' + ${after.micros}::bigint * interval '1 microsecond', ${after.id}::uuid)`,
      );
    }
    const rows = await tx
      .select({ row: notifications, micros })
      .from(notifications)
      .where(and(...filters))
      .orderBy(desc(notifications.createdAt), desc(notifications.id))
      .limit(query.limit + 1);
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      notifications: page.map(({ row }) => view(row)),
      unread: await unreadCount(tx, workspaceId, user.userId),
      nextCursor: rows.length > query.limit && last ? encodeCursor(String(last.micros), last.row.id) : null,
    };
  });
}

/** Marks the member's own notifications read; ids of anyone else's match nothing. */
export async function markNotificationsRead(
  db: Db,
  user: SessionUser,
  workspaceId: string,
  input: MarkReadInput,
): Promise<{ updated: number; unread: number }> {
  return inWorkspace(db, user, workspaceId, 'viewer', async ({ tx }) => {
    const filters: SQL[] = [eq(notifications.workspaceId, workspaceId), eq(notifications.userId, user.userId), sql`${notifications.readAt} is null`];
    if ('ids' in input) filters.push(inArray(notifications.id, input.ids));
    const updated = await tx
      .update(notifications)
      .set({ readAt: sql`now()` })
      .where(and(...filters))
      .returning({ id: notifications.id });
    return { updated: updated.length, unread: await unreadCount(tx, workspaceId, user.userId) };
  });
}

function view(row: typeof notifications.$inferSelect): NotificationView {
  return {
    id: row.id,
    issueId: row.issueId,
    kind: row.kind,
    severity: row.severity,
    title: row.title,
    body: row.body,
    href: row.href,
    createdAt: row.createdAt.toISOString(),
    readAt: row.readAt ? row.readAt.toISOString() : null,
  };
}
