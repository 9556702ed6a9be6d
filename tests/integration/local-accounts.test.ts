import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalAccount, LOGIN_LIMIT, verifyLocalAccount } from '@/lib/auth/local-accounts';
import { rowsOf } from '@/lib/db/engine';
import { HttpError } from '@/lib/http/errors';
import { createTestDatabase, testEngine, type TestDatabase } from '../support/database';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

const password = 'a long enough password';

describe(`local accounts (${testEngine})`, () => {
  it('stores a bcrypt hash, never the password, and creates the profile', async () => {
    const user = await createLocalAccount(database.db, { email: 'ada@example.test', password, displayName: 'Ada' });
    const [row] = rowsOf<{ encrypted_password: string; display_name: string }>(
      await database.db.execute(sql`select u.encrypted_password, p.display_name from auth.users u
        join public.profiles p on p.id = u.id where u.id = ${user.userId}`),
    );
    expect(row.encrypted_password).toMatch(/^\$2a\$10\$[./A-Za-z0-9]{53}$/);
    expect(row.encrypted_password).not.toContain(password);
    expect(row.display_name).toBe('Ada');
  });

  it('refuses a second account for the same email with 409', async () => {
    await createLocalAccount(database.db, { email: 'twice@example.test', password });
    const error = await createLocalAccount(database.db, { email: 'twice@example.test', password }).catch((e) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(error.status).toBe(409);
    expect(error.code).toBe('already_exists');
  });

  it('signs in with the right password only', async () => {
    const user = await createLocalAccount(database.db, { email: 'grace@example.test', password });
    expect(await verifyLocalAccount(database.db, { email: 'grace@example.test', password }, 'c1')).toEqual(user);
    expect(await verifyLocalAccount(database.db, { email: 'grace@example.test', password: 'wrong' }, 'c1')).toBeNull();
    expect(await verifyLocalAccount(database.db, { email: 'nobody@example.test', password }, 'c1')).toBeNull();
  });

  it('locks an (email, client) pair out after too many failures, even with the right password — from that client only', async () => {
    await createLocalAccount(database.db, { email: 'target@example.test', password });
    for (let i = 0; i < LOGIN_LIMIT.attempts; i++) {
      expect(await verifyLocalAccount(database.db, { email: 'target@example.test', password: `guess-${i}` }, 'attacker')).toBeNull();
    }
    const error = await verifyLocalAccount(database.db, { email: 'target@example.test', password }, 'attacker').catch((e) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(error.status).toBe(429);
    expect(error.code).toBe('rate_limited');
    expect(error.retryAfterSeconds).toBeGreaterThan(0);
    // Failures from one client never lock the email out for another.
    expect(await verifyLocalAccount(database.db, { email: 'target@example.test', password }, 'the-owner')).not.toBeNull();
  });

  it('locks a client address out after failures spread over many emails', async () => {
    for (let i = 0; i < LOGIN_LIMIT.perAddress; i++) {
      await verifyLocalAccount(database.db, { email: `spray-${i}@example.test`, password }, 'sprayer');
    }
    await expect(verifyLocalAccount(database.db, { email: 'ada@example.test', password }, 'sprayer')).rejects.toMatchObject({
      status: 429,
    });
    expect(await verifyLocalAccount(database.db, { email: 'ada@example.test', password }, 'someone-else')).not.toBeNull();
  });

  it('clears the pair on success and counts nothing for it', async () => {
    await createLocalAccount(database.db, { email: 'clear@example.test', password });
    for (let i = 0; i < LOGIN_LIMIT.attempts - 1; i++) {
      await verifyLocalAccount(database.db, { email: 'clear@example.test', password: 'nope' }, 'forgetful');
    }
    expect(await verifyLocalAccount(database.db, { email: 'clear@example.test', password }, 'forgetful')).not.toBeNull();
    const [{ left }] = rowsOf<{ left: number }>(
      await database.db.execute(sql`select count(*)::int as left from app_private.login_attempts where key like ${'sign-in:clear@example.test|%'}`),
    );
    expect(left).toBe(0);
  });
});
