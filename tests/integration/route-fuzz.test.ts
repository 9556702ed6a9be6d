// Every route handler under app/api, fed generated malformed input (issue 12): found on disk, called
// in process with real Requests against a real database, as an outsider, a viewer and an admin of
// workspace A. The property for every answer: never a 5xx; an error is JSON `{ error, code }` with a
// known code whose status it carries; no stack trace or source path in what is answered; and nothing
// secret (passwords, session tokens, client and signing secrets, OAuth tokens, key material) nor a
// query's bound parameters reaches the logs. A 2xx for input that happens to be valid is fine.
//
// Only the framework's request scope is replaced (next/headers reads the cookies and headers of the
// call in progress); the database is the test database, put into the app's singleton. FUZZ_RUNS
// scales the runs per route, method and role; FUZZ_SEED replays a failure fast-check reported.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { SESSION_COOKIE, signSessionToken, verifySessionToken, type SessionUser } from '@/lib/auth/session-token';
import { loadCredentials } from '@/lib/connections/credential-store';
import { rowsOf } from '@/lib/db/engine';
import { asService } from '@/lib/db/rls';
import { ROLES, SCHEDULES, SYNC_STATUSES, webhookEvents } from '@/lib/db/schema';
import { ERROR_CODES, errorCodes, isErrorCode } from '@/lib/http/error-codes';
import { saveTemplate } from '@/lib/mapping/editor';
import { findProvider, providers } from '@/lib/providers/registry';
import { requestSync } from '@/lib/sync/runs';
import { SyncRunner } from '@/lib/sync/runner';
import { WEBHOOK_STATUSES } from '@/lib/webhooks/statuses';
import { rotateSigningSecret } from '@/lib/webhooks/signing-secrets';
import { addMember } from '@/lib/workspaces/members';
import { createWorkspace } from '@/lib/workspaces/workspaces';
import { startSandbox, sandboxProvider, type Sandbox } from '../sandbox/server';
import { connectViaSandbox } from '../support/connect';
import { createTestDatabase, createUser, testEngine, type TestDatabase } from '../support/database';
import { describeRequest, edgeVariants, fuzzRequest, jsonText, materializeBody, type BodySpec, type FuzzRequest, type FuzzWorld } from '../support/fuzz-inputs';
import { addMemberAndAccept } from '../support/members';
import {
  callRoute,
  captureConsole,
  discoverRoutes,
  HTTP_METHODS,
  loadHandlers,
  pathOf,
  useAsAppDatabase,
  type DiscoveredRoute,
  type HttpMethod,
  type LogCapture,
  type RouteAnswer,
} from '../support/route-harness';

vi.mock('next/headers', async () => (await import('../support/route-harness')).nextHeadersMock());

/** Routes left out, and why. */
const EXCLUDED: Record<string, string> = {
  // Inngest's own protocol handler (`serve()` from inngest/next): it speaks Inngest's wire protocol,
  // authenticates Inngest by signing key (and answers 500 by design without one), and is not one of
  // the app's `{ error, code }` routes. Its functions are tested in inngest-functions.test.ts.
  '/api/inngest': 'Inngest protocol handler',
};

const RUNS = Number(process.env.FUZZ_RUNS ?? 10);
/** At most this long per route, method and role (setting FUZZ_RUNS lifts it). */
const PROPERTY_MS = Number(process.env.FUZZ_PROPERTY_MS ?? (process.env.FUZZ_RUNS ? 3_600_000 : 3_000));
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
/** FUZZ_COLLECT=1: record every failing answer instead of stopping at the first (for hunting bugs). */
const COLLECT = process.env.FUZZ_COLLECT === '1';
const collected: { route: string; problems: string[]; detail: string }[] = [];
/** Answers per route, method and role, by status and code (printed with FUZZ_COLLECT=1: what the input reached). */
const reached = new Map<string, Map<string, number>>();
const examples = new Map<string, string>();
const BASE = 'http://hub.test';
const PASSWORD = 'fuzz-password-0123456789';

const routes = discoverRoutes().filter((route) => !(route.pattern in EXCLUDED));

type Role = 'outsider' | 'viewer' | 'admin';
interface Identity {
  label: string;
  cookies: () => Promise<Record<string, string>>;
  /** Headers it authenticates with (a bearer API key). */
  headers?: Record<string, string>;
  /** The workspace it acts for: the other one's ids (and, for none, both) are foreign to it. */
  workspace?: 'A' | 'B';
}

interface Fixtures {
  database: TestDatabase;
  sandbox: Sandbox;
  owner: SessionUser;
  admin: SessionUser;
  viewer: SessionUser;
  spare: SessionUser;
  stranger: SessionUser;
  ownerB: SessionUser;
  a: { workspaceId: string; connectionId: string };
  b: { workspaceId: string; connectionId: string };
  world: FuzzWorld;
  /** Ids of rows in workspace A (and its people), and in workspace B (and its owner). */
  idsOfA: Set<string>;
  idsOfB: Set<string>;
  identities: Record<Role, Identity[]>;
  restoreDatabase: () => void;
}

const f = {} as Fixtures;
/** Everything that must never be logged (and, except where a route hands out a new secret, answered). */
const secrets = new Set<string>();
let logs: LogCapture;
/** Every log line, with the request that was being answered, for the final scan. */
const logged: { line: string; during: string }[] = [];
const envBefore = { SESSION_SECRET: process.env.SESSION_SECRET, ENCRYPTION_KEYS: process.env.ENCRYPTION_KEYS };

