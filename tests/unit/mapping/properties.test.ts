// Property tests: for random valid mappings and arbitrary input (JSON or not), applyMapping returns
// without throwing, writes only model fields whose values satisfy the model's own schema, and
// never touches a prototype. fast-check's time limit is a hang detector, not a speed assertion.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { applyMapping, compileMapping, MODEL_NAMES, MODEL_SCHEMAS, modelFields, parseMapping, type MappingDefinition, type ModelField } from '@/lib/mapping';

type Json = Record<string, unknown>;

const NAMES = ['a', 'b', 'email', 'name', 'items', 'start', '0', 'phone', 'date', 'x_y'] as const;
const name = fc.constantFrom(...NAMES);
const path = fc
  .array(fc.oneof(name.map((n) => ({ n })), fc.integer({ min: 0, max: 3 }).map((i) => ({ i }))), { minLength: 1, maxLength: 4 })
  .map((segments) => segments.map((s, k) => ('n' in s ? (k === 0 ? s.n : `.${s.n}`) : `[${s.i}]`)).join(''));
const paths = fc.array(path, { minLength: 1, maxLength: 3 });
const scalar = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean());
const zone = fc.constantFrom('UTC', 'Europe/London', 'America/New_York', 'Asia/Kolkata', 'Pacific/Chatham');
const safePattern = fc.constantFrom('^[a-z]+$', '\\d+', '^\\+?[0-9 ]{7,20}$', '@', '^a.*b', '[A-Z]{2}\\d{2}', '\\s+');

const transform: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom('trim', 'lower', 'upper', 'normaliseEmail').map((op) => ({ op })),
  fc.constantFrom('first', 'last').map((part) => ({ op: 'splitName', part })),
  fc.string({ maxLength: 3 }).map((separator) => ({ op: 'join', separator })),
  fc.record({ paths, separator: fc.string({ maxLength: 3 }) }).map((args) => ({ op: 'concat', ...args })),
  fc.record({ find: fc.string({ minLength: 1, maxLength: 4 }), with: fc.string({ maxLength: 4 }), ignoreCase: fc.boolean(), all: fc.boolean() }).map((a) => ({ op: 'replace', ...a })),
  fc.record({ find: safePattern, with: fc.constantFrom('', '-', '$&'), ignoreCase: fc.boolean() }).map((a) => ({ op: 'replace', regex: true, ...a })),
  scalar.map((value) => ({ op: 'default', value })),
  fc
    .record({ table: fc.dictionary(fc.string({ maxLength: 6 }).filter((k) => !['__proto__', 'constructor', 'prototype'].includes(k)), scalar, { maxKeys: 5 }), ignoreCase: fc.boolean() }, { requiredKeys: ['table'] })
    .chain((a) => fc.option(scalar, { nil: undefined }).map((fallback) => ({ op: 'mapValues', ...a, ...(fallback === undefined ? {} : { fallback }) }))),
  fc.constantFrom('.', ',').map((decimalSeparator) => ({ op: 'toNumber', decimalSeparator })),
  fc.constant({ op: 'toBoolean' }),
  fc.record({ format: fc.constantFrom('iso', 'epochMs', 'epochSeconds', 'yyyy-MM-dd', 'dd.MM.yyyy HH:mm', 'M/d/yyyy'), timeZone: zone }, { requiredKeys: ['format'] }).map((a) => ({ op: 'parseDate', ...a })),
  fc.oneof(
    fc.constantFrom('iso', 'date').map((style) => ({ op: 'formatDate', style })),
    fc.record({ style: fc.constantFrom('iso', 'date', 'zoned'), timeZone: zone }).map((a) => ({ op: 'formatDate', ...a })),
  ),
  fc.oneof(fc.integer({ min: -10_000, max: 10_000 }).map((minutes) => ({ op: 'addMinutes', minutes })), path.map((p) => ({ op: 'addMinutes', path: p }))),
  fc.option(fc.constantFrom('GB', 'US', 'DE', 'IN'), { nil: undefined }).map((c) => ({ op: 'phoneE164', ...(c ? { defaultCountry: c } : {}) })),
  fc.oneof(
    fc.oneof(fc.constantFrom('first', 'last'), fc.integer({ min: -3, max: 3 })).map((item) => ({ op: 'pick', item })),
    fc.record({ path, equals: scalar }).map((where) => ({ op: 'pick', where })),
  ),
  path.map((p) => ({ op: 'get', path: p })),
  path.map((p) => ({ op: 'pluck', path: p })),
  paths.map((p) => ({ op: 'coalesce', paths: p })),
);

function validation(field: ModelField): fc.Arbitrary<Json> {
  const common: fc.Arbitrary<Json>[] = [
    fc.constant({ rule: 'required' }),
    fc.constantFrom('string', 'number', 'boolean', 'date', 'datetime', 'email', 'phone', 'integer', 'string[]').map((type) => ({ rule: 'type', type })),
    fc.constant({ rule: 'email' }),
    fc.constant({ rule: 'phone', defaultCountry: 'GB' }),
    safePattern.map((pattern) => ({ rule: 'regex', pattern })),
    fc.array(scalar, { minLength: 1, maxLength: 4 }).map((values) => ({ rule: 'enum', values })),
  ];
  const bound: fc.Arbitrary<number | string> | undefined = ['number', 'integer'].includes(field.type)
    ? fc.integer({ min: -100, max: 100 })
    : ['string', 'email', 'phone', 'string[]'].includes(field.type)
      ? fc.nat(40)
      : ['date', 'datetime'].includes(field.type)
        ? fc.constantFrom('2020-01-01', '2030-12-31T23:59:59Z')
        : undefined;
  if (bound) common.push(fc.record({ rule: fc.constantFrom('min', 'max'), value: bound }));
  return fc.oneof(...common);
}

