// POST { ids: [...] } or { all: true }: marks the member's own notifications read. Ids of anyone
// else's notifications match nothing. Answers { updated, unread }.
import { markNotificationsRead, markReadSchema } from '@/lib/notifications/inbox';
import { handler } from '@/lib/http/handler';
import { workspaceParams } from '@/lib/http/params';
import { readJson } from '@/lib/http/route';

export const POST = handler({ params: workspaceParams }, async ({ request, params, user, db }) =>
  markNotificationsRead(db, user, params.workspaceId, await readJson(request, markReadSchema)),
);
