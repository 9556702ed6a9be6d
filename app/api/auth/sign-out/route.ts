import { signOut } from '@/lib/auth/session';
import { publicHandler } from '@/lib/http/handler';

export const POST = publicHandler(async () => {
  await signOut();
  return { ok: true };
});
