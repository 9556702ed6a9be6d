import { handler } from '@/lib/http/handler';
import { listMyWorkspaces } from '@/lib/workspaces/workspaces';

export const GET = handler({}, async ({ user, db }) => ({
  user: { id: user.userId, email: user.email },
  workspaces: await listMyWorkspaces(db, user),
}));
