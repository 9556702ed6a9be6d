// The OAuth handshake's own safety: starting one is a same-site POST that needs a session (a
// cross-site link or form cannot start one), and a callback's activity names an actor only when
// the signed-in visitor is the user who started the handshake.
import { eq } from 'drizzle-orm';
import { beforeAll, afterAll, describe, expect, it, vi } from 'vitest';
import { listActivity } from '@/lib/activity/activity';
import { asService } from '@/lib/db/rls';
import { oauthStates } from '@/lib/db/schema';
import { completeAuthorization } from '@/lib/oauth/callback';
import { createWorkspace } from '@/lib/workspaces/workspaces';
import { GET as startGet, POST as startPost } from '@/app/api/oauth/[provider]/start/route';
import { authorizeAtSandbox, finish } from '../support/connect';
import { createUser, testEngine } from '../support/database';
import { addMemberAndAccept } from '../support/members';
import { exampleProvider } from '../support/providers';
import { sandboxSuite } from '../support/sandbox-suite';
import { actAs, call, cookieNames, releaseDatabase, useDatabase } from './route-harness';

vi.mock('next/headers', () => import('./route-harness').then((m) => m.nextHeaders));

const suite = sandboxSuite();
let workspaceId: string;
// Any OAuth provider: the handshake's safety is the same for all.
const provider = exampleProvider({ auth: 'oauth2' });
const authorizeEndpoint = new URL(provider.definition.auth.kind === 'oauth2' ? provider.definition.auth.authorizeUrl : '');

beforeAll(async () => {
  vi.stubEnv('SESSION_SECRET', 'oauth-security-test-session-secret-0123456789');
  useDatabase(suite.database);
  workspaceId = (await createWorkspace(suite.database.db, suite.admin, 'OAuth security')).id;
});
afterAll(() => {
  releaseDatabase();
  vi.unstubAllEnvs();
});

const stateCount = async () => (await asService(suite.database.db, (tx) => tx.select().from(oauthStates).where(eq(oauthStates.workspaceId, workspaceId)))).length;

const start = (body: unknown, headers: Record<string, string> = {}) =>
  call(startPost, `/api/oauth/${provider.id}/start`, { method: 'POST', params: { provider: provider.id }, body, headers });

