// The public API core (issue 13): workspace API keys, the /api/v1 routes and their wrapper
// (problem+json, scopes, rate limits, workspace isolation), running actions with Idempotency-Key
// semantics, write-through to the records, and the redacted action log. The provider helpers
// implement real actions; here HubSpot gets test-only handlers (restored afterwards) that make
// real requests to the sandbox, so the request counter and the client wrapper are exercised.
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SessionUser } from '@/lib/auth/session-token';
import { createApiRoute } from '@/lib/actions/api-route';
import { ActionError } from '@/lib/actions/errors';
import { requestFingerprint } from '@/lib/actions/idempotency';
import { listActionLogsAsMember } from '@/lib/actions/log';
import { ApiRateLimiter } from '@/lib/actions/rate-limit';
import { runAction } from '@/lib/actions/run';
import type { ApiPrincipal } from '@/lib/actions/principal';
import { createApiKey, hashApiKey, listApiKeys, revokeApiKey } from '@/lib/api-keys/keys';
import { rowsOf } from '@/lib/db/engine';
import { asService, asUser } from '@/lib/db/rls';
import { ProviderHttpError } from '@/lib/providers/errors';
import { findProvider } from '@/lib/providers/registry';
import type { ActionContext, ProviderActions } from '@/lib/providers/types';
import { canonicalRecord } from '@/lib/sync/canonical';
import { createWorkspace } from '@/lib/workspaces/workspaces';
import { GET as listActionsRoute } from '@/app/api/v1/actions/route';
import { GET as listConnectionsRoute } from '@/app/api/v1/connections/route';
import { POST as runActionRoute } from '@/app/api/v1/connections/[connectionId]/actions/[action]/route';
import { GET as listRecordsRoute } from '@/app/api/v1/connections/[connectionId]/records/route';
import { GET as problemRoute } from '@/app/api/v1/problems/[code]/route';
import { startSandbox, type Sandbox } from '../sandbox/server';
import { connectViaSandbox } from '../support/connect';
import { createTestDatabase, createUser, testEngine, type TestDatabase } from '../support/database';
import { addMemberAndAccept } from '../support/members';
import { actAs, call, releaseDatabase, useDatabase } from './route-harness';

vi.mock('next/headers', () => import('./route-harness').then((m) => m.nextHeaders));

let database: TestDatabase;
let sandbox: Sandbox;
let admin: SessionUser;
let member: SessionUser;
let ownerB: SessionUser;
const a = { workspaceId: '', connectionId: '' };
const b = { workspaceId: '', connectionId: '' };
/** Secrets of keys of workspace A by scope set, and one of B. */
const keys = { all: '', read: '', write: '', records: '', b: '' };

const hubspot = findProvider('hubspot')!;
const originalActions = hubspot.actions;

interface HandlerCall {
  action: string;
  idempotencyKey: string | null;
  retry: boolean;
  defaultRegion: string;
  input: Record<string, unknown>;
}
const calls: HandlerCall[] = [];
/** Set by a test to hold contacts.create until released. */
let gate: Promise<void> | null = null;
/** firstName → how many more times contacts.create fails with that behaviour. */
const failures = new Map<string, number>();
let created = 0;

const LIST = 'https://api.hubapi.com/crm/v3/objects/contacts?limit=1&archived=false';

const testActions: ProviderActions = {
  async 'contacts.lookup'(context: ActionContext, input) {
    calls.push({ action: 'contacts.lookup', idempotencyKey: context.idempotencyKey, retry: context.retry, defaultRegion: context.defaultRegion, input: { ...input } });
    const { body } = await context.client.request(LIST);
    return {
      output: {
        contacts: [{ contact: { email: input.email ?? 'found@example.com', phone: input.phone, firstName: 'Found' }, resource: 'contacts', raw: body }],
      },
    };
  },
  async 'contacts.create'(context: ActionContext, input) {
    calls.push({ action: 'contacts.create', idempotencyKey: context.idempotencyKey, retry: context.retry, defaultRegion: context.defaultRegion, input: { ...input } });
    await context.client.request(LIST);
    if (gate) await gate;
    const behaviour = input.firstName ?? '';
    const remaining = failures.get(behaviour) ?? 0;
    if (remaining > 0) {
      failures.set(behaviour, remaining - 1);
      if (behaviour === 'Boom') throw new ProviderHttpError(503, 'HubSpot is down (token ya29.secret)');
      if (behaviour === 'Limited') throw new ProviderHttpError(429, 'Too many requests', 7);
      if (behaviour === 'Taken') throw new ActionError('conflict', 'A contact with this email already exists.');
    }
    if (behaviour === 'Broken') return { output: { nothing: true } as never };
    created += 1;
    const id = `9${String(created).padStart(6, '0')}`;
    const now = new Date().toISOString();
    const data = {
      id,
      properties: { email: input.email ?? null, firstname: input.firstName ?? null, lastname: input.lastName ?? null, phone: input.phone ?? null, hs_lastmodifieddate: now },
      createdAt: now,
      updatedAt: now,
      archived: false,
    };
    return {
      output: {
        contact: { externalId: id, email: input.email, phone: input.phone, firstName: input.firstName, lastName: input.lastName },
        resource: 'contacts',
        raw: data,
        created: true,
      },
      records: [{ resource: 'contacts', externalId: id, data }],
    };
  },
};

