// Local email + password accounts for the embedded default, stored in auth.users exactly where
// Supabase Auth keeps its users (bcrypt through pgcrypto's crypt()), so both produce the same
// user ids and RLS claims.
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { rowsOf, type Db } from '../db/engine';
import { pgErrorCode, PG } from '../db/errors';
import { asService } from '../db/rls';
import { HttpError } from '../http/errors';
import type { SessionUser } from './session-token';

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

/** Failed attempts allowed per email and per client address within the window. */
export const LOGIN_LIMIT = { attempts: 5, windowMinutes: 15 };

// A bcrypt hash of nothing anybody knows; compared against when the email has no account.
const TIMING_DUMMY_HASH = '$2a$10$CwTycUXWue0Thq9StjUM0uJ8DPLKXt1FYlwYpQW6ZQ1Gd8v3sY3Wa';

export async function createLocalAccount(db: Db, input: z.infer<typeof signUpSchema>): Promise<SessionUser> {
  try {
    const rows = await asService(db, async (tx) =>
      rowsOf<{ id: string; email: string }>(
        await tx.execute(sql`
          insert into auth.users (email, encrypted_password, raw_user_meta_data)
          values (${input.email}, crypt(${input.password}, gen_salt('bf', 10)),
                  jsonb_build_object('display_name', ${input.displayName ?? ''}::text))
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

/** Checks a password, counting failures; throws 429 once the email or client is over the limit. */
export async function verifyLocalAccount(
  db: Db,
  input: z.infer<typeof signInSchema>,
  clientKey: string,
): Promise<SessionUser | null> {
  const keys = [`email:${input.email}`, `client:${clientKey}`];
  return asService(db, async (tx) => {
    const [{ failures }] = rowsOf<{ failures: number }>(
      await tx.execute(sql`
        select count(*)::int as failures from app_private.login_attempts
        where key in (${keys[0]}, ${keys[1]})
          and attempted_at > now() - make_interval(mins => ${LOGIN_LIMIT.windowMinutes})
        group by key order by 1 desc limit 1`),
    ).concat([{ failures: 0 }]);
    if (failures >= LOGIN_LIMIT.attempts) {
      throw new HttpError('rate_limited', `Too many failed sign-in attempts. Try again in ${LOGIN_LIMIT.windowMinutes} minutes.`);
    }
    // crypt() runs whether or not the email exists, so response time does not reveal accounts.
    const users = rowsOf<{ id: string; email: string }>(
      await tx.execute(sql`
        select u.id, u.email from (select 1) as one
        left join auth.users u on u.email = ${input.email}
        where crypt(${input.password}, coalesce(u.encrypted_password, ${TIMING_DUMMY_HASH}))
              = u.encrypted_password`),
    );
    if (users.length === 0) {
      await tx.execute(sql`insert into app_private.login_attempts (key) values (${keys[0]}), (${keys[1]})`);
      return null;
    }
    await tx.execute(sql`delete from app_private.login_attempts where key = ${keys[0]}`);
    return { userId: users[0].id, email: users[0].email };
  });
}