function addSecret(value: unknown) {
  if (typeof value !== 'string' || value.length < 8) return;
  secrets.add(value);
  if (value.startsWith('whsec_')) secrets.add(value.slice('whsec_'.length));
}

async function collectCredentialSecrets() {
  for (const { connectionId } of [f.a, f.b]) {
    const stored = await asService(f.database.db, (tx) => loadCredentials(tx, connectionId)).catch(() => null);
    addSecret(stored?.tokens.accessToken);
    addSecret(stored?.tokens.refreshToken);
  }
}

async function withPassword(user: SessionUser) {
  await asService(f.database.db, (tx) =>
    tx.execute(sql`update auth.users set encrypted_password = crypt(${PASSWORD}, gen_salt('bf', 4)) where id = ${user.userId}::uuid`),
  );
  return user;
}

async function ids(query: ReturnType<typeof sql>): Promise<string[]> {
  return asService(f.database.db, async (tx) => rowsOf<{ id: string }>(await tx.execute(query)).map((r) => r.id));
}

beforeAll(async () => {
  process.env.SESSION_SECRET = crypto.randomBytes(32).toString('base64url');
  const encryptionKey = crypto.randomBytes(32).toString('base64');
  process.env.ENCRYPTION_KEYS = `fuzz:${encryptionKey}`;
  [process.env.SESSION_SECRET, encryptionKey, Buffer.from(encryptionKey, 'base64').toString('base64url')].forEach(addSecret);

  f.sandbox = await startSandbox({ port: 0 });
  process.env.PROVIDER_SANDBOX_URL = f.sandbox.url;
  f.sandbox.knobs.autoApprove = true;
  f.sandbox.setKnobs({ dataset: { 'hubspot.contacts': 6, 'hubspot.deals': 3 } });
  f.database = await createTestDatabase();
  f.restoreDatabase = useAsAppDatabase(f.database);
  const db = f.database.db;

  [f.owner, f.admin, f.viewer, f.spare, f.stranger, f.ownerB] = await Promise.all(
    ['owner', 'admin', 'viewer', 'spare', 'stranger', 'owner-b'].map((label) => createUser(f.database, `fuzz-${label}`)),
  );
  for (const user of [f.owner, f.admin, f.viewer, f.spare, f.stranger, f.ownerB]) await withPassword(user);
  addSecret(PASSWORD);

  // Workspace A: the owner, an admin and a viewer (and a spare member to re-role and remove), a
  // synced HubSpot connection, a template, a signing secret, a webhook delivery, a pending invitation.
  // Workspace B: another owner with the same kinds of rows, whose ids are used in A's paths.
  f.a = { workspaceId: (await createWorkspace(db, f.owner, 'Fuzz A')).id, connectionId: '' };
  f.b = { workspaceId: (await createWorkspace(db, f.ownerB, 'Fuzz B')).id, connectionId: '' };
  await addMemberAndAccept(db, f.owner, f.a.workspaceId, { email: f.admin.email, role: 'admin' });
  await addMemberAndAccept(db, f.owner, f.a.workspaceId, { email: f.viewer.email, role: 'viewer' });
  await addMemberAndAccept(db, f.owner, f.a.workspaceId, { email: f.spare.email, role: 'member' });
  await addMember(db, f.owner, f.a.workspaceId, { email: 'pending-a@example.test', role: 'member' });
  await addMember(db, f.ownerB, f.b.workspaceId, { email: 'pending-b@example.test', role: 'member' });
  f.a.connectionId = (await connectViaSandbox(db, f.owner, f.a.workspaceId, 'hubspot')).connectionId;
  f.b.connectionId = (await connectViaSandbox(db, f.ownerB, f.b.workspaceId, 'hubspot')).connectionId;
  const runner = new SyncRunner(db, { sleep: async () => undefined });
  for (const [user, side] of [[f.owner, f.a], [f.ownerB, f.b]] as const) {
    const { runId } = await requestSync(db, { ...side, trigger: 'initial', mode: 'full' });
    await runner.runToEnd(runId);
    await saveTemplate(db, user, { ...side, resource: 'contacts' }, `Template of ${side === f.a ? 'A' : 'B'}`);
    addSecret((await rotateSigningSecret(db, user, side.workspaceId, side.connectionId)).secret);
    await asService(db, (tx) =>
      tx.insert(webhookEvents).values({
        workspaceId: side.workspaceId,
        connectionId: side.connectionId,
        provider: 'hubspot',
        dedupeKey: crypto.randomUUID(),
        verification: 'verified',
        status: 'processed',
        payload: { objectId: 1 },
      }),
    );
  }
  await collectCredentialSecrets();
  for (const provider of providers) {
    addSecret(`sandbox-secret-${provider.id}`);
    const sandboxed = sandboxProvider(provider.id);
    if (sandboxed.auth.kind === 'api_key') for (const account of sandboxed.accounts) Object.values(sandboxed.auth.credentials(account)).forEach(addSecret);
  }

  const of = (workspaceId: string) => ({
    runs: ids(sql`select id from public.sync_runs where workspace_id = ${workspaceId}::uuid`),
    events: ids(sql`select id from public.webhook_events where workspace_id = ${workspaceId}::uuid`),
    templates: ids(sql`select id from public.mapping_templates where workspace_id = ${workspaceId}::uuid`),
    invitations: ids(sql`select id from public.workspace_invitations where workspace_id = ${workspaceId}::uuid`),
  });
  const [inA, inB] = [of(f.a.workspaceId), of(f.b.workspaceId)];
  const [runsA, eventsA, templatesA, invitationsA, runsB, eventsB, templatesB, invitationsB] = await Promise.all([
    inA.runs, inA.events, inA.templates, inA.invitations, inB.runs, inB.events, inB.templates, inB.invitations,
  ]);
  const hubspot = findProvider('hubspot')!;
  const mappings = Object.values(hubspot.defaultMappings ?? {});
  const apiKeyProviders = providers.filter((p) => p.auth.kind === 'api_key').map((p) => p.id);
  const apiKeyFields = apiKeyProviders.flatMap((id) => {
    const sandboxed = sandboxProvider(id);
    return sandboxed.auth.kind === 'api_key' ? [sandboxed.auth.credentials(sandboxed.accounts[0])] : [];
  });

  f.idsOfA = new Set([f.a.workspaceId, f.a.connectionId, ...runsA, ...eventsA, ...templatesA, ...invitationsA, f.owner.userId, f.admin.userId, f.viewer.userId, f.spare.userId]);
  f.idsOfB = new Set([f.b.workspaceId, f.b.connectionId, ...runsB, ...eventsB, ...templatesB, ...invitationsB, f.ownerB.userId]);
  f.world = {
    params: {
      workspaceId: { home: [f.a.workspaceId], other: [f.b.workspaceId] },
      connectionId: { home: [f.a.connectionId], other: [f.b.connectionId] },
      resource: { home: hubspot.resources.map((r) => r.id), other: ['customers', 'events', 'constructor', 'tostring'] },
      userId: { home: [f.admin.userId, f.viewer.userId, f.spare.userId, f.owner.userId], other: [f.ownerB.userId, f.stranger.userId] },
      invitationId: { home: invitationsA, other: invitationsB },
      runId: { home: runsA, other: runsB },
      eventId: { home: eventsA, other: eventsB },
      provider: { home: providers.map((p) => p.id), other: ['unknown', 'standard-webhooks', 'HUBSPOT', 'hub spot'] },
      action: { home: [...new Set(providers.flatMap((p) => Object.keys(p.actions ?? {})))], other: ['contacts.drop', 'x.y', 'contacts'] },
      code: { home: errorCodes, other: ['internal', 'NOT_FOUND', '__proto__'] },
      // Any other segment a new route names gets generic junk, uuids and text (fuzz-inputs.ts).
    },
    values: {
      name: ['Renamed by the fuzzer', 'x', 'y'.repeat(80)],
      email: [f.admin.email, f.viewer.email, f.stranger.email, 'new-person@example.test', 'UPPER@Example.Test'],
      password: [PASSWORD, 'wrong-password-123'],
      displayName: ['Fuzzed connection', ''],
      role: ['member', 'viewer', 'admin', 'owner'] satisfies (typeof ROLES)[number][],
      mode: ['full', 'incremental'],
      paused: [true, false],
      schedule: [...SCHEDULES],
      resources: [hubspot.resources.map((r) => r.id), [], ['contacts', 'contacts']],
      definition: mappings,
      templateId: ['default', ...templatesA, ...templatesB],
      version: [1, 2, 3],
      token: [crypto.randomBytes(32).toString('base64url')],
      provider: [...apiKeyProviders, 'hubspot', 'unknown'],
      fields: apiKeyFields,
      workspaceId: [f.a.workspaceId, f.b.workspaceId],
      connectionId: [f.a.connectionId, f.b.connectionId],
      connection: [f.a.connectionId, f.b.connectionId],
      actor: [f.owner.userId, f.ownerB.userId],
      action: ['member.added', 'workspace.renamed'],
      status: [...SYNC_STATUSES, ...WEBHOOK_STATUSES],
      from: ['2026-01-01', '2026-02-30', '0000-01-01'],
      to: ['2026-12-31', '9999-12-31'],
      page: [1, 2, 10_000, 100_000],
      pageSize: [1, 100],
      q: ['Ada', '%', '_', '\\', 'a\\'],
      cursor: [
        Buffer.from(JSON.stringify({ id: crypto.randomUUID() })).toString('base64url'),
        Buffer.from('{"externalId":1e309}').toString('base64url'),
        Buffer.from('null').toString('base64url'),
        'not base64!',
      ],
      limit: [1, 100, 0, 1000],
      start: ['2026-03-01T09:00:00Z', '0000-01-01T00:00:00Z', '9999-12-31T23:59:59Z'],
      phone: ['+14155550123', '(415) 555-0123'],
      scopes: [['actions:read', 'actions:write', 'records:read'], ['records:read']],
      // JSON-RPC (the MCP endpoint).
      jsonrpc: ['2.0'],
      method: ['initialize', 'tools/list', 'tools/call'],
      id: [1, 'a'],
      params: [{ name: 'contacts.lookup', arguments: { email: 'ada@example.test' } }, { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'fuzz', version: '1' } }],
      end: ['2026-03-01T10:00:00Z', '+275760-09-13T00:00:00Z'],
      deleted: ['include', 'only', 'exclude'],
      code: ['sandbox-code'],
      state: [crypto.randomBytes(16).toString('base64url')],
      error: ['access_denied'],
    },
    seeds: [
      ...mappings.map((definition) => ({ definition })),
      ...mappings.map((definition) => ({ definition, templateId: templatesA[0] })),
      { jsonrpc: '2.0', id: 1, method: 'tools/list' },
      { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'contacts.lookup', arguments: { email: 'ada@example.test' } } },
    ],
  };

  const fixed = (label: string, cookies: Record<string, string>): Identity => ({ label, cookies: async () => cookies });
  // A session that ended long ago, and one of an account deleted while it was live.
  const expired = await signSessionToken(f.admin, new Date(Date.now() - 60 * 24 * 3600 * 1000));
  addSecret(expired);
  const ghost = await createUser(f.database, 'fuzz-ghost');
  const ghostToken = await signSessionToken(ghost);
  addSecret(ghostToken);
  await asService(db, (tx) => tx.execute(sql`delete from auth.users where id = ${ghost.userId}::uuid`));
  // The public API's keys, where the app issues them: A's with every scope (for the admin), A's
  // read-only one (for the viewer), B's and a revoked one of A's (for outsiders).
  const allScopes = ['actions:read', 'actions:write', 'records:read'];
  const bearer = (label: string, key: string | undefined): Identity[] =>
    // Accepting JSON and event streams, as the MCP endpoint requires of its clients.
    key ? [{ label, cookies: async () => ({}), headers: { authorization: `Bearer ${key}`, accept: 'application/json, text/event-stream' } }] : [];
  const [keyOfA, readKeyOfA, keyOfB, revokedKeyOfA] = [
    await issueApiKey(f.owner, f.a.workspaceId, allScopes),
    await issueApiKey(f.owner, f.a.workspaceId, ['records:read']),
    await issueApiKey(f.ownerB, f.b.workspaceId, allScopes),
    await issueApiKey(f.owner, f.a.workspaceId, allScopes, true),
  ];
  f.identities = {
    outsider: [
      session('a signed-in non-member', f.stranger),
      session('a signed-in non-member', f.stranger),
      { ...session('the owner of workspace B', f.ownerB), workspace: 'B' },
      fixed('nobody (no cookie)', {}),
      fixed('a garbage session cookie', { [SESSION_COOKIE]: 'not.a.session\u0001' }),
      fixed('a well-formed token naming no session', { [SESSION_COOKIE]: crypto.randomBytes(32).toString('base64url') }),
      fixed('an expired session', { [SESSION_COOKIE]: expired }),
      fixed('a session of a deleted account', { [SESSION_COOKIE]: ghostToken }),
      ...bearer('an API key of workspace B', keyOfB).map((identity) => ({ ...identity, workspace: 'B' as const })),
      ...bearer('a revoked API key of A', revokedKeyOfA),
    ],
    viewer: [session('the viewer of A', f.viewer), ...bearer('a read-only API key of A', readKeyOfA)].map((i) => ({ ...i, workspace: 'A' as const })),
    admin: [session('the admin of A', f.admin), ...bearer('an API key of A', keyOfA)].map((i) => ({ ...i, workspace: 'A' as const })),
  };
  logs = captureConsole();
}, 120_000);

