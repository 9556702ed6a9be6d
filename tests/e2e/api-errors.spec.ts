// Every route answers bad input with a readable 4xx, never a 500, over real HTTP, as
// { error, code, details? } with the code's own status.
import { expect, test, type APIRequestContext } from '@playwright/test';
import { isErrorCode, statusOf, type ErrorCode } from '../../lib/http/error-codes';
import { acceptLatestInvitation, signUpVerified } from './mail';
import { apiKeyProvider, oauthProviders } from './providers';

const DEMO = { email: 'admin@demo.local', password: 'integration-hub-demo' };
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

async function expectReadable4xx(response: Awaited<ReturnType<APIRequestContext['get']>>, status: number, code?: ErrorCode) {
  expect(response.status(), await response.text()).toBe(status);
  const body = (await response.json()) as { error: string; code: unknown };
  expect(typeof body.error).toBe('string');
  expect(body.error.length).toBeGreaterThan(5);
  expect(isErrorCode(body.code), `code ${String(body.code)}`).toBe(true);
  expect(statusOf(body.code as ErrorCode)).toBe(status);
  if (code) expect(body.code).toBe(code);
}

test('routes refuse visitors without a session', async ({ request }) => {
  for (const path of ['/api/me', '/api/workspaces', `/api/workspaces/${UNKNOWN}/activity`, `/api/workspaces/${UNKNOWN}/members`]) {
    await expectReadable4xx(await request.get(path), 401, 'unauthorized');
  }
  await expectReadable4xx(await request.post('/api/workspaces', { data: { name: 'x' } }), 401);
});

test('sign-in answers malformed, incomplete and wrong input with 4xx', async ({ request }) => {
  // A Buffer goes out as is; Playwright would JSON-encode a string sent with a JSON content type.
  const raw = (body: string, type = 'application/json') =>
    request.post('/api/auth/sign-in', { headers: { 'content-type': type }, data: Buffer.from(body) });
  await expectReadable4xx(await raw('{"email":'), 400, 'bad_request');
  await expectReadable4xx(await raw('{"email": 42, "password": []}'), 400);
  await expectReadable4xx(await raw('{}'), 400, 'validation_failed');
  await expectReadable4xx(await raw('email=a', 'application/x-www-form-urlencoded'), 415, 'unsupported_media_type');
  await expectReadable4xx(await request.post('/api/auth/sign-in', { data: { email: 'nobody@example.test', password: 'x' } }), 401, 'invalid_credentials');
  await expectReadable4xx(await request.post('/api/auth/sign-up', { data: { email: 'not-an-email', password: 'short' } }), 400);
});

test('workspace routes validate ids, bodies, membership and roles', async ({ request }) => {
  expect((await request.post('/api/auth/sign-in', { data: DEMO })).status()).toBe(200);
  const { workspaces } = await (await request.get('/api/me')).json();
  const mine = workspaces[0].id as string;

  await expectReadable4xx(await request.get('/api/workspaces/not-a-uuid/activity'), 400, 'validation_failed');
  await expectReadable4xx(await request.get(`/api/workspaces/${UNKNOWN}`), 404, 'not_found');
  await expectReadable4xx(await request.get(`/api/workspaces/${UNKNOWN}/activity`), 404);
  await expectReadable4xx(await request.get(`/api/workspaces/${mine}/activity?after=zero`), 400);
  await expectReadable4xx(await request.get(`/api/workspaces/${mine}/activity?pageSize=1000`), 400);
  await expectReadable4xx(await request.get(`/api/workspaces/${mine}/activity?actor=bob`), 400);
  await expectReadable4xx(await request.post('/api/workspaces', { headers: { 'content-type': 'application/json' }, data: '[1,2' }), 400);
  await expectReadable4xx(await request.post('/api/workspaces', { data: { name: '' } }), 400);
  await expectReadable4xx(await request.post('/api/workspaces', { data: { name: 'x'.repeat(81) } }), 400);
  await expectReadable4xx(await request.post(`/api/workspaces/${mine}/members`, { data: { email: 'a@b.co', role: 'king' } }), 400);
  await expectReadable4xx(await request.post(`/api/workspaces/${UNKNOWN}/members`, { data: { email: 'a@b.co', role: 'viewer' } }), 404);
  await expectReadable4xx(await request.patch(`/api/workspaces/${mine}/members/${UNKNOWN}`, { data: { role: 'admin' } }), 404);
  await expectReadable4xx(await request.delete(`/api/workspaces/${mine}/invitations/${UNKNOWN}`), 404);

  const { user } = await (await request.get('/api/me')).json();
  await expectReadable4xx(await request.delete(`/api/workspaces/${mine}/members/${user.id}`), 409, 'conflict');
  await expectReadable4xx(
    await request.post('/api/workspaces', { data: { name: 'x' }, headers: { origin: 'https://evil.example' } }),
    403,
    'forbidden',
  );
});

