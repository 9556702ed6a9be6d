// Issue 12, findings 2 and 13: addresses are verified before they grant anything, invitations
// are accepted through their own link by their verified invitee, and neither sign-up nor
// add-member tells anyone whether an address has an account.
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalAccount, verifyLocalAccount } from '@/lib/auth/local-accounts';
import type { SessionUser } from '@/lib/auth/session-token';
import { signUp } from '@/lib/auth/sign-up';
import { accountEmail, confirmEmail, isEmailVerified, sendVerificationMail, VERIFICATION_TTL_HOURS } from '@/lib/auth/verification';
import { rowsOf } from '@/lib/db/engine';
import { asService } from '@/lib/db/rls';
import { DEMO_ADMIN, seedDemo } from '@/lib/db/seed';
import { emailVerificationTokens, invitationTokens } from '@/lib/db/schema';
import { HttpError, type ErrorCode } from '@/lib/http/errors';
import { listOutbox } from '@/lib/mail/outbox';
import { acceptInvitation, INVITATION_TTL_DAYS, previewInvitation, resendInvitation } from '@/lib/workspaces/invitations';
import { addMember, listMembers, revokeInvitation } from '@/lib/workspaces/members';
import { createWorkspace, getWorkspace, listMyWorkspaces } from '@/lib/workspaces/workspaces';
import { createTestDatabase, createUser, testEngine, type TestDatabase } from '../support/database';
import { addMemberAndAccept, latestLinkToken } from '../support/members';

const BASE = 'http://app.test';
const password = 'a long enough password';

let database: TestDatabase;
let owner: SessionUser;
let counter = 0;

beforeAll(async () => {
  database = await createTestDatabase();
  owner = await createUser(database, 'owner');
});
afterAll(() => database.drop());

const freshEmail = (label: string) => `${label}-${++counter}-${Date.now()}@example.test`;

async function failure(promise: Promise<unknown>): Promise<HttpError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, 'expected the call to fail').toBeInstanceOf(HttpError);
  return error as HttpError;
}

async function expectRefused(promise: Promise<unknown>, code: ErrorCode, message?: RegExp) {
  const error = await failure(promise);
  expect(error.code).toBe(code);
  if (message) expect(error.message).toMatch(message);
}

async function membershipRole(user: SessionUser, workspaceId: string): Promise<string | null> {
  return getWorkspace(database.db, user, workspaceId).then(
    (w) => w.role,
    () => null,
  );
}

async function accountIdOf(email: string): Promise<string | null> {
  const rows = await asService(database.db, async (tx) =>
    rowsOf<{ id: string }>(await tx.execute(sql`select id from auth.users where email = ${email}`)),
  );
  return rows[0]?.id ?? null;
}

