// Text carrying NUL (U+0000) cannot be stored by PostgreSQL (text: 22021, jsonb: 22P05). Through
// the routes it must answer a readable 400 naming the field, never a 500; a NUL that reaches a
// query another way maps to 400 as well; and a 500's log line never carries a bound parameter.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { asService } from '@/lib/db/rls';
import { toErrorResponse } from '@/lib/http/route';
import { getMappingEditor, saveMapping } from '@/lib/mapping/editor';
import type { Mapping } from '@/lib/mapping/language';
import { createWorkspace } from '@/lib/workspaces/workspaces';
import { POST as signIn } from '@/app/api/auth/sign-in/route';
import { POST as signUp } from '@/app/api/auth/sign-up/route';
import { POST as createWorkspaceRoute } from '@/app/api/workspaces/route';
import { PATCH as renameWorkspaceRoute } from '@/app/api/workspaces/[workspaceId]/route';
import { PATCH as updateConnectionRoute } from '@/app/api/workspaces/[workspaceId]/connections/[connectionId]/route';
import { PUT as saveMappingRoute } from '@/app/api/workspaces/[workspaceId]/connections/[connectionId]/mappings/[resource]/route';
import { POST as saveTemplateRoute } from '@/app/api/workspaces/[workspaceId]/connections/[connectionId]/mappings/[resource]/templates/route';
import { connectViaSandbox } from '../support/connect';
import { testEngine } from '../support/database';
import { exampleProvider } from '../support/providers';
import { sandboxSuite } from '../support/sandbox-suite';
import { actAs, call, releaseDatabase, useDatabase } from './route-harness';

vi.mock('next/headers', () => import('./route-harness').then((m) => m.nextHeaders));

const suite = sandboxSuite();
const NUL = '\u0000';
let target: { workspaceId: string; connectionId: string; resource: string };

beforeAll(async () => {
  vi.stubEnv('SESSION_SECRET', 'nul-input-test-session-secret-0123456789');
  useDatabase(suite.database);
  suite.sandbox.knobs.autoApprove = true;
  const workspaceId = (await createWorkspace(suite.database.db, suite.admin, 'NUL')).id;
  // Any provider that syncs: its first resource has a default mapping.
  const provider = exampleProvider({ auth: 'oauth2', sync: true });
  const { connectionId } = await connectViaSandbox(suite.database.db, suite.admin, workspaceId, provider.id);
  target = { workspaceId, connectionId, resource: provider.resources[0] };
});
afterAll(() => {
  releaseDatabase();
  vi.unstubAllEnvs();
});

async function expect400(response: Response, field?: RegExp) {
  const body = (await response.json()) as { error: string; code: string };
  expect(response.status, JSON.stringify(body)).toBe(400);
  expect(body.code).toBe('validation_failed');
  expect(body.error).toMatch(/NUL/);
  if (field) expect(body.error).toMatch(field);
}

/** The active default mapping with a NUL inside one of its strings (as JSON.parse makes "\u0000"). */
async function mappingWithNul(): Promise<Mapping> {
  const editor = await getMappingEditor(suite.database.db, suite.admin, target);
  const mapping = structuredClone(editor.active!.definition);
  mapping.rows[0] = { ...mapping.rows[0], transforms: [...(mapping.rows[0].transforms ?? []), { op: 'default', value: `x${NUL}y` }] };
  return mapping;
}

describe(`NUL in input answers 400, never 500 (${testEngine})`, () => {
  it('sign-in with a NUL in the password', async () => {
    await actAs(null);
    await expect400(await call(signIn, '/api/auth/sign-in', { method: 'POST', body: { email: suite.admin.email, password: `pass${NUL}word` } }), /password/);
  });

  it('sign-up with a NUL in the name', async () => {
    await actAs(null);
    const body = { email: `nul-${Date.now()}@example.test`, password: 'a long enough password', displayName: `Ada${NUL}` };
    await expect400(await call(signUp, '/api/auth/sign-up', { method: 'POST', body }), /displayName/);
  });

  it('workspace names, created and renamed', async () => {
    await actAs(suite.admin);
    await expect400(await call(createWorkspaceRoute, '/api/workspaces', { method: 'POST', body: { name: `Acme${NUL}` } }), /name/);
    await expect400(
      await call(renameWorkspaceRoute, `/api/workspaces/${target.workspaceId}`, {
        method: 'PATCH',
        params: { workspaceId: target.workspaceId },
        body: { name: `Acme${NUL}` },
      }),
      /name/,
    );
  });

  it('connection and template names', async () => {
    await actAs(suite.admin);
    await expect400(
      await call(updateConnectionRoute, `/api/workspaces/${target.workspaceId}/connections/${target.connectionId}`, {
        method: 'PATCH',
        params: { workspaceId: target.workspaceId, connectionId: target.connectionId },
        body: { displayName: `CRM${NUL}` },
      }),
      /displayName/,
    );
    await expect400(
      await call(saveTemplateRoute, `/api/workspaces/${target.workspaceId}/connections/${target.connectionId}/mappings/${target.resource}/templates`, {
        method: 'POST',
        params: target,
        body: { name: `Template${NUL}` },
      }),
      /name/,
    );
  });

  it('mapping JSON carrying "\\u0000", in a value or in a key', async () => {
    await actAs(suite.admin);
    const url = `/api/workspaces/${target.workspaceId}/connections/${target.connectionId}/mappings/${target.resource}`;
    const mapping = await mappingWithNul();
    // The body as a browser sends it: the JSON escape, which JSON.parse turns into U+0000.
    const raw = JSON.stringify({ definition: mapping });
    expect(raw).toContain('\\u0000');
    await expect400(await call(saveMappingRoute, url, { method: 'PUT', params: target, body: raw }), /definition\.rows\.0\.transforms/);
    const keyed = JSON.stringify({ definition: { ...mapping, [`x${NUL}`]: 1 } });
    await expect400(await call(saveMappingRoute, url, { method: 'PUT', params: target, body: keyed }), /definition\.x\\u0000/);
  });

  it('a NUL that reaches the database another way still answers 400 (text 22021, jsonb 22P05)', async () => {
    const text = await createWorkspace(suite.database.db, suite.admin, `Acme${NUL}`).catch((error: unknown) => error);
    const textAnswer = toErrorResponse(text);
    expect(textAnswer.status).toBe(400);
    expect(((await textAnswer.json()) as { code: string }).code).toBe('bad_request');

    const json = await saveMapping(suite.database.db, suite.admin, target, { definition: await mappingWithNul() }).catch((error: unknown) => error);
    expect(json).toBeInstanceOf(Error);
    const jsonAnswer = toErrorResponse(json);
    expect(jsonAnswer.status).toBe(400);
    expect(((await jsonAnswer.json()) as { error: string }).error).toMatch(/cannot be stored/);
  });
});

describe(`a 500's log line (${testEngine})`, () => {
  it('carries the error class and code, never the bound parameters', async () => {
    const secret = 'hunter2-super-secret-password';
    const failure = await asService(suite.database.db, (tx) =>
      tx.execute(sql`select 1 / (case when ${secret}::text = ${secret}::text then 0 else 1 end) as boom`),
    ).catch((error: unknown) => error);
    const logged: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' ')));
    try {
      const response = toErrorResponse(failure);
      expect(response.status).toBe(500);
      expect(JSON.stringify(await response.json())).not.toContain(secret);
    } finally {
      spy.mockRestore();
    }
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/\(code 22012\)/);
    expect(logged[0]).not.toContain(secret);
    expect(logged[0]).not.toMatch(/params:|select 1/);
  });
});
