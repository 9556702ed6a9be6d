// The push routes (app/api/workspaces/[w]/connections/[c]/push*), called in-process as Next would:
// destinations and fields read from the sandbox, create/list/get/patch/delete, preview, run and
// the errors list; readable 4xx for bad input, viewers read but cannot write, and another
// workspace's ids answer 404.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sql } from 'drizzle-orm';
import type { SessionUser } from '@/lib/auth/session-token';
import { rowsOf } from '@/lib/db/engine';
import { asService } from '@/lib/db/rls';
import { createWorkspace } from '@/lib/workspaces/workspaces';
import { GET as destinationsRoute } from '@/app/api/workspaces/[workspaceId]/connections/[connectionId]/push/destinations/route';
import { GET as fieldsRoute } from '@/app/api/workspaces/[workspaceId]/connections/[connectionId]/push/destinations/[destinationId]/targets/[targetId]/fields/route';
import { GET as listRoute, POST as createRoute } from '@/app/api/workspaces/[workspaceId]/connections/[connectionId]/pushes/route';
import { POST as previewRoute } from '@/app/api/workspaces/[workspaceId]/connections/[connectionId]/pushes/preview/route';
import { DELETE as deleteRoute, GET as getRoute, PATCH as patchRoute } from '@/app/api/workspaces/[workspaceId]/connections/[connectionId]/pushes/[pushId]/route';
import { POST as runRoute } from '@/app/api/workspaces/[workspaceId]/connections/[connectionId]/pushes/[pushId]/run/route';
import { GET as errorsRoute } from '@/app/api/workspaces/[workspaceId]/connections/[connectionId]/pushes/[pushId]/errors/route';
import type { PushView } from '@/lib/push/schemas';
import { SyncRunner } from '@/lib/sync/runner';
import { connectViaSandbox } from '../support/connect';
import { createTestDatabase, createUser, testEngine, type TestDatabase } from '../support/database';
import { addMemberAndAccept } from '../support/members';
import { startSandbox, type Sandbox } from '../sandbox/server';
import { runRow, syncToEnd } from '../support/sync';
import { actAs, call, releaseDatabase, useDatabase } from './route-harness';

vi.mock('next/headers', () => import('./route-harness').then((m) => m.nextHeaders));

// One sandbox and database for the file, not reset between tests: the connections made once stay valid.
const suite = {} as { sandbox: Sandbox; database: TestDatabase; admin: SessionUser };
const AUDIENCE = 'b9f8e7d6c5';

let viewer: SessionUser;
let w: string;
let source: string;
let destination: string;
let otherWorkspace: string;

const base = () => `/api/workspaces/${w}/connections/${destination}`;
const params = (extra: Record<string, string> = {}) => ({ workspaceId: w, connectionId: destination, ...extra });
const config = (overrides: Record<string, unknown> = {}) => ({
  name: 'Customers to the newsletter',
  destination: 'members',
  targetId: AUDIENCE,
  matchField: 'EMAIL',
  sourceModel: 'Contact',
  sourceConnectionIds: [source],
  filters: [{ field: 'email', op: 'is_set' }],
  mapping: {
    version: 1,
    model: 'Contact',
    rows: [
      { id: 'email', target: 'EMAIL', source: 'email' },
      { id: 'first', target: 'FNAME', source: 'firstName' },
    ],
  },
  deletionPolicy: 'archive',
  ...overrides,
});

beforeAll(async () => {
  suite.sandbox = await startSandbox({ port: 0 });
  process.env.PROVIDER_SANDBOX_URL = suite.sandbox.url;
  suite.sandbox.knobs.autoApprove = true;
  suite.database = await createTestDatabase();
  suite.admin = await createUser(suite.database, 'admin');
  useDatabase(suite.database);
  suite.sandbox.setKnobs({ dataset: { 'hubspot.contacts': 12, 'hubspot.deals': 0, 'mailchimp.members': 0 } });
  const db = suite.database.db;
  w = (await createWorkspace(db, suite.admin, 'Push routes')).id;
  otherWorkspace = (await createWorkspace(db, suite.admin, 'Elsewhere')).id;
  source = (await connectViaSandbox(db, suite.admin, w, 'hubspot')).connectionId;
  destination = (await connectViaSandbox(db, suite.admin, w, 'mailchimp')).connectionId;
  const synced = await syncToEnd(db, new SyncRunner(db, { sleep: async () => undefined }), { workspaceId: w, connectionId: source }, { mode: 'full', trigger: 'initial', resource: 'contacts' });
  expect(synced.outcome).toBe('succeeded');
  viewer = await createUser(suite.database, 'viewer');
  await addMemberAndAccept(db, suite.admin, w, { email: viewer.email, role: 'viewer' });
});
afterAll(async () => {
  releaseDatabase();
  await suite.database?.drop();
  await suite.sandbox?.close();
  delete process.env.PROVIDER_SANDBOX_URL;
});

