// The MCP endpoint (POST /api/mcp): the actions of ACTIONS as Model Context Protocol tools, for
// agents, over the Streamable HTTP transport in its stateless form (a new server and transport per
// request, JSON answers rather than SSE streams), so it runs inside a route handler on any number
// of app instances with nothing kept between requests.
//
// Same keys, same scopes, same path as the public API: `Authorization: Bearer ihk_…` (401
// without), one rate-limit token per HTTP request, and every tool call goes through runAction, so
// it is validated, scoped, logged and idempotent exactly like POST /api/v1/connections/…/actions/….
//
// Tools: `list_connections`, and one per action the key's scopes allow, named with `_` for `.`
// (`contacts_lookup`). Input: `{ connectionId, ...the action's input, idempotencyKey }` — the
// action's own JSON Schema (openapi.ts) with those two added. Write tools *require*
// `idempotencyKey`, as the API requires the header: a key the agent chooses per operation is what
// makes its retries safe (a retried booking replays instead of booking twice), while one derived
// from the input would silently merge two deliberate identical operations and would not survive
// the agent rephrasing a retry. Results: the action's output as JSON text and as
// structuredContent (validated by clients against the tool's outputSchema); failures are
// `isError` results whose text starts with the problem code (`slot_unavailable: …`) followed by the
// problem details as JSON.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import {
  CallToolRequestSchema,
  ErrorCode as JsonRpcErrorCode,
  ListToolsRequestSchema,
  McpError,
  type CallToolResult,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { authenticateApiKey } from '../api-keys/keys';
import type { Db } from '../db/engine';
import { HttpError } from '../http/errors';
import { problemBody, problemResponse, type ProblemDetails } from '../http/problem';
import { MAX_JSON_BYTES } from '../http/route';
import { listApiConnections } from './api-resources';
import { actionJsonSchema, connectionJsonSchema, type JsonSchema } from './openapi';
import { hasScope, principalForKey, type ApiPrincipal } from './principal';
import { rateLimitHeaders, type ApiRateLimiter } from './rate-limit';
import { classify, runAction, type ActionSuccess } from './run';
import { ACTION_NAMES, ACTIONS, scopeOf, type ActionName } from './schemas';

export const MCP_PATH = '/api/mcp';
export const LIST_CONNECTIONS_TOOL = 'list_connections';

const REALM = 'Bearer realm="integration-hub"';
/** A tool call's JSON-RPC envelope around an action input of at most MAX_JSON_BYTES. */
const MAX_MCP_BODY_BYTES = MAX_JSON_BYTES + 16 * 1024;

/** `contacts.lookup` → `contacts_lookup` (tool names allow no dots in every client). */
export function toolNameOf(action: ActionName): string {
  return action.replaceAll('.', '_');
}

const ACTION_OF_TOOL = new Map<string, ActionName>(ACTION_NAMES.map((action) => [toolNameOf(action), action]));

export function actionOfTool(name: string): ActionName | undefined {
  return ACTION_OF_TOOL.get(name);
}

const CONNECTION_ID = {
  type: 'string',
  format: 'uuid',
  description: `The connection to run it on: ${LIST_CONNECTIONS_TOOL} names the workspace's connections and the actions each supports.`,
};

const IDEMPOTENCY_KEY = {
  type: 'string',
  minLength: 1,
  maxLength: 255,
  description:
    'A new unique value (a UUID) for this operation. Send the same value only to retry the same operation: the retry then answers the stored result instead of doing it twice.',
};

/** The MCP tool of one action (its JSON Schema with connectionId and, for writes, idempotencyKey). */
export function actionTool(action: ActionName): Tool {
  const spec = ACTIONS[action];
  const input = actionJsonSchema(action, 'input') as JsonSchema & { properties?: Record<string, unknown>; required?: string[] };
  const { properties = {}, required = [], type: _type, ...rest } = input;
  return {
    name: toolNameOf(action),
    title: spec.title,
    description: [
      spec.description,
      `Needs an API key with the ${scopeOf(action)} scope.`,
      spec.write ? 'Changes data at the provider: idempotencyKey is required.' : 'Reads only.',
    ].join(' '),
    inputSchema: {
      ...rest,
      type: 'object',
      properties: { connectionId: CONNECTION_ID, ...properties, ...(spec.write ? { idempotencyKey: IDEMPOTENCY_KEY } : {}) },
      required: ['connectionId', ...required, ...(spec.write ? ['idempotencyKey'] : [])],
    },
    outputSchema: { ...(actionJsonSchema(action, 'output') as Record<string, unknown>), type: 'object' },
    annotations: {
      title: spec.title,
      readOnlyHint: !spec.write,
      destructiveHint: spec.write && action === 'appointments.cancel',
      idempotentHint: true,
      openWorldHint: true,
    },
  };
}

export const listConnectionsTool: Tool = {
  name: LIST_CONNECTIONS_TOOL,
  title: 'List connections',
  description: "The workspace's connected tools (id, provider, status) and the actions each supports. Call this first to find a connectionId.",
  inputSchema: { type: 'object', properties: {} },
  outputSchema: {
    type: 'object',
    properties: { connections: { type: 'array', items: connectionJsonSchema() } },
    required: ['connections'],
  },
  annotations: { title: 'List connections', readOnlyHint: true, idempotentHint: true, openWorldHint: false },
};

/** The tools a principal may call: list_connections, and each action its scopes allow. */
export function toolsFor(principal: ApiPrincipal): Tool[] {
  return [listConnectionsTool, ...ACTION_NAMES.filter((action) => hasScope(principal, scopeOf(action))).map(actionTool)];
}

