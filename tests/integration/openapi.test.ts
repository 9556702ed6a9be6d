// The OpenAPI 3.1 document (GET /api/v1/openapi.json, lib/actions/openapi.ts): valid by a
// third-party validator (@apidevtools/swagger-parser), generated from the action registry (every
// action a path, its input and output the registry's zod schemas as JSON Schema), every /api/v1
// route on disk documented, writes with a required Idempotency-Key, bearer security, problem+json
// errors and the rate-limit headers.
import fs from 'node:fs';
import path from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { describe, expect, it } from 'vitest';
import { actionJsonSchema, OPENAPI_PATH, pascalName } from '@/lib/actions/openapi';
import { ACTION_NAMES, ACTIONS, scopeOf } from '@/lib/actions/schemas';
import { errorCodes } from '@/lib/http/error-codes';
import { GET } from '@/app/api/v1/openapi.json/route';

type Doc = Record<string, any>;

async function fetchDocument(): Promise<{ response: Response; doc: Doc }> {
  const response = await GET();
  return { response, doc: (await response.json()) as Doc };
}

/** Every /api/v1 route file as an OpenAPI path template (`[connectionId]` → `{connectionId}`). */
function v1RoutesOnDisk(): string[] {
  const root = path.resolve(import.meta.dirname, '../..');
  const found: string[] = [];
  const walk = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(root, relative), { withFileTypes: true })) {
      const child = path.posix.join(relative, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (entry.name === 'route.ts') found.push(`/${path.posix.dirname(child).replace(/^app\//, '').replace(/\[([^\]]+)\]/g, '{$1}')}`);
    }
  };
  walk('app/api/v1');
  return found.sort();
}

const JSON_SCHEMA_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null']);

/** Every schema object under a node, with its JSON pointer. */
function* schemaNodes(node: unknown, pointer = ''): Generator<[string, Record<string, unknown>]> {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const [i, item] of node.entries()) yield* schemaNodes(item, `${pointer}/${i}`);
    return;
  }
  const record = node as Record<string, unknown>;
  yield [pointer, record];
  for (const [key, value] of Object.entries(record)) {
    if (key === 'enum' || key === 'const' || key === 'default' || key === 'examples' || key === 'required') continue;
    yield* schemaNodes(value, `${pointer}/${key}`);
  }
}

