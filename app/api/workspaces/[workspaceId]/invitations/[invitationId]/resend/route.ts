import { handler } from '@/lib/http/handler';
import { invitationParams } from '@/lib/http/params';
import { mailLinkBase } from '@/lib/mail/config';
import { resendInvitation } from '@/lib/workspaces/invitations';

export const POST = handler({ params: invitationParams }, async ({ request, params, user, db }) =>
  resendInvitation(db, user, params.workspaceId, params.invitationId, mailLinkBase(request)),
);