function toolError(problem: ProblemDetails): CallToolResult {
  return {
    isError: true,
    content: [
      { type: 'text', text: `${problem.code}: ${problem.detail}` },
      { type: 'text', text: JSON.stringify(problem) },
    ],
  };
}

function toolResult(output: Record<string, unknown>, meta: Record<string, unknown> = {}): CallToolResult {
  return {
    content: [{ type: 'text', text: JSON.stringify(output) }],
    structuredContent: output,
    ...(Object.keys(meta).length ? { _meta: meta } : {}),
  };
}

/** One tool call, as the principal. Never throws for an action's own failures (those are isError results). */
export async function callTool(db: Db, principal: ApiPrincipal, name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> {
  if (name === LIST_CONNECTIONS_TOOL) {
    try {
      const { data } = await listApiConnections(db, principal);
      return toolResult({ connections: JSON.parse(JSON.stringify(data)) as unknown[] });
    } catch (error) {
      const failure = classify(error);
      return toolError(problemBody(failure.code, failure.detail, failure.extensions));
    }
  }
  const action = actionOfTool(name);
  if (!action) throw new McpError(JsonRpcErrorCode.InvalidParams, `There is no tool "${name.slice(0, 64)}". Call tools/list for the tools this key may use.`);
  const { connectionId, idempotencyKey, ...input } = args;
  if (typeof connectionId !== 'string' || connectionId === '') {
    return toolError(
      problemBody('validation_failed', `connectionId is required: call ${LIST_CONNECTIONS_TOOL} to find the connection.`, {
        errors: [{ pointer: '/connectionId', detail: 'required' }],
      }),
    );
  }
  const answer = await runAction(db, principal, {
    connectionId,
    action,
    input,
    idempotencyKey: typeof idempotencyKey === 'string' ? idempotencyKey : null,
  });
  if (!answer.ok) return toolError(answer.body as ProblemDetails);
  const body = answer.body as ActionSuccess<Record<string, unknown>>;
  return toolResult(body.output, { logId: body.logId, replayed: answer.replayed });
}

function mcpServer(db: Db, principal: ApiPrincipal): Server {
  // The low-level Server, not McpServer: the tools' schemas are the JSON Schemas generated for the
  // OpenAPI document, and validation is runAction's (so a bad input is logged like any other call).
  const server = new Server(
    { name: 'integration-hub', title: 'Integration Hub', version: '1.0.0' },
    {
      capabilities: { tools: { listChanged: false } },
      instructions: `Actions on the connected tools of one workspace (the API key's). Call ${LIST_CONNECTIONS_TOOL} first for connection ids and the actions each supports; write tools need a fresh idempotencyKey (a UUID) per operation, reused only when retrying it.`,
    },
  );
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: toolsFor(principal) }));
  server.setRequestHandler(CallToolRequestSchema, async (request) => callTool(db, principal, request.params.name, request.params.arguments ?? {}));
  return server;
}

async function authenticate(db: Db, request: Request): Promise<ApiPrincipal> {
  const authorization = request.headers.get('authorization');
  if (authorization === null) throw new HttpError('unauthorized', 'Send a workspace API key: Authorization: Bearer ihk_… (Settings → API keys).');
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
  if (!match) throw new HttpError('unauthorized', 'Send the API key as "Authorization: Bearer ihk_…".');
  const key = await authenticateApiKey(db, match[1]);
  if (!key) throw new HttpError('unauthorized', 'This API key is not valid, or it has been revoked.');
  return principalForKey(key);
}

export interface McpHandlerDeps {
  db: () => Promise<Db>;
  limiter: ApiRateLimiter;
}

/** The route handler: POST carries JSON-RPC; GET (no server-initiated stream) and DELETE (no sessions) answer 405. */
export function createMcpHandler(deps: McpHandlerDeps) {
  return async function handleMcp(request: Request): Promise<Response> {
    let headers: Record<string, string> = {};
    let db: Db;
    let principal: ApiPrincipal;
    try {
      db = await deps.db();
      principal = await authenticate(db, request);
      const rate = deps.limiter.take(principal.id);
      headers = rateLimitHeaders(rate);
      if (!rate.allowed) {
        throw new HttpError('rate_limited', `Too many requests for ${principal.label}: at most ${rate.limit} a minute. Retry in ${rate.retryAfterSeconds} s.`);
      }
      if (request.method !== 'POST') {
        headers.Allow = 'POST';
        throw new HttpError('method_not_allowed', 'This MCP endpoint is stateless: POST JSON-RPC messages to it (no GET stream, no sessions to DELETE).');
      }
    } catch (error) {
      const failure = classify(error);
      if (failure.code === 'unauthorized') {
        headers['WWW-Authenticate'] = request.headers.has('authorization') ? `${REALM}, error="invalid_token"` : REALM;
      }
      return problemResponse(problemBody(failure.code, failure.detail, failure.extensions), { ...headers, ...failure.headers });
    }

    const server = mcpServer(db, principal);
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
      maxRequestBodySize: MAX_MCP_BODY_BYTES,
    });
    try {
      await server.connect(transport);
      const response = await transport.handleRequest(request);
      const merged = new Headers(response.headers);
      for (const [name, value] of Object.entries(headers)) merged.set(name, value);
      merged.set('cache-control', 'no-store');
      // JSON mode: the body is complete once handleRequest resolves, so it can be read before closing.
      const body = response.body ? await response.arrayBuffer() : null;
      return new Response(body, { status: response.status, statusText: response.statusText, headers: merged });
    } finally {
      await server.close().catch(() => undefined);
    }
  };
}
