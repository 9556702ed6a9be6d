// Issue 12, finding 12 over the app's own route handlers: sessions live in the database, so they
// can be revoked — sign-out ends the session (a replayed cookie is refused), "sign out everywhere"
// ends all of the account's, sign-in rotates the session id, a privilege change made by someone
// else (role change, removal) ends the person's sessions, a verified address rotates the token;
// idle and absolute limits; Supabase mode uses Supabase Auth's own scopes.
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SessionUser } from '@/lib/auth/session-token';
import { rowsOf } from '@/lib/db/engine';
import { asService } from '@/lib/db/rls';
import { createTestDatabase, createUser, testEngine, type TestDatabase } from '../support/database';
import { addMemberAndAccept, latestLinkToken } from '../support/members';
import { Browser, send, useDb } from './auth-browser';

vi.mock('next/headers', () => import('./auth-browser').then((m) => m.nextHeadersMock));
vi.mock('@/lib/db/app-database', () => import('./auth-browser').then((m) => m.appDatabaseMock));

const supabase = vi.hoisted(() => ({ enabled: false, user: null as { userId: string; email: string } | null, signOuts: [] as unknown[] }));
vi.mock('@/lib/auth/supabase', () => ({
  supabaseAuthEnabled: () => supabase.enabled,
  getSupabaseSession: async () => supabase.user,
  supabaseServerClient: async () => ({
    auth: {
      signOut: async (options?: unknown) => {
        supabase.signOuts.push(options);
        return { error: null };
      },
    },
  }),
}));

process.env.SESSION_SECRET ??= 'a test session secret of at least thirty-two characters';

const { POST: signInRoute } = await import('@/app/api/auth/sign-in/route');
const { POST: signOutRoute } = await import('@/app/api/auth/sign-out/route');
const { POST: everywhereRoute } = await import('@/app/api/auth/sign-out-everywhere/route');
const { GET: verifyRoute } = await import('@/app/api/auth/verify-email/route');
const { GET: meRoute } = await import('@/app/api/me/route');
const { GET: sessionsRoute } = await import('@/app/api/me/sessions/route');
const { DELETE: endSessionRoute } = await import('@/app/api/me/sessions/[sessionId]/route');
const { PATCH: roleRoute, DELETE: removeRoute } = await import('@/app/api/workspaces/[workspaceId]/members/[userId]/route');
const { createLocalAccount } = await import('@/lib/auth/local-accounts');
const { signSessionToken } = await import('@/lib/auth/session-token');
const sessions = await import('@/lib/auth/sessions');
const { signUp } = await import('@/lib/auth/sign-up');
const { createWorkspace } = await import('@/lib/workspaces/workspaces');

const PASSWORD = 'a session test password';
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  useDb(database.db);
});
afterAll(() => database.drop());
afterEach(() => {
  supabase.enabled = false;
  supabase.user = null;
  supabase.signOuts.length = 0;
});

let counter = 0;
async function account(label: string): Promise<SessionUser> {
  const email = `${label}-${++counter}-${Date.now()}@example.test`;
  return createLocalAccount(database.db, { email, password: PASSWORD });
}

const signIn = (browser: Browser, user: SessionUser) => send(browser, signInRoute, '/api/auth/sign-in', { body: { email: user.email, password: PASSWORD } });
const me = (browser: Browser) => send(browser, meRoute, '/api/me');
/** A browser holding a session cookie (a replayed copy of another's, or a fresh one). */
function browserWith(token: string): Browser {
  const browser = new Browser();
  browser.cookies.set('ih_session', token);
  return browser;
}
async function sessionBrowser(user: SessionUser): Promise<Browser> {
  return browserWith(await signSessionToken(user));
}

