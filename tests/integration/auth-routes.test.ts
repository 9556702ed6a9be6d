// Findings 13 and 2 over the app's own route handlers (Request in, Response out): sign-up and
// add-member answer byte for byte the same whether or not the address has an account, sign-up
// sets no session either way, and the mailed links work through their routes.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SessionUser } from '@/lib/auth/session-token';
import { rowsOf, type Db } from '@/lib/db/engine';
import { asService } from '@/lib/db/rls';
import { createTestDatabase, createUser, testEngine, type TestDatabase } from '../support/database';

const state = vi.hoisted(() => ({
  db: null as unknown as Db,
  cookies: new Map<string, string>(),
  setCookies: [] as string[],
}));

vi.mock('next/headers', () => ({
  cookies: async () => ({
    get: (name: string) => (state.cookies.has(name) ? { name, value: state.cookies.get(name)! } : undefined),
    getAll: () => [...state.cookies].map(([name, value]) => ({ name, value })),
    set: (name: string, value: string) => {
      state.setCookies.push(name);
      state.cookies.set(name, value);
    },
    delete: (name: string) => state.cookies.delete(name),
  }),
  headers: async () => new Headers(),
}));
vi.mock('@/lib/db/app-database', () => ({ getDb: async () => state.db }));

process.env.SESSION_SECRET ??= 'a test session secret of at least thirty-two characters';

const { POST: signUpRoute } = await import('@/app/api/auth/sign-up/route');
const { GET: verifyRoute } = await import('@/app/api/auth/verify-email/route');
const { POST: membersRoute } = await import('@/app/api/workspaces/[workspaceId]/members/route');
const { POST: acceptRoute } = await import('@/app/api/invitations/accept/route');
const { GET: outboxRoute } = await import('@/app/api/me/outbox/route');
const { SESSION_COOKIE, signSessionToken } = await import('@/lib/auth/session-token');
const { createLocalAccount } = await import('@/lib/auth/local-accounts');
const { createWorkspace } = await import('@/lib/workspaces/workspaces');

const APP = 'http://hub.test';
let database: TestDatabase;
let owner: SessionUser;

beforeAll(async () => {
  database = await createTestDatabase();
  state.db = database.db;
  owner = await createUser(database, 'owner');
});
afterAll(() => database.drop());
beforeEach(() => {
  state.cookies.clear();
  state.setCookies.length = 0;
});

async function signInAs(user: SessionUser | null) {
  state.cookies.clear();
  if (user) state.cookies.set(SESSION_COOKIE, await signSessionToken(user));
}

const json = (path: string, body: unknown) =>
  new Request(`${APP}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const ctx = (params: Record<string, string> = {}) => ({ params: Promise.resolve(params) });

/** Status, header names and body, with the address replaced, for comparing two answers. */
async function shape(response: Response, email: string) {
  return {
    status: response.status,
    headers: [...response.headers.keys()].sort(),
    body: (await response.text()).replaceAll(email, '<email>'),
  };
}

async function outboxLinks(user: SessionUser, kind: string): Promise<string[]> {
  await signInAs(user);
  const answer = (await (await outboxRoute(new Request(`${APP}/api/me/outbox`), ctx())).json()) as {
    enabled: boolean;
    mails: { kind: string; links: string[] }[];
  };
  expect(answer.enabled).toBe(true);
  return answer.mails.filter((m) => m.kind === kind).flatMap((m) => m.links);
}

describe(`auth and invitation routes (${testEngine})`, () => {
  it('answers sign-up identically for a new and an existing address, and sets no session either way', async () => {
    const taken = `taken-${Date.now()}@example.test`;
    await createLocalAccount(database.db, { email: taken, password: 'the holder password' });
    const fresh = `fresh-${Date.now()}@example.test`;

    const forNew = await signUpRoute(json('/api/auth/sign-up', { email: fresh, password: 'a long enough password' }), ctx());
    const forExisting = await signUpRoute(json('/api/auth/sign-up', { email: taken, password: 'a long enough password' }), ctx());
    expect(forNew.status).toBe(201);
    expect(await shape(forExisting, taken)).toEqual(await shape(forNew, fresh));
    expect(forNew.headers.get('set-cookie')).toBeNull();
    expect(state.setCookies).toEqual([]);
  });

  it('answers add-member identically for an address with an account and one without', async () => {
    const ws = await createWorkspace(database.db, owner, 'Routes');
    const existing = await createUser(database, 'existing');
    const unknown = `unknown-${Date.now()}@example.test`;
    await signInAs(owner);
    const path = `/api/workspaces/${ws.id}/members`;
    const forExisting = await membersRoute(json(path, { email: existing.email, role: 'member' }), ctx({ workspaceId: ws.id }));
    const forUnknown = await membersRoute(json(path, { email: unknown, role: 'member' }), ctx({ workspaceId: ws.id }));
    expect(forExisting.status).toBe(201);
    expect(await shape(forExisting, existing.email)).toEqual(await shape(forUnknown, unknown));
  });

  it('verifies through the mailed link once, and accepts an invitation only for its verified invitee', async () => {
    const email = `linked-${Date.now()}@example.test`;
    await signInAs(null);
    expect((await signUpRoute(json('/api/auth/sign-up', { email, password: 'a long enough password' }), ctx())).status).toBe(201);
    const [{ id: userId }] = await asService(database.db, async (tx) =>
      rowsOf<{ id: string }>(await tx.execute(sql`select id from auth.users where email = ${email}`)),
    );
    const invitee = { userId, email };

    const [verifyLink] = await outboxLinks(invitee, 'verify_email');
    expect(verifyLink.startsWith(`${APP}/api/auth/verify-email?token=`)).toBe(true);

    // Before verifying, the invitation is refused.
    const ws = await createWorkspace(database.db, owner, 'Join me');
    await signInAs(owner);
    await membersRoute(json(`/api/workspaces/${ws.id}/members`, { email, role: 'viewer' }), ctx({ workspaceId: ws.id }));
    const [invitationLink] = await outboxLinks(invitee, 'invitation');
    const token = new URL(invitationLink).pathname.split('/').pop()!;
    await signInAs(invitee);
    const early = await acceptRoute(json('/api/invitations/accept', { token }), ctx());
    expect(early.status).toBe(403);
    expect(((await early.json()) as { code: string }).code).toBe('forbidden');

    await signInAs(null);
    const followed = await verifyRoute(new Request(verifyLink), ctx());
    expect(followed.status).toBe(303);
    expect(followed.headers.get('location')).toBe(`${APP}/verify-email?status=verified`);
    const again = await verifyRoute(new Request(verifyLink), ctx());
    expect(again.headers.get('location')).toBe(`${APP}/verify-email?status=used`);
    const garbage = await verifyRoute(new Request(`${APP}/api/auth/verify-email?token=%00`), ctx());
    expect(garbage.headers.get('location')).toBe(`${APP}/verify-email?status=invalid`);

    // Someone else, signed in and verified, cannot use the link; the invitee can, once.
    await signInAs(owner);
    expect((await acceptRoute(json('/api/invitations/accept', { token }), ctx())).status).toBe(403);
    await signInAs(invitee);
    const accepted = await acceptRoute(json('/api/invitations/accept', { token }), ctx());
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toEqual({ workspaceId: ws.id, role: 'viewer', alreadyMember: false });
    expect((await acceptRoute(json('/api/invitations/accept', { token }), ctx())).status).toBe(409);
    // Signed out, the route asks for a session.
    await signInAs(null);
    expect((await acceptRoute(json('/api/invitations/accept', { token }), ctx())).status).toBe(401);
  });
});