const source: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: path },
  { weight: 1, arbitrary: paths.map((p) => ({ coalesce: p })) },
  { weight: 1, arbitrary: fc.record({ concat: paths, separator: fc.string({ maxLength: 2 }) }) },
  { weight: 1, arbitrary: scalar.map((value) => ({ const: value })) },
);

const row = (field: ModelField, id: number): fc.Arbitrary<Json> =>
  fc
    .record(
      {
        source,
        transforms: fc.array(transform, { maxLength: 4 }),
        validations: fc.array(validation(field), { maxLength: 2 }),
        default: scalar,
      },
      { requiredKeys: ['source'] },
    )
    .map((r) => ({ id: `r${id}`, target: field.name, ...r }));

const mapping: fc.Arbitrary<MappingDefinition> = fc
  .constantFrom(...MODEL_NAMES)
  .chain((model) =>
    fc
      .shuffledSubarray(modelFields(model), { minLength: 1, maxLength: 8 })
      .chain((fields) => fc.tuple(...fields.map((f, i) => row(f, i))))
      .map((rows) => ({ version: 1, model, rows }) as MappingDefinition),
  );

const leaf = fc.oneof(
  scalar,
  fc.constant(null),
  fc.constantFrom('+44 7700 900123', '07700 900123', 'ada@example.com', '2026-07-01T10:00:00Z', '2026-07-01', '01.07.2026 10:00', '1767225600000', 'Yes', '1,250.50'),
  fc.constant('x'.repeat(50_000)),
  fc.constant(`${'a'.repeat(1000)}!`),
);
const keyed = fc.constantFrom(...NAMES, '__proto__', 'constructor', 'prototype', 'toString');
const structured = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', maxDepth: 4 }, leaf, tie('array'), tie('object')),
  array: fc.array(tie('node'), { maxLength: 4 }),
  object: fc.dictionary(keyed, tie('node'), { maxKeys: 6 }),
})).object;

// Records as the sync stores them (JSON), deliberately odd JSON, and values JSON cannot express.
const record = fc.oneof(
  structured,
  structured.map((r) => JSON.parse(JSON.stringify(r)) as unknown),
  fc.jsonValue(),
  fc.anything({ withNullPrototype: true, withBoxedValues: true, withSparseArray: true, withMap: true, withSet: true, withDate: true, withTypedArray: true }),
);

const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();
const polluted = () => ({}) as Record<string, unknown>;

function checkResult(definition: MappingDefinition, result: ReturnType<typeof applyMapping>) {
  expect(Object.getPrototypeOf(result.output)).toBe(Object.prototype);
  const schema = MODEL_SCHEMAS[definition.model];
  const fields = schema.shape as Record<string, { safeParse(v: unknown): { success: boolean } }>;
  for (const [key, value] of Object.entries(result.output)) {
    expect(Object.hasOwn(fields, key)).toBe(true);
    expect(fields[key].safeParse(value).success).toBe(true);
  }
  expect(Array.isArray(result.errors)).toBe(true);
  for (const error of result.errors) {
    expect(typeof error.target).toBe('string');
    expect(typeof error.code).toBe('string');
    expect(typeof error.message).toBe('string');
    expect(error.message.length).toBeLessThan(1000);
  }
}

const guard = { interruptAfterTimeLimit: 60_000, markInterruptAsFailure: true } as const;

describe('applyMapping on random mappings and arbitrary records', () => {
  it('random mappings built from the language parse', () => {
    fc.assert(
      fc.property(mapping, (definition) => {
        const parsed = parseMapping(definition);
        expect(parsed.ok ? [] : parsed.issues).toEqual([]);
      }),
      { numRuns: 300, ...guard },
    );
  });

  it('never throws, writes only valid model values, and leaves prototypes alone', () => {
    fc.assert(
      fc.property(mapping, fc.array(record, { minLength: 1, maxLength: 5 }), (definition, records) => {
        const compiled = compileMapping(definition);
        for (const input of records) checkResult(definition, applyMapping(compiled, input));
        expect(polluted().polluted).toBeUndefined();
      }),
      { numRuns: 400, ...guard },
    );
  });

  it('JSON records with prototype keys from JSON.parse are read as plain data', () => {
    const text = '{"__proto__": {"polluted": true, "email": "x@example.com"}, "constructor": {"prototype": {"polluted": true}}, "a": {"__proto__": []}, "email": "ada@example.com"}';
    fc.assert(
      fc.property(mapping, (definition) => {
        const result = applyMapping(compileMapping(definition), JSON.parse(text));
        checkResult(definition, result);
      }),
      { numRuns: 200, ...guard },
    );
  });

  afterAll(() => {
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
    expect(polluted().polluted).toBeUndefined();
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  });
});
