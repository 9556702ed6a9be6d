import { z } from 'zod';
import { revokeSession } from '@/lib/auth/sessions';
import { handler } from '@/lib/http/handler';
import { notFound } from '@/lib/http/errors';

// Ends one of the signed-in account's own sessions (another device, say).
export const DELETE = handler({ params: z.object({ sessionId: z.uuid({ error: 'sessionId must be a UUID' }) }) }, async ({ user, params, db }) => {
  if (!(await revokeSession(db, user.userId, params.sessionId))) throw notFound('No such session of yours is active.');
  return { ok: true };
});
