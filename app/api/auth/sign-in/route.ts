import { signInSchema } from '@/lib/auth/local-accounts';
import { signIn } from '@/lib/auth/session';
import { retryAfterResponse } from '@/lib/auth/throttle';
import { publicHandler } from '@/lib/http/handler';
import { readJson } from '@/lib/http/route';

// 401 for a wrong email or password; 429 with Retry-After once this browser or address has failed
// too often for this email (lib/auth/throttle.ts); 503 with Retry-After when too many passwords
// are being checked at once (lib/auth/password-hashing.ts).
export const POST = publicHandler(async ({ request, db }) => {
  const input = await readJson(request, signInSchema);
  try {
    const user = await signIn(db, input);
    return { user: { id: user.userId, email: user.email } };
  } catch (error) {
    const refusal = retryAfterResponse(error);
    if (refusal) return refusal;
    throw error;
  }
});
