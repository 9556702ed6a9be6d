// Finding 2 (g): with SMTP_URL set, mail leaves through nodemailer to a real SMTP server (an
// smtp-server peer on 127.0.0.1 here), and the verification link it carries works.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '@/lib/auth/sign-up';
import { confirmEmail, isEmailVerified } from '@/lib/auth/verification';
import { rowsOf } from '@/lib/db/engine';
import { asService } from '@/lib/db/rls';
import { HttpError } from '@/lib/http/errors';
import { listOutbox } from '@/lib/mail/outbox';
import { addMember } from '@/lib/workspaces/members';
import { createWorkspace } from '@/lib/workspaces/workspaces';
import { createTestDatabase, createUser, testEngine, type TestDatabase } from '../support/database';
import { plainText, smtpPeer } from '../support/smtp';

const BASE = 'http://hub.example.test';
// Plain SMTP on loopback, with a password, as a relay in a private network would take it.
const smtp = smtpPeer({ user: 'hub', password: 'relay secret' });
const { received } = smtp;
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database.drop();
});

describe(`mail over SMTP (${testEngine})`, () => {
  it('delivers the verification mail to a real SMTP server, and its link verifies the address', async () => {
    const email = `smtp-${Date.now()}@example.test`;
    await signUp(database.db, { email, password: 'a long enough password' }, BASE);

    expect(received).toHaveLength(1);
    const [message] = received;
    expect(message.to).toEqual([email]);
    expect(message.from).toBe('no-reply@integration-hub.invalid');
    expect(message.raw).toMatch(/^Subject: Verify your email address for Integration Hub/m);
    const text = plainText(message.raw);
    const link = text.match(/https?:\/\/\S+/)?.[0];
    expect(link).toMatch(new RegExp(`^${BASE}/api/auth/verify-email\\?token=[A-Za-z0-9_-]{43}$`));
    // Nothing was kept in the outbox: it was sent.
    expect(await listOutbox(database.db, email)).toEqual([]);

    const [{ id }] = await asService(database.db, async (tx) =>
      rowsOf<{ id: string }>(await tx.execute(sql`select id from auth.users where email = ${email}`)),
    );
    expect(await isEmailVerified(database.db, id)).toBe(false);
    expect(await confirmEmail(database.db, new URL(link!).searchParams.get('token')!)).toBe('verified');
    expect(await isEmailVerified(database.db, id)).toBe(true);
  });

  it('sends invitations through the same server', async () => {
    const owner = await createUser(database, 'owner');
    const ws = await createWorkspace(database.db, owner, 'Over SMTP');
    const invitee = `invitee-${Date.now()}@example.test`;
    received.length = 0;
    await addMember(database.db, owner, ws.id, { email: invitee, role: 'viewer' }, { baseUrl: BASE });
    expect(received.map((m) => m.to)).toEqual([[invitee]]);
    expect(plainText(received[0].raw)).toMatch(new RegExp(`${BASE}/invitations/[A-Za-z0-9_-]{43}`));
  });

  it('answers 503 when the SMTP server refuses, without leaking what it said', async () => {
    process.env.SMTP_URL = `smtp://hub:wrong@127.0.0.1:${smtp.port}`;
    try {
      const error = await signUp(database.db, { email: `refused-${Date.now()}@example.test`, password: 'a long enough password' }, BASE).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(HttpError);
      expect((error as HttpError).code).toBe('unavailable');
      expect((error as HttpError).message).not.toMatch(/password|Invalid/i);
    } finally {
      process.env.SMTP_URL = smtp.url;
    }
  });
});