describe(`starting OAuth (${testEngine})`, () => {
  it('answers GET with 405 in the JSON error shape, and starts nothing', async () => {
    await actAs(suite.admin);
    const before = await stateCount();
    const response = startGet();
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    expect(await response.json()).toMatchObject({ code: 'method_not_allowed', error: expect.stringMatching(/POST/) });
    expect(await stateCount()).toBe(before);
  });

  it('starts from a same-site POST: answers the authorize URL and sets the state cookie; the handshake completes', async () => {
    await actAs(suite.admin);
    const response = await start({ workspaceId }, { origin: 'http://hub.test', host: 'hub.test' });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const { authorizeUrl } = (await response.json()) as { authorizeUrl: string };
    expect(authorizeUrl.startsWith(`${suite.sandbox.url}/${authorizeEndpoint.host}${authorizeEndpoint.pathname}?`)).toBe(true);
    const stateCookie = cookieNames().find((name) => name.startsWith('ih_oauth_'));
    expect(stateCookie).toBeDefined();

    suite.sandbox.knobs.autoApprove = true;
    const consent = await fetch(authorizeUrl, { redirect: 'manual' });
    expect(consent.status).toBe(302);
    const outcome = await completeAuthorization(suite.database.db, {
      providerId: provider.id,
      query: new URL(consent.headers.get('location')!).searchParams,
      user: suite.admin,
      cookieNames: new Set(cookieNames()),
    });
    expect(outcome).toMatchObject({ ok: true, workspaceId });
  });

  it('refuses a POST without a session (a cross-site POST carries no SameSite=Lax cookie), with or without an Origin', async () => {
    await actAs(null);
    const before = await stateCount();
    expect((await start({ workspaceId })).status).toBe(401);
    expect((await start({ workspaceId }, { origin: 'https://evil.example', host: 'hub.test' })).status).toBe(403);
    expect(await stateCount()).toBe(before);
  });

  it('refuses a cross-site POST even with a session, and a viewer', async () => {
    await actAs(suite.admin);
    const before = await stateCount();
    const crossSite = await start({ workspaceId }, { origin: 'https://evil.example', host: 'hub.test' });
    expect(crossSite.status).toBe(403);
    expect(((await crossSite.json()) as { code: string }).code).toBe('forbidden');

    const viewer = await createUser(suite.database, 'viewer');
    await addMemberAndAccept(suite.database.db, suite.admin, workspaceId, { email: viewer.email, role: 'viewer' });
    await actAs(viewer);
    const refused = await start({ workspaceId });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: string }).error).toMatch(/admin/);
    expect(await stateCount()).toBe(before);
  });

  it('refuses a form-encoded POST (what a cross-site HTML form can send without a preflight)', async () => {
    await actAs(suite.admin);
    const response = await call(startPost, `/api/oauth/${provider.id}/start`, {
      method: 'POST',
      params: { provider: provider.id },
      body: `workspaceId=${workspaceId}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(response.status).toBe(415);
  });
});

describe(`callback activity names only the user who started the handshake (${testEngine})`, () => {
  const failures = async (viewer = suite.admin, inWorkspace = workspaceId) =>
    (await listActivity(suite.database.db, viewer, inWorkspace, { action: 'connection.authorization_failed', pageSize: 50 })).entries;

  it('a reused state visited by someone else is logged without an actor; the starter replaying it is the actor', async () => {
    suite.sandbox.knobs.autoApprove = true;
    const handshake = await authorizeAtSandbox(suite.database.db, suite.admin, workspaceId, provider.id);
    expect((await finish(suite.database.db, suite.admin, provider.id, handshake)).ok).toBe(true);

    const visitor = await createUser(suite.database, 'visitor');
    expect(await finish(suite.database.db, visitor, provider.id, handshake)).toMatchObject({ ok: false, reason: 'state_reused' });
    const [byVisitor] = await failures();
    expect(byVisitor.details).toMatchObject({ reason: 'state_reused' });
    expect(byVisitor.actorId).toBeNull();
    expect(byVisitor.actorEmail).toBeNull();

    expect(await finish(suite.database.db, suite.admin, provider.id, handshake)).toMatchObject({ ok: false, reason: 'state_reused' });
    const [byStarter] = await failures();
    expect(byStarter.actorId).toBe(suite.admin.userId);
  });

  it("a state another user started is logged in the starter's workspace without the visitor as actor", async () => {
    suite.sandbox.knobs.autoApprove = true;
    const starter = await createUser(suite.database, 'starter');
    const theirs = (await createWorkspace(suite.database.db, starter, 'Starter')).id;
    const handshake = await authorizeAtSandbox(suite.database.db, starter, theirs, provider.id);
    expect(await finish(suite.database.db, suite.admin, provider.id, handshake)).toMatchObject({ ok: false, reason: 'state_other_user' });
    const [entry] = await failures(starter, theirs);
    expect(entry.details).toMatchObject({ reason: 'state_other_user' });
    expect(entry.actorId).toBeNull();
  });

  it('an error_description carrying NUL is logged without it', async () => {
    suite.sandbox.knobs.autoApprove = true;
    const handshake = await authorizeAtSandbox(suite.database.db, suite.admin, workspaceId, provider.id);
    handshake.callbackQuery.delete('code');
    handshake.callbackQuery.set('error', 'server_error');
    handshake.callbackQuery.set('error_description', 'broken\u0000here');
    expect(await finish(suite.database.db, suite.admin, provider.id, handshake)).toMatchObject({ ok: false, reason: 'provider_error', detail: 'brokenhere' });
    const [entry] = await failures();
    expect(entry.details).toMatchObject({ reason: 'provider_error', detail: 'brokenhere' });
  });
});
