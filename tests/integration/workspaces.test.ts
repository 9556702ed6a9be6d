import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listActivity } from '@/lib/activity/activity';
import { createLocalAccount } from '@/lib/auth/local-accounts';
import { confirmEmail, sendVerificationMail } from '@/lib/auth/verification';
import { HttpError, type ErrorCode } from '@/lib/http/errors';
import { addMember, changeMemberRole, listMembers, removeMember, revokeInvitation } from '@/lib/workspaces/members';
import { createWorkspace, getWorkspace, listMyWorkspaces, renameWorkspace } from '@/lib/workspaces/workspaces';
import { createTestDatabase, createUser, testEngine, type TestDatabase } from '../support/database';
import type { SessionUser } from '@/lib/auth/session-token';
import { acceptInvitation } from '@/lib/workspaces/invitations';
import { addMemberAndAccept, latestLinkToken } from '../support/members';

let database: TestDatabase;
let owner: SessionUser;
let colleague: SessionUser;

beforeAll(async () => {
  database = await createTestDatabase();
  owner = await createUser(database, 'owner');
  colleague = await createUser(database, 'colleague');
});
afterAll(() => database.drop());

async function expectHttpError(promise: Promise<unknown>, status: number, message?: RegExp, code?: ErrorCode) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, 'expected the call to fail').toBeInstanceOf(HttpError);
  expect((error as HttpError).status).toBe(status);
  if (message) expect((error as HttpError).message).toMatch(message);
  if (code) expect((error as HttpError).code).toBe(code);
}

