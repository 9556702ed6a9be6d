// Local email + password accounts for the embedded default, stored in auth.users exactly where
// Supabase Auth keeps its users (bcrypt, `$2a$10$…`), so both produce the same user ids and RLS
// claims. Passwords are hashed in worker threads behind a gate (password-hashing.ts), never in
// the database or on the event loop; sign-in and sign-up are throttled (throttle.ts) before any
// hash is computed, and no database transaction stays open while one is.
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { rowsOf, type Db } from '../db/engine';
import { pgErrorCode, PG } from '../db/errors';
import { asService } from '../db/rls';
import { HttpError } from '../http/errors';
import { passwordHasher } from './password-hashing';
import type { SessionUser } from './session-token';
import { clearCounter, countAttempt, signInCounters, uncountAttempts, type Requester } from './throttle';

export { LOGIN_LIMIT, SIGN_UP_LIMIT, type Requester } from './throttle';

export const emailSchema = z
  .string({ error: 'Email is required' })
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: 'Enter a valid email address' }).max(254));

const noNul = (value: string) => !value.includes('\u0000');
const NUL_MESSAGE = 'must not contain NUL characters';

export const signUpSchema = z.object({
  email: emailSchema,
  password: z
    .string({ error: 'Password is required' })
    .min(10, { error: 'Use a password of at least 10 characters' })
    .max(200, { error: 'Use a password of at most 200 characters' })
    .refine(noNul, { error: `Password ${NUL_MESSAGE}` }),
  displayName: z.string().trim().max(80).refine(noNul, { error: `Name ${NUL_MESSAGE}` }).optional(),
});

export const signInSchema = z.object({
  email: emailSchema,
  password: z
    .string({ error: 'Password is required' })
    .min(1, { error: 'Password is required' })
    .max(200)
    .refine(noNul, { error: `Password ${NUL_MESSAGE}` }),
});

/** A bare string names the client address (tests and scripts); the app passes a Requester. */
function requesterOf(client: Requester | string): Requester {
  return typeof client === 'string' ? { address: client, device: null } : client;
}

/** Creates the account (the password hashed off the event loop); 409 already_exists when the email is taken. */
export async function createLocalAccount(db: Db, input: z.infer<typeof signUpSchema>): Promise<SessionUser> {
  // Hashed whether or not the email is taken, so both answers take as long.
  const hash = await passwordHasher().hash(input.password);
  try {
    const rows = await asService(db, async (tx) =>
      rowsOf<{ id: string; email: string }>(
        await tx.execute(sql`
          insert into auth.users (email, encrypted_password, raw_user_meta_data)
          values (${input.email}, ${hash}, jsonb_build_object('display_name', ${input.displayName ?? ''}::text))
          returning id, email`),
      ),
    );
    return { userId: rows[0].id, email: rows[0].email };
  } catch (error) {
    if (pgErrorCode(error) === PG.uniqueViolation) {
      throw new HttpError('already_exists', 'An account with this email already exists. Sign in instead.');
    }
    throw error;
  }
}

/**
 * Checks a password. Throws 429 (RateLimitedError, with its wait) when the (email, requester) pair
 * or the client address is over its limit, and 503 (HashingBusyError) when the hashing gate is
 * full; otherwise answers the account, or null for a wrong email or password (counted).
 */
export async function verifyLocalAccount(
  db: Db,
  input: z.infer<typeof signInSchema>,
  client: Requester | string,
): Promise<SessionUser | null> {
  const { pair, others } = signInCounters(input.email, requesterOf(client));
  // Counted as a failure before the hash runs (so concurrent guesses cannot all slip under the
  // limit); taken back if the check never ran, and cleared on success.
  const counted = await asService(db, async (tx) => {
    const ids = await countAttempt(tx, [pair, ...others], 'sign-in');
    const [account] = rowsOf<{ id: string; email: string; encrypted_password: string | null }>(
      await tx.execute(sql`select id, email, encrypted_password from auth.users where email = ${input.email}`),
    );
    return { ids, account };
  });
  let matched: boolean;
  try {
    // Runs whether or not the email has an account, so response time does not reveal accounts.
    matched = await passwordHasher().verify(input.password, counted.account?.encrypted_password);
  } catch (error) {
    await asService(db, (tx) => uncountAttempts(tx, counted.ids));
    throw error;
  }
  if (!matched || !counted.account) return null;
  await asService(db, (tx) => clearCounter(tx, pair.key, counted.ids));
  return { userId: counted.account.id, email: counted.account.email };
}
