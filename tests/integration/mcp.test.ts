// The MCP endpoint (app/api/mcp, lib/actions/mcp.ts) through the official MCP client SDK: a real
// HTTP server on 127.0.0.1 wraps the route's handlers (Node request → web Request → the exported
// POST/GET), and `Client` + `StreamableHTTPClientTransport` talk to it as an agent would. Tools are
// the actions the key's scopes allow plus list_connections; calls go through runAction (logged,
// idempotent), errors come back as isError results carrying the problem code. HubSpot gets
// test-only action handlers (restored afterwards) that make real requests to the sandbox.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import crypto from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SessionUser } from '@/lib/auth/session-token';
import { actionJsonSchema } from '@/lib/actions/openapi';
import { ACTION_NAMES, ACTIONS } from '@/lib/actions/schemas';
import { createApiKey, revokeApiKey } from '@/lib/api-keys/keys';
import { rowsOf } from '@/lib/db/engine';
import { asService } from '@/lib/db/rls';
import { findProvider } from '@/lib/providers/registry';
import type { ActionContext, ProviderActions } from '@/lib/providers/types';
import { createWorkspace } from '@/lib/workspaces/workspaces';
import { DELETE, GET, POST } from '@/app/api/mcp/route';
import { startSandbox, type Sandbox } from '../sandbox/server';
import { connectViaSandbox } from '../support/connect';
import { createTestDatabase, createUser, testEngine, type TestDatabase } from '../support/database';
import { releaseDatabase, useDatabase } from './route-harness';

vi.mock('next/headers', () => import('./route-harness').then((m) => m.nextHeaders));

let database: TestDatabase;
let sandbox: Sandbox;
let server: http.Server;
let endpoint: URL;
let admin: SessionUser;
let ownerB: SessionUser;
const a = { workspaceId: '', connectionId: '' };
const b = { workspaceId: '', connectionId: '' };
const keys = { all: '', read: '', revoked: '' };

const hubspot = findProvider('hubspot')!;
const originalActions = hubspot.actions;
const LIST = 'https://api.hubapi.com/crm/v3/objects/contacts?limit=1&archived=false';
let creates = 0;

const testActions: ProviderActions = {
  async 'contacts.lookup'(context: ActionContext, input) {
    await context.client.request(LIST);
    return { output: { contacts: [{ contact: { externalId: '501', email: input.email ?? 'found@example.com', firstName: 'Found' }, resource: 'contacts', raw: { id: '501' } }] } };
  },
  async 'contacts.create'(context: ActionContext, input) {
    await context.client.request(LIST);
    creates += 1;
    const id = `7${String(creates).padStart(5, '0')}`;
    const now = new Date().toISOString();
    const data = { id, properties: { email: input.email ?? null, firstname: input.firstName ?? null, hs_lastmodifieddate: now }, createdAt: now, updatedAt: now, archived: false };
    return {
      output: { contact: { externalId: id, email: input.email, firstName: input.firstName }, resource: 'contacts', raw: data, created: true },
      records: [{ resource: 'contacts', externalId: id, data }],
    };
  },
};

/** The route's handlers behind a real HTTP server, as `next start` would serve them. */
function startRouteServer(): Promise<http.Server> {
  const handlers: Record<string, (request: Request) => Promise<Response>> = { POST, GET, DELETE };
  const httpServer = http.createServer((req, res) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
      }
      const method = req.method ?? 'GET';
      const request = new Request(new URL(req.url ?? '/', endpoint), {
        method,
        headers,
        body: method === 'GET' || method === 'HEAD' ? undefined : Buffer.concat(chunks),
      });
      const handler = handlers[method];
      const response = handler ? await handler(request) : new Response(null, { status: 405 });
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    })().catch((error: unknown) => {
      res.writeHead(500);
      res.end(String(error));
    });
  });
  return new Promise((resolve) => httpServer.listen(0, '127.0.0.1', () => resolve(httpServer)));
}

