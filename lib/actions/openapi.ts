// The OpenAPI 3.1 document of the public API (/api/v1), generated from the same zod schemas the
// routes validate with: one path per action in ACTIONS (input and output from the registry), plus
// the other v1 routes. Served at GET /api/v1/openapi.json and rendered by the in-app API reference.
// The JSON Schemas of action inputs and outputs (actionJsonSchema) also feed the MCP tools and the
// Try it panel, so every surface describes an action the same way.
//
// OpenAPI 3.1 uses JSON Schema 2020-12, zod 4's default target. The mapping model annotates its
// fields with editor metadata (`label`, and a `type` of its own vocabulary such as `datetime`);
// only `title` (from label) and `description` reach the JSON Schema, so the document stays valid.
import { z } from 'zod';
import { API_SCOPES, SCOPE_DESCRIPTIONS, type ApiScope } from '../api-keys/scopes';
import { CONNECTION_STATUSES } from '../db/schema';
import { ERROR_CODES, errorCodes, type ErrorCode } from '../http/error-codes';
import { PROBLEM_CONTENT_TYPE, PROBLEM_TYPE_BASE } from '../http/problem';
import { actionLogQuerySchema } from './log';
import type { ProviderDefinition } from '../providers/types';
import { apiRecordsQuerySchema, supportedActions } from './api-resources';
import { ACTION_NAMES, ACTIONS, scopeOf, type ActionName } from './schemas';

export type JsonSchema = Record<string, unknown>;

/** Only what a JSON Schema may carry of the schemas' metadata (see the note at the top). */
const jsonSchemaMetadata = {
  get(schema: z.core.$ZodType): Record<string, unknown> | undefined {
    const meta = z.globalRegistry.get(schema) as Record<string, unknown> | undefined;
    if (!meta) return undefined;
    const picked: Record<string, unknown> = {};
    if (typeof meta.label === 'string') picked.title = meta.label;
    if (typeof meta.title === 'string') picked.title = meta.title;
    if (typeof meta.description === 'string') picked.description = meta.description;
    if (Array.isArray(meta.examples)) picked.examples = meta.examples;
    return Object.keys(picked).length ? picked : undefined;
  },
} as unknown as z.core.$ZodRegistry<z.core.JSONSchemaMeta>;

/**
 * A zod schema as JSON Schema 2020-12, without `$schema` (it is embedded in larger documents).
 * `input`: what a caller may send (defaults make fields optional); `output`: what is answered.
 */
export function toJsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const converted = z.toJSONSchema(schema, { io, unrepresentable: 'any', metadata: jsonSchemaMetadata }) as JsonSchema;
  delete converted.$schema;
  return converted;
}

const inputSchemas = new Map<ActionName, JsonSchema>();
const outputSchemas = new Map<ActionName, JsonSchema>();

/** An action's input (what callers send) or output (what `output` holds in the answer) as JSON Schema. */
export function actionJsonSchema(action: ActionName, io: 'input' | 'output'): JsonSchema {
  const cache = io === 'input' ? inputSchemas : outputSchemas;
  let schema = cache.get(action);
  if (!schema) {
    schema = toJsonSchema(io === 'input' ? ACTIONS[action].input : ACTIONS[action].output, io);
    cache.set(action, schema);
  }
  return structuredClone(schema);
}

