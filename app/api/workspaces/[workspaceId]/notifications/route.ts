// GET: the signed-in member's own notifications in this workspace, newest first, with the unread
// count; `cursor` (the previous page's nextCursor), `limit` (1–50) and `unread=true` page and filter.
import { listNotifications, listNotificationsQuerySchema } from '@/lib/notifications/inbox';
import { handler } from '@/lib/http/handler';
import { workspaceParams } from '@/lib/http/params';
import { readQuery } from '@/lib/http/route';

export const GET = handler({ params: workspaceParams }, async ({ request, params, user, db }) =>
  listNotifications(db, user, params.workspaceId, readQuery(request, listNotificationsQuerySchema)),
);