async function connectClient(secret: string | null): Promise<Client> {
  const client = new Client({ name: 'mcp-test', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(endpoint, {
    requestInit: secret ? { headers: { authorization: `Bearer ${secret}` } } : {},
  });
  await client.connect(transport);
  // Listing caches each tool's outputSchema in the client, which then validates every
  // structuredContent against it: the generated JSON Schemas are checked on real answers.
  await client.listTools();
  return client;
}

function text(result: CallToolResult): string {
  return result.content.map((item) => (item.type === 'text' ? item.text : '')).join('\n');
}

async function logRows(workspaceId: string) {
  return asService(database.db, async (tx) =>
    rowsOf<{ action: string; status: string; error_code: string | null; api_key_id: string | null; replayed: boolean; idempotency_key: string | null }>(
      await tx.execute(
        sql`select action, status, error_code, api_key_id, replayed, idempotency_key from public.action_logs where workspace_id = ${workspaceId} order by created_at`,
      ),
    ),
  );
}

beforeAll(async () => {
  process.env.SESSION_SECRET ??= 'mcp-test-session-secret-0123456789abcdef';
  sandbox = await startSandbox({ port: 0 });
  process.env.PROVIDER_SANDBOX_URL = sandbox.url;
  sandbox.knobs.autoApprove = true;
  database = await createTestDatabase();
  useDatabase(database);
  [admin, ownerB] = await Promise.all([createUser(database, 'mcp-admin'), createUser(database, 'mcp-owner-b')]);
  a.workspaceId = (await createWorkspace(database.db, admin, 'MCP A')).id;
  b.workspaceId = (await createWorkspace(database.db, ownerB, 'MCP B')).id;
  a.connectionId = (await connectViaSandbox(database.db, admin, a.workspaceId, 'hubspot')).connectionId;
  b.connectionId = (await connectViaSandbox(database.db, ownerB, b.workspaceId, 'hubspot')).connectionId;
  hubspot.actions = testActions;
  keys.all = (await createApiKey(database.db, admin, a.workspaceId, { name: 'Agent', scopes: ['actions:read', 'actions:write'] })).secret;
  keys.read = (await createApiKey(database.db, admin, a.workspaceId, { name: 'Reader', scopes: ['actions:read'] })).secret;
  const revoked = await createApiKey(database.db, admin, a.workspaceId, { name: 'Gone', scopes: ['actions:read'] });
  await revokeApiKey(database.db, admin, a.workspaceId, revoked.key.id);
  keys.revoked = revoked.secret;
  server = await startRouteServer();
  endpoint = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/mcp`);
}, 120_000);

afterAll(async () => {
  hubspot.actions = originalActions;
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  releaseDatabase();
  await database?.drop();
  await sandbox?.close();
  delete process.env.PROVIDER_SANDBOX_URL;
});

describe(`MCP endpoint (${testEngine})`, () => {
  it('answers 401 with a Bearer challenge without a key, or with a revoked one', async () => {
    const bare = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(bare.status).toBe(401);
    expect(bare.headers.get('content-type')).toBe('application/problem+json');
    expect(bare.headers.get('www-authenticate')).toMatch(/^Bearer realm=/);
    expect(await bare.json()).toMatchObject({ code: 'unauthorized' });

    await expect(connectClient(null)).rejects.toThrow();
    await expect(connectClient(keys.revoked)).rejects.toThrow();
    const revoked = await fetch(endpoint, { method: 'POST', headers: { authorization: `Bearer ${keys.revoked}` }, body: '{}' });
    expect(revoked.status).toBe(401);
    expect(revoked.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('is stateless: GET and DELETE answer 405; answers carry the rate-limit headers', async () => {
    const get = await fetch(endpoint, { headers: { authorization: `Bearer ${keys.all}`, accept: 'text/event-stream' } });
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect((await fetch(endpoint, { method: 'DELETE', headers: { authorization: `Bearer ${keys.all}` } })).status).toBe(405);

    const init = await fetch(endpoint, {
      method: 'POST',
      headers: { authorization: `Bearer ${keys.all}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
      }),
    });
    expect(init.status).toBe(200);
    expect(init.headers.get('content-type')).toContain('application/json');
    expect(init.headers.get('mcp-session-id')).toBeNull();
    expect(Number(init.headers.get('ratelimit-limit'))).toBeGreaterThan(0);
    expect(init.headers.get('ratelimit-remaining')).not.toBeNull();
    const body = (await init.json()) as { result: { serverInfo: { name: string }; capabilities: { tools?: object } } };
    expect(body.result.serverInfo.name).toBe('integration-hub');
    expect(body.result.capabilities.tools).toBeDefined();
  });

  it('lists list_connections and one tool per action, with the action schemas and idempotencyKey required on writes', async () => {
    const client = await connectClient(keys.all);
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name);
    expect(names).toEqual(['list_connections', ...ACTION_NAMES.map((n) => n.replace('.', '_'))]);
    for (const action of ACTION_NAMES) {
      const tool = tools.find((t) => t.name === action.replace('.', '_'))!;
      const spec = ACTIONS[action];
      const input = actionJsonSchema(action, 'input') as { properties: Record<string, unknown>; required?: string[] };
      expect(tool.title).toBe(spec.title);
      expect(tool.inputSchema.properties).toMatchObject({ connectionId: { type: 'string' }, ...input.properties });
      expect(tool.inputSchema.required).toEqual(expect.arrayContaining(['connectionId', ...(input.required ?? [])]));
      expect(tool.inputSchema.required?.includes('idempotencyKey')).toBe(spec.write);
      expect(Boolean(tool.inputSchema.properties?.idempotencyKey)).toBe(spec.write);
      expect(tool.annotations?.readOnlyHint).toBe(!spec.write);
      expect(tool.outputSchema?.type).toBe('object');
    }
    await client.close();

    const reader = await connectClient(keys.read);
    const readable = (await reader.listTools()).tools.map((t) => t.name);
    expect(readable).toEqual(['list_connections', ...ACTION_NAMES.filter((n) => !ACTIONS[n].write).map((n) => n.replace('.', '_'))]);
    await reader.close();
  });

  it('lists the connections of the key\'s workspace only, with their actions', async () => {
    const client = await connectClient(keys.all);
    const result = (await client.callTool({ name: 'list_connections', arguments: {} })) as CallToolResult;
    expect(result.isError).toBeFalsy();
    const connections = (result.structuredContent as { connections: { id: string; provider: string; actions: { name: string }[] }[] }).connections;
    expect(connections.map((c) => c.id)).toEqual([a.connectionId]);
    expect(connections[0].provider).toBe('hubspot');
    expect(connections[0].actions.map((x) => x.name)).toEqual(['contacts.lookup', 'contacts.create']);
    expect(JSON.parse(text(result))).toEqual(result.structuredContent);
    await client.close();
  });

  it('runs a read tool through runAction: output as structured content and JSON text, logged under the key', async () => {
    const client = await connectClient(keys.all);
    // The client validates structuredContent against the tool's outputSchema (the generated JSON Schema).
    const result = (await client.callTool({ name: 'contacts_lookup', arguments: { connectionId: a.connectionId, email: 'ada@example.com' } })) as CallToolResult;
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ contacts: [{ contact: { email: 'ada@example.com', firstName: 'Found' }, resource: 'contacts' }] });
    expect(JSON.parse(result.content[0].type === 'text' ? result.content[0].text : '')).toEqual(result.structuredContent);
    expect(result._meta).toMatchObject({ replayed: false, logId: expect.any(String) });
    const rows = await logRows(a.workspaceId);
    expect(rows.at(-1)).toMatchObject({ action: 'contacts.lookup', status: 'succeeded', api_key_id: expect.any(String) });
    await client.close();
  });

  it('runs a write tool only with an idempotencyKey, and replays a retry with the same key', async () => {
    const client = await connectClient(keys.all);
    const args = { connectionId: a.connectionId, email: 'grace@example.com', firstName: 'Grace' };

    const missing = (await client.callTool({ name: 'contacts_create', arguments: args })) as CallToolResult;
    expect(missing.isError).toBe(true);
    expect(text(missing)).toMatch(/^idempotency_key_required: /);
    expect(JSON.parse(missing.content[1].type === 'text' ? missing.content[1].text : '{}')).toMatchObject({ code: 'idempotency_key_required', status: 400 });

    const key = crypto.randomUUID();
    const before = creates;
    const first = (await client.callTool({ name: 'contacts_create', arguments: { ...args, idempotencyKey: key } })) as CallToolResult;
    expect(first.isError).toBeFalsy();
    expect(first.structuredContent).toMatchObject({ created: true, contact: { email: 'grace@example.com' } });
    const again = (await client.callTool({ name: 'contacts_create', arguments: { ...args, idempotencyKey: key } })) as CallToolResult;
    expect(again.structuredContent).toEqual(first.structuredContent);
    expect(again._meta).toMatchObject({ replayed: true });
    expect(creates).toBe(before + 1);

    const reused = (await client.callTool({ name: 'contacts_create', arguments: { ...args, firstName: 'Other', idempotencyKey: key } })) as CallToolResult;
    expect(reused.isError).toBe(true);
    expect(text(reused)).toMatch(/^idempotency_key_reused: /);

    const rows = (await logRows(a.workspaceId)).filter((r) => r.action === 'contacts.create');
    expect(rows.map((r) => [r.status, r.error_code, r.replayed])).toEqual([
      ['failed', 'idempotency_key_required', false],
      ['succeeded', null, false],
      ['succeeded', null, true],
      ['failed', 'idempotency_key_reused', false],
    ]);
    const [stored] = await asService(database.db, async (tx) =>
      rowsOf<{ n: number }>(await tx.execute(sql`select count(*)::int as n from public.synced_records where connection_id = ${a.connectionId} and raw->'properties'->>'email' = 'grace@example.com'`)),
    );
    expect(stored.n).toBe(1);
    await client.close();
  });

  it('answers failures as isError results with the problem code: scope, validation, other workspaces, unsupported actions', async () => {
    const reader = await connectClient(keys.read);
    const denied = (await reader.callTool({
      name: 'contacts_create',
      arguments: { connectionId: a.connectionId, email: 'x@example.com', idempotencyKey: crypto.randomUUID() },
    })) as CallToolResult;
    expect(denied.isError).toBe(true);
    expect(text(denied)).toMatch(/^insufficient_scope: /);
    await reader.close();

    const client = await connectClient(keys.all);
    const invalid = (await client.callTool({ name: 'contacts_lookup', arguments: { connectionId: a.connectionId, email: 'not an email' } })) as CallToolResult;
    expect(invalid.isError).toBe(true);
    expect(text(invalid)).toMatch(/^validation_failed: /);
    expect(JSON.parse(invalid.content[1].type === 'text' ? invalid.content[1].text : '{}')).toMatchObject({ errors: [{ pointer: '/email' }] });

    const noConnection = (await client.callTool({ name: 'contacts_lookup', arguments: { email: 'ada@example.com' } })) as CallToolResult;
    expect(text(noConnection)).toMatch(/^validation_failed: connectionId is required/);

    const elsewhere = (await client.callTool({ name: 'contacts_lookup', arguments: { connectionId: b.connectionId, email: 'ada@example.com' } })) as CallToolResult;
    expect(elsewhere.isError).toBe(true);
    expect(text(elsewhere)).toMatch(/^not_found: /);

    const unsupported = (await client.callTool({
      name: 'availability_get',
      arguments: { connectionId: a.connectionId, start: '2030-01-07T09:00:00Z', end: '2030-01-07T17:00:00Z', durationMinutes: 30, timeZone: 'UTC' },
    })) as CallToolResult;
    expect(unsupported.isError).toBe(true);
    expect(text(unsupported)).toMatch(/^action_not_supported: /);

    await expect(client.callTool({ name: 'drop_tables', arguments: {} })).rejects.toThrow(/drop_tables/);
    await client.close();
  });
});