test('a viewer cannot change anything', async ({ playwright, request }) => {
  const viewerEmail = `viewer-${Date.now()}@example.test`;
  const viewer = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL });
  await signUpVerified(viewer, viewerEmail, 'viewer password 1');

  expect((await request.post('/api/auth/sign-in', { data: DEMO })).status()).toBe(200);
  const { workspaces } = await (await request.get('/api/me')).json();
  const mine = workspaces[0].id as string;
  expect((await request.post(`/api/workspaces/${mine}/members`, { data: { email: viewerEmail, role: 'viewer' } })).status()).toBe(201);
  await acceptLatestInvitation(viewer);

  expect((await viewer.get(`/api/workspaces/${mine}/activity`)).status()).toBe(200);
  await expectReadable4xx(await viewer.patch(`/api/workspaces/${mine}`, { data: { name: 'Hijacked' } }), 403, 'forbidden');
  await expectReadable4xx(await viewer.post(`/api/workspaces/${mine}/members`, { data: { email: 'x@y.co', role: 'admin' } }), 403);
  await viewer.dispose();
});

test('OAuth routes answer garbage with a 4xx or an explaining redirect, never a 500', async ({ request }) => {
  expect((await request.post('/api/auth/sign-in', { data: DEMO })).status()).toBe(200);
  const { workspaces } = (await (await request.get('/api/me')).json()) as { workspaces: { id: string }[] };
  await expectReadable4xx(await request.post('/api/oauth/nope/start', { data: { workspaceId: workspaces[0].id } }), 404);
  const oauth = oauthProviders[0].id;
  await expectReadable4xx(await request.post(`/api/oauth/${oauth}/start`, { data: {} }), 400);
  await expectReadable4xx(await request.post(`/api/oauth/${oauth}/start`, { data: { workspaceId: UNKNOWN } }), 404);
  await expectReadable4xx(await request.post(`/api/oauth/${oauth}/start`, { data: { workspaceId: workspaces[0].id, connectionId: UNKNOWN } }), 404);
  await expectReadable4xx(await request.get(`/api/oauth/${oauth}/start?workspaceId=${workspaces[0].id}`), 405, 'method_not_allowed');
  for (const query of ['', '?state=forged&code=x', '?error=access_denied', '?state=' + 'x'.repeat(5000)]) {
    const response = await request.get(`/api/oauth/${oauth}/callback${query}`, { maxRedirects: 0 });
    expect(response.status(), query).toBe(303);
    expect(response.headers().location).toMatch(/\/oauth\/error\?oauth_error=(missing_state|unknown_state)/);
  }
  await expectReadable4xx(await request.get(`/api/workspaces/${workspaces[0].id}/connections/not-a-uuid`), 400);
  await expectReadable4xx(await request.get(`/api/workspaces/${workspaces[0].id}/connections/${UNKNOWN}`), 404);
  await expectReadable4xx(await request.patch(`/api/workspaces/${workspaces[0].id}/connections/${UNKNOWN}`, { data: {} }), 400);
  await expectReadable4xx(await request.post(`/api/workspaces/${workspaces[0].id}/connections`, { data: { provider: oauth, fields: {} } }), 400);
  if (apiKeyProvider?.definition.auth.kind === 'api_key') {
    const [field] = apiKeyProvider.definition.auth.fields;
    await expectReadable4xx(await request.post(`/api/workspaces/${workspaces[0].id}/connections`, { data: { provider: apiKeyProvider.id, fields: { [field.name]: 5 } } }), 400);
  }
});