async function json<T>(response: Response, status: number): Promise<T> {
  const body = (await response.json()) as T;
  expect(response.status, JSON.stringify(body)).toBe(status);
  return body;
}

describe(`push routes (${testEngine})`, () => {
  it('lists the destinations with their targets and a target’s real fields', async () => {
    await actAs(suite.admin);
    const { destinations } = await json<{ destinations: { id: string; matchKey: unknown; targets: { id: string }[]; deletionPolicies: string[] }[] }>(
      await call(destinationsRoute, `${base()}/push/destinations`, { params: params() }),
      200,
    );
    expect(destinations).toEqual([expect.objectContaining({ id: 'members', matchKey: { kind: 'fixed', field: 'EMAIL' }, deletionPolicies: ['keep', 'archive', 'delete'] })]);
    expect(destinations[0].targets.map((t) => t.id)).toContain(AUDIENCE);
    const { fields } = await json<{ fields: { name: string; matchable: boolean }[] }>(
      await call(fieldsRoute, `${base()}/push/destinations/members/targets/${AUDIENCE}/fields`, { params: params({ destinationId: 'members', targetId: AUDIENCE }) }),
      200,
    );
    expect(fields.map((f) => f.name)).toEqual(expect.arrayContaining(['EMAIL', 'FNAME', 'LNAME', 'STAGE']));
    expect(fields.find((f) => f.name === 'EMAIL')?.matchable).toBe(true);
  });

  it('previews, creates, lists, runs, patches and deletes a push; the run shows as a push run', async () => {
    await actAs(suite.admin);
    const preview = await json<{ matching: number; records: { key: string; fields: Record<string, unknown>; errors: unknown[] }[] }>(
      await call(previewRoute, `${base()}/pushes/preview`, { method: 'POST', params: params(), body: config() }),
      200,
    );
    expect(preview.matching).toBe(12);
    expect(preview.records).toHaveLength(10);
    expect(preview.records[0]).toMatchObject({ key: expect.stringContaining('@'), fields: { EMAIL: expect.any(String) }, errors: [] });

    // Filters apply to the mapped (model) fields: the preview counts what the stored records hold.
    const stages = await asService(suite.database.db, (tx) =>
      tx.execute(sql`select mapped->>'lifecycleStage' as stage from public.synced_records where connection_id = ${source}::uuid`),
    );
    const held = rowsOf<{ stage: string | null }>(stages).map((r) => r.stage);
    for (const filters of [
      [{ field: 'lifecycleStage', op: 'in', value: ['customer', 'lead'] }],
      [{ field: 'lifecycleStage', op: 'equals', value: 'customer' }],
      [{ field: 'lifecycleStage', op: 'not_equals', value: 'customer' }],
      [{ field: 'jobTitle', op: 'is_not_set' }],
    ]) {
      const expected =
        filters[0].op === 'in'
          ? held.filter((s) => s === 'customer' || s === 'lead').length
          : filters[0].op === 'equals'
            ? held.filter((s) => s === 'customer').length
            : filters[0].op === 'not_equals'
              ? held.filter((s) => s !== 'customer').length
              : 0;
      const filtered = await json<{ matching: number }>(await call(previewRoute, `${base()}/pushes/preview`, { method: 'POST', params: params(), body: config({ filters }) }), 200);
      expect(filtered.matching, JSON.stringify(filters)).toBe(expected);
    }

    const created = await json<PushView>(await call(createRoute, `${base()}/pushes`, { method: 'POST', params: params(), body: config() }), 201);
    expect(created).toMatchObject({ enabled: true, lastRun: null, counts: { pushed: 0, failing: 0 }, config: { schedule: 'manual', pushOnSourceChange: true } });
    const listed = await json<{ pushes: PushView[] }>(await call(listRoute, `${base()}/pushes`, { params: params() }), 200);
    expect(listed.pushes.map((p) => p.id)).toEqual([created.id]);

    const { runId } = await json<{ runId: string }>(await call(runRoute, `${base()}/pushes/${created.id}/run`, { method: 'POST', params: params({ pushId: created.id }) }), 202);
    expect(await runRow(suite.database.db, runId)).toMatchObject({ direction: 'push', pushId: created.id, status: 'queued', trigger: 'manual' });

    const patched = await json<PushView>(
      await call(patchRoute, `${base()}/pushes/${created.id}`, { method: 'PATCH', params: params({ pushId: created.id }), body: { schedule: 'daily', enabled: false } }),
      200,
    );
    // Only the keys sent change: the filters and policy stay as created.
    expect(patched).toMatchObject({ enabled: false, config: { schedule: 'daily', deletionPolicy: 'archive', filters: [{ field: 'email', op: 'is_set' }] } });
    expect(patched.lastRun).toMatchObject({ id: runId, status: 'queued' });

    const deleted = await call(deleteRoute, `${base()}/pushes/${created.id}`, { method: 'DELETE', params: params({ pushId: created.id }) });
    expect(deleted.status).toBe(204);
    expect((await call(getRoute, `${base()}/pushes/${created.id}`, { params: params({ pushId: created.id }) })).status).toBe(404);
    expect(await runRow(suite.database.db, runId)).toMatchObject({ status: 'cancelled', pushId: null });
  });

  it('answers bad configurations with a readable 4xx naming the field', async () => {
    await actAs(suite.admin);
    const cases: [Record<string, unknown>, number, RegExp][] = [
      [{ name: '' }, 400, /name/],
      [{ destination: 'nowhere' }, 400, /destination: "nowhere" is not offered by this connection \(offered: members\)/],
      [{ matchField: 'FNAME' }, 400, /matchField: Audience members matches records on EMAIL/],
      [{ sourceConnectionIds: ['00000000-0000-4000-8000-000000000000'] }, 400, /sourceConnectionIds: .* is not a connection of this workspace/],
      [{ filters: [{ field: 'shoeSize', op: 'is_set' }] }, 400, /filters\.0\.field: "shoeSize" is not a Contact field/],
      [{ filters: [{ field: 'email', op: 'in', value: 'x' }] }, 400, /"in" needs a list/],
      [{ deletionPolicy: 'shred' }, 400, /deletionPolicy/],
      [{ mapping: { version: 1, model: 'Contact', rows: [{ id: 'x', target: 'SHOE', source: 'email' }] } }, 422, /rows\[0\]\.target: "SHOE" is not a field of the target/],
      [{ mapping: { version: 1, model: 'Contact', rows: [{ id: 'x', target: 'FNAME', source: 'firstName' }] } }, 422, /map a value to the match field EMAIL/],
      [{ mapping: { version: 1, model: 'Deal', rows: [{ id: 'x', target: 'EMAIL', source: 'name' }] } }, 422, /reads Deal but the push sends Contact/],
      [{ targetId: 'nope' }, 400, /targetId: "nope" is not among this connection's targets for Audience members/],
    ];
    for (const [overrides, status, message] of cases) {
      const body = await json<{ error: string; code: string }>(await call(createRoute, `${base()}/pushes`, { method: 'POST', params: params(), body: config(overrides) }), status);
      expect(body.error).toMatch(message);
    }
    const notJson = await call(createRoute, `${base()}/pushes`, { method: 'POST', params: params(), body: 'nope', headers: { 'content-type': 'text/plain' } });
    expect(notJson.status).toBe(415);
    const badId = await call(getRoute, `${base()}/pushes/x`, { params: params({ pushId: 'x' }) });
    expect(((await json<{ error: string }>(badId, 400)).error)).toMatch(/pushId must be a valid id/);
  });

  it('lets a viewer read pushes and their errors but not write; another workspace’s ids are 404', async () => {
    await actAs(suite.admin);
    const push = await json<PushView>(await call(createRoute, `${base()}/pushes`, { method: 'POST', params: params(), body: config({ name: 'Viewer probe' }) }), 201);
    await actAs(viewer);
    expect((await call(listRoute, `${base()}/pushes`, { params: params() })).status).toBe(200);
    const errors = await json<{ errors: unknown[]; nextCursor: string | null }>(await call(errorsRoute, `${base()}/pushes/${push.id}/errors`, { params: params({ pushId: push.id }) }), 200);
    expect(errors).toEqual({ errors: [], nextCursor: null });
    for (const response of [
      await call(createRoute, `${base()}/pushes`, { method: 'POST', params: params(), body: config() }),
      await call(previewRoute, `${base()}/pushes/preview`, { method: 'POST', params: params(), body: config() }),
      await call(patchRoute, `${base()}/pushes/${push.id}`, { method: 'PATCH', params: params({ pushId: push.id }), body: { enabled: false } }),
      await call(runRoute, `${base()}/pushes/${push.id}/run`, { method: 'POST', params: params({ pushId: push.id }) }),
      await call(deleteRoute, `${base()}/pushes/${push.id}`, { method: 'DELETE', params: params({ pushId: push.id }) }),
    ]) {
      expect((await json<{ code: string }>(response, 403)).code).toBe('forbidden');
    }

    // The admin of the workspace, asking through another workspace's path: nothing there.
    await actAs(suite.admin);
    const elsewhere = { workspaceId: otherWorkspace, connectionId: destination, pushId: push.id };
    expect((await call(getRoute, `/api/workspaces/${otherWorkspace}/connections/${destination}/pushes/${push.id}`, { params: elsewhere })).status).toBe(404);
    expect((await call(listRoute, `/api/workspaces/${otherWorkspace}/connections/${destination}/pushes`, { params: elsewhere })).status).toBe(404);
    // A stranger to the workspace: 404, never 403.
    const stranger = await createUser(suite.database, 'stranger');
    await actAs(stranger);
    expect((await call(getRoute, `${base()}/pushes/${push.id}`, { params: params({ pushId: push.id }) })).status).toBe(404);
    expect((await call(destinationsRoute, `${base()}/push/destinations`, { params: params() })).status).toBe(404);
  });
});