const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });

function runRoute(connectionId: string, action: string, body: unknown, headers: Record<string, string> = {}) {
  return call(runActionRoute, `/api/v1/connections/${connectionId}/actions/${action}`, { method: 'POST', params: { connectionId, action }, body, headers });
}

async function json(response: Response): Promise<Record<string, any>> {
  return (await response.json()) as Record<string, any>;
}

async function expectProblem(response: Response, status: number, code: string): Promise<Record<string, any>> {
  const body = await json(response);
  expect(response.status, JSON.stringify(body)).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  expect(body).toMatchObject({ type: `/api/v1/problems/${code}`, status, code });
  expect(typeof body.title).toBe('string');
  expect(typeof body.detail).toBe('string');
  return body;
}

function codeOf(error: unknown): string {
  let e: unknown = error;
  while (e && typeof e === 'object' && !('code' in e) && 'cause' in e) e = (e as { cause: unknown }).cause;
  return String((e as { code?: string }).code ?? (e as Error).message);
}

async function service<T>(query: ReturnType<typeof sql>): Promise<T[]> {
  return asService(database.db, async (tx) => rowsOf<T>(await tx.execute(query)));
}

beforeAll(async () => {
  process.env.SESSION_SECRET ??= 'actions-api-test-session-secret-0123456789';
  sandbox = await startSandbox({ port: 0 });
  process.env.PROVIDER_SANDBOX_URL = sandbox.url;
  sandbox.knobs.autoApprove = true;
  database = await createTestDatabase();
  useDatabase(database);
  [admin, member, ownerB] = await Promise.all([createUser(database, 'api-admin'), createUser(database, 'api-member'), createUser(database, 'api-owner-b')]);
  a.workspaceId = (await createWorkspace(database.db, admin, 'API A')).id;
  b.workspaceId = (await createWorkspace(database.db, ownerB, 'API B')).id;
  await addMemberAndAccept(database.db, admin, a.workspaceId, { email: member.email, role: 'member' });
  a.connectionId = (await connectViaSandbox(database.db, admin, a.workspaceId, 'hubspot')).connectionId;
  b.connectionId = (await connectViaSandbox(database.db, ownerB, b.workspaceId, 'hubspot')).connectionId;
  hubspot.actions = testActions;
  keys.all = (await createApiKey(database.db, admin, a.workspaceId, { name: 'Everything', scopes: ['actions:read', 'actions:write', 'records:read'] })).secret;
  keys.read = (await createApiKey(database.db, admin, a.workspaceId, { name: 'Reader', scopes: ['actions:read'] })).secret;
  keys.write = (await createApiKey(database.db, admin, a.workspaceId, { name: 'Writer', scopes: ['actions:write'] })).secret;
  keys.records = (await createApiKey(database.db, admin, a.workspaceId, { name: 'Records', scopes: ['records:read'] })).secret;
  keys.b = (await createApiKey(database.db, ownerB, b.workspaceId, { name: 'B', scopes: ['actions:read', 'actions:write', 'records:read'] })).secret;
}, 120_000);

afterAll(async () => {
  hubspot.actions = originalActions;
  releaseDatabase();
  await database?.drop();
  await sandbox?.close();
  delete process.env.PROVIDER_SANDBOX_URL;
});

beforeEach(async () => {
  calls.length = 0;
  gate = null;
  failures.clear();
  await actAs(null);
});

