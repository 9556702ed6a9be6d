// parseMapping: the save-time gate. Every bad argument is refused with a readable message at the
// path where it sits, and the size limits hold.
import { describe, expect, it } from 'vitest';
import { LIMITS, parseMapping, TRANSFORM_OPS, VALIDATION_RULES } from '@/lib/mapping';

type Json = Record<string, unknown>;

const mapping = (rows: Json[], model = 'Contact'): Json => ({ version: 1, model, rows });
const row = (extra: Json = {}): Json => ({ id: 'r', target: 'notes', source: 'a', ...extra });

function issuesOf(input: unknown) {
  const result = parseMapping(input);
  if (result.ok) throw new Error('expected the mapping to be refused');
  return result.issues;
}

function expectIssue(input: unknown, path: string, message: RegExp) {
  const issues = issuesOf(input);
  expect(issues).toContainEqual({ path, message: expect.stringMatching(message) });
}

describe('parseMapping: the document', () => {
  it('accepts a minimal mapping and fills in defaults', () => {
    const result = parseMapping(mapping([row()]));
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.mapping.rows[0]).toEqual({ id: 'r', target: 'notes', source: 'a', transforms: [], validations: [] });
  });

  it('accepts JSON text as well as parsed JSON, and refuses text that is not JSON', () => {
    expect(parseMapping(JSON.stringify(mapping([row()]))).ok).toBe(true);
    expect(issuesOf('{"version": 1,')).toEqual([{ path: '', message: 'mapping is not valid JSON' }]);
    expect(issuesOf(`"${'x'.repeat(600_000)}"`)[0].message).toMatch(/larger than/);
  });

  it.each([
    [{ model: 'Contact', rows: [] }, 'version', /version must be 1/],
    [{ version: 2, model: 'Contact', rows: [] }, 'version', /version must be 1/],
    [{ version: 1, model: 'Invoice', rows: [] }, 'model', /model must be one of Contact, Appointment, Deal, Company/],
    [{ version: 1, model: 'Contact', rows: {} }, 'rows', /expected array/],
    [{ version: 1, model: 'Contact', rows: [], extra: true }, '', /Unrecognized key: "extra"/],
  ])('refuses a malformed document %#', (input, path, message) => expectIssue(input, path, message));

  it('refuses unknown targets, duplicate targets and duplicate row ids, naming the row', () => {
    const issues = issuesOf(
      mapping([
        { id: 'a', target: 'email', source: 'x' },
        { id: 'a', target: 'email', source: 'y' },
        { id: 'c', target: 'shoeSize', source: 'z' },
      ]),
    );
    expect(issues).toEqual([
      { path: 'rows[1].id', message: 'row id "a" is used twice' },
      { path: 'rows[1].target', message: '"email" is already mapped by row "a"' },
      { path: 'rows[2].target', message: expect.stringMatching(/^"shoeSize" is not a Contact field \(fields: externalId, firstName/) },
    ]);
  });

  it('reports problems across rows together with problems inside them', () => {
    const issues = issuesOf(mapping([{ id: 'a', target: 'nope', source: 'x', transforms: [{ op: 'trim', extra: 1 }] }]));
    expect(issues.map((i) => i.path)).toEqual(['rows[0].transforms[0]', 'rows[0].target']);
  });

  it('refuses prototype keys wherever a key is named', () => {
    expectIssue(mapping([row({ source: 'a.__proto__.b' })]), 'rows[0].source', /"__proto__" is not allowed in a path/);
    expectIssue(mapping([row({ source: { coalesce: ['a', 'constructor'] } })]), 'rows[0].source.coalesce[1]', /"constructor" is not allowed/);
    expectIssue(mapping([row({ source: { concat: ['prototype.x'] } })]), 'rows[0].source.concat[0]', /"prototype" is not allowed/);
    expectIssue(mapping([row({ target: '__proto__' })]), 'rows[0].target', /not allowed as a target field/);
    expectIssue(mapping([row({ target: 'constructor' })]), 'rows[0].target', /not allowed as a target field/);
    const table = JSON.parse('{"__proto__": "x", "ok": "y"}');
    expectIssue(mapping([row({ transforms: [{ op: 'mapValues', table }] })]), 'rows[0].transforms[0].table.__proto__', /"__proto__" is not allowed as a lookup key/);
    expectIssue(mapping([row({ transforms: [{ op: 'mapValues', table: { constructor: 'x' } }] })]), 'rows[0].transforms[0].table.constructor', /not allowed as a lookup key/);
    expectIssue(mapping([row({ transforms: [{ op: 'get', path: '__proto__' }] })]), 'rows[0].transforms[0].path', /not allowed in a path/);
    expectIssue(mapping([row({ transforms: [{ op: 'pick', where: { path: 'constructor', equals: 'x' } }] })]), 'rows[0].transforms[0].where.path', /not allowed/);
  });

  it('enforces the size limits', () => {
    const rows = Array.from({ length: LIMITS.rows + 1 }, (_, i) => ({ id: `r${i}`, target: 'notes', source: 'a' }));
    expectIssue(mapping(rows), 'rows', new RegExp(`at most ${LIMITS.rows} rows`));
    expectIssue(mapping([row({ transforms: Array.from({ length: LIMITS.transforms + 1 }, () => ({ op: 'trim' })) })]), 'rows[0].transforms', /at most 16 transforms/);
    expectIssue(mapping([row({ validations: Array.from({ length: LIMITS.validations + 1 }, () => ({ rule: 'email' })) })]), 'rows[0].validations', /at most 8 validations/);
    const table = Object.fromEntries(Array.from({ length: LIMITS.lookupEntries + 1 }, (_, i) => [`k${i}`, 'v']));
    expectIssue(mapping([row({ transforms: [{ op: 'mapValues', table }] })]), 'rows[0].transforms[0].table', /at most 500/);
    expectIssue(mapping([row({ transforms: [{ op: 'default', value: 'x'.repeat(LIMITS.stringArgument + 1) }] })]), 'rows[0].transforms[0].value', /at most 500 characters/);
    expectIssue(mapping([row({ source: { coalesce: Array.from({ length: LIMITS.sources + 1 }, () => 'a') } })]), 'rows[0].source.coalesce', /at most 10 paths/);
    expectIssue(mapping([row({ id: 'x'.repeat(LIMITS.rowId + 1) })]), 'rows[0].id', /.+/);
    expectIssue(mapping([row({ source: 'a'.repeat(LIMITS.pathLength + 1) })]), 'rows[0].source', /longer than 200/);
    expectIssue(mapping([row({ transforms: [{ op: 'join', separator: '-'.repeat(LIMITS.separator + 1) }] })]), 'rows[0].transforms[0].separator', /at most 20/);
  });

  it('refuses malformed sources', () => {
    expectIssue(mapping([row({ source: { coalesce: [] } })]), 'rows[0].source.coalesce', /at least one path/);
    expectIssue(mapping([row({ source: { coalesce: [1] } })]), 'rows[0].source.coalesce[0]', /expected string/);
    expectIssue(mapping([row({ source: { const: { nested: true } } })]), 'rows[0].source.const', /.+/);
    expectIssue(mapping([row({ source: 'a..b' })]), 'rows[0].source', /empty segment/);
  });
});