/** `contacts.lookup` → `ContactsLookup` (component names). */
export function pascalName(action: string): string {
  return action
    .split(/[._]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/** `contacts.lookup` → `contactsLookup` (operation ids). */
export function operationIdOf(action: ActionName): string {
  const pascal = pascalName(action);
  return pascal.charAt(0).toLowerCase() + pascal.slice(1);
}

export function actionPath(action: ActionName): string {
  return `/api/v1/connections/{connectionId}/actions/${action}`;
}

// ---------------------------------------------------------------------------------------------
// Shapes of the other routes' answers (lib/actions/api-resources.ts, lib/actions/log.ts), written
// once here as zod so they are documented from the same kind of schema.

const isoTime = z.iso.datetime({ offset: true });

const SupportedActionSchema = z.object({
  name: z.enum(ACTION_NAMES as [ActionName, ...ActionName[]]),
  title: z.string(),
  description: z.string(),
  write: z.boolean(),
  scope: z.enum(['actions:read', 'actions:write']),
});

const ConnectionSchema = z.object({
  id: z.uuid(),
  provider: z.string().meta({ description: 'The provider id, as the catalog names it.' }),
  providerName: z.string(),
  displayName: z.string(),
  status: z.enum(CONNECTION_STATUSES).meta({ description: 'Actions run on active (and error) connections only.' }),
  accountLabel: z.string().nullable(),
  environment: z.enum(['live', 'sandbox']),
  resources: z.array(z.string()).meta({ description: 'The resources this connection syncs.' }),
  actions: z.array(SupportedActionSchema).meta({ description: "The actions this connection's provider supports." }),
});

/** A connection as GET /api/v1/connections lists it (the MCP list_connections tool's items too). */
export function connectionJsonSchema(): JsonSchema {
  return toJsonSchema(ConnectionSchema, 'output');
}

const ActionLogEntrySchema = z.object({
  id: z.uuid(),
  connectionId: z.uuid().nullable(),
  provider: z.string().nullable(),
  action: z.string(),
  status: z.enum(['succeeded', 'failed']),
  httpStatus: z.number().int(),
  code: z.string().nullable().meta({ description: 'The problem code of a failed call.' }),
  error: z.string().nullable(),
  latencyMs: z.number().int(),
  providerRequests: z.number().int().meta({ description: 'Requests made to the provider during the call.' }),
  idempotencyKey: z.string().nullable(),
  replayed: z.boolean().meta({ description: 'Answered from the stored result of an earlier call with the same Idempotency-Key.' }),
  retried: z.boolean().meta({ description: 'Took over a key whose earlier attempt did not finish.' }),
  actor: z.union([
    z.object({ type: z.literal('api_key'), id: z.uuid().nullable(), name: z.string().nullable(), prefix: z.string().nullable() }),
    z.object({ type: z.literal('user'), id: z.uuid().nullable(), email: z.string().nullable() }),
  ]),
  input: z.unknown().meta({ description: 'The input as stored, with secrets redacted.' }),
  output: z.unknown().meta({ description: 'The output as stored, with secrets redacted (null for failures).' }),
  createdAt: isoTime,
});

const RecordSchema = z.object({
  externalId: z.string(),
  mapped: z.record(z.string(), z.unknown()).nullable().meta({ description: "The record in the internal model, by the connection's field mapping." }),
  mappingErrors: z.unknown().nullable(),
  mappingVersion: z.number().int().nullable(),
  raw: z.unknown().optional().meta({ description: "The provider's own JSON (with include=raw)." }),
  firstSeenAt: isoTime,
  updatedAt: isoTime,
  deletedAt: isoTime.nullable(),
  deleted: z.boolean(),
});

const ProblemSchema = z
  .object({
    type: z.string().meta({ description: `A relative URI naming the code (${PROBLEM_TYPE_BASE}{code}); GET it for the code's title and status.` }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().meta({ description: 'A sentence about this occurrence a person can act on.' }),
    code: z.enum(errorCodes as [ErrorCode, ...ErrorCode[]]).meta({ description: 'The stable machine-readable code: branch on this.' }),
    instance: z.string().optional().meta({ description: 'This occurrence (urn:uuid:<action log id> for action calls).' }),
    logId: z.uuid().optional().meta({ description: 'The action log row of this call (action calls).' }),
    errors: z
      .array(z.object({ pointer: z.string().meta({ description: 'RFC 6901 JSON pointer into the request body.' }), detail: z.string() }))
      .optional()
      .meta({ description: 'validation_failed: each invalid field.' }),
    requiredScope: z.enum(API_SCOPES).optional(),
    retryAfterSeconds: z.number().optional(),
  })
  .catchall(z.unknown())
  .meta({ description: 'RFC 9457 problem details.' });

// ---------------------------------------------------------------------------------------------

type Operation = Record<string, unknown>;

const RATE_LIMIT_HEADERS = {
  'RateLimit-Limit': { $ref: '#/components/headers/RateLimit-Limit' },
  'RateLimit-Remaining': { $ref: '#/components/headers/RateLimit-Remaining' },
  'RateLimit-Reset': { $ref: '#/components/headers/RateLimit-Reset' },
  'RateLimit-Policy': { $ref: '#/components/headers/RateLimit-Policy' },
};

/** The error answers of an operation, grouped by status, each listing its codes. */
function problemResponses(codes: readonly ErrorCode[], { rateLimited = true } = {}): Record<string, unknown> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) {
    const status = ERROR_CODES[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const responses: Record<string, unknown> = {};
  for (const [status, group] of [...byStatus].sort(([a], [b]) => a - b)) {
    const headers: Record<string, unknown> = rateLimited && status !== 401 ? { ...RATE_LIMIT_HEADERS } : {};
    if (status === 429 || group.includes('provider_rate_limited')) headers['Retry-After'] = { $ref: '#/components/headers/Retry-After' };
    if (status === 401 || group.includes('insufficient_scope')) headers['WWW-Authenticate'] = { $ref: '#/components/headers/WWW-Authenticate' };
    responses[String(status)] = {
      description: group.map((code) => `\`${code}\`: ${ERROR_CODES[code].title}`).join('; '),
      ...(Object.keys(headers).length ? { headers } : {}),
      content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } },
    };
  }
  return responses;
}

const AUTH_CODES: ErrorCode[] = ['bad_request', 'unauthorized', 'forbidden', 'rate_limited', 'internal_error'];

function actionCodes(action: ActionName): ErrorCode[] {
  const write = ACTIONS[action].write;
  const codes: ErrorCode[] = [
    ...AUTH_CODES,
    'validation_failed',
    'insufficient_scope',
    'not_found',
    'action_not_supported',
    'conflict',
    'needs_reauth',
    'provider_not_configured',
    'payload_too_large',
    'unsupported_media_type',
    'provider_rate_limited',
    'provider_error',
  ];
  if (action.startsWith('appointments.') && action !== 'appointments.cancel') codes.push('slot_unavailable');
  if (write) codes.push('idempotency_key_required', 'idempotency_key_in_use', 'idempotency_key_reused');
  return codes;
}

/** Query parameters from a zod object schema (each property one `in: query` parameter). */
function queryParameters(schema: z.ZodType): Record<string, unknown>[] {
  const json = toJsonSchema(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: 'query',
      required: json.required?.includes(name) ?? false,
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
    };
  });
}