afterAll(async () => {
  logs?.restore();
  f.restoreDatabase?.();
  await f.database?.drop();
  await f.sandbox?.close();
  delete process.env.PROVIDER_SANDBOX_URL;
  for (const [key, value] of Object.entries(envBefore)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

// What a previous property may have changed (a re-roled or removed admin, a paused connection) is put
// back before each route, so every route meets the same workspace. (Ended sessions are replaced by
// the identities themselves, see `session` above.)
beforeEach(async () => {
  await asService(f.database.db, async (tx) => {
    await tx.execute(sql`insert into public.workspace_members (workspace_id, user_id, role)
      values (${f.a.workspaceId}::uuid, ${f.admin.userId}::uuid, 'admin'), (${f.a.workspaceId}::uuid, ${f.viewer.userId}::uuid, 'viewer')
      on conflict (workspace_id, user_id) do update set role = excluded.role`);
    await tx.execute(sql`update public.connections set status = 'active', paused_at = null, consecutive_failures = 0
      where id in (${f.a.connectionId}::uuid, ${f.b.connectionId}::uuid) and status <> 'disconnected'`);
  });
});

afterEach(async () => {
  await collectCredentialSecrets();
});

// Sessions are made the way the app makes them (signSessionToken). A generated request may sign
// out, sign in again or re-role someone, which ends sessions: before each request the identity's
// session is checked (verifySessionToken) and replaced when it has ended.
function session(label: string, user: SessionUser): Identity {
  let token: string | undefined;
  return {
    label,
    cookies: async () => {
      if (!token || !(await verifySessionToken(token))) {
        token = await signSessionToken(user);
        addSecret(token);
      }
      return { [SESSION_COOKIE]: token };
    },
  };
}

/**
 * An API key for the public API, issued (and, with `revoke`, revoked again) through the app's own
 * routes by `user`; undefined while the app has no such routes.
 */
async function issueApiKey(user: SessionUser, workspaceId: string, scopes: string[], revoke = false): Promise<string | undefined> {
  const keysRoute = routes.find((r) => r.pattern === '/api/workspaces/[workspaceId]/api-keys');
  const keyRoute = routes.find((r) => r.pattern === '/api/workspaces/[workspaceId]/api-keys/[keyId]');
  const create = keysRoute && (await loadHandlers(keysRoute)).POST;
  if (!keysRoute || !create) return undefined;
  const cookies = await session('', user).cookies();
  const params = { workspaceId };
  const request = new Request(`${BASE}${pathOf(keysRoute, params)}`, {
    method: 'POST',
    headers: { host: 'hub.test', 'content-type': 'application/json' },
    body: JSON.stringify({ name: `Fuzz key (${scopes.join(' ')})`, scopes }),
  });
  const answer = await callRoute(create, request, params, cookies);
  if (answer.status >= 300) throw new Error(`issuing an API key answered ${answer.status}: ${answer.text}`);
  const { secret, key } = JSON.parse(answer.text) as { secret?: unknown; key?: { id?: string } };
  if (typeof secret !== 'string') return undefined;
  addSecret(secret);
  const remove = keyRoute && (await loadHandlers(keyRoute)).DELETE;
  if (revoke && remove && key?.id) {
    const keyParams = { workspaceId, keyId: key.id };
    await callRoute(remove, new Request(`${BASE}${pathOf(keyRoute, keyParams)}`, { method: 'DELETE', headers: { host: 'hub.test' } }), keyParams, cookies);
  }
  return secret;
}

// ---------------------------------------------------------------------------------------------

const STACK_TRACE = [/^\s+at\s.+/m, /\bat .*\(.*:\d+:\d+\)/, /node_modules\//, /\/work\//, /\.tsx?:\d+/, /webpack-internal|file:\/\//];
const BOUND_PARAMETERS = /\bparams:/;

function secretIn(text: string): string | undefined {
  for (const secret of secrets) if (text.includes(secret)) return `${secret.slice(0, 6)}…`;
  return undefined;
}

/** What is wrong with an answer (empty when nothing is). */
function problemsOf(answer: RouteAnswer, newLogLines: string[], handsOutSecret: boolean): string[] {
  const problems: string[] = [];
  if (answer.status >= 500) problems.push(`answered ${answer.status}`);
  if (answer.status >= 400) {
    let body: unknown;
    try {
      body = JSON.parse(answer.text);
    } catch {
      problems.push(`error answer is not JSON (content-type ${answer.headers.get('content-type')})`);
    }
    if (body !== undefined) {
      const { error, code, jsonrpc } = (body ?? {}) as { error?: unknown; code?: unknown; jsonrpc?: unknown };
      // The public API (/api/v1) answers application/problem+json (title, status, detail), the
      // app's own routes { error, code, details? }; both carry a known code that decides the status.
      // The MCP endpoint's transport answers JSON-RPC 2.0 errors, as its protocol prescribes.
      const problemJson = (answer.headers.get('content-type') ?? '').startsWith('application/problem+json');
      const { title, status } = (body ?? {}) as { title?: unknown; status?: unknown };
      if (jsonrpc === '2.0') {
        const rpc = (error ?? {}) as { code?: unknown; message?: unknown };
        if (typeof rpc.code !== 'number' || typeof rpc.message !== 'string') problems.push('JSON-RPC error answer has no numeric `error.code` and string `error.message`');
      } else {
        if (problemJson && (typeof title !== 'string' || status !== answer.status)) problems.push('problem answer has no `title` or a wrong `status`');
        if (!problemJson && (typeof error !== 'string' || !error)) problems.push('error answer has no string `error`');
        if (!isErrorCode(code)) problems.push(`error answer has no known \`code\` (${JSON.stringify(code)})`);
        else if (ERROR_CODES[code].status !== answer.status) problems.push(`code ${code} answered with status ${answer.status}`);
      }
    }
    if (!(answer.headers.get('content-type') ?? '').includes('json')) problems.push(`error answer content-type ${answer.headers.get('content-type')}`);
  }
  const location = answer.headers.get('location') ?? '';
  for (const [where, text] of [['body', answer.text], ['location', decodeURIComponent(location.replace(/\+/g, ' ').replace(/%(?![0-9a-f]{2})/gi, '%25'))]] as const) {
    const trace = STACK_TRACE.find((pattern) => pattern.test(text));
    if (trace) problems.push(`${where} carries a stack trace or source path (${trace})`);
    if (/incident [0-9a-f-]{36}/.test(text) && answer.status < 500) problems.push(`${where} reports an internal error (incident) with status ${answer.status}`);
    if (!handsOutSecret) {
      const secret = secretIn(text);
      if (secret) problems.push(`${where} carries a secret (${secret})`);
    }
  }
  for (const line of newLogLines) {
    if (/unhandled error/.test(line)) problems.push(`logged an unhandled error: ${line.slice(0, 600)}`);
    if (BOUND_PARAMETERS.test(line)) problems.push(`logged a query's bound parameters: ${line.slice(0, 600)}`);
    const secret = secretIn(line);
    if (secret) problems.push(`logged a secret (${secret}): ${line.slice(0, 300)}`);
  }
  return problems;
}

/** Routes whose answer is the one time a new secret is shown (a signing secret, an API key). */
const handsOutSecrets = (route: DiscoveredRoute) => /signing-secret|api-keys|outbound-endpoints$|rotate-secret$/.test(route.pattern);

/**
 * A secret handed out (a signing secret or API key in a 2xx answer, a session cookie) must not be
 * logged from now on: string fields named like secrets, anywhere in the answer, join the list.
 */
function harvestSecrets(answer: RouteAnswer) {
  answer.setCookies.forEach((c) => addSecret(c.value));
  if (answer.status >= 300) return;
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    return;
  }
  const stack = [body];
  while (stack.length) {
    const value = stack.pop();
    if (!value || typeof value !== 'object') continue;
    for (const [key, child] of Object.entries(value)) {
      if (typeof child === 'string' && /secret|token|^key$|apiKey/i.test(key) && child.length >= 16) addSecret(child);
      else stack.push(child);
    }
  }
}

let clients = 0;

function requestOf(route: DiscoveredRoute, method: HttpMethod, input: FuzzRequest, cookies: Record<string, string>, identity: Identity): { url: string; request: Request } {
  const query = input.query ? `?${input.query}` : '';
  const url = `${BASE}${pathOf(route, input.params)}${query}`;
  // Each request from its own client address (as `next start` sets it), unless the input forges
  // one: per-client limits (sign-in, webhook rejections) would otherwise answer most of them 429.
  clients += 1;
  const headers = new Headers({ host: 'hub.test', 'x-forwarded-for': `198.51.${(clients >> 8) & 255}.${clients & 255}`, ...identity.headers });
  // The input's own headers win (a bogus Authorization replaces the identity's key).
  for (const [name, value] of Object.entries(input.headers)) headers.set(name, value);
  if (input.contentType !== null) {
    try {
      headers.set('content-type', input.contentType);
    } catch {
      headers.set('content-type', 'application/json');
    }
  }
  const cookie = Object.entries(cookies).map(([name, value]) => `${name}=${value}`).join('; ');
  if (cookie) headers.set('cookie', cookie.replace(/[\u0000-\u001f]/g, ''));
  const body = method === 'GET' ? undefined : materializeBody(input.body);
  const request = new Request(url, { method, headers, body, ...(body instanceof ReadableStream ? { duplex: 'half' } : {}) } as RequestInit);
  // A Request given no content type for a text body makes one up; a client may send none at all.
  if (input.contentType === null) request.headers.delete('content-type');
  return { url, request };
}

type Handler = NonNullable<Awaited<ReturnType<typeof loadHandlers>>[HttpMethod]>;

/**
 * What this route accepts, learned from its own validation errors: starting from nothing, every field
 * an issue names gets an accepted value (the next one when the last was refused) until the admin's
 * request succeeds or nothing more is learned — the body for writes, the query for reads. The fuzzer
 * then varies and breaks it.
 */
async function learnInput(route: DiscoveredRoute, method: HttpMethod, handler: Handler): Promise<{ body: Record<string, unknown>[]; query: Record<string, unknown>[] }> {
  const params = Object.fromEntries(route.params.map(({ name }) => [name, f.world.params[name]?.home[0] ?? 'x']));
  const identity = f.identities.admin[0];
  const learned: Record<string, unknown> = {};
  const next: Record<string, number> = {};
  const inQuery = method === 'GET';
  for (let attempt = 0; attempt < 6; attempt++) {
    const query = inQuery ? new URLSearchParams(Object.entries(learned).map(([k, v]) => [k, String(v)])).toString() : '';
    const url = `${BASE}${pathOf(route, params)}${query ? `?${query}` : ''}`;
    const headers = { host: 'hub.test', 'content-type': 'application/json', 'x-workspace-id': f.a.workspaceId };
    const request = new Request(url, { method, headers, body: inQuery ? undefined : JSON.stringify(learned) });
    const before = logs.lines.length;
    const answer = await callRoute(handler, request, params, await identity.cookies());
    const newLines = logs.lines.slice(before);
    newLines.forEach((line) => logged.push({ line, during: `learning ${method} ${url}` }));
    harvestSecrets(answer);
    const problems = problemsOf(answer, newLines, handsOutSecrets(route));
    if (problems.length) throw new Error(`${problems.join('\n')}\nrequest: ${method} ${url} ${JSON.stringify(learned)}\nanswer: ${answer.status} ${answer.text.slice(0, 600)}`);
    if (answer.status < 300) break;
    // The app's routes name fields in details.issues[].path, the public API in errors[].pointer.
    let issues: { path?: unknown[] }[] = [];
    try {
      const parsed = JSON.parse(answer.text) as { code?: string; details?: { issues?: { path?: unknown[] }[] }; errors?: { pointer?: string }[] };
      if (parsed.code === 'validation_failed') {
        issues = parsed.details?.issues ?? (parsed.errors ?? []).map((e) => ({ path: (e.pointer ?? '').split('/').slice(1) }));
      }
    } catch {
      // not JSON: problemsOf said so already
    }
    let progress = false;
    // A rule over the whole body ("send at least one of …") names no field: every known field that
    // is accepted on its own becomes a body of its own.
    if (!inQuery && issues.length && issues.every((issue) => !issue.path?.length) && !Object.keys(learned).length) {
      const alone: Record<string, unknown>[] = [];
      for (const key of Object.keys(f.world.values)) {
        const body = { [key]: f.world.values[key][0] };
        const answer = await callRoute(handler, new Request(url, { method, headers, body: JSON.stringify(body) }), params, await identity.cookies());
        if (answer.status < 300) alone.push(body);
      }
      return { body: alone, query: [] };
    }
    for (const key of new Set(issues.map((issue) => issue.path?.[0]))) {
      if (typeof key !== 'string' || !f.world.values[key]) continue;
      next[key] = (next[key] ?? -1) + 1;
      if (next[key] >= f.world.values[key].length) continue;
      learned[key] = f.world.values[key][next[key]];
      progress = true;
    }
    if (!progress) break;
  }
  const seeds = Object.keys(learned).length ? [learned] : [];
  return inQuery ? { body: [], query: seeds } : { body: seeds, query: [] };
}

const headerReaders = new Map<string, boolean>();

/** Whether the route names its workspace by header (the public API's session requests do). */
function readsWorkspaceHeader(route: DiscoveredRoute): boolean {
  if (!headerReaders.has(route.file)) headerReaders.set(route.file, /\bapiRoute\(|x-workspace-id/i.test(fs.readFileSync(route.absolutePath, 'utf8')));
  return headerReaders.get(route.file)!;
}

/**
 * Why this request must not succeed, if it must not: its path (or X-Workspace-Id) names a row of a
 * workspace the caller does not act for (for someone in neither workspace, any row of either), or
 * another pool's junk (an unknown provider, a resource the connection lacks, someone in neither).
 */
function crossesWorkspaces(route: DiscoveredRoute, input: FuzzRequest, identity: Identity): string | undefined {
  const named = Object.entries(input.params);
  // A signed-in request names its workspace by header; an API key's workspace is the key's own.
  if (readsWorkspaceHeader(route) && !identity.headers?.authorization) named.push(['x-workspace-id', input.headers['x-workspace-id'] ?? '']);
  const list = (entries: [string, string][]) => entries.map(([name]) => name).join(', ');
  const junk = named.filter(([name, value]) => f.world.params[name]?.other.includes(value) && !f.idsOfB.has(value));
  if (junk.length) return `a request naming what does not exist here (${list(junk)})`;
  const foreign = named.filter(([, value]) => (identity.workspace !== 'A' && f.idsOfA.has(value)) || (identity.workspace !== 'B' && f.idsOfB.has(value)));
  if (foreign.length) return `a request naming rows (${list(foreign)}) of a workspace ${identity.label} does not act for`;
  return undefined;
}

/** Sends one generated request and checks the answer; throws (or records, with FUZZ_COLLECT) what is wrong. */
async function exercise(route: DiscoveredRoute, method: HttpMethod, handler: Handler, role: Role, input: FuzzRequest, identity: Identity) {
  const handsOutSecret = handsOutSecrets(route);
  const cookies = await identity.cookies();
  const { url, request } = requestOf(route, method, input, cookies, identity);
  const before = logs.lines.length;
  const answer = await callRoute(handler, request, input.params, cookies);
  const newLines = logs.lines.slice(before);
  const during = describeRequest(method, url, input, identity.label);
  newLines.forEach((line) => logged.push({ line, during }));
  harvestSecrets(answer);
  const problems = problemsOf(answer, newLines, handsOutSecret);
  const crossing = crossesWorkspaces(route, input, identity);
  if (crossing && answer.status < 300) problems.push(`answered ${answer.status} to ${crossing}`);
  if (COLLECT) {
    const key = `${method} ${route.pattern} [${role}]`;
    const counts = reached.get(key) ?? new Map<string, number>();
    let code = '';
    try {
      code = answer.status >= 400 ? ((JSON.parse(answer.text) as { code?: string }).code ?? '?') : '';
    } catch {
      code = 'not json';
    }
    const what = `${answer.status}${code ? ` ${code}` : ''}`;
    if (!counts.has(what)) examples.set(`${key} ${what}`, `${during.slice(0, 400)} → ${answer.text.slice(0, 200)}`);
    counts.set(what, (counts.get(what) ?? 0) + 1);
    reached.set(key, counts);
    if (problems.length) collected.push({ route: `${method} ${route.pattern}`, problems, detail: `request: ${during}\nanswer: ${answer.status} ${answer.text.slice(0, 600)}` });
    return;
  }
  if (problems.length) throw new Error(`${problems.join('\n')}\nrequest: ${during}\nanswer: ${answer.status} ${answer.text.slice(0, 600)}`);
}

/**
 * The deterministic part: the admin's accepted input with one field at a time set to the edge values
 * of its type (int4 and int8 bounds, Infinity by text, NUL, lone surrogates, 10 000 characters, wrong
 * types) or removed — the cases random generation reaches too rarely to rely on.
 */
async function sweepEdges(route: DiscoveredRoute, method: HttpMethod, handler: Handler, seeds: { body: Record<string, unknown>[]; query: Record<string, unknown>[] }) {
  const params = Object.fromEntries(route.params.map(({ name }) => [name, f.world.params[name]?.home[0] ?? 'x']));
  const base = { params, query: '', body: { kind: 'none' } as BodySpec, contentType: 'application/json', headers: { 'x-workspace-id': f.a.workspaceId } };
  // Every accepted value of every field, then the edges.
  const accepted = (seed: Record<string, unknown>) =>
    Object.keys(seed).flatMap((key) => (f.world.values[key] ?? []).map((value) => ({ ...seed, [key]: value })));
  const inputs: FuzzRequest[] = [
    ...seeds.body.flatMap((seed) => [...accepted(seed), ...edgeVariants(seed)].map((value) => ({ ...base, body: { kind: 'json' as const, value } }))),
    ...seeds.query.flatMap((seed) =>
      edgeVariants(seed).map((value) => ({ ...base, query: new URLSearchParams(Object.entries(value).map(([k, v]) => [k, typeof v === 'string' ? v : jsonText(v)])).toString() })),
    ),
  ];
  for (const input of inputs) await exercise(route, method, handler, 'admin', input, f.identities.admin[0]);
}

async function fuzz(route: DiscoveredRoute, method: HttpMethod, handler: Handler, role: Role, seeds: { body: Record<string, unknown>[]; query: Record<string, unknown>[] }) {
  const paramNames = route.params.map((p) => p.name);
  const identities = f.identities[role];
  const property = fc.asyncProperty(
    fuzzRequest(f.world, paramNames, method !== 'GET', seeds.body, seeds.query),
    fc.nat({ max: identities.length - 1 }),
    (input, which) => exercise(route, method, handler, role, input, identities[which]),
  );
  // A slow route (the OpenAPI document is built per request) gets fewer runs, not a timeout.
  await fc.assert(property, { numRuns: RUNS, seed: SEED, interruptAfterTimeLimit: PROPERTY_MS, markInterruptAsFailure: false });
}

const ROLES_IN_ORDER: Role[] = ['outsider', 'viewer', 'admin'];

describe(`route fuzz (${testEngine})`, () => {
  it('discovers the route handlers under app/api', () => {
    expect(routes.length).toBeGreaterThan(25);
    expect(routes.map((r) => r.pattern)).toEqual(expect.arrayContaining(['/api/workspaces', '/api/workspaces/[workspaceId]/connections/[connectionId]']));
  });

  // Deletions last: a removed member or a disconnected connection would make later routes meet a
  // different workspace than the one the fixtures describe.
  const phases: { title: string; methods: readonly HttpMethod[] }[] = [
    { title: 'reads and writes', methods: HTTP_METHODS.filter((m) => m !== 'DELETE') },
    { title: 'deletes', methods: ['DELETE'] },
  ];
  for (const phase of phases) {
    describe(phase.title, () => {
      // Which files export DELETE is known only from their text before they are imported.
      const inPhase = routes.filter((route) => phase.methods.some((m) => new RegExp(`\\b${m}\\b`).test(fs.readFileSync(route.absolutePath, 'utf8'))));
      for (const route of inPhase) {
        it(route.pattern, { timeout: process.env.FUZZ_RUNS ? 3_600_000 : 60_000 }, async () => {
          const handlers = await loadHandlers(route);
          const methods = phase.methods.filter((m) => handlers[m]);
          if (phase.title === 'reads and writes') expect(Object.keys(handlers).length, `${route.file} exports no method handler`).toBeGreaterThan(0);
          for (const method of methods) {
            const seeds = await learnInput(route, method, handlers[method]!);
            if (COLLECT) process.stdout.write(`learned ${method} ${route.pattern}: ${JSON.stringify(seeds).slice(0, 300)}\n`);
            await sweepEdges(route, method, handlers[method]!, seeds);
            for (const role of ROLES_IN_ORDER) await fuzz(route, method, handlers[method]!, role, seeds);
          }
        });
      }
    });
  }

  if (COLLECT) {
    it('collected failures', () => {
      const byKind = new Map<string, typeof collected>();
      for (const c of collected) {
        const kind = `${c.route} :: ${c.problems.map((p) => p.replace(/[0-9a-f-]{36}/g, 'ID').slice(0, 160)).join(' | ')}`;
        byKind.set(kind, [...(byKind.get(kind) ?? []), c]);
      }
      const report = [...byKind].map(([kind, list]) => `### ${kind} (×${list.length})\n${list[0].detail}\n${list[0].problems.join('\n')}`);
      const coverage = [...reached].map(([key, counts]) => `${key}: ${[...counts].sort((x, y) => y[1] - x[1]).map(([w, n]) => `${w}×${n}`).join(', ')}`);
      process.stdout.write(`\n==== answers\n${coverage.join('\n')}\n`);
      process.stdout.write(`\n==== examples\n${[...examples].map(([k, v]) => `${k}: ${v}`).join('\n')}\n`);
      process.stdout.write(`\n==== ${collected.length} failing answers, ${byKind.size} kinds\n${report.join('\n\n')}\n`);
    });
  }

  it('logged no secret and no bound parameters at any point (scanned again with every secret seen)', () => {
    // The list is real: passwords, session tokens, client, signing and OAuth secrets, key material.
    expect(secrets.size).toBeGreaterThan(10);
    expect(secretIn(`error: ${PASSWORD}`)).toBeDefined();
    const leaks = logged.filter(({ line }) => secretIn(line) || BOUND_PARAMETERS.test(line));
    expect(leaks.map(({ line, during }) => `${line.slice(0, 300)}\n  during ${during}`)).toEqual([]);
  });
});