describe(`API keys (${testEngine})`, () => {
  it('shows the secret once, stores only its hash, lists the prefix', async () => {
    const { key, secret } = await createApiKey(database.db, admin, a.workspaceId, { name: ' Zapier ', scopes: ['records:read', 'actions:read'] });
    expect(secret).toMatch(/^ihk_[A-Za-z0-9_-]{43}$/);
    expect(key).toMatchObject({ name: 'Zapier', prefix: secret.slice(0, 12), scopes: ['actions:read', 'records:read'], revokedAt: null, createdByEmail: admin.email });
    expect(JSON.stringify(key)).not.toContain(secret);
    const listed = await listApiKeys(database.db, admin, a.workspaceId);
    expect(listed.find((k) => k.id === key.id)).toMatchObject({ prefix: secret.slice(0, 12) });
    expect(JSON.stringify(listed)).not.toMatch(/ihk_[A-Za-z0-9_-]{43}|key_?hash/i);
    const [stored] = await service<{ key_hash: string; prefix: string }>(sql`select key_hash, prefix from public.api_keys where id = ${key.id}`);
    expect(stored).toEqual({ key_hash: hashApiKey(secret), prefix: secret.slice(0, 12) });
    const everything = await service<{ row: string }>(sql`select row_to_json(k)::text as row from public.api_keys k where id = ${key.id}`);
    expect(everything[0].row).not.toContain(secret);

    const activity = await service<{ action: string }>(sql`select action from public.activity where target_id = ${key.id}`);
    expect(activity.map((r) => r.action)).toEqual(['api_key.created']);
  });

  it('never lets a browser role read key_hash, and shows keys to owners and admins only', async () => {
    const asAdmin = (query: ReturnType<typeof sql>) => asUser(database.db, { sub: admin.userId, email: admin.email }, (tx) => tx.execute(query));
    expect(await asAdmin(sql`select key_hash from public.api_keys`).catch(codeOf)).toBe('42501');
    expect(await asAdmin(sql`select * from public.api_keys`).catch(codeOf)).toBe('42501');
    const seenByMember = await asUser(database.db, { sub: member.userId, email: member.email }, async (tx) =>
      rowsOf(await tx.execute(sql`select id from public.api_keys where workspace_id = ${a.workspaceId}`)),
    );
    expect(seenByMember).toEqual([]);
    await expect(listApiKeys(database.db, member, a.workspaceId)).rejects.toMatchObject({ status: 403 });
    await expect(createApiKey(database.db, member, a.workspaceId, { name: 'Mine', scopes: ['actions:read'] })).rejects.toMatchObject({ status: 403 });
    await expect(listApiKeys(database.db, ownerB, a.workspaceId)).rejects.toMatchObject({ status: 404 });
  });

  it('validates the name and scopes', async () => {
    await expect(createApiKey(database.db, admin, a.workspaceId, { name: '', scopes: ['actions:read'] })).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(createApiKey(database.db, admin, a.workspaceId, { name: 'x', scopes: [] })).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(createApiKey(database.db, admin, a.workspaceId, { name: 'x', scopes: ['admin' as never] })).rejects.toMatchObject({ code: 'validation_failed' });
  });

  it('answers 401 for a revoked, unknown or malformed key, and for no credentials at all', async () => {
    const { key, secret } = await createApiKey(database.db, admin, a.workspaceId, { name: 'Short-lived', scopes: ['actions:read'] });
    expect((await call(listConnectionsRoute, '/api/v1/connections', { headers: bearer(secret) })).status).toBe(200);
    const revoked = await revokeApiKey(database.db, admin, a.workspaceId, key.id);
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    expect((await revokeApiKey(database.db, admin, a.workspaceId, key.id)).revokedAt).toEqual(revoked.revokedAt);
    const refused = await call(listConnectionsRoute, '/api/v1/connections', { headers: bearer(secret) });
    await expectProblem(refused, 401, 'unauthorized');
    expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer realm="integration-hub", error="invalid_token"/);
    await expectProblem(await call(listConnectionsRoute, '/api/v1/connections', { headers: bearer(`ihk_${'A'.repeat(43)}`) }), 401, 'unauthorized');
    await expectProblem(await call(listConnectionsRoute, '/api/v1/connections', { headers: { authorization: 'Basic abc' } }), 401, 'unauthorized');
    const anonymous = await call(listConnectionsRoute, '/api/v1/connections');
    await expectProblem(anonymous, 401, 'unauthorized');
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="integration-hub"');
    const activity = await service<{ action: string }>(sql`select action from public.activity where target_id = ${key.id} order by created_at`);
    expect(activity.map((r) => r.action)).toEqual(['api_key.created', 'api_key.revoked']);
  });

  it('notes last use at most once a minute', async () => {
    const { key, secret } = await createApiKey(database.db, admin, a.workspaceId, { name: 'Counted', scopes: ['actions:read'] });
    const lastUsed = async () => (await service<{ at: string | null }>(sql`select last_used_at::text as at from public.api_keys where id = ${key.id}`))[0].at;
    expect(await lastUsed()).toBeNull();
    await call(listConnectionsRoute, '/api/v1/connections', { headers: bearer(secret) });
    const first = await lastUsed();
    expect(first).not.toBeNull();
    await call(listConnectionsRoute, '/api/v1/connections', { headers: bearer(secret) });
    expect(await lastUsed()).toBe(first);
  });
});