const QUERY_DESCRIPTIONS: Record<string, string> = {
  connection: 'Only calls on this connection.',
  action: 'Only calls of this action, e.g. contacts.lookup.',
  status: 'Only succeeded or only failed calls.',
  limit: 'Rows per page.',
  cursor: "The previous page's nextCursor.",
  resource: 'The resource, e.g. contacts (GET /api/v1/connections lists each connection\'s resources).',
  deleted: 'Whether to include records deleted at the provider.',
  include: 'raw: include the provider\'s own JSON of each record.',
};

function describedQuery(schema: z.ZodType): Record<string, unknown>[] {
  return queryParameters(schema).map((parameter) => ({
    ...parameter,
    description: (parameter.description as string | undefined) ?? QUERY_DESCRIPTIONS[parameter.name as string],
  }));
}

function scopeNote(scope: ApiScope | 'any'): string {
  return scope === 'any' ? 'Any valid API key.' : `Needs the \`${scope}\` scope.`;
}

function actionOperation(action: ActionName): Operation {
  const spec = ACTIONS[action];
  const scope = scopeOf(action);
  const name = pascalName(action);
  const parameters: unknown[] = [{ $ref: '#/components/parameters/ConnectionId' }];
  if (spec.write) parameters.push({ $ref: '#/components/parameters/IdempotencyKey' });
  return {
    operationId: operationIdOf(action),
    summary: spec.title,
    description: [
      spec.description,
      scopeNote(scope),
      spec.write
        ? 'A write: send an `Idempotency-Key` header (a new UUID per operation; the same one when retrying it). A retry with the same key and body answers the stored result with `Idempotent-Replayed: true`.'
        : 'A read: safe to retry.',
    ].join('\n\n'),
    tags: ['Actions'],
    'x-scope': scope,
    'x-write': spec.write,
    security: [{ bearerAuth: [scope] }],
    parameters,
    requestBody: {
      required: true,
      content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}Input` } } },
    },
    responses: {
      '200': {
        description: 'The action ran; `output` holds its result.',
        headers: {
          ...RATE_LIMIT_HEADERS,
          ...(spec.write ? { 'Idempotent-Replayed': { $ref: '#/components/headers/Idempotent-Replayed' } } : {}),
        },
        content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}Answer` } } },
      },
      ...problemResponses(actionCodes(action)),
    },
  };
}

