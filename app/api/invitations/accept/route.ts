import { z } from 'zod';
import { linkTokenSchema } from '@/lib/auth/link-tokens';
import { handler } from '@/lib/http/handler';
import { readJson } from '@/lib/http/route';
import { acceptInvitation } from '@/lib/workspaces/invitations';

// Accepting the invitation a link stands for: the signed-in user, with the invited address verified.
export const POST = handler({}, async ({ request, user, db }) => {
  const { token } = await readJson(request, z.object({ token: linkTokenSchema }));
  return acceptInvitation(db, user, token);
});
