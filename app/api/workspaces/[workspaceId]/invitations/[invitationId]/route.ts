import { handler } from '@/lib/http/handler';
import { invitationParams } from '@/lib/http/params';
import { revokeInvitation } from '@/lib/workspaces/members';

export const DELETE = handler({ params: invitationParams }, async ({ params, user, db }) => {
  await revokeInvitation(db, user, params.workspaceId, params.invitationId);
  return { ok: true };
});