describe(`server-side sessions (${testEngine})`, () => {
  it('keeps the session in the database: the cookie is an opaque token, stored only as its hash', async () => {
    const user = await account('opaque');
    const browser = new Browser();
    expect((await signIn(browser, user)).status).toBe(200);
    const token = browser.session!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const rows = await asService(database.db, async (tx) =>
      rowsOf<{ token_hash: string; user_agent: string }>(
        await tx.execute(sql`select token_hash, user_agent from app_private.sessions where user_id = ${user.userId}::uuid`),
      ),
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0].token_hash).not.toContain(token);
    expect(rows[0].user_agent).toBe('Mozilla/5.0 (test browser)');
    expect((await me(browser)).status).toBe(200);
  });

  it('refuses a signed-out session, even when its cookie is replayed', async () => {
    const user = await account('signout');
    const browser = new Browser();
    await signIn(browser, user);
    const stolen = browser.session!;
    expect((await send(browser, signOutRoute, '/api/auth/sign-out', { method: 'POST' })).status).toBe(200);
    expect(browser.session).toBeUndefined();
    const replay = await me(browserWith(stolen));
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as { code: string }).code).toBe('unauthorized');
  });

  it('rotates the session id on sign-in: the session the browser held before ends', async () => {
    const user = await account('rotate');
    const browser = new Browser();
    await signIn(browser, user);
    const first = browser.session!;
    expect((await signIn(browser, user)).status).toBe(200);
    const second = browser.session!;
    expect(second).not.toBe(first);
    expect((await me(browserWith(first))).status).toBe(401);
    expect((await me(browserWith(second))).status).toBe(200);
  });

  it("signs out everywhere: every session of the account ends, and nobody else's", async () => {
    const user = await account('everywhere');
    const laptop = new Browser(null, 'laptop');
    const phone = new Browser(null, 'phone');
    await signIn(laptop, user);
    await signIn(phone, user);
    const bystander = await sessionBrowser(await account('bystander'));

    const listed = (await (await send(laptop, sessionsRoute, '/api/me/sessions')).json()) as { sessions: { userAgent: string; current: boolean }[] };
    expect(listed.sessions.map((s) => [s.userAgent, s.current]).sort()).toEqual([
      ['laptop', true],
      ['phone', false],
    ]);

    const answer = await send(laptop, everywhereRoute, '/api/auth/sign-out-everywhere', { method: 'POST' });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ ok: true, ended: 2 });
    expect(laptop.session).toBeUndefined();
    const phoneToken = phone.session!;
    expect((await me(phone)).status).toBe(401);
    expect((await me(browserWith(phoneToken))).status).toBe(401);
    expect((await me(bystander)).status).toBe(200);
    // Signed out, the route asks for a session.
    expect((await send(laptop, everywhereRoute, '/api/auth/sign-out-everywhere', { method: 'POST' })).status).toBe(401);
  });

  it('ends one session of your own from the list, and no one else’s', async () => {
    const user = await account('list');
    const laptop = new Browser(null, 'laptop');
    const phone = new Browser(null, 'phone');
    await signIn(laptop, user);
    await signIn(phone, user);
    const listed = (await (await send(laptop, sessionsRoute, '/api/me/sessions')).json()) as { sessions: { id: string; current: boolean }[] };
    const phoneSession = listed.sessions.find((s) => !s.current)!;
    const stranger = await sessionBrowser(await account('stranger'));
    const notTheirs = await send(stranger, endSessionRoute, `/api/me/sessions/${phoneSession.id}`, { method: 'DELETE', params: { sessionId: phoneSession.id } });
    expect(notTheirs.status).toBe(404);
    expect((await me(phone)).status).toBe(200);
    const ended = await send(laptop, endSessionRoute, `/api/me/sessions/${phoneSession.id}`, { method: 'DELETE', params: { sessionId: phoneSession.id } });
    expect(ended.status).toBe(200);
    expect((await me(phone)).status).toBe(401);
    expect((await me(laptop)).status).toBe(200);
  });

  it("ends a member's sessions when someone else changes their role or removes them; leaving does not", async () => {
    const owner = await createUser(database, 'owner');
    const member = await createUser(database, 'member');
    const ws = await createWorkspace(database.db, owner, 'Sessions');
    await addMemberAndAccept(database.db, owner, ws.id, { email: member.email, role: 'member' });
    const ownerBrowser = await sessionBrowser(owner);
    const memberBrowser = await sessionBrowser(member);
    expect((await me(memberBrowser)).status).toBe(200);

    const params = { workspaceId: ws.id, userId: member.userId };
    const path = `/api/workspaces/${ws.id}/members/${member.userId}`;
    expect((await send(ownerBrowser, roleRoute, path, { method: 'PATCH', body: { role: 'admin' }, params })).status).toBe(200);
    expect((await me(memberBrowser)).status).toBe(401);
    expect((await me(ownerBrowser)).status).toBe(200);

    const again = await sessionBrowser(member);
    expect((await send(ownerBrowser, removeRoute, path, { method: 'DELETE', params })).status).toBe(200);
    expect((await me(again)).status).toBe(401);

    // Leaving a workspace yourself keeps you signed in.
    const other = await createWorkspace(database.db, owner, 'Leave me');
    await addMemberAndAccept(database.db, owner, other.id, { email: member.email, role: 'viewer' });
    const leaver = await sessionBrowser(member);
    const leave = { workspaceId: other.id, userId: member.userId };
    expect((await send(leaver, removeRoute, `/api/workspaces/${other.id}/members/${member.userId}`, { method: 'DELETE', params: leave })).status).toBe(200);
    expect((await me(leaver)).status).toBe(200);
  });

  it('gives the session a new token when its address is verified in it', async () => {
    const email = `verify-${Date.now()}@example.test`;
    await signUp(database.db, { email, password: PASSWORD }, 'http://hub.test');
    const [{ id }] = await asService(database.db, async (tx) => rowsOf<{ id: string }>(await tx.execute(sql`select id from auth.users where email = ${email}`)));
    const browser = new Browser();
    await signIn(browser, { userId: id, email });
    const before = browser.session!;
    const token = await latestLinkToken(database.db, email, 'verify_email');
    const followed = await send(browser, verifyRoute, `/api/auth/verify-email?token=${token}`);
    expect(followed.status).toBe(303);
    expect(followed.headers.get('location')).toBe('http://hub.test/verify-email?status=verified');
    expect(browser.session).not.toBe(before);
    expect((await me(browserWith(before))).status).toBe(401);
    expect((await me(browser)).status).toBe(200);
  });

  it('ends sessions after the idle limit and the absolute limit; writes last_seen_at at most once a minute', async () => {
    const user = await account('limits');
    const start = new Date('2026-12-01T12:00:00Z');
    const at = (seconds: number) => new Date(start.getTime() + seconds * 1000);
    const issued = (await sessions.createSession(database.db, user.userId, {}, start))!;
    const lastSeen = async () =>
      (
        await asService(database.db, async (tx) =>
          rowsOf<{ seen: string }>(await tx.execute(sql`select last_seen_at::text as seen from app_private.sessions where id = ${issued.id}::uuid`)),
        )
      )[0].seen;
    const seenAtStart = await lastSeen();
    expect(await sessions.resolveSession(database.db, issued.token, at(30))).toMatchObject({ userId: user.userId });
    expect(await lastSeen()).toBe(seenAtStart);
    expect(await sessions.resolveSession(database.db, issued.token, at(61))).not.toBeNull();
    expect(await lastSeen()).not.toBe(seenAtStart);

    // Used every six days, it lives until the absolute limit and not a moment longer.
    const day = 24 * 60 * 60;
    let t = 61;
    while (t + 6 * day < sessions.SESSION_MAX_SECONDS) {
      t += 6 * day;
      expect(await sessions.resolveSession(database.db, issued.token, at(t)), `day ${t / day}`).not.toBeNull();
    }
    expect(await sessions.resolveSession(database.db, issued.token, at(sessions.SESSION_MAX_SECONDS))).toBeNull();

    // Left alone past the idle limit, it ends.
    const idle = (await sessions.createSession(database.db, user.userId, {}, start))!;
    expect(await sessions.resolveSession(database.db, idle.token, at(sessions.SESSION_IDLE_SECONDS - 60))).not.toBeNull();
    expect(await sessions.resolveSession(database.db, idle.token, at(2 * sessions.SESSION_IDLE_SECONDS))).toBeNull();

    // Garbage and unknown tokens name nothing.
    expect(await sessions.resolveSession(database.db, 'not.a.token\u0001', start)).toBeNull();
    expect(await sessions.resolveSession(database.db, 'A'.repeat(43), start)).toBeNull();
  });

  it('also ends Supabase Auth sessions (auth.sessions) where that table exists', async () => {
    const user = await account('supabase-rows');
    await asService(database.db, async (tx) => {
      await tx.execute(sql`create table if not exists auth.sessions (id uuid primary key default gen_random_uuid(), user_id uuid not null)`);
      await tx.execute(sql`insert into auth.sessions (user_id) values (${user.userId}::uuid), (${user.userId}::uuid), (gen_random_uuid())`);
    });
    try {
      await sessions.revokeUserSessions(database.db, user.userId);
      const [{ left, others }] = await asService(database.db, async (tx) =>
        rowsOf<{ left: number; others: number }>(
          await tx.execute(sql`select count(*) filter (where user_id = ${user.userId}::uuid)::int as left,
            count(*) filter (where user_id <> ${user.userId}::uuid)::int as others from auth.sessions`),
        ),
      );
      expect(left).toBe(0);
      expect(others).toBe(1);
    } finally {
      await asService(database.db, (tx) => tx.execute(sql`drop table auth.sessions`));
    }
  });

  it("with Supabase Auth: sign-out ends this browser's session (local scope), sign out everywhere all of them (global scope)", async () => {
    supabase.enabled = true;
    supabase.user = { userId: crypto.randomUUID(), email: 'supabase-user@example.test' };
    const browser = new Browser();
    expect((await send(browser, signOutRoute, '/api/auth/sign-out', { method: 'POST' })).status).toBe(200);
    expect(supabase.signOuts).toEqual([{ scope: 'local' }]);
    const answer = await send(browser, everywhereRoute, '/api/auth/sign-out-everywhere', { method: 'POST' });
    expect(answer.status).toBe(200);
    expect(supabase.signOuts).toEqual([{ scope: 'local' }, { scope: 'global' }]);
  });
});