describe(`the /api/v1 wrapper (${testEngine})`, () => {
  it("lists the key's workspace's connections with the actions each supports", async () => {
    const response = await call(listConnectionsRoute, '/api/v1/connections', { headers: bearer(keys.read) });
    expect(response.status).toBe(200);
    expect(response.headers.get('ratelimit-limit')).toMatch(/^\d+$/);
    const body = await json(response);
    expect(body.data.map((c: { id: string }) => c.id)).toEqual([a.connectionId]);
    expect(body.data[0]).toMatchObject({ provider: 'hubspot', providerName: 'HubSpot', status: 'active' });
    expect(body.data[0].actions.map((x: { name: string }) => x.name)).toEqual(['contacts.lookup', 'contacts.create']);
    expect(body.data[0].actions[1]).toMatchObject({ write: true, scope: 'actions:write' });
  });

  it('enforces scopes: 403 insufficient_scope', async () => {
    const lookup = { email: 'ada@example.com' };
    const refused = await expectProblem(await runRoute(a.connectionId, 'contacts.lookup', lookup, bearer(keys.records)), 403, 'insufficient_scope');
    expect(refused.requiredScope).toBe('actions:read');
    await expectProblem(await runRoute(a.connectionId, 'contacts.lookup', lookup, bearer(keys.write)), 403, 'insufficient_scope');
    await expectProblem(
      await runRoute(a.connectionId, 'contacts.create', { email: 'ada@example.com' }, { ...bearer(keys.read), 'idempotency-key': 'scope-1' }),
      403,
      'insufficient_scope',
    );
    const log = await call(listActionsRoute, '/api/v1/actions', { headers: bearer(keys.records) });
    await expectProblem(log, 403, 'insufficient_scope');
    expect(log.headers.get('www-authenticate')).toContain('error="insufficient_scope", scope="actions:read"');
    await expectProblem(
      await call(listRecordsRoute, `/api/v1/connections/${a.connectionId}/records?resource=contacts`, { params: { connectionId: a.connectionId }, headers: bearer(keys.read) }),
      403,
      'insufficient_scope',
    );
    expect(calls).toEqual([]);
  });

  it("answers 404 for another workspace's connection, whatever the key may do", async () => {
    await expectProblem(await runRoute(b.connectionId, 'contacts.lookup', { email: 'ada@example.com' }, bearer(keys.all)), 404, 'not_found');
    await expectProblem(
      await call(listRecordsRoute, `/api/v1/connections/${b.connectionId}/records?resource=contacts`, { params: { connectionId: b.connectionId }, headers: bearer(keys.all) }),
      404,
      'not_found',
    );
    await expectProblem(await runRoute(a.connectionId, 'contacts.lookup', { email: 'ada@example.com' }, bearer(keys.b)), 404, 'not_found');
    const listedByB = await json(await call(listConnectionsRoute, '/api/v1/connections', { headers: bearer(keys.b) }));
    expect(listedByB.data.map((c: { id: string }) => c.id)).toEqual([b.connectionId]);
    expect(calls).toEqual([]);
  });

  it('answers validation failures as problem details with JSON pointers', async () => {
    const empty = await expectProblem(await runRoute(a.connectionId, 'contacts.lookup', {}, bearer(keys.all)), 400, 'validation_failed');
    expect(empty.errors).toEqual([{ pointer: '/phone', detail: 'give a phone, an email, or both' }]);
    const bad = await expectProblem(
      await runRoute(a.connectionId, 'contacts.create', { email: 'not-an-email', phone: 'call me' }, { ...bearer(keys.all), 'idempotency-key': 'v-1' }),
      400,
      'validation_failed',
    );
    expect(bad.errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/email']);
    const phone = await expectProblem(await runRoute(a.connectionId, 'contacts.lookup', { phone: 'call me' }, bearer(keys.all)), 400, 'validation_failed');
    expect(phone.errors).toEqual([{ pointer: '/phone', detail: expect.stringMatching(/not a phone number.*US/) }]);
    expect(phone.instance).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    await expectProblem(
      await call(listRecordsRoute, `/api/v1/connections/${a.connectionId}/records`, { params: { connectionId: a.connectionId }, headers: bearer(keys.all) }),
      400,
      'validation_failed',
    ).then((problem) => expect(problem.errors[0].pointer).toBe('/resource'));
    await expectProblem(
      await runRoute(a.connectionId, 'contacts.lookup', 'not json', { ...bearer(keys.all), 'content-type': 'application/json' }),
      400,
      'bad_request',
    );
    expect(calls).toEqual([]);
  });

  it('answers unknown and unsupported actions with 404 action_not_supported', async () => {
    await expectProblem(await runRoute(a.connectionId, 'contacts.drop', { email: 'a@example.com' }, bearer(keys.all)), 404, 'action_not_supported');
    const unsupported = await expectProblem(
      await runRoute(a.connectionId, 'availability.get', { start: '2027-03-01T09:00:00Z', end: '2027-03-02T09:00:00Z', durationMinutes: 30, timeZone: 'UTC' }, bearer(keys.all)),
      404,
      'action_not_supported',
    );
    expect(unsupported.detail).toMatch(/HubSpot does not support availability\.get.*contacts\.lookup, contacts\.create/);
  });

  it('describes each problem type at its URI', async () => {
    const response = await call(problemRoute as never, '/api/v1/problems/idempotency_key_reused', { params: { code: 'idempotency_key_reused' } });
    expect(await json(response)).toEqual({ type: '/api/v1/problems/idempotency_key_reused', code: 'idempotency_key_reused', status: 422, title: expect.any(String) });
    await expectProblem(await call(problemRoute as never, '/api/v1/problems/nope', { params: { code: 'nope' } }), 404, 'not_found');
  });

  it('rate-limits per key with RateLimit headers and 429 rate_limited', async () => {
    const limited = createApiRoute({ db: async () => database.db, session: async () => null, limiter: new ApiRateLimiter({ capacity: 3, refillPerSecond: 3 / 60 }) });
    const route = limited({ scope: 'any' }, async ({ principal }) => ({ workspaceId: principal.workspaceId }));
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await call(route, '/api/v1/test', { headers: bearer(keys.read) }));
    expect(answers.slice(0, 3).map((r) => r.status)).toEqual([200, 200, 200]);
    expect(answers.map((r) => r.headers.get('ratelimit-remaining'))).toEqual(['2', '1', '0', '0']);
    expect(answers[0].headers.get('ratelimit-limit')).toBe('3');
    expect(answers[0].headers.get('ratelimit-policy')).toBe('3;w=60');
    expect(Number(answers[2].headers.get('ratelimit-reset'))).toBeGreaterThan(0);
    const refused = await expectProblem(answers[3], 429, 'rate_limited');
    expect(refused.detail).toMatch(/at most 3 a minute/);
    expect(Number(answers[3].headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Another key has its own bucket.
    expect((await call(route, '/api/v1/test', { headers: bearer(keys.all) })).status).toBe(200);
  });

  it('serves signed-in admins for their workspace (the in-app console), and nobody else', async () => {
    await actAs(admin);
    await expectProblem(await call(listConnectionsRoute, '/api/v1/connections'), 400, 'bad_request');
    const own = await call(listConnectionsRoute, '/api/v1/connections', { headers: { 'x-workspace-id': a.workspaceId } });
    expect((await json(own)).data.map((c: { id: string }) => c.id)).toEqual([a.connectionId]);
    await expectProblem(await call(listConnectionsRoute, '/api/v1/connections', { headers: { 'x-workspace-id': b.workspaceId } }), 404, 'not_found');
    const lookup = await runRoute(a.connectionId, 'contacts.lookup', { email: 'ada@example.com' }, { 'x-workspace-id': a.workspaceId });
    expect(lookup.status).toBe(200);
    const [row] = await service<{ user_id: string; api_key_id: string | null }>(sql`select user_id, api_key_id from public.action_logs where id = ${(await json(lookup)).logId}`);
    expect(row).toEqual({ user_id: admin.userId, api_key_id: null });
    await expectProblem(
      await runRoute(a.connectionId, 'contacts.lookup', { email: 'ada@example.com' }, { 'x-workspace-id': a.workspaceId, host: 'hub.test', origin: 'https://evil.example' }),
      403,
      'forbidden',
    );
    await actAs(member);
    await expectProblem(await call(listConnectionsRoute, '/api/v1/connections', { headers: { 'x-workspace-id': a.workspaceId } }), 403, 'forbidden');
  });

  it('refuses actions on a paused connection, clearly', async () => {
    await service(sql`update public.connections set status = 'paused' where id = ${a.connectionId}`);
    try {
      const paused = await expectProblem(await runRoute(a.connectionId, 'contacts.lookup', { email: 'ada@example.com' }, bearer(keys.all)), 409, 'conflict');
      expect(paused.detail).toMatch(/paused/);
      await service(sql`update public.connections set status = 'needs_reauth' where id = ${a.connectionId}`);
      await expectProblem(await runRoute(a.connectionId, 'contacts.lookup', { email: 'ada@example.com' }, bearer(keys.all)), 409, 'needs_reauth');
    } finally {
      await service(sql`update public.connections set status = 'active' where id = ${a.connectionId}`);
    }
  });
});

describe(`running actions (${testEngine})`, () => {
  it('normalises phones to E.164 with the default region and counts provider requests', async () => {
    const response = await runRoute(a.connectionId, 'contacts.lookup', { phone: '(415) 555-2671' }, bearer(keys.all));
    const body = await json(response);
    expect(response.status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({ action: 'contacts.lookup', connectionId: a.connectionId, output: { contacts: [{ resource: 'contacts' }] } });
    expect(calls).toEqual([expect.objectContaining({ input: { phone: '+14155552671' }, defaultRegion: 'US', idempotencyKey: null, retry: false })]);
    const [log] = await service<{ provider_requests: number; status: string; http_status: number }>(
      sql`select provider_requests, status, http_status from public.action_logs where id = ${body.logId}`,
    );
    expect(log).toEqual({ provider_requests: 1, status: 'succeeded', http_status: 200 });
  });

  it('requires an Idempotency-Key on writes', async () => {
    await expectProblem(await runRoute(a.connectionId, 'contacts.create', { email: 'ada@example.com' }, bearer(keys.all)), 400, 'idempotency_key_required');
    await expectProblem(
      await runRoute(a.connectionId, 'contacts.create', { email: 'ada@example.com' }, { ...bearer(keys.all), 'idempotency-key': 'x'.repeat(256) }),
      400,
      'bad_request',
    );
    expect(calls).toEqual([]);
  });

  it('replays the stored answer for the same key and body, and refuses another body (422)', async () => {
    const key = crypto.randomUUID();
    const input = { email: 'grace@example.com', firstName: 'Grace', lastName: 'Hopper', phone: '+1 415 555 0100' };
    const first = await runRoute(a.connectionId, 'contacts.create', input, { ...bearer(keys.all), 'idempotency-key': key });
    const firstBody = await json(first);
    expect(first.status, JSON.stringify(firstBody)).toBe(200);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(calls).toHaveLength(1);
    expect(calls[0].idempotencyKey).toMatch(/^[0-9a-f]{64}$/);
    expect(calls[0].input.phone).toBe('+14155550100');

    // Same key, same body (keys in another order, the phone written another way): the stored answer.
    const again = await runRoute(a.connectionId, 'contacts.create', { phone: '(415) 555-0100', lastName: 'Hopper', firstName: 'Grace', email: 'grace@example.com' }, { ...bearer(keys.write), 'idempotency-key': `"${key}"` });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await json(again)).toEqual(firstBody);
    expect(calls).toHaveLength(1);

    const other = await expectProblem(
      await runRoute(a.connectionId, 'contacts.create', { ...input, firstName: 'Someone else' }, { ...bearer(keys.all), 'idempotency-key': key }),
      422,
      'idempotency_key_reused',
    );
    expect(other.detail).toMatch(/different request/);
    // Keys are workspace-scoped: B may use the same key for its own request.
    const inB = await runRoute(b.connectionId, 'contacts.create', input, { ...bearer(keys.b), 'idempotency-key': key });
    expect(inB.status).toBe(200);
    expect(inB.headers.get('idempotent-replayed')).toBeNull();
    expect(calls).toHaveLength(2);
    expect(calls[1].idempotencyKey).not.toBe(calls[0].idempotencyKey);
  });

  it('runs exactly one of concurrent requests with one key; the others answer 409', async () => {
    let release!: () => void;
    gate = new Promise<void>((resolve) => (release = resolve));
    const key = crypto.randomUUID();
    const input = { email: 'concurrent@example.com', firstName: 'Con' };
    let settled = 0;
    const requests = Array.from({ length: 4 }, () =>
      runRoute(a.connectionId, 'contacts.create', input, { ...bearer(keys.all), 'idempotency-key': key }).then(async (response) => {
        settled += 1;
        return { status: response.status, body: await json(response) };
      }),
    );
    for (let waited = 0; settled < 3 && waited < 30_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(settled).toBe(3);
    release();
    const answers = await Promise.all(requests);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409, 409]);
    expect(answers.filter((a) => a.status === 409).every((a) => a.body.code === 'idempotency_key_in_use')).toBe(true);
    expect(calls.filter((c) => c.action === 'contacts.create')).toHaveLength(1);
    // Once it finished, the key replays.
    const later = await runRoute(a.connectionId, 'contacts.create', input, { ...bearer(keys.all), 'idempotency-key': key });
    expect(later.headers.get('idempotent-replayed')).toBe('true');
  });

  it('takes over a key whose holder died (past its lease) with retry: true', async () => {
    const key = crypto.randomUUID();
    const input = { email: 'orphan@example.com', firstName: 'Orphan' };
    const hash = requestFingerprint({ connectionId: a.connectionId, action: 'contacts.create', input });
    await service(sql`insert into public.idempotency_keys (workspace_id, key, connection_id, action, request_hash, holder, locked_at)
      values (${a.workspaceId}, ${key}, ${a.connectionId}, 'contacts.create', ${hash}, ${crypto.randomUUID()}, now() - interval '2 minutes')`);
    const response = await runRoute(a.connectionId, 'contacts.create', input, { ...bearer(keys.all), 'idempotency-key': key });
    const body = await json(response);
    expect(response.status, JSON.stringify(body)).toBe(200);
    expect(calls).toEqual([expect.objectContaining({ action: 'contacts.create', retry: true })]);
    const [row] = await service<{ status: string; attempts: number }>(sql`select status, attempts from public.idempotency_keys where workspace_id = ${a.workspaceId} and key = ${key}`);
    expect(row).toEqual({ status: 'completed', attempts: 2 });
    const [log] = await service<{ retried: boolean }>(sql`select retried from public.action_logs where id = ${body.logId}`);
    expect(log.retried).toBe(true);

    // Within the lease, the same situation is a request in flight.
    const busy = crypto.randomUUID();
    await service(sql`insert into public.idempotency_keys (workspace_id, key, connection_id, action, request_hash, holder)
      values (${a.workspaceId}, ${busy}, ${a.connectionId}, 'contacts.create', ${hash}, ${crypto.randomUUID()})`);
    await expectProblem(await runRoute(a.connectionId, 'contacts.create', input, { ...bearer(keys.all), 'idempotency-key': busy }), 409, 'idempotency_key_in_use');
  });

  it('releases the key after a retryable failure, and stores a final one (errors replay too)', async () => {
    const key = crypto.randomUUID();
    const input = { email: 'flaky@example.com', firstName: 'Boom' };
    failures.set('Boom', 1);
    const down = await expectProblem(await runRoute(a.connectionId, 'contacts.create', input, { ...bearer(keys.all), 'idempotency-key': key }), 502, 'provider_error');
    expect(down.detail).toMatch(/HubSpot answered 503/);
    const retried = await runRoute(a.connectionId, 'contacts.create', input, { ...bearer(keys.all), 'idempotency-key': key });
    expect(retried.status).toBe(200);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
    expect(calls.map((c) => c.retry)).toEqual([false, true]);

    const limitedKey = crypto.randomUUID();
    failures.set('Limited', 1);
    const limited = await runRoute(a.connectionId, 'contacts.create', { email: 'busy@example.com', firstName: 'Limited' }, { ...bearer(keys.all), 'idempotency-key': limitedKey });
    expect((await expectProblem(limited, 429, 'provider_rate_limited')).retryAfterSeconds).toBe(7);
    expect(limited.headers.get('retry-after')).toBe('7');
    const [released] = await service<{ status: string }>(sql`select status from public.idempotency_keys where workspace_id = ${a.workspaceId} and key = ${limitedKey}`);
    expect(released.status).toBe('released');

    const takenKey = crypto.randomUUID();
    failures.set('Taken', 1);
    const taken = await expectProblem(
      await runRoute(a.connectionId, 'contacts.create', { email: 'taken@example.com', firstName: 'Taken' }, { ...bearer(keys.all), 'idempotency-key': takenKey }),
      409,
      'conflict',
    );
    const replayed = await runRoute(a.connectionId, 'contacts.create', { email: 'taken@example.com', firstName: 'Taken' }, { ...bearer(keys.all), 'idempotency-key': takenKey });
    expect(replayed.status).toBe(409);
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(await json(replayed)).toEqual(taken);
  });

  it('refuses an output that does not match the action schema as a provider error', async () => {
    const answer = await expectProblem(
      await runRoute(a.connectionId, 'contacts.create', { email: 'broken@example.com', firstName: 'Broken' }, { ...bearer(keys.all), 'idempotency-key': crypto.randomUUID() }),
      502,
      'provider_error',
    );
    expect(answer.detail).toMatch(/could not be read/);
  });

  it('writes created records through to the connection records, mapped and hashed as a sync stores them', async () => {
    const response = await runRoute(a.connectionId, 'contacts.create', { email: 'written@example.com', firstName: 'Written', lastName: 'Through' }, { ...bearer(keys.all), 'idempotency-key': crypto.randomUUID() });
    const body = await json(response);
    expect(response.status, JSON.stringify(body)).toBe(200);
    const externalId = body.output.contact.externalId as string;
    const [stored] = await service<{ content_hash: string; mapped: Record<string, unknown> | null; workspace_id: string }>(
      sql`select content_hash, mapped, workspace_id from public.synced_records where connection_id = ${a.connectionId} and resource = 'contacts' and external_id = ${externalId}`,
    );
    expect(stored.workspace_id).toBe(a.workspaceId);
    expect(stored.content_hash).toBe(canonicalRecord(body.output.raw).hash);
    expect(stored.mapped).toMatchObject({ email: 'written@example.com', firstName: 'Written' });

    // Through the API, with records:read, keyset-paged by external id.
    const page = async (cursor?: string) => {
      const url = `/api/v1/connections/${a.connectionId}/records?resource=contacts&limit=1${cursor ? `&cursor=${cursor}` : ''}`;
      const answer = await call(listRecordsRoute, url, { params: { connectionId: a.connectionId }, headers: bearer(keys.records) });
      expect(answer.status).toBe(200);
      return json(answer);
    };
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 50; i++) {
      const next = await page(cursor);
      seen.push(...next.data.map((r: { externalId: string }) => r.externalId));
      expect(next.data[0]).not.toHaveProperty('raw');
      if (!next.nextCursor) break;
      cursor = next.nextCursor;
    }
    expect(seen).toContain(externalId);
    expect([...seen].sort()).toEqual(seen);
    expect(new Set(seen).size).toBe(seen.length);
  });
});