describe(`workspaces and members (${testEngine})`, () => {
  it('makes the creator the owner and logs the creation', async () => {
    const ws = await createWorkspace(database.db, owner, '  Acme Support ');
    expect(ws.role).toBe('owner');
    const mine = await listMyWorkspaces(database.db, owner);
    expect(mine.map((w) => w.id)).toContain(ws.id);
    const log = await listActivity(database.db, owner, ws.id, { pageSize: 25 });
    expect(log.entries.map((e) => e.action)).toEqual(['member.added', 'workspace.created']);
    expect(log.entries[1].actorEmail).toBe(owner.email);
  });

  it('invites an existing account, which joins by accepting; changes the role, removes it, and logs each step', async () => {
    const ws = await createWorkspace(database.db, owner, 'Role changes');
    expect(await addMember(database.db, owner, ws.id, { email: colleague.email, role: 'viewer' })).toEqual({
      outcome: 'invited',
      email: colleague.email,
      role: 'viewer',
    });
    await expectHttpError(getWorkspace(database.db, colleague, ws.id), 404);
    await acceptInvitation(database.db, colleague, await latestLinkToken(database.db, colleague.email, 'invitation'));
    expect((await getWorkspace(database.db, colleague, ws.id)).role).toBe('viewer');
    await changeMemberRole(database.db, owner, ws.id, colleague.userId, 'admin');
    expect((await getWorkspace(database.db, colleague, ws.id)).role).toBe('admin');
    await removeMember(database.db, owner, ws.id, colleague.userId);
    await expectHttpError(getWorkspace(database.db, colleague, ws.id), 404);

    const log = await listActivity(database.db, owner, ws.id, { pageSize: 25 });
    expect(log.entries.map((e) => e.action).slice(0, 3)).toEqual([
      'member.removed',
      'member.role_changed',
      'member.added',
    ]);
    expect(log.entries[1].details).toMatchObject({ email: colleague.email, from: 'viewer', to: 'admin' });
    const filtered = await listActivity(database.db, owner, ws.id, { action: 'member.role_changed', pageSize: 25 });
    expect(filtered.total).toBe(1);
    // The colleague's one act: joining (accepting the invitation).
    const byActor = await listActivity(database.db, owner, ws.id, { actor: colleague.userId, pageSize: 25 });
    expect(byActor.entries.map((e) => e.action)).toEqual(['member.added']);
  });

  it('invites an email without an account; the newcomer signs up, verifies and accepts to become a member', async () => {
    const ws = await createWorkspace(database.db, owner, 'Invitations');
    const email = `later-${Date.now()}@example.test`;
    expect(await addMember(database.db, owner, ws.id, { email, role: 'member' })).toEqual({ outcome: 'invited', email, role: 'member' });
    await expectHttpError(addMember(database.db, owner, ws.id, { email, role: 'member' }), 409, /already been invited/, 'already_exists');
    const newcomer = await createLocalAccount(database.db, { email, password: 'correct horse battery' });
    await expectHttpError(getWorkspace(database.db, newcomer, ws.id), 404);
    await sendVerificationMail(database.db, newcomer, 'http://app.test');
    expect(await confirmEmail(database.db, await latestLinkToken(database.db, email, 'verify_email'))).toBe('verified');
    await acceptInvitation(database.db, newcomer, await latestLinkToken(database.db, email, 'invitation'));
    expect((await getWorkspace(database.db, newcomer, ws.id)).role).toBe('member');
    const { invitations, members } = await listMembers(database.db, owner, ws.id);
    expect(invitations).toEqual([]);
    expect(members.map((m) => m.email).sort()).toEqual([email, owner.email].sort());
  });

  it('revokes a pending invitation', async () => {
    const ws = await createWorkspace(database.db, owner, 'Revoke');
    await addMember(database.db, owner, ws.id, { email: 'nobody-yet@example.test', role: 'viewer' });
    const { invitations } = await listMembers(database.db, owner, ws.id);
    await revokeInvitation(database.db, owner, ws.id, invitations[0].id);
    expect((await listMembers(database.db, owner, ws.id)).invitations).toEqual([]);
    await expectHttpError(revokeInvitation(database.db, owner, ws.id, invitations[0].id), 404);
  });

  it('never removes or demotes the last owner', async () => {
    const ws = await createWorkspace(database.db, owner, 'Last owner');
    await expectHttpError(removeMember(database.db, owner, ws.id, owner.userId), 409, /at least one owner/, 'conflict');
    await expectHttpError(changeMemberRole(database.db, owner, ws.id, owner.userId, 'admin'), 409, /at least one owner/);
    await addMemberAndAccept(database.db, owner, ws.id, { email: colleague.email, role: 'owner' });
    await changeMemberRole(database.db, owner, ws.id, owner.userId, 'admin');
    expect((await getWorkspace(database.db, owner, ws.id)).role).toBe('admin');
  });

  it('keeps admins from touching owners and members from managing anyone', async () => {
    const ws = await createWorkspace(database.db, owner, 'Ladder');
    const admin = await createUser(database, 'admin');
    const member = await createUser(database, 'member');
    await addMemberAndAccept(database.db, owner, ws.id, { email: admin.email, role: 'admin' });
    await addMemberAndAccept(database.db, owner, ws.id, { email: member.email, role: 'member' });
    await expectHttpError(changeMemberRole(database.db, admin, ws.id, owner.userId, 'viewer'), 403, /owner/, 'forbidden');
    await expectHttpError(addMember(database.db, admin, ws.id, { email: 'x@example.test', role: 'owner' }), 403);
    await expectHttpError(removeMember(database.db, admin, ws.id, owner.userId), 403);
    await expectHttpError(addMember(database.db, member, ws.id, { email: 'y@example.test', role: 'viewer' }), 403, /admin/);
    await expectHttpError(renameWorkspace(database.db, member, ws.id, 'Nope'), 403);
    await changeMemberRole(database.db, admin, ws.id, member.userId, 'viewer');
    await removeMember(database.db, member, ws.id, member.userId);
    await expectHttpError(getWorkspace(database.db, member, ws.id), 404);
  });

  it('answers 404 for a workspace the user does not belong to', async () => {
    const ws = await createWorkspace(database.db, owner, 'Private');
    const outsider = await createUser(database, 'outsider');
    await expectHttpError(getWorkspace(database.db, outsider, ws.id), 404, /not a member/, 'not_found');
    await expectHttpError(listActivity(database.db, outsider, ws.id, { pageSize: 10 }), 404);
    await expectHttpError(listMembers(database.db, outsider, '00000000-0000-4000-8000-000000000000'), 404);
  });

  it('paginates the activity log newest first', async () => {
    const ws = await createWorkspace(database.db, owner, 'Paging');
    for (let i = 0; i < 4; i++) await renameWorkspace(database.db, owner, ws.id, `Paging ${i}`);
    const first = await listActivity(database.db, owner, ws.id, { pageSize: 2 });
    const second = await listActivity(database.db, owner, ws.id, { pageSize: 2, after: first.nextCursor ?? undefined });
    expect(first.total).toBe(6);
    expect(first.entries.map((e) => e.details)).toEqual([
      { from: 'Paging 2', to: 'Paging 3' },
      { from: 'Paging 1', to: 'Paging 2' },
    ]);
    expect(second.entries.map((e) => e.details)).toEqual([
      { from: 'Paging 0', to: 'Paging 1' },
      { from: 'Paging', to: 'Paging 0' },
    ]);
  });
});