describe('OpenAPI document', () => {
  it('is served as JSON, OpenAPI 3.1, and valid according to swagger-parser', async () => {
    const { response, doc } = await fetchDocument();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(doc.openapi).toBe('3.1.0');
    // validate() dereferences in place: give it its own copy.
    const validated = (await SwaggerParser.validate(structuredClone(doc) as never)) as Doc;
    expect(validated.openapi).toBe('3.1.0');
    expect(validated.info.title).toBe('Integration Hub API');
  });

  it('rejects what swagger-parser should (the validator is really validating)', async () => {
    const { doc } = await fetchDocument();
    const broken = structuredClone(doc);
    broken.paths['/api/v1/connections'].get.responses['200'].content['application/json'].schema = { $ref: '#/components/schemas/Nothing' };
    await expect(SwaggerParser.validate(broken as never)).rejects.toThrow(/Nothing/);
    const noInfo = structuredClone(doc);
    delete noInfo.info;
    await expect(SwaggerParser.validate(noInfo as never)).rejects.toThrow();
  });

  it('has one path per action in ACTIONS, with the registry\'s input and output schemas', async () => {
    const { doc } = await fetchDocument();
    for (const action of ACTION_NAMES) {
      const spec = ACTIONS[action];
      const operation = doc.paths[`/api/v1/connections/{connectionId}/actions/${action}`]?.post;
      expect(operation, action).toBeDefined();
      expect(operation.summary).toBe(spec.title);
      expect(operation['x-scope']).toBe(scopeOf(action));
      expect(operation.security).toEqual([{ bearerAuth: [scopeOf(action)] }]);
      const name = pascalName(action);
      expect(operation.requestBody.content['application/json'].schema).toEqual({ $ref: `#/components/schemas/${name}Input` });
      const { title: _inputTitle, ...input } = doc.components.schemas[`${name}Input`];
      expect(input).toEqual(actionJsonSchema(action, 'input'));
      const { title: _outputTitle, ...output } = doc.components.schemas[`${name}Output`];
      expect(output).toEqual(actionJsonSchema(action, 'output'));
      expect(operation.responses['200'].content['application/json'].schema).toEqual({ $ref: `#/components/schemas/${name}Answer` });
      expect(doc.components.schemas[`${name}Answer`].properties.output).toEqual({ $ref: `#/components/schemas/${name}Output` });
    }
    const documented = Object.keys(doc.paths).filter((p) => p.includes('/actions/'));
    expect(documented).toHaveLength(ACTION_NAMES.length);
  });

  it('requires an Idempotency-Key header on writes only', async () => {
    const { doc } = await fetchDocument();
    expect(doc.components.parameters.IdempotencyKey).toMatchObject({ name: 'Idempotency-Key', in: 'header', required: true });
    for (const action of ACTION_NAMES) {
      const operation = doc.paths[`/api/v1/connections/{connectionId}/actions/${action}`].post;
      const refs = operation.parameters.map((p: Doc) => p.$ref);
      expect(refs.includes('#/components/parameters/IdempotencyKey'), action).toBe(ACTIONS[action].write);
      const codes = Object.values(operation.responses).map((r: any) => r.description).join(' ');
      expect(codes.includes('idempotency_key_required'), action).toBe(ACTIONS[action].write);
      if (ACTIONS[action].write) expect(operation.responses['200'].headers['Idempotent-Replayed']).toBeDefined();
    }
  });

  it('documents every /api/v1 route on disk', async () => {
    const { doc } = await fetchDocument();
    const paths = Object.keys(doc.paths);
    for (const route of v1RoutesOnDisk()) {
      if (route === '/api/v1/connections/{connectionId}/actions/{action}') {
        expect(paths.filter((p) => p.startsWith('/api/v1/connections/{connectionId}/actions/'))).toHaveLength(ACTION_NAMES.length);
      } else {
        expect(paths, route).toContain(route);
      }
    }
    expect(paths).toContain(OPENAPI_PATH);
  });

  it('uses bearer security, problem+json errors with the code table, and rate-limit headers', async () => {
    const { doc } = await fetchDocument();
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.components.schemas.Problem.properties.code.enum).toEqual(errorCodes);
    for (const name of ['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'RateLimit-Policy', 'Retry-After']) {
      expect(doc.components.headers[name], name).toBeDefined();
    }
    for (const [route, methods] of Object.entries(doc.paths as Record<string, Doc>)) {
      for (const [method, operation] of Object.entries(methods)) {
        const where = `${method.toUpperCase()} ${route}`;
        const public_ = Array.isArray(operation.security) && operation.security.length === 0;
        for (const [status, response] of Object.entries(operation.responses as Record<string, Doc>)) {
          if (Number(status) >= 400) {
            expect(Object.keys(response.content), `${where} ${status}`).toEqual(['application/problem+json']);
            expect(response.content['application/problem+json'].schema).toEqual({ $ref: '#/components/schemas/Problem' });
          }
        }
        if (!public_) {
          expect(operation.responses['200'].headers['RateLimit-Remaining'], where).toBeDefined();
          expect(operation.responses['401'], where).toBeDefined();
          expect(operation.responses['429'].headers['Retry-After'], where).toBeDefined();
        }
      }
    }
  });

  it('holds only JSON Schema in its schemas (no editor metadata such as label or type "datetime")', async () => {
    const { doc } = await fetchDocument();
    for (const [pointer, node] of schemaNodes(doc.components.schemas, '/components/schemas')) {
      if (pointer.endsWith('/properties') || pointer.endsWith('/patternProperties') || pointer.split('/').length <= 3) continue;
      expect(node, pointer).not.toHaveProperty('label');
      const type = node.type;
      if (typeof type === 'string' || Array.isArray(type)) {
        for (const t of [type].flat()) expect(JSON_SCHEMA_TYPES.has(t as string), `${pointer}: type ${String(t)}`).toBe(true);
      }
    }
  });
});