function listOperation(options: {
  operationId: string;
  summary: string;
  description: string;
  tag: string;
  scope: ApiScope | 'any';
  schema: string;
  parameters?: unknown[];
  codes?: ErrorCode[];
}): Operation {
  return {
    operationId: options.operationId,
    summary: options.summary,
    description: `${options.description}\n\n${scopeNote(options.scope)}`,
    tags: [options.tag],
    'x-scope': options.scope,
    security: [{ bearerAuth: options.scope === 'any' ? [] : [options.scope] }],
    ...(options.parameters?.length ? { parameters: options.parameters } : {}),
    responses: {
      '200': {
        description: 'OK',
        headers: RATE_LIMIT_HEADERS,
        content: { 'application/json': { schema: { $ref: `#/components/schemas/${options.schema}` } } },
      },
      ...problemResponses([...AUTH_CODES, ...(options.codes ?? [])]),
    },
  };
}

function buildComponents() {
  const schemas: Record<string, JsonSchema> = {
    Problem: toJsonSchema(ProblemSchema, 'output'),
    Connection: toJsonSchema(ConnectionSchema, 'output'),
    ConnectionList: { type: 'object', properties: { data: { type: 'array', items: { $ref: '#/components/schemas/Connection' } } }, required: ['data'] },
    ActionLogEntry: toJsonSchema(ActionLogEntrySchema, 'output'),
    ActionLogPage: {
      type: 'object',
      properties: {
        data: { type: 'array', items: { $ref: '#/components/schemas/ActionLogEntry' } },
        nextCursor: { type: ['string', 'null'], description: 'Pass as cursor for the next page; null on the last one.' },
      },
      required: ['data', 'nextCursor'],
    },
    Record: toJsonSchema(RecordSchema, 'output'),
    RecordPage: {
      type: 'object',
      properties: {
        connectionId: { type: 'string', format: 'uuid' },
        resource: { type: 'string' },
        data: { type: 'array', items: { $ref: '#/components/schemas/Record' } },
        nextCursor: { type: ['string', 'null'] },
      },
      required: ['connectionId', 'resource', 'data', 'nextCursor'],
    },
    ProblemType: {
      type: 'object',
      properties: {
        type: { type: 'string' },
        code: { type: 'string', enum: errorCodes },
        status: { type: 'integer' },
        title: { type: 'string' },
      },
      required: ['type', 'code', 'status', 'title'],
    },
  };
  for (const action of ACTION_NAMES) {
    const name = pascalName(action);
    schemas[`${name}Input`] = { title: `${ACTIONS[action].title}: input`, ...actionJsonSchema(action, 'input') };
    schemas[`${name}Output`] = { title: `${ACTIONS[action].title}: output`, ...actionJsonSchema(action, 'output') };
    schemas[`${name}Answer`] = {
      type: 'object',
      properties: {
        action: { type: 'string', const: action },
        connectionId: { type: 'string', format: 'uuid' },
        output: { $ref: `#/components/schemas/${name}Output` },
        logId: { type: 'string', format: 'uuid', description: 'The action log row of the call that produced this answer.' },
      },
      required: ['action', 'connectionId', 'output', 'logId'],
    };
  }

  const integerHeader = (description: string) => ({ description, schema: { type: 'integer', minimum: 0 } });
  return {
    securitySchemes: {
      bearerAuth: {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'ihk_…',
        description: `A workspace API key (Settings → API keys), sent as \`Authorization: Bearer ihk_…\`. Scopes: ${API_SCOPES.map((s) => `\`${s}\` (${SCOPE_DESCRIPTIONS[s]})`).join('; ')}.`,
      },
    },
    parameters: {
      ConnectionId: {
        name: 'connectionId',
        in: 'path',
        required: true,
        description: 'A connection of the key\'s workspace (GET /api/v1/connections).',
        schema: { type: 'string', format: 'uuid' },
      },
      IdempotencyKey: {
        name: 'Idempotency-Key',
        in: 'header',
        required: true,
        description:
          'A unique value per operation (a UUID), reused only to retry that same operation. The same key and body within 24 hours answers the stored result; the same key with a different body answers 422 idempotency_key_reused; while the first is running, 409 idempotency_key_in_use.',
        schema: { type: 'string', minLength: 1, maxLength: 255 },
      },
    },
    headers: {
      'RateLimit-Limit': integerHeader('Requests the key may send in a burst.'),
      'RateLimit-Remaining': integerHeader('Requests left in the current burst.'),
      'RateLimit-Reset': integerHeader('Seconds until the allowance is full again.'),
      'RateLimit-Policy': { description: '`<limit>;w=<seconds>`: the limit and the window it refills over.', schema: { type: 'string' } },
      'Retry-After': integerHeader('Seconds to wait before retrying.'),
      'Idempotent-Replayed': {
        description: '`true` when the answer is the stored result of an earlier call with the same Idempotency-Key.',
        schema: { type: 'string', enum: ['true'] },
      },
      'WWW-Authenticate': { description: 'Bearer challenge (RFC 6750), with error="invalid_token" or error="insufficient_scope".', schema: { type: 'string' } },
    },
    schemas,
  };
}

export const OPENAPI_PATH = '/api/v1/openapi.json';

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  servers: { url: string; description?: string }[];
  security: Record<string, string[]>[];
  tags: { name: string; description: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: ReturnType<typeof buildComponents>;
}

const DESCRIPTION = `The Integration Hub's public API: run actions (look up and create contacts, find free slots, book, cancel and reschedule appointments) on a workspace's connected tools, read the action log, and read synced records.

**Authentication.** \`Authorization: Bearer ihk_…\` with a workspace API key (Settings → API keys; shown once when created). Each key belongs to one workspace and carries scopes.

**Errors** are \`application/problem+json\` (RFC 9457) with a stable \`code\`; validation failures list each field as a JSON pointer in \`errors\`.

**Writes** need an \`Idempotency-Key\` header: retry with the same key and body to get the stored answer instead of a second booking.

**Rate limits.** Every answer carries \`RateLimit-Limit\`, \`RateLimit-Remaining\`, \`RateLimit-Reset\` and \`RateLimit-Policy\`; past the limit the answer is 429 \`rate_limited\` with \`Retry-After\`.

The same actions are tools on the MCP endpoint (\`POST /api/mcp\`, Streamable HTTP), with the same keys and scopes.`;

let cached: OpenApiDocument | null = null;

/** The document (built once per process; callers get their own copy). */
export function openApiDocument(): OpenApiDocument {
  cached ??= buildDocument();
  return structuredClone(cached);
}

function buildDocument(): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {
    '/api/v1/connections': {
      get: listOperation({
        operationId: 'listConnections',
        summary: 'List connections',
        description: "The workspace's connections, with the actions each one's provider supports.",
        tag: 'Connections',
        scope: 'any',
        schema: 'ConnectionList',
      }),
    },
    '/api/v1/connections/{connectionId}/records': {
      get: listOperation({
        operationId: 'listRecords',
        summary: 'List synced records',
        description: "A connection's stored records of one resource with their mapped output, in external-id order, keyset-paged.",
        tag: 'Records',
        scope: 'records:read',
        schema: 'RecordPage',
        parameters: [{ $ref: '#/components/parameters/ConnectionId' }, ...describedQuery(apiRecordsQuerySchema)],
        codes: ['validation_failed', 'insufficient_scope', 'not_found'],
      }),
    },
    '/api/v1/actions': {
      get: listOperation({
        operationId: 'listActionLog',
        summary: 'List action calls',
        description: "The workspace's action log, newest first, keyset-paged. Inputs and outputs are stored with secrets redacted.",
        tag: 'Action log',
        scope: 'actions:read',
        schema: 'ActionLogPage',
        parameters: describedQuery(actionLogQuerySchema),
        codes: ['validation_failed', 'insufficient_scope'],
      }),
    },
  };
  for (const action of ACTION_NAMES) paths[actionPath(action)] = { post: actionOperation(action) };
  paths['/api/v1/problems/{code}'] = {
    get: {
      operationId: 'getProblemType',
      summary: 'Describe a problem type',
      description: 'What a problem `type` refers to: its code, status and title. Public.',
      tags: ['Reference'],
      security: [],
      parameters: [{ name: 'code', in: 'path', required: true, schema: { type: 'string', enum: errorCodes } }],
      responses: {
        '200': { description: 'OK', content: { 'application/json': { schema: { $ref: '#/components/schemas/ProblemType' } } } },
        ...problemResponses(['not_found'], { rateLimited: false }),
      },
    },
  };
  paths[OPENAPI_PATH] = {
    get: {
      operationId: 'getOpenApiDocument',
      summary: 'This document',
      description: 'The OpenAPI 3.1 document of this API. Public.',
      tags: ['Reference'],
      security: [],
      responses: { '200': { description: 'OK', content: { 'application/json': { schema: { type: 'object' } } } } },
    },
  };

  return {
    openapi: '3.1.0',
    info: { title: 'Integration Hub API', version: '1', description: DESCRIPTION },
    servers: [{ url: '/', description: 'This server' }],
    security: [{ bearerAuth: [] }],
    tags: [
      { name: 'Connections', description: "The workspace's connected tools." },
      { name: 'Actions', description: 'Run one action on one connection. Inputs and outputs use the internal model; every output carries the provider\'s raw answer.' },
      { name: 'Action log', description: 'Every action call, as run.' },
      { name: 'Records', description: 'Synced records with their mapped output.' },
      { name: 'Reference', description: 'Error types and this document.' },
    ],
    paths,
    components: buildComponents(),
  };
}

// ---------------------------------------------------------------------------------------------
// What the app's screens need of the registry: each action with its input's JSON Schema (the Try
// it form is generated from it), and the actions each provider implements.

export interface ActionDefinition {
  name: ActionName;
  title: string;
  description: string;
  write: boolean;
  scope: 'actions:read' | 'actions:write';
  inputSchema: JsonSchema;
}

export function actionDefinitions(providerList: readonly ProviderDefinition[]) {
  return {
    actions: ACTION_NAMES.map(
      (name): ActionDefinition => ({
        name,
        title: ACTIONS[name].title,
        description: ACTIONS[name].description,
        write: ACTIONS[name].write,
        scope: scopeOf(name),
        inputSchema: actionJsonSchema(name, 'input'),
      }),
    ),
    /** Provider id → the actions it supports, in registry order. */
    providers: Object.fromEntries(providerList.map((provider) => [provider.id, supportedActions(provider).map((action) => action.name)])) as Record<
      string,
      ActionName[]
    >,
    scopes: API_SCOPES.map((scope) => ({ scope, description: SCOPE_DESCRIPTIONS[scope] })),
  };
}
export type ActionDefinitions = ReturnType<typeof actionDefinitions>;
