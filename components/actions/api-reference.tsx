// The API reference, rendered on the server from the OpenAPI document itself (no third-party
// viewer, nothing loaded from elsewhere): overview, the MCP endpoint, then every operation with
// its parameters, request body, answers and an example request.
import { Fragment, type ReactNode } from 'react';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { focusRing } from '@/components/ui/focus-ring';
import type { JsonSchema } from '@/lib/client/actions';
import type { OpenApiDocument } from '@/lib/actions/openapi';
import { CurlExample, OriginSnippet, OriginText } from './curl-example';
import { exampleObject } from './schema-form-model';

type Operation = Record<string, unknown> & {
  operationId: string;
  summary: string;
  description: string;
  tags: string[];
  parameters?: JsonSchema[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: JsonSchema }> }>;
  security?: unknown[];
};

interface Entry {
  method: string;
  path: string;
  operation: Operation;
}

const codeClasses = 'rounded bg-slate-100 px-1 py-0.5 font-mono text-[0.8em] text-slate-800 dark:bg-slate-800 dark:text-slate-200';
const subheading = 'mb-2 text-xs font-semibold tracking-wide text-slate-500 uppercase dark:text-slate-400';

/** `**bold**` and `code` in the document's descriptions; everything else as text. */
function Inline({ text }: { text: string }) {
  const parts = text.split(/(\*\*[^*]+\*\*|`[^`]+`)/g);
  return (
    <>
      {parts.map((part, i) => {
        if (part.startsWith('**') && part.endsWith('**')) return <strong key={i} className="font-semibold text-slate-900 dark:text-slate-100">{part.slice(2, -2)}</strong>;
        if (part.startsWith('`') && part.endsWith('`')) return <code key={i} className={codeClasses}>{part.slice(1, -1)}</code>;
        return <Fragment key={i}>{part}</Fragment>;
      })}
    </>
  );
}

function Paragraphs({ text }: { text: string }) {
  return (
    <>
      {text.split(/\n\n+/).map((paragraph, i) => (
        <p key={i}>
          <Inline text={paragraph} />
        </p>
      ))}
    </>
  );
}

function resolve(schema: JsonSchema | undefined, doc: OpenApiDocument): JsonSchema {
  let current = schema ?? {};
  for (let i = 0; i < 5 && typeof current.$ref === 'string'; i++) {
    const name = (current.$ref as string).replace('#/components/schemas/', '');
    current = (doc.components.schemas[name] ?? {}) as JsonSchema;
  }
  return current;
}

function refName(schema: JsonSchema | undefined): string | null {
  return typeof schema?.$ref === 'string' ? (schema.$ref as string).split('/').pop()! : null;
}

/** A short type: `string (date-time)`, `integer 5–1440`, `"a" | "b"`, `array of object`, `map of …`. */
function typeLabel(raw: JsonSchema, doc: OpenApiDocument): string {
  const named = refName(raw);
  const schema = resolve(raw, doc);
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as JsonSchema[]).map((s) => typeLabel(s, doc)).join(' or ');
  const types = [schema.type].flat().filter((t): t is string => typeof t === 'string');
  if (types.length === 0) return named ?? 'any';
  return types
    .map((type) => {
      if (type === 'array') return `array of ${typeLabel((schema.items ?? {}) as JsonSchema, doc)}`;
      if (type === 'object') {
        if (!schema.properties && schema.additionalProperties && typeof schema.additionalProperties === 'object') {
          return `map of ${typeLabel(schema.additionalProperties as JsonSchema, doc)}`;
        }
        return named ?? 'object';
      }
      if (type === 'null') return 'null';
      return typeof schema.format === 'string' ? `${type} (${schema.format})` : type;
    })
    .join(' | ');
}

function constraints(schema: JsonSchema): string[] {
  const out: string[] = [];
  if (typeof schema.minimum === 'number' && typeof schema.maximum === 'number' && Math.abs(schema.maximum) < 1e12) out.push(`${schema.minimum}–${schema.maximum}`);
  else if (typeof schema.minimum === 'number' && Math.abs(schema.minimum) < 1e12) out.push(`≥ ${schema.minimum}`);
  if (typeof schema.maxLength === 'number' && schema.maxLength < 10_000) out.push(`≤ ${schema.maxLength} chars`);
  if (typeof schema.maxItems === 'number') out.push(`≤ ${schema.maxItems} items`);
  if (schema.default !== undefined) out.push(`default ${JSON.stringify(schema.default)}`);
  return out;
}

function childObject(schema: JsonSchema, doc: OpenApiDocument): JsonSchema | null {
  const resolved = resolve(schema, doc);
  if (resolved.properties) return resolved;
  const items = resolved.items ? resolve(resolved.items as JsonSchema, doc) : null;
  if (items?.properties) return items;
  if (Array.isArray(resolved.anyOf)) {
    const objects = (resolved.anyOf as JsonSchema[]).map((s) => resolve(s, doc)).filter((s) => s.properties);
    if (objects.length === 1) return objects[0];
  }
  return null;
}

/** The properties of an object schema as a nested list. */
function SchemaTree({ schema, doc, depth = 0 }: { schema: JsonSchema; doc: OpenApiDocument; depth?: number }) {
  const resolved = resolve(schema, doc);
  const properties = Object.entries((resolved.properties ?? {}) as Record<string, JsonSchema>);
  if (properties.length === 0) return <p className="text-sm text-slate-600 dark:text-slate-400">{typeLabel(schema, doc)}</p>;
  const required = Array.isArray(resolved.required) ? (resolved.required as string[]) : [];
  return (
    <ul className={`space-y-2 ${depth > 0 ? 'mt-2 border-l border-slate-200 pl-3 dark:border-slate-700' : ''}`}>
      {properties.map(([name, property]) => {
        const resolvedProperty = resolve(property, doc);
        const child = depth < 4 ? childObject(property, doc) : null;
        const title = typeof resolvedProperty.title === 'string' ? resolvedProperty.title : null;
        const description = typeof resolvedProperty.description === 'string' ? resolvedProperty.description : null;
        const notes = constraints(resolvedProperty);
        return (
          <li key={name} className="text-sm">
            <div className="flex flex-wrap items-baseline gap-x-2 gap-y-0.5">
              <code className="font-mono text-xs font-semibold text-slate-900 dark:text-slate-100">{name}</code>
              <span className="font-mono text-xs break-all text-indigo-700 dark:text-indigo-300">{typeLabel(property, doc)}</span>
              {required.includes(name) ? <span className="text-xs font-medium text-red-700 dark:text-red-400">required</span> : null}
              {notes.length ? <span className="text-xs text-slate-500 dark:text-slate-400">{notes.join(' · ')}</span> : null}
            </div>
            {title || description ? (
              <p className="text-xs text-slate-600 dark:text-slate-400">{[title && title.toLowerCase() !== name.toLowerCase() ? title : null, description].filter(Boolean).join(': ')}</p>
            ) : null}
            {child ? <SchemaTree schema={child} doc={doc} depth={depth + 1} /> : null}
          </li>
        );
      })}
    </ul>
  );
}

function MethodBadge({ method }: { method: string }) {
  const tone = method === 'GET' ? 'bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300' : 'bg-indigo-100 text-indigo-800 dark:bg-indigo-950 dark:text-indigo-300';
  return <span className={`inline-flex shrink-0 rounded px-1.5 py-0.5 font-mono text-xs font-bold ${tone}`}>{method}</span>;
}

function resolveParameter(parameter: JsonSchema, doc: OpenApiDocument): JsonSchema {
  if (typeof parameter.$ref === 'string') {
    const name = (parameter.$ref as string).split('/').pop()!;
    return ((doc.components.parameters as Record<string, JsonSchema>)[name] ?? {}) as JsonSchema;
  }
  return parameter;
}

function OperationCard({ entry, doc, exampleNow }: { entry: Entry; doc: OpenApiDocument; exampleNow: Date }) {
  const { method, path, operation } = entry;
  const parameters = (operation.parameters ?? []).map((p) => resolveParameter(p, doc));
  const bodySchema = operation.requestBody?.content['application/json']?.schema;
  const ok = operation.responses['200'];
  const okSchema = ok?.content?.['application/json']?.schema;
  const errors = Object.entries(operation.responses).filter(([status]) => Number(status) >= 400);
  const scope = operation['x-scope'] as string | undefined;
  const write = operation['x-write'] === true;
  const example = bodySchema ? exampleObject(resolve(bodySchema, doc), { now: exampleNow, timeZone: 'Europe/London', mode: 'reference' }) : undefined;
  const publicRoute = Array.isArray(operation.security) && operation.security.length === 0;

  return (
    <Card>
      <article id={operation.operationId} aria-labelledby={`${operation.operationId}-title`} className="min-w-0 scroll-mt-20 space-y-4 p-5 lg:scroll-mt-6">
        <header className="space-y-1.5">
          <div className="flex min-w-0 flex-wrap items-center gap-2">
            <MethodBadge method={method} />
            <code className="min-w-0 font-mono text-sm break-all text-slate-900 dark:text-slate-100">{path}</code>
          </div>
          <h3 id={`${operation.operationId}-title`} className="text-base font-semibold text-slate-900 dark:text-slate-100">
            {operation.summary}
          </h3>
          <div className="flex flex-wrap gap-1.5">
            {scope ? <Badge tone={scope === 'any' ? 'neutral' : scope === 'actions:write' ? 'warning' : 'accent'}>{scope === 'any' ? 'any key' : scope}</Badge> : null}
            {publicRoute ? <Badge>public</Badge> : null}
            {write ? <Badge tone="warning">Idempotency-Key required</Badge> : null}
          </div>
        </header>
        <div className="space-y-2 text-sm text-slate-700 dark:text-slate-300">
          <Paragraphs text={operation.description} />
        </div>
        {parameters.length ? (
          <section>
            <h4 className={subheading}>Parameters</h4>
            <ul className="space-y-2">
              {parameters.map((parameter) => (
                <li key={`${String(parameter.in)}:${String(parameter.name)}`} className="text-sm">
                  <div className="flex flex-wrap items-baseline gap-x-2">
                    <code className="font-mono text-xs font-semibold text-slate-900 dark:text-slate-100">{String(parameter.name)}</code>
                    <span className="text-xs text-slate-500 dark:text-slate-400">in {String(parameter.in)}</span>
                    <span className="font-mono text-xs break-all text-indigo-700 dark:text-indigo-300">{typeLabel((parameter.schema ?? {}) as JsonSchema, doc)}</span>
                    {parameter.required ? <span className="text-xs font-medium text-red-700 dark:text-red-400">required</span> : null}
                    {constraints((parameter.schema ?? {}) as JsonSchema).length ? (
                      <span className="text-xs text-slate-500 dark:text-slate-400">{constraints((parameter.schema ?? {}) as JsonSchema).join(' · ')}</span>
                    ) : null}
                  </div>
                  {typeof parameter.description === 'string' ? <p className="text-xs text-slate-600 dark:text-slate-400">{parameter.description}</p> : null}
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        {bodySchema ? (
          <section>
            <h4 className={subheading}>Request body (application/json)</h4>
            <SchemaTree schema={bodySchema} doc={doc} />
          </section>
        ) : null}
        {okSchema ? (
          <details className="group rounded-lg border border-slate-200 dark:border-slate-700">
            <summary className={`cursor-pointer rounded-lg px-3 py-2 text-sm font-medium text-slate-800 dark:text-slate-200 ${focusRing}`}>
              <span className="font-mono text-xs text-emerald-700 dark:text-emerald-400">200</span> <Inline text={ok.description} />
            </summary>
            <div className="border-t border-slate-200 p-3 dark:border-slate-700">
              <SchemaTree schema={okSchema} doc={doc} />
            </div>
          </details>
        ) : null}
        {errors.length ? (
          <section>
            <h4 className={subheading}>Errors (application/problem+json)</h4>
            <dl className="grid grid-cols-[max-content_minmax(0,1fr)] gap-x-3 gap-y-1 text-xs">
              {errors.map(([status, response]) => (
                <Fragment key={status}>
                  <dt className="font-mono font-semibold text-red-700 dark:text-red-400">{status}</dt>
                  <dd className="break-words text-slate-700 dark:text-slate-300">
                    <Inline text={response.description} />
                  </dd>
                </Fragment>
              ))}
            </dl>
          </section>
        ) : null}
        <section>
          <h4 className={subheading}>Example</h4>
          <CurlExample
            method={method}
            path={path.replace('{connectionId}', '<connectionId>').replace('{code}', 'not_found')}
            body={bodySchema ? example : undefined}
            idempotent={write}
            authenticated={!publicRoute}
          />
        </section>
      </article>
    </Card>
  );
}

const MCP_CONFIG = `{
  "mcpServers": {
    "integration-hub": {
      "type": "http",
      "url": "{origin}/api/mcp",
      "headers": { "Authorization": "Bearer <your API key>" }
    }
  }
}`;

export function ApiReference({ doc, settingsHref, toolNames }: { doc: OpenApiDocument; settingsHref: string | null; toolNames: string[] }) {
  const entries: Entry[] = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ method: method.toUpperCase(), path, operation: operation as Operation })),
  );
  const exampleNow = new Date();
  const groups = doc.tags
    .map((tag) => ({ ...tag, entries: entries.filter((entry) => entry.operation.tags?.[0] === tag.name) }))
    .filter((group) => group.entries.length > 0);
  const [intro, ...overview] = doc.info.description.split(/\n\n+/);

  const section = (id: string, title: string, children: ReactNode) => (
    <section aria-labelledby={id} className="space-y-4">
      <h2 id={id} className="text-lg font-semibold text-slate-900 dark:text-slate-100">
        {title}
      </h2>
      {children}
    </section>
  );

  return (
    <div className="space-y-10">
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_16rem]">
        <Card className="min-w-0 space-y-3 p-5 text-sm text-slate-700 dark:text-slate-300">
          <p>
            <Inline text={intro} />
          </p>
          <p>
            Base URL: <code className={codeClasses}><OriginText suffix="/api/v1" /></code> · OpenAPI 3.1:{' '}
            <a href="/api/v1/openapi.json" className={`rounded-sm font-medium text-indigo-600 underline-offset-4 hover:underline dark:text-indigo-400 ${focusRing}`}>
              openapi.json
            </a>
            {settingsHref ? (
              <>
                {' '}
                · Keys:{' '}
                <a href={settingsHref} className={`rounded-sm font-medium text-indigo-600 underline-offset-4 hover:underline dark:text-indigo-400 ${focusRing}`}>
                  Settings → API keys
                </a>
              </>
            ) : null}
          </p>
          {overview.map((paragraph, i) => (
            <p key={i}>
              <Inline text={paragraph} />
            </p>
          ))}
        </Card>
        <nav aria-label="Operations" className="text-sm">
          <Card className="p-4">
            <ul className="space-y-3">
              {groups.map((group) => (
                <li key={group.name}>
                  <p className="text-xs font-semibold tracking-wide text-slate-500 uppercase dark:text-slate-400">{group.name}</p>
                  <ul className="mt-1 space-y-1">
                    {group.entries.map((entry) => (
                      <li key={entry.operation.operationId}>
                        <a
                          href={`#${entry.operation.operationId}`}
                          className={`block rounded-sm text-slate-700 hover:text-indigo-700 dark:text-slate-300 dark:hover:text-indigo-300 ${focusRing}`}
                        >
                          {entry.operation.summary}
                        </a>
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
              <li>
                <a href="#mcp" className={`block rounded-sm font-medium text-slate-700 hover:text-indigo-700 dark:text-slate-300 dark:hover:text-indigo-300 ${focusRing}`}>
                  MCP endpoint
                </a>
              </li>
            </ul>
          </Card>
        </nav>
      </div>

      {groups.map((group) => (
        <Fragment key={group.name}>
          {section(
            `tag-${group.name.toLowerCase().replace(/\W+/g, '-')}`,
            group.name,
            <>
              <p className="-mt-2 text-sm text-slate-600 dark:text-slate-400">{group.description}</p>
              <div className="space-y-4">
                {group.entries.map((entry) => (
                  <OperationCard key={entry.operation.operationId} entry={entry} doc={doc} exampleNow={exampleNow} />
                ))}
              </div>
            </>,
          )}
        </Fragment>
      ))}

      {section(
        'mcp',
        'MCP endpoint',
        <Card className="min-w-0 space-y-3 p-5 text-sm text-slate-700 dark:text-slate-300">
          <p>
            <code className={codeClasses}>POST /api/mcp</code> speaks the Model Context Protocol over Streamable HTTP (stateless: JSON answers, no
            sessions). Authenticate with the same API keys; a key lists only the tools its scopes allow.
          </p>
          <p>
            Tools: {toolNames.map((name, i) => (
              <Fragment key={name}>
                {i ? ', ' : ''}
                <code className={codeClasses}>{name}</code>
              </Fragment>
            ))}
            . Each action tool takes <code className={codeClasses}>connectionId</code> and the action&apos;s input as above; write tools also require{' '}
            <code className={codeClasses}>idempotencyKey</code> (a new UUID per operation, the same one to retry it). Results are the action&apos;s output
            as structured content; failures are error results starting with the problem code.
          </p>
          <OriginSnippet template={MCP_CONFIG} label="MCP client configuration" />
        </Card>,
      )}
    </div>
  );
}
