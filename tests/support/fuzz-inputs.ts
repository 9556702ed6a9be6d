// fast-check arbitraries for malformed HTTP input: request bodies (wrong types, NUL and other
// control characters, huge and negative numbers, deep nesting, missing and extra fields, valid
// bodies with one part broken), query strings, path params, content types, oversized bodies and
// the headers a browser or an attacker sends. The values a route would accept come from a
// `FuzzWorld` the test builds from its fixtures, so the generated input reaches past validation.
import fc from 'fast-check';

// ---------------------------------------------------------------------------------------------
// JSON that JSON.stringify cannot write: numbers as raw text (1e309 parses to Infinity), and
// nesting deeper than a recursive serializer should go.

export class RawNumber {
  constructor(readonly text: string) {}
  [fc.toStringMethod]() {
    return `raw(${this.text})`;
  }
}

export class Deep {
  constructor(
    readonly depth: number,
    readonly open: '[' | '{"a":',
    readonly inner: unknown,
  ) {}
  [fc.toStringMethod]() {
    return `deep(${this.depth} × ${this.open}, ${fc.stringify(this.inner)})`;
  }
}

/** JSON text of a generated value (RawNumber and Deep written as they say); iterative over Deep. */
export function jsonText(value: unknown): string {
  if (value instanceof RawNumber) return value.text;
  if (value instanceof Deep) {
    const close = value.open === '[' ? ']' : '}';
    return value.open.repeat(value.depth) + jsonText(value.inner) + close.repeat(value.depth);
  }
  if (Array.isArray(value)) return `[${value.map(jsonText).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}:${jsonText(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

// ---------------------------------------------------------------------------------------------
// Leaves.

const SPECIAL_CHARS = [
  '\u0000', '\u0001', '\u0007', '\b', '\t', '\n', '\u000b', '\f', '\r', '\u001b', '\u001f', '\u007f',
  '\u0080', '\u0085', '\u00a0', '\u2028', '\u2029', '\u200b', '\u200e', '\u202e', '\ufeff', '\ufffd',
  '\uffff', '\ud800', '\udc00', '😀', '𝕏', 'é', 'ß', "'", '"', '\\', '/', '%', '%00', '$1', '${x}',
  '{{x}}', '<script>', '../', '--', ';', ' OR 1=1', '*', '?', '#', '&', '=', '+', ':', '.', '[0]',
];

const char = fc.oneof({ weight: 3, arbitrary: fc.string({ minLength: 1, maxLength: 1 }) }, { weight: 2, arbitrary: fc.constantFrom(...SPECIAL_CHARS) });

/** Text with control characters, NUL, lone surrogates, bidi overrides, quotes and path tricks. */
export const nastyText: fc.Arbitrary<string> = fc.oneof(
  { weight: 12, arbitrary: fc.string({ unit: char, maxLength: 24 }) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '\u0000', 'null', 'undefined', 'NaN', 'true', '[]', '{}', '0', '-1', '1e309') },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('a', 'é', '😀', '\u0000', ' '), fc.integer({ min: 81, max: 6000 }))
      .map(([c, n]) => c.repeat(n)),
  },
);

const RAW_NUMBERS = [
  '1e309', '-1e309', '1e-400', '-0', '0e0', '1E2', '1.0', '123456789012345678901234567890',
  '9007199254740993', '-9007199254740993', '2147483648', '-2147483649', '4294967296', '1e21',
].map((text) => new RawNumber(text));

/** Numbers a schema may not expect: huge, negative, fractional, beyond int4/int8, Infinity by text. */
export const nastyNumber: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double() },
  {
    weight: 2,
    arbitrary: fc.constantFrom(0, -1, 1, 2, 1.5, 2 ** 31, 2 ** 31 - 1, -(2 ** 31), 2 ** 32, 2 ** 53, Number.MAX_SAFE_INTEGER, 1e308, -1e308, 5e-324),
  },
  { weight: 1, arbitrary: fc.constantFrom(...RAW_NUMBERS) },
);

const leaf: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: nastyText },
  { weight: 3, arbitrary: nastyNumber },
  { weight: 1, arbitrary: fc.constantFrom(true, false, null) },
);

const oddKeys = ['__proto__', 'constructor', 'prototype', 'toString', '', ' ', '\u0000', 'a.b', '$where', '0'];

/** Any JSON value, small, with nasty leaves and keys from `keys` (the names routes read) or odd ones. */
export function garbageJson(keys: readonly string[]): fc.Arbitrary<unknown> {
  const key = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...keys, ...oddKeys) }, { weight: 1, arbitrary: nastyText });
  const { value } = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(key, tie('value'), { maxKeys: 4 }),
    ),
  }));
  return value;
}

/** Nesting a few hundred levels deep (sometimes a few thousand), around a small value. */
export function deepJson(inner: fc.Arbitrary<unknown>): fc.Arbitrary<Deep> {
  return fc
    .tuple(
      fc.oneof({ weight: 5, arbitrary: fc.integer({ min: 2, max: 400 }) }, { weight: 1, arbitrary: fc.integer({ min: 400, max: 5000 }) }),
      fc.constantFrom('[' as const, '{"a":' as const),
      inner,
    )
    .map(([depth, open, value]) => new Deep(depth, open, value));
}

// ---------------------------------------------------------------------------------------------
// What the routes of this app would accept, from the test's fixtures.

export interface FuzzWorld {
  /** Per dynamic segment name: values from the caller's own workspace, and from another one. */
  params: Record<string, { home: readonly string[]; other: readonly string[] }>;
  /** Per body field or query key: values a route would accept (ids, enums, emails, names, …). */
  values: Record<string, readonly unknown[]>;
  /** Whole valid bodies (a default mapping, say) to break one part of. */
  seeds: readonly unknown[];
}

/** A value with NUL put into every string in it (and some keys), or the value itself. */
function withNul(value: unknown): unknown {
  if (typeof value === 'string') return `${value.slice(0, 3)}\u0000${value.slice(3)}`;
  if (Array.isArray(value)) return value.map(withNul);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withNul(v)]));
  return value;
}

/** The value of one named field: an accepted one, an accepted one carrying NUL, or garbage. */
function fieldValue(world: FuzzWorld, name: string, garbage: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  const accepted = world.values[name];
  if (!accepted?.length) return garbage;
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...accepted) },
    { weight: 1, arbitrary: fc.constantFrom(...accepted).map(withNul) },
    { weight: 2, arbitrary: garbage },
  );
}

/** An object of known field names (some accepted values, some broken, some missing) plus extras. */
export function fieldsObject(world: FuzzWorld): fc.Arbitrary<Record<string, unknown>> {
  const names = Object.keys(world.values);
  const garbage = garbageJson(names);
  const entry = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...names).chain((name) => fieldValue(world, name, garbage).map((v) => [name, v] as const)) },
    { weight: 1, arbitrary: fc.tuple(fc.oneof(fc.constantFrom(...oddKeys), nastyText), garbage) },
  );
  return fc.array(entry, { maxLength: 6 }).map((entries) => Object.fromEntries(entries));
}

type Mutation = {
  at: number;
  op: 'replace' | 'delete' | 'wrap' | 'nul' | 'deep' | 'extra';
  /** The replacement: of the original's type (a number for a number, text for text) when `sameType`. */
  value: unknown;
  number: unknown;
  text: string;
  sameType: boolean;
};

/** Every path to a value inside `root` (iterative). */
function pathsOf(root: unknown): (string | number)[][] {
  const paths: (string | number)[][] = [];
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value: root, path: [] }];
  while (stack.length) {
    const { value, path } = stack.pop()!;
    paths.push(path);
    if (value instanceof RawNumber || value instanceof Deep) continue;
    if (Array.isArray(value)) value.forEach((v, i) => stack.push({ value: v, path: [...path, i] }));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) stack.push({ value: v, path: [...path, k] });
  }
  return paths;
}

/** A deep copy that keeps RawNumber and Deep (generated values are never changed in place). */
function copy(value: unknown): unknown {
  if (value instanceof RawNumber || value instanceof Deep) return value;
  if (Array.isArray(value)) return value.map(copy);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copy(v)]));
  return value;
}

function applyMutation(root: unknown, mutation: Mutation): unknown {
  const paths = pathsOf(root);
  const path = paths[mutation.at % paths.length];
  const change = (value: unknown): unknown => {
    switch (mutation.op) {
      case 'replace':
        if (mutation.sameType && typeof value === 'number') return mutation.number;
        if (mutation.sameType && typeof value === 'string') return mutation.text;
        return copy(mutation.value);
      case 'wrap':
        return [value];
      case 'nul':
        return withNul(value);
      case 'deep':
        return new Deep(300, '[', value ?? null);
      case 'extra':
        return value && typeof value === 'object' && !Array.isArray(value) ? { ...value, ['extra\u0000field']: copy(mutation.value) } : value;
      case 'delete':
        return undefined;
    }
  };
  if (path.length === 0) return change(root) ?? null;
  const parentPath = path.slice(0, -1);
  const last = path[path.length - 1];
  let parent = root as Record<string | number, unknown>;
  for (const segment of parentPath) parent = parent[segment] as Record<string | number, unknown>;
  const next = change(parent[last]);
  if (next === undefined) {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  } else parent[last] = next;
  return root;
}

/** A valid body with one to three parts broken: replaced by garbage, removed, wrapped, NUL-ed, nested. */
export function mutatedSeed(world: FuzzWorld): fc.Arbitrary<unknown> {
  if (!world.seeds.length) return fc.constant({});
  const mutation = fc.record({
    at: fc.nat(),
    op: fc.constantFrom('replace', 'replace', 'replace', 'delete', 'wrap', 'nul', 'deep', 'extra') as fc.Arbitrary<Mutation['op']>,
    value: garbageJson(Object.keys(world.values)),
    number: nastyNumber,
    text: nastyText,
    sameType: fc.boolean(),
  });
  return fc
    .tuple(fc.constantFrom(...world.seeds), fc.array(mutation, { minLength: 1, maxLength: 3 }))
    .map(([seed, mutations]) => mutations.reduce<unknown>((value, m) => applyMutation(value, m), copy(seed)));
}

/** Edge values of a field's own type and of the wrong types, for the deterministic sweep. */
export function edgeValuesFor(original: unknown): unknown[] {
  const wrongTypes = [null, true, [], {}, [original], { value: original }];
  if (typeof original === 'number') {
    return [0, -1, 1.5, 2 ** 31 - 1, 2 ** 31, -(2 ** 31) - 1, 2 ** 32, 2 ** 53, ...RAW_NUMBERS.slice(0, 4), RAW_NUMBERS[7], String(original), ...wrongTypes];
  }
  if (typeof original === 'string') {
    return ['', ' ', '\u0000', `${original}\u0000`, '\ud800', '\u202e\u200b', 'a'.repeat(10_000), original.toUpperCase(), `${original} `, 0, -1, ...wrongTypes];
  }
  if (typeof original === 'boolean') return ['true', 0, 1, ...wrongTypes];
  return [...wrongTypes, '', '\u0000', 0, new Deep(500, '[', null)];
}

/** A seed with one top-level field set to each of its edge values, and with each field removed. */
export function edgeVariants(seed: Record<string, unknown>): Record<string, unknown>[] {
  const variants: Record<string, unknown>[] = [];
  for (const key of Object.keys(seed)) {
    for (const value of edgeValuesFor(seed[key])) variants.push({ ...seed, [key]: value });
    const { [key]: _removed, ...rest } = seed;
    variants.push(rest);
  }
  // Extra fields: an own "__proto__" (a computed key is a plain property), and a NUL key.
  variants.push({ ...seed, ['__proto__']: { polluted: true }, ['\u0000']: 1 });
  return variants;
}

// ---------------------------------------------------------------------------------------------
// Requests.

export type BodySpec =
  | { kind: 'none' }
  | { kind: 'json'; value: unknown }
  | { kind: 'text'; text: string }
  /** A JSON body of about `bytes` bytes; `stream` sends it without a Content-Length. */
  | { kind: 'oversized'; bytes: number; stream: boolean };

export interface FuzzRequest {
  params: Record<string, string>;
  query: string;
  body: BodySpec;
  contentType: string | null;
  headers: Record<string, string>;
}

const RAW_BODIES = [
  '', ' ', '{', '{"a":', '[1,]', '{"a":1}garbage', '\ufeff{"name":"x"}', 'null', 'true', '"text"', '0', '1e309',
  '\u0000', '{"name":"a\u0000b"}', '{"a":1,"a":2}', 'NaN', '{name:1}', "{'name':'x'}", '--boundary\r\n\r\n--boundary--',
  'name=x&role=admin', '<?xml version="1.0"?><a/>', '{"__proto__":{"admin":true}}',
];

/** A body a route accepted (learned by the test), with some fields swapped for other accepted values. */
function variedSeed(world: FuzzWorld, seeds: readonly Record<string, unknown>[]): fc.Arbitrary<unknown> {
  return fc.constantFrom(...seeds).chain((seed) => {
    const keys = Object.keys(seed);
    const swaps = keys.map((key) => (world.values[key]?.length ? fc.option(fc.constantFrom(...world.values[key]), { nil: undefined }) : fc.constant(undefined)));
    return fc.tuple(...swaps).map((values) => Object.fromEntries(keys.map((key, i) => [key, values[i] === undefined ? seed[key] : values[i]])));
  });
}

/** Request bodies; `routeSeeds` are bodies this route accepted, to vary and to break one part of. */
export function bodySpec(world: FuzzWorld, routeSeeds: readonly Record<string, unknown>[] = []): fc.Arbitrary<BodySpec> {
  const names = Object.keys(world.values);
  const own = routeSeeds.length ? { ...world, seeds: routeSeeds } : world;
  const json = fc.oneof(
    ...(routeSeeds.length ? [{ weight: 3, arbitrary: variedSeed(world, routeSeeds) }] : []),
    { weight: 4, arbitrary: mutatedSeed(own) },
    { weight: 3, arbitrary: fieldsObject(world) },
    { weight: 1, arbitrary: mutatedSeed(world) },
    { weight: 2, arbitrary: garbageJson(names) },
    { weight: 1, arbitrary: deepJson(garbageJson(names)) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...names), deepJson(leaf)).map(([name, deep]) => ({ [name]: deep })) },
  );
  return fc.oneof(
    { weight: 14, arbitrary: json.map((value) => ({ kind: 'json' as const, value })) },
    { weight: 2, arbitrary: fc.constant({ kind: 'none' as const }) },
    { weight: 2, arbitrary: fc.oneof(fc.constantFrom(...RAW_BODIES), nastyText).map((text) => ({ kind: 'text' as const, text })) },
    {
      weight: 1,
      arbitrary: fc
        .record({ bytes: fc.constantFrom(64 * 1024 + 1, 1024 * 1024 + 1, 3 * 1024 * 1024), stream: fc.boolean() })
        .map((o) => ({ kind: 'oversized' as const, ...o })),
    },
  );
}

export const contentTypes: fc.Arbitrary<string | null> = fc.oneof(
  { weight: 12, arbitrary: fc.constant('application/json') },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      null, 'text/plain', 'text/plain;charset=UTF-8', 'multipart/form-data; boundary=boundary', 'application/x-www-form-urlencoded',
      'application/json; charset=utf-16', 'APPLICATION/JSON', 'application/merge-patch+json', 'application/jsonx', 'text/html, application/json',
      'application/octet-stream', '', ';;;', 'application/json\u0000',
    ),
  },
);

/** Query strings: known keys with accepted or nasty values, repeated keys, and broken escapes; `seeds` are queries the route accepted. */
export function queryString(world: FuzzWorld, seeds: readonly Record<string, unknown>[] = []): fc.Arbitrary<string> {
  const names = Object.keys(world.values);
  const asText = (v: unknown) => (typeof v === 'string' ? v : v instanceof RawNumber ? v.text : jsonText(v));
  const value = (name: string) =>
    fc.oneof(
      { weight: 4, arbitrary: fieldValue(world, name, nastyText).map(asText) },
      { weight: 2, arbitrary: nastyNumber.map(asText) },
    );
  const pair = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...names).chain((name) => value(name).map((v) => [name, v] as [string, string])) },
    { weight: 1, arbitrary: fc.tuple(nastyText, nastyText) },
  );
  const seeded = seeds.length
    ? [
        {
          weight: 6,
          arbitrary: fc
            .tuple(variedSeed(world, seeds), fc.array(pair, { maxLength: 2 }))
            .map(([seed, extra]) => new URLSearchParams([...Object.entries(seed as Record<string, unknown>).map(([k, v]) => [k, asText(v)]), ...extra]).toString()),
        },
      ]
    : [];
  return fc.oneof(
    ...seeded,
    { weight: 8, arbitrary: fc.array(pair, { maxLength: 5 }).map((pairs) => new URLSearchParams(pairs).toString()) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('%', '%zz', '%00', 'page=%ED%A0%80', '&&&', '=x', 'page=1&page=2', 'a[b]=1', ';', '??', 'q=%F0%9F', 'page=%2B1'),
    },
  );
}

const GENERIC_PARAMS = [
  '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '..', '.', '%00', '\u0000', '', ' ',
  '1', '-1', '9'.repeat(40), '__proto__', 'constructor', 'a'.repeat(5000), '../../etc/passwd', 'x;drop table x',
];

/** One value per dynamic segment: mostly the caller's own ids, sometimes another workspace's, or junk. */
export function pathParams(world: FuzzWorld, names: readonly string[]): fc.Arbitrary<Record<string, string>> {
  const one = (name: string): fc.Arbitrary<string> => {
    const known = world.params[name] ?? { home: [], other: [] };
    const junk = fc.oneof(fc.constantFrom(...GENERIC_PARAMS), fc.uuid(), nastyText);
    const mangled = known.home.length
      ? fc.constantFrom(...known.home).chain((id) => fc.constantFrom(`${id}\u0000`, id.toUpperCase(), ` ${id}`, `${id}/..`, id.slice(0, -1), `${id}x`))
      : junk;
    return fc.oneof(
      ...(known.home.length ? [{ weight: 24, arbitrary: fc.constantFrom(...known.home) }] : []),
      ...(known.other.length ? [{ weight: 4, arbitrary: fc.constantFrom(...known.other) }] : []),
      { weight: 2, arbitrary: junk },
      { weight: 1, arbitrary: mangled },
    );
  };
  return fc.tuple(...names.map(one)).map((values) => Object.fromEntries(names.map((n, i) => [n, values[i]])));
}

/**
 * Headers a client might add: mostly none or a same-site Origin; sometimes a cross-site or malformed
 * Origin, a forged forwarding chain, a workspace named by header (the public API), a bogus bearer
 * key, an idempotency key.
 */
export function extraHeaders(world: FuzzWorld): fc.Arbitrary<Record<string, string>> {
  const workspaces = world.params.workspaceId ?? { home: [], other: [] };
  const headerSafe = (text: string) => text.replace(/[^\x20-\x7e]/g, '');
  return fc.oneof(
    { weight: 4, arbitrary: fc.constant({}) },
    { weight: 2, arbitrary: fc.constant({ origin: 'http://hub.test' }) },
    ...(workspaces.home.length ? [{ weight: 3, arbitrary: fc.constantFrom(...workspaces.home).map((id) => ({ 'x-workspace-id': id })) }] : []),
    // What a streamable HTTP (MCP) client accepts.
    { weight: 2, arbitrary: fc.constant({ accept: 'application/json, text/event-stream' }) },
    {
      weight: 3,
      arbitrary: fc.record(
        {
          origin: fc.constantFrom('http://hub.test', 'https://evil.test', 'null', ':::', 'http://hub.test.evil.test'),
          'x-forwarded-for': fc.constantFrom('203.0.113.7', 'not-an-ip', '1.1.1.1, 2.2.2.2', '::1', '999.999.999.999'),
          'x-forwarded-host': fc.constantFrom('evil.test', 'hub.test'),
          accept: fc.constantFrom('text/html', '*/*', 'application/json', 'application/json, text/event-stream', 'text/event-stream'),
          'x-workspace-id': fc.oneof(
            { weight: 4, arbitrary: fc.constantFrom(...workspaces.home, ...workspaces.other, 'not-a-uuid') },
            { weight: 1, arbitrary: nastyText.map(headerSafe) },
          ),
          authorization: fc.oneof(
            fc.constantFrom('Bearer ', 'Bearer ihk_', 'Bearer ihk_0000000000000000000000000000000000000000', 'Basic Zm9vOmJhcg==', 'Bearer a b c'),
            nastyText.map((t) => `Bearer ${headerSafe(t)}`),
          ),
          'idempotency-key': fc.oneof(fc.uuid(), nastyText.map(headerSafe)),
        },
        { requiredKeys: [] },
      ),
    },
  );
}

export function fuzzRequest(
  world: FuzzWorld,
  paramNames: readonly string[],
  withBody: boolean,
  routeSeeds: readonly Record<string, unknown>[] = [],
  querySeeds: readonly Record<string, unknown>[] = [],
): fc.Arbitrary<FuzzRequest> {
  return fc.record({
    params: pathParams(world, paramNames),
    query: queryString(world, querySeeds),
    body: withBody ? bodySpec(world, routeSeeds) : fc.constant<BodySpec>({ kind: 'none' }),
    contentType: contentTypes,
    headers: extraHeaders(world),
  });
}

/** The body bytes (or stream) of a spec. */
export function materializeBody(body: BodySpec): BodyInit | undefined {
  switch (body.kind) {
    case 'none':
      return undefined;
    case 'json':
      return jsonText(body.value);
    case 'text':
      return body.text;
    case 'oversized': {
      const text = `{"name":"${'a'.repeat(Math.max(0, body.bytes - 11))}"}`;
      if (!body.stream) return text;
      const bytes = new TextEncoder().encode(text);
      return new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < bytes.length; i += 16 * 1024) controller.enqueue(bytes.subarray(i, i + 16 * 1024));
          controller.close();
        },
      });
    }
  }
}

/** A short description of a request for failure messages (bodies cut to a readable length). */
export function describeRequest(method: string, url: string, request: FuzzRequest, identity: string): string {
  const body =
    request.body.kind === 'oversized'
      ? `<${request.body.bytes} bytes${request.body.stream ? ', streamed' : ''}>`
      : request.body.kind === 'none'
        ? '<none>'
        : JSON.stringify(request.body.kind === 'json' ? jsonText(request.body.value) : request.body.text);
  const cut = body.length > 400 ? `${body.slice(0, 400)}… (${body.length} chars)` : body;
  return `${method} ${url.length > 300 ? `${url.slice(0, 300)}…` : url} as ${identity}; params ${JSON.stringify(request.params).slice(0, 300)}; content-type ${JSON.stringify(request.contentType)}; headers ${JSON.stringify(request.headers)}; body ${cut}`;
}
