import { signOut } from '@/lib/auth/session';
import { publicHandler } from '@/lib/http/handler';

// Ends this browser's session (the server-side row, not just the cookie).
export const POST = publicHandler(async ({ db }) => {
  await signOut(db);
  return { ok: true };
});