describe(`the action log (${testEngine})`, () => {
  it('logs every call with its outcome, redacted, filterable and paged', async () => {
    await runRoute(a.connectionId, 'contacts.create', { email: 'ada.lovelace@example.com', firstName: 'Ada', lastName: 'Lovelace', phone: '+447700900123' }, { ...bearer(keys.all), 'idempotency-key': 'log-1' });
    await runRoute(a.connectionId, 'contacts.create', { email: 'ada.lovelace@example.com', firstName: 'Ada', lastName: 'Lovelace', phone: '+447700900123' }, { ...bearer(keys.all), 'idempotency-key': 'log-1' });
    const response = await call(listActionsRoute, '/api/v1/actions?action=contacts.create&limit=2', { headers: bearer(keys.read) });
    const body = await json(response);
    expect(response.status, JSON.stringify(body)).toBe(200);
    const [replay, original] = body.data;
    expect(original).toMatchObject({
      action: 'contacts.create',
      connectionId: a.connectionId,
      provider: 'hubspot',
      status: 'succeeded',
      httpStatus: 200,
      code: null,
      providerRequests: 1,
      idempotencyKey: 'log-1',
      replayed: false,
      actor: { type: 'api_key', name: 'Everything', prefix: keys.all.slice(0, 12) },
    });
    expect(replay).toMatchObject({ replayed: true, providerRequests: 0, idempotencyKey: 'log-1', status: 'succeeded' });
    expect(original.latencyMs).toBeGreaterThanOrEqual(0);
    expect(original.input).toEqual({ email: '***@example.com', firstName: 'A***', lastName: 'L***', phone: '***23' });
    expect(original.output.contact).toMatchObject({ email: '***@example.com', firstName: 'A***', phone: '***23' });
    expect(original.output.raw.properties).toMatchObject({ email: '***@example.com', firstname: 'A***', lastname: 'L***', phone: '***23' });
    const text = JSON.stringify(body);
    expect(text).not.toContain('lovelace');
    expect(text).not.toContain('7700900123');
    expect(text).not.toContain(keys.all);

    // Keyset paging continues where the page ended.
    const next = await json(await call(listActionsRoute, `/api/v1/actions?action=contacts.create&limit=2&cursor=${body.nextCursor}`, { headers: bearer(keys.read) }));
    expect(next.data.length).toBeGreaterThan(0);
    expect(next.data.map((e: { id: string }) => e.id)).not.toContain(original.id);
    expect(new Date(next.data[0].createdAt).getTime()).toBeLessThanOrEqual(new Date(original.createdAt).getTime());

    const failed = await json(await call(listActionsRoute, `/api/v1/actions?status=failed&connection=${a.connectionId}&limit=100`, { headers: bearer(keys.read) }));
    expect(failed.data.length).toBeGreaterThan(0);
    expect(failed.data.every((e: { status: string; connectionId: string }) => e.status === 'failed' && e.connectionId === a.connectionId)).toBe(true);
    const codes = new Set(failed.data.map((e: { code: string }) => e.code));
    for (const code of ['idempotency_key_reused', 'idempotency_key_in_use', 'provider_error', 'provider_rate_limited', 'conflict']) expect(codes).toContain(code);
    // Refused before the connection was looked up: logged without one.
    const scoped = await json(await call(listActionsRoute, '/api/v1/actions?status=failed&action=contacts.lookup&limit=100', { headers: bearer(keys.read) }));
    expect(scoped.data.find((e: { code: string }) => e.code === 'insufficient_scope')).toMatchObject({ connectionId: null, httpStatus: 403 });

    await expectProblem(await call(listActionsRoute, '/api/v1/actions?cursor=nonsense', { headers: bearer(keys.read) }), 400, 'validation_failed');
  });

  it('is readable by members of the workspace through RLS, and by nobody else', async () => {
    const asMember = await listActionLogsAsMember(database.db, member, a.workspaceId, { limit: 5 });
    expect(asMember.data.length).toBe(5);
    expect(asMember.data.every((e) => e.connectionId === null || e.connectionId === a.connectionId)).toBe(true);
    await expect(listActionLogsAsMember(database.db, ownerB, a.workspaceId, { limit: 5 })).rejects.toMatchObject({ status: 404 });
    const forged = await asUser(database.db, { sub: admin.userId, email: admin.email }, (tx) =>
      tx.execute(sql`insert into public.action_logs (workspace_id, action, status, http_status) values (${a.workspaceId}, 'contacts.lookup', 'succeeded', 200)`),
    ).catch(codeOf);
    expect(forged).toBe('42501');
  });

  it('runs the same way for the MCP tool and the Try it panel (runAction with a principal)', async () => {
    const principal: ApiPrincipal = { kind: 'user', workspaceId: a.workspaceId, scopes: ['actions:read'], apiKeyId: null, userId: admin.userId, id: `user:${admin.userId}`, label: admin.email };
    const answer = await runAction(database.db, principal, { connectionId: a.connectionId, action: 'contacts.lookup', input: { email: 'x@example.com' } });
    expect(answer).toMatchObject({ ok: true, status: 200, replayed: false });
    const refused = await runAction(database.db, principal, { connectionId: a.connectionId, action: 'contacts.create', input: { email: 'x@example.com' }, idempotencyKey: 'k' });
    expect(refused).toMatchObject({ ok: false, status: 403, body: { code: 'insufficient_scope' } });
    const elsewhere = await runAction(database.db, principal, { connectionId: 'not-a-uuid', action: 'contacts.lookup', input: { email: 'x@example.com' } });
    expect(elsewhere).toMatchObject({ ok: false, status: 404, body: { code: 'not_found' } });
  });
});