describe(`email verification and invitations (${testEngine})`, () => {
  // Finding 2 (a)
  it('signing up as an invited address grants nothing, not even an owner invitation', async () => {
    const ws = await createWorkspace(database.db, owner, 'Squatted');
    const email = freshEmail('invited-owner');
    await addMember(database.db, owner, ws.id, { email, role: 'owner' }, { baseUrl: BASE });

    await signUp(database.db, { email, password }, BASE);
    const squatter = { userId: (await accountIdOf(email))!, email };
    expect(squatter.userId).toBeTruthy();

    expect(await membershipRole(squatter, ws.id)).toBeNull();
    expect(await listMyWorkspaces(database.db, squatter)).toEqual([]);
    const { invitations, members } = await listMembers(database.db, owner, ws.id);
    expect(invitations.map((i) => i.email)).toEqual([email]);
    expect(members.map((m) => m.email)).toEqual([owner.email]);
    // Still unverified, the account cannot use the invitation link either.
    await expectRefused(
      acceptInvitation(database.db, squatter, await latestLinkToken(database.db, email, 'invitation')),
      'forbidden',
      /Verify/,
    );
    expect(await membershipRole(squatter, ws.id)).toBeNull();
  });

  // Finding 2 (b)
  it('adding an existing but unverified account as a member does not attach it', async () => {
    const ws = await createWorkspace(database.db, owner, 'Unverified');
    const unverified = await createUser(database, 'unverified', { verified: false });
    const answer = await addMember(database.db, owner, ws.id, { email: unverified.email, role: 'admin' }, { baseUrl: BASE });
    expect(answer.outcome).toBe('invited');
    expect(await membershipRole(unverified, ws.id)).toBeNull();
    const token = await latestLinkToken(database.db, unverified.email, 'invitation');
    await expectRefused(acceptInvitation(database.db, unverified, token), 'forbidden', /Verify/);
    expect(await membershipRole(unverified, ws.id)).toBeNull();
  });

  // Finding 13 (c)
  it('answers add-member identically whether or not the address has an account', async () => {
    const ws = await createWorkspace(database.db, owner, 'Same answer');
    const existing = await createUser(database, 'existing');
    const unknown = freshEmail('nobody');
    const forExisting = await addMember(database.db, owner, ws.id, { email: existing.email, role: 'viewer' }, { baseUrl: BASE });
    const forUnknown = await addMember(database.db, owner, ws.id, { email: unknown, role: 'viewer' }, { baseUrl: BASE });
    expect({ ...forExisting, email: '<email>' }).toEqual({ ...forUnknown, email: '<email>' });
    expect(forExisting).toEqual({ outcome: 'invited', email: existing.email, role: 'viewer' });
    // Neither became a member; both are pending invitations with a mailed link.
    expect(await membershipRole(existing, ws.id)).toBeNull();
    const { invitations } = await listMembers(database.db, owner, ws.id);
    expect(invitations.map((i) => i.email).sort()).toEqual([existing.email, unknown].sort());
    const subjects = await Promise.all(
      [existing.email, unknown].map(async (email) => (await listOutbox(database.db, email)).map((m) => [m.kind, m.subject])),
    );
    expect(subjects[0]).toEqual(subjects[1]);
    expect(subjects[0]).toEqual([['invitation', 'You are invited to Same answer on Integration Hub']]);
    // A second add of either answers the same 409.
    for (const email of [existing.email, unknown]) {
      await expectRefused(addMember(database.db, owner, ws.id, { email, role: 'viewer' }), 'already_exists', /already been invited/);
    }
  });

  // Finding 13 (d)
  it('answers sign-up for an existing address exactly as for a new one, and tells the holder instead', async () => {
    const taken = freshEmail('taken');
    const holder = await createLocalAccount(database.db, { email: taken, password });
    const fresh = freshEmail('fresh');

    const forNew = await signUp(database.db, { email: fresh, password: 'new person password' }, BASE);
    const forExisting = await signUp(database.db, { email: taken, password: 'attacker password' }, BASE);
    const normalize = (a: typeof forNew) => JSON.stringify(a).replaceAll(a.email, '<email>');
    expect(normalize(forExisting)).toBe(normalize(forNew));
    expect(forNew.status).toBe('verification_sent');

    // Nothing about the existing account changed: same single account, same password.
    const rows = await asService(database.db, async (tx) =>
      rowsOf<{ n: number }>(await tx.execute(sql`select count(*)::int as n from auth.users where email = ${taken}`)),
    );
    expect(rows[0].n).toBe(1);
    expect(await verifyLocalAccount(database.db, { email: taken, password }, 'c-d')).toEqual(holder);
    expect(await verifyLocalAccount(database.db, { email: taken, password: 'attacker password' }, 'c-d2')).toBeNull();

    // The new address got a verification link; the holder got a note, with no link that verifies.
    expect((await listOutbox(database.db, fresh)).map((m) => m.kind)).toEqual(['verify_email']);
    const notes = await listOutbox(database.db, taken);
    expect(notes.map((m) => m.kind)).toEqual(['sign_up_attempt']);
    expect(notes[0].links).toEqual([`${BASE}/sign-in`]);
  });

  // Finding 2 (e)
  it('verifies an address with a single-use link that expires after a day', async () => {
    const email = freshEmail('verify');
    await signUp(database.db, { email, password }, BASE);
    const userId = (await accountIdOf(email))!;
    expect(await isEmailVerified(database.db, userId)).toBe(false);

    const [mail] = await listOutbox(database.db, email);
    expect(mail.links[0]).toMatch(new RegExp(`^${BASE}/api/auth/verify-email\\?token=[A-Za-z0-9_-]{43}$`));
    const token = await latestLinkToken(database.db, email, 'verify_email');
    // Only the hash is stored.
    const stored = await asService(database.db, (tx) =>
      tx.select().from(emailVerificationTokens).where(eq(emailVerificationTokens.userId, userId)),
    );
    expect(stored).toHaveLength(1);
    expect(stored[0].tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(token);

    expect(await confirmEmail(database.db, token)).toBe('verified');
    expect(await isEmailVerified(database.db, userId)).toBe(true);
    expect(await confirmEmail(database.db, token)).toBe('used');
    expect(await confirmEmail(database.db, 'A'.repeat(43))).toBe('invalid');

    // A link followed after its 24 hours does nothing.
    const late = await createUser(database, 'late', { verified: false });
    const sentAt = new Date();
    await sendVerificationMail(database.db, late, BASE, sentAt);
    const lateToken = await latestLinkToken(database.db, late.email, 'verify_email');
    const afterExpiry = new Date(sentAt.getTime() + VERIFICATION_TTL_HOURS * 3_600_000 + 1000);
    expect(await confirmEmail(database.db, lateToken, afterExpiry)).toBe('expired');
    expect(await isEmailVerified(database.db, late.userId)).toBe(false);
    // Within the day it works (and spends it).
    expect(await confirmEmail(database.db, lateToken, new Date(sentAt.getTime() + 60_000))).toBe('verified');
    expect(await confirmEmail(database.db, lateToken)).toBe('used');
  });

  it('binds a verification link to the address it was sent to', async () => {
    const user = await createUser(database, 'moved', { verified: false });
    await sendVerificationMail(database.db, user, BASE);
    const token = await latestLinkToken(database.db, user.email, 'verify_email');
    await asService(database.db, (tx) => tx.execute(sql`update auth.users set email = ${freshEmail('elsewhere')} where id = ${user.userId}`));
    expect(await confirmEmail(database.db, token)).toBe('invalid');
    expect((await accountEmail(database.db, user.userId))?.verified).toBe(false);
  });

  // Finding 2 (f)
  it('refuses an invitation link used by another user or by the unverified invitee, and accepts it once', async () => {
    const ws = await createWorkspace(database.db, owner, 'Accept');
    const email = freshEmail('invitee');
    await addMember(database.db, owner, ws.id, { email, role: 'member' }, { baseUrl: BASE });
    const token = await latestLinkToken(database.db, email, 'invitation');
    expect(await previewInvitation(database.db, token)).toMatchObject({
      workspaceId: ws.id,
      workspaceName: 'Accept',
      email,
      role: 'member',
      inviterEmail: owner.email,
      status: 'pending',
    });

    // Someone else, verified, holding the forwarded link.
    const stranger = await createUser(database, 'stranger');
    await expectRefused(acceptInvitation(database.db, stranger, token), 'forbidden', /sent to/);
    expect(await membershipRole(stranger, ws.id)).toBeNull();
    // A session claiming the invited address does not help: the account's own address counts.
    await expectRefused(acceptInvitation(database.db, { userId: stranger.userId, email }, token), 'forbidden', /sent to/);

    // The invitee before verifying.
    await signUp(database.db, { email, password }, BASE);
    const invitee = { userId: (await accountIdOf(email))!, email };
    await expectRefused(acceptInvitation(database.db, invitee, token), 'forbidden', /Verify/);
    expect(await membershipRole(invitee, ws.id)).toBeNull();

    // Verified, the invitee accepts, once.
    expect(await confirmEmail(database.db, await latestLinkToken(database.db, email, 'verify_email'))).toBe('verified');
    expect(await acceptInvitation(database.db, invitee, token)).toEqual({ workspaceId: ws.id, role: 'member', alreadyMember: false });
    expect(await membershipRole(invitee, ws.id)).toBe('member');
    await expectRefused(acceptInvitation(database.db, invitee, token), 'conflict', /already been accepted/);
    expect((await previewInvitation(database.db, token))?.status).toBe('accepted');
    expect((await listMembers(database.db, owner, ws.id)).invitations).toEqual([]);
  });

  it('expires invitation links, replaces them on resend, and forgets them on revoke', async () => {
    const ws = await createWorkspace(database.db, owner, 'Links');
    const invitee = await createUser(database, 'linked');
    const sentAt = new Date();
    await addMember(database.db, owner, ws.id, { email: invitee.email, role: 'viewer' }, { baseUrl: BASE });
    const first = await latestLinkToken(database.db, invitee.email, 'invitation');
    const late = new Date(sentAt.getTime() + INVITATION_TTL_DAYS * 86_400_000 + 60_000);
    await expectRefused(acceptInvitation(database.db, invitee, first, late), 'conflict', /expired/);
    expect((await previewInvitation(database.db, first, late))?.status).toBe('expired');

    const [invitation] = (await listMembers(database.db, owner, ws.id)).invitations;
    await resendInvitation(database.db, owner, ws.id, invitation.id, BASE);
    const second = await latestLinkToken(database.db, invitee.email, 'invitation');
    expect(second).not.toBe(first);
    await expectRefused(acceptInvitation(database.db, invitee, first), 'not_found');
    const stored = await asService(database.db, (tx) =>
      tx.select().from(invitationTokens).where(eq(invitationTokens.invitationId, invitation.id)),
    );
    expect(JSON.stringify(stored)).not.toContain(second);

    await revokeInvitation(database.db, owner, ws.id, invitation.id);
    await expectRefused(acceptInvitation(database.db, invitee, second), 'not_found');
    expect(await membershipRole(invitee, ws.id)).toBeNull();
  });

  it('lets only admins resend, and only owners resend an owner invitation', async () => {
    const ws = await createWorkspace(database.db, owner, 'Resend rights');
    const admin = await createUser(database, 'admin');
    await addMemberAndAccept(database.db, owner, ws.id, { email: admin.email, role: 'admin' });
    await addMember(database.db, owner, ws.id, { email: freshEmail('future-owner'), role: 'owner' }, { baseUrl: BASE });
    const [ownerInvitation] = (await listMembers(database.db, owner, ws.id)).invitations;
    await expectRefused(resendInvitation(database.db, admin, ws.id, ownerInvitation.id, BASE), 'forbidden', /owner/);
    const outsider = await createUser(database, 'outsider');
    await expectRefused(resendInvitation(database.db, outsider, ws.id, ownerInvitation.id, BASE), 'not_found');
  });

  it('seeds the demo admin verified, so the demo can invite and be invited', async () => {
    await seedDemo(database);
    await asService(database.db, (tx) => tx.execute(sql`update auth.users set email_confirmed_at = null where email = ${DEMO_ADMIN.email}`));
    await seedDemo(database); // an embedded database seeded before verification existed
    const id = (await accountIdOf(DEMO_ADMIN.email))!;
    expect(await isEmailVerified(database.db, id)).toBe(true);
  });

  it('shows each address only its own mail in the outbox', async () => {
    const a = freshEmail('mine');
    const b = freshEmail('theirs');
    await signUp(database.db, { email: a, password }, BASE);
    await signUp(database.db, { email: b, password }, BASE);
    const mine = await listOutbox(database.db, a);
    expect(mine).toHaveLength(1);
    expect(mine[0].text).toContain(a);
    expect(mine[0].text).not.toContain(b);
    expect(await listOutbox(database.db, a.toUpperCase())).toHaveLength(1);
  });
});
