import { signInSchema } from '@/lib/auth/local-accounts';
import { signIn } from '@/lib/auth/session';
import { publicHandler } from '@/lib/http/handler';
import { readJson } from '@/lib/http/route';

export const POST = publicHandler(async ({ request, db }) => {
  const user = await signIn(db, await readJson(request, signInSchema));
  return { user: { id: user.userId, email: user.email } };
});