describe('parseMapping: transform arguments', () => {
  const bad = (transform: Json, path: string, message: RegExp) => expectIssue(mapping([row({ transforms: [transform] })]), `rows[0].transforms[0]${path}`, message);

  it('lists the whitelist when the op is unknown or missing', () => {
    bad({ op: 'eval', code: '1+1' }, '.op', /unknown transform "eval" \(one of: trim, lower/);
    bad({ value: 1 }, '.op', /missing "op"/);
    expect(TRANSFORM_OPS).toEqual(expect.arrayContaining(['trim', 'lower', 'upper', 'splitName', 'join', 'concat', 'replace', 'default', 'mapValues']));
    expect(TRANSFORM_OPS).toEqual(expect.arrayContaining(['toNumber', 'toBoolean', 'parseDate', 'formatDate', 'phoneE164', 'normaliseEmail', 'pick', 'coalesce']));
  });

  it('refuses unknown arguments (a typo is not silently ignored)', () => {
    bad({ op: 'parseDate', format: 'iso', timezone: 'Europe/London' }, '', /Unrecognized key: "timezone"/);
    bad({ op: 'trim', all: true }, '', /Unrecognized key/);
  });

  it.each([
    [{ op: 'splitName' }, '.part', /expected one of "first"\|"last"/],
    [{ op: 'splitName', part: 'middle' }, '.part', /expected one of/],
    [{ op: 'join', separator: 5 }, '.separator', /expected string/],
    [{ op: 'concat', paths: [] }, '.paths', /at least one path/],
    [{ op: 'concat', paths: ['a b'] }, '.paths[0]', /not a valid path segment/],
    [{ op: 'replace', find: '' }, '.find', /must not be empty/],
    [{ op: 'replace', find: '(a+)+', regex: true }, '.find', /nested quantifiers/],
    [{ op: 'replace', find: '(', regex: true }, '.find', /invalid regular expression/],
    [{ op: 'replace', find: 'a', with: 3 }, '.with', /expected string/],
    [{ op: 'default' }, '.value', /.+/],
    [{ op: 'default', value: null }, '.value', /.+/],
    [{ op: 'mapValues', table: 'x' }, '.table', /expected record/],
    [{ op: 'mapValues', table: { a: { b: 1 } } }, '.table.a', /.+/],
    [{ op: 'toNumber', decimalSeparator: ';' }, '.decimalSeparator', /expected one of/],
    [{ op: 'toBoolean', truthy: 'yes' }, '.truthy', /expected array/],
    [{ op: 'parseDate' }, '.format', /expected string/],
    [{ op: 'parseDate', format: 'yyyy-MM-dd', timeZone: 'Mars/Base' }, '.timeZone', /unknown time zone "Mars\/Base"/],
    [{ op: 'parseDate', format: 'YYYY-MM-DD' }, '.format', /unsupported "Y"/],
    [{ op: 'parseDate', format: 'dd/MM' }, '.format', /needs yyyy/],
    [{ op: 'parseDate', format: 'yyyy-MM-dd ss' }, '.format', /skips a time unit/],
    [{ op: 'parseDate', format: 'yyyy-MM-dd-dd' }, '.format', /names the day twice/],
    [{ op: 'parseDate', format: 'yyyyMd' }, '.format', /needs a separator/],
    [{ op: 'formatDate', style: 'local' }, '.style', /expected one of/],
    [{ op: 'formatDate', style: 'zoned' }, '.timeZone', /style "zoned" needs a timeZone/],
    [{ op: 'formatDate', style: 'date', timeZone: 'Europe/Londres' }, '.timeZone', /unknown time zone/],
    [{ op: 'addMinutes' }, '', /exactly one of minutes and path/],
    [{ op: 'addMinutes', minutes: 5, path: 'a' }, '', /exactly one of minutes and path/],
    [{ op: 'phoneE164', defaultCountry: 'UK' }, '.defaultCountry', /unknown country code "UK"/],
    [{ op: 'phoneE164', defaultCountry: 'gb' }, '.defaultCountry', /unknown country code/],
    [{ op: 'pick' }, '', /exactly one of item and where/],
    [{ op: 'pick', item: 'middle' }, '.item', /.+/],
    [{ op: 'pick', item: 1.5 }, '.item', /.+/],
    [{ op: 'pick', where: { path: 'type' } }, '.where.equals', /.+/],
    [{ op: 'get', path: '' }, '.path', /empty/],
    [{ op: 'pluck' }, '.path', /expected string/],
    [{ op: 'coalesce', paths: ['ok', 'a[x]'] }, '.paths[1]', /invalid index/],
  ])('refuses %j', (transform, path, message) => bad(transform, path, message));

  it('accepts every transform with good arguments', () => {
    const transforms = [
      { op: 'trim' },
      { op: 'lower' },
      { op: 'upper' },
      { op: 'normaliseEmail' },
      { op: 'splitName', part: 'last' },
      { op: 'join', separator: ', ' },
      { op: 'concat', paths: ['b', 'c[0]'], separator: ' ' },
      { op: 'replace', find: '^\\s+', with: '', regex: true },
      { op: 'replace', find: 'Ltd', with: 'Limited', ignoreCase: true, all: false },
      { op: 'default', value: 'n/a' },
      { op: 'mapValues', table: { a: 'b', '1': 2, yes: true }, fallback: 'other', ignoreCase: true },
      { op: 'toNumber', decimalSeparator: ',' },
      { op: 'toBoolean', truthy: ['ja'], falsy: ['nein'] },
      { op: 'parseDate', format: 'dd.MM.yyyy HH:mm', timeZone: 'Europe/Berlin' },
      { op: 'parseDate', format: 'epochSeconds' },
      { op: 'formatDate', style: 'zoned', timeZone: 'America/New_York' },
      { op: 'addMinutes', minutes: 30 },
      { op: 'phoneE164', defaultCountry: 'GB' },
      { op: 'pick', item: 'last' },
      { op: 'pick', where: { path: 'type', equals: 'work' } },
      { op: 'get', path: 'value' },
      { op: 'pluck', path: 'email' },
      { op: 'coalesce', paths: ['x', 'y'] },
    ];
    const rows = transforms.map((t, i) => ({ id: `r${i}`, target: 'notes', source: 'a', transforms: [t] }));
    for (const r of rows) expect(parseMapping(mapping([r])).ok).toBe(true);
  });
});

describe('parseMapping: validation arguments', () => {
  const bad = (validation: Json, path: string, message: RegExp, target = 'notes') =>
    expectIssue(mapping([row({ target, validations: [validation] })]), `rows[0].validations[0]${path}`, message);

  it('lists the rules when the rule is unknown', () => {
    bad({ rule: 'custom', fn: 'x => true' }, '.rule', /unknown validation "custom" \(one of: required, type, email, phone, regex, enum, min, max\)/);
    expect(VALIDATION_RULES).toEqual(['required', 'type', 'email', 'phone', 'regex', 'enum', 'min', 'max']);
  });

  it.each([
    [{ rule: 'required', message: 5 }, '.message', /expected string/, 'notes'],
    [{ rule: 'type', type: 'money' }, '.type', /expected one of/, 'notes'],
    [{ rule: 'type', type: 'enum' }, '.type', /expected one of/, 'notes'],
    [{ rule: 'phone', defaultCountry: 'XX' }, '.defaultCountry', /unknown country code/, 'notes'],
    [{ rule: 'regex', pattern: '(.*)*' }, '.pattern', /nested quantifiers/, 'notes'],
    [{ rule: 'regex', pattern: '(a)\\1' }, '.pattern', /backreferences/, 'notes'],
    [{ rule: 'regex', pattern: 'x'.repeat(201) }, '.pattern', /longer than 200/, 'notes'],
    [{ rule: 'regex' }, '.pattern', /expected string/, 'notes'],
    [{ rule: 'enum', values: [] }, '.values', /at least one value/, 'notes'],
    [{ rule: 'enum', values: [{}] }, '.values[0]', /.+/, 'notes'],
    [{ rule: 'min', value: 'ten' }, '.value', /length: give a whole number/, 'notes'],
    [{ rule: 'max', value: -1 }, '.value', /length: give a whole number/, 'notes'],
    [{ rule: 'min', value: '2026' }, '.value', /needs a number/, 'probability'],
    [{ rule: 'max', value: 'soon' }, '.value', /needs an ISO date/, 'closeDate'],
    [{ rule: 'min', value: 1 }, '.value', /does not apply to an enum field/, 'status'],
    [{ rule: 'max', value: { n: 1 } }, '.value', /.+/, 'notes'],
  ])('refuses %j', (validation, path, message, target) => {
    const model = ['probability', 'closeDate', 'status'].includes(target) ? 'Deal' : 'Contact';
    const base = model === 'Deal' ? { id: 'r', target, source: 'a' } : row({ target });
    expectIssue(mapping([{ ...base, validations: [validation] }], model), `rows[0].validations[0]${path}`, message);
  });

  it('accepts every validation with good arguments', () => {
    const deal = mapping(
      [
        { id: 'n', target: 'name', source: 'a', validations: [{ rule: 'required' }, { rule: 'min', value: 2 }, { rule: 'regex', pattern: '^[A-Z]', message: 'Capitalise' }] },
        { id: 'p', target: 'probability', source: 'b', validations: [{ rule: 'min', value: 0 }, { rule: 'max', value: 100 }, { rule: 'type', type: 'number' }] },
        { id: 'c', target: 'closeDate', source: 'c', validations: [{ rule: 'min', value: '2020-01-01' }, { rule: 'max', value: '2100-01-01T00:00:00Z' }] },
        { id: 's', target: 'stage', source: 'd', validations: [{ rule: 'enum', values: ['open', 'won'] }] },
      ],
      'Deal',
    );
    expect(parseMapping(deal).ok).toBe(true);
    const contact = mapping([
      { id: 'e', target: 'email', source: 'a', validations: [{ rule: 'email' }] },
      { id: 'p', target: 'phone', source: 'b', validations: [{ rule: 'phone', defaultCountry: 'GB' }] },
    ]);
    expect(parseMapping(contact).ok).toBe(true);
  });
});
