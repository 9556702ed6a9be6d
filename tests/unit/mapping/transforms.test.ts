// Every transform, on the values it is for and on the values it must leave alone.
import { describe, expect, it } from 'vitest';
import { transformSchema } from '@/lib/mapping/language';
import { LIMITS } from '@/lib/mapping/limits';
import { compileTransform } from '@/lib/mapping/transforms';
import { Failure } from '@/lib/mapping/values';

const run = (transform: Record<string, unknown>, value: unknown, record: unknown = {}) => compileTransform(transformSchema.parse(transform))(value, record);

function expectFailure(result: unknown, code: string, message?: RegExp) {
  expect(result).toBeInstanceOf(Failure);
  expect((result as Failure).code).toBe(code);
  if (message) expect((result as Failure).message).toMatch(message);
}

describe('text transforms', () => {
  it('trim, lower and upper work on text and on lists of text, and leave other values alone', () => {
    expect(run({ op: 'trim' }, '  Ada \n')).toBe('Ada');
    expect(run({ op: 'trim' }, [' a', 'b ', 3])).toEqual(['a', 'b', 3]);
    expect(run({ op: 'lower' }, 'ÀDA')).toBe('àda');
    expect(run({ op: 'upper' }, 'gbp')).toBe('GBP');
    for (const op of ['trim', 'lower', 'upper']) {
      expect(run({ op }, 42)).toBe(42);
      expect(run({ op }, null)).toBeNull();
      expect(run({ op }, undefined)).toBeUndefined();
      expect(run({ op }, { a: 1 })).toEqual({ a: 1 });
    }
  });

  it('normaliseEmail trims, unwraps mailto: and <…>, and lower-cases', () => {
    expect(run({ op: 'normaliseEmail' }, '  Ada.Lovelace@Example.COM ')).toBe('ada.lovelace@example.com');
    expect(run({ op: 'normaliseEmail' }, 'MAILTO:<Grace@Navy.mil>')).toBe('grace@navy.mil');
    expect(run({ op: 'normaliseEmail' }, ['A@B.CO', 'c@d.co'])).toEqual(['a@b.co', 'c@d.co']);
  });

  it('splitName picks the first or last part, understands "Last, First", and gives nothing for a missing part', () => {
    const first = { op: 'splitName', part: 'first' };
    const last = { op: 'splitName', part: 'last' };
    expect(run(first, 'Ada Lovelace')).toBe('Ada');
    expect(run(last, 'Ada Lovelace')).toBe('Lovelace');
    expect(run(first, '  Guido   van  Rossum ')).toBe('Guido');
    expect(run(last, '  Guido   van  Rossum ')).toBe('van Rossum');
    expect(run(first, 'Lovelace, Ada')).toBe('Ada');
    expect(run(last, 'Lovelace, Ada')).toBe('Lovelace');
    expect(run(first, 'Cher')).toBe('Cher');
    expect(run(last, 'Cher')).toBeUndefined();
    expect(run(first, '   ')).toBeUndefined();
    expect(run(first, null)).toBeNull();
  });

  it('join joins a list’s non-empty scalars (trimmed) and leaves text alone', () => {
    expect(run({ op: 'join', separator: ', ' }, ['a', '', null, ' b ', 3, true, { x: 1 }, ['y']])).toBe('a, b, 3, true');
    expect(run({ op: 'join' }, ['Ada', 'Lovelace'])).toBe('Ada Lovelace');
    expect(run({ op: 'join' }, [])).toBeUndefined();
    expect(run({ op: 'join' }, 'already text')).toBe('already text');
  });

  it('concat appends other fields of the record, skipping empty ones', () => {
    const record = { first: 'Ada', last: ' Lovelace ', middle: '', title: null, n: 7 };
    expect(run({ op: 'concat', paths: ['last'] }, 'Ada', record)).toBe('Ada Lovelace');
    expect(run({ op: 'concat', paths: ['middle', 'last', 'title', 'n'], separator: '|' }, 'Ada', record)).toBe('Ada|Lovelace|7');
    expect(run({ op: 'concat', paths: ['middle'] }, null, record)).toBeUndefined();
  });

  it('replace: literal text (no $ patterns), first or all occurrences, case-insensitively if asked', () => {
    expect(run({ op: 'replace', find: '-', with: '' }, '07700-900-123')).toBe('07700900123');
    expect(run({ op: 'replace', find: '-', with: '', all: false }, '07700-900-123')).toBe('07700900-123');
    expect(run({ op: 'replace', find: 'x', with: '$&$&' }, 'axb')).toBe('a$&$&b');
    expect(run({ op: 'replace', find: 'ltd.', with: 'Limited', ignoreCase: true }, 'Acme LTD. and Co ltd.')).toBe('Acme Limited and Co Limited');
    expect(run({ op: 'replace', find: '(', with: '[' }, 'f(x)')).toBe('f[x)');
  });

  it('replace: a guarded regex with capture groups, refused on text longer than the cap', () => {
    expect(run({ op: 'replace', find: '\\s+', with: ' ', regex: true }, 'a \t b\n\nc')).toBe('a b c');
    expect(run({ op: 'replace', find: '^(\\d{3})(\\d{4})$', with: '$1-$2', regex: true }, '5550123')).toBe('555-0123');
    expect(run({ op: 'replace', find: 'SQR', with: '', regex: true, ignoreCase: true, all: false }, 'sqr-SQR')).toBe('-SQR');
    expectFailure(run({ op: 'replace', find: 'a', with: 'b', regex: true }, 'a'.repeat(LIMITS.regexInput + 1)), 'too_long');
    expect(run({ op: 'replace', find: 'a', with: 'b' }, 'a'.repeat(LIMITS.regexInput + 1))).toBe('b'.repeat(LIMITS.regexInput + 1));
  });
});

describe('values', () => {
  it('default fills absent, null, empty text and empty lists, and nothing else', () => {
    const t = { op: 'default', value: 'n/a' };
    for (const empty of [undefined, null, '', []]) expect(run(t, empty)).toBe('n/a');
    for (const value of [0, false, 'x', ['y']]) expect(run(t, value)).toEqual(value);
  });

  it('mapValues looks values up, with fallback or pass-through, optionally ignoring case, item by item in lists', () => {
    const table = { lead: 'lead', marketingqualifiedlead: 'marketing_qualified', '1': 'one', true: 'yes' };
    expect(run({ op: 'mapValues', table }, 'marketingqualifiedlead')).toBe('marketing_qualified');
    expect(run({ op: 'mapValues', table }, 1)).toBe('one');
    expect(run({ op: 'mapValues', table }, true)).toBe('yes');
    expect(run({ op: 'mapValues', table }, 'custom-stage')).toBe('custom-stage');
    expect(run({ op: 'mapValues', table, fallback: 'other' }, 'custom-stage')).toBe('other');
    expect(run({ op: 'mapValues', table }, 'LEAD')).toBe('LEAD');
    expect(run({ op: 'mapValues', table, ignoreCase: true }, 'LEAD')).toBe('lead');
    expect(run({ op: 'mapValues', table, fallback: 'other' }, ['lead', 'x'])).toEqual(['lead', 'other']);
    expect(run({ op: 'mapValues', table, fallback: 'other' }, null)).toBeNull();
    expect(run({ op: 'mapValues', table: { toString: 'x' } }, 'hasOwnProperty')).toBe('hasOwnProperty');
  });

  it('toNumber reads plain and grouped numbers in either decimal convention', () => {
    expect(run({ op: 'toNumber' }, '1250.5')).toBe(1250.5);
    expect(run({ op: 'toNumber' }, ' 1,234,567.89 ')).toBe(1234567.89);
    expect(run({ op: 'toNumber' }, '-3e2')).toBe(-300);
    expect(run({ op: 'toNumber', decimalSeparator: ',' }, '1.234,50')).toBe(1234.5);
    expect(run({ op: 'toNumber', decimalSeparator: ',' }, "1'234,5")).toBe(1234.5);
    expect(run({ op: 'toNumber' }, 42)).toBe(42);
    expect(run({ op: 'toNumber' }, '')).toBe('');
    expect(run({ op: 'toNumber' }, null)).toBeNull();
    expectFailure(run({ op: 'toNumber' }, 'twelve'), 'number', /toNumber: "twelve" is not a number/);
    expectFailure(run({ op: 'toNumber' }, '1e999'), 'number');
    expectFailure(run({ op: 'toNumber' }, true), 'number');
  });

  it('toBoolean reads the usual words, numbers 1/0, and custom vocabularies', () => {
    for (const yes of ['true', 'Yes', ' y ', '1', 'ON', 1, true]) expect(run({ op: 'toBoolean' }, yes)).toBe(true);
    for (const no of ['false', 'NO', 'n', '0', 'off', 0, false]) expect(run({ op: 'toBoolean' }, no)).toBe(false);
    expect(run({ op: 'toBoolean', truthy: ['Ja'], falsy: ['Nein'] }, 'ja')).toBe(true);
    expect(run({ op: 'toBoolean', truthy: ['Ja'], falsy: ['Nein'] }, 'NEIN')).toBe(false);
    expectFailure(run({ op: 'toBoolean', truthy: ['Ja'], falsy: ['Nein'] }, 'yes'), 'boolean');
    expectFailure(run({ op: 'toBoolean' }, 'maybe'), 'boolean', /neither true nor false/);
    expect(run({ op: 'toBoolean' }, null)).toBeNull();
  });
});

describe('dates', () => {
  const parse = (format: string, value: unknown, timeZone?: string) => run({ op: 'parseDate', format, ...(timeZone ? { timeZone } : {}) }, value);

  it('parseDate iso: offsets win, wall times use the input zone (UTC by default), dates stay dates', () => {
    expect(parse('iso', '2026-07-01T10:00:00+02:00', 'Europe/London')).toBe('2026-07-01T08:00:00.000Z');
    expect(parse('iso', '2026-07-01T10:00:00', 'Europe/London')).toBe('2026-07-01T09:00:00.000Z');
    expect(parse('iso', '2026-01-15T10:00', 'Europe/London')).toBe('2026-01-15T10:00:00.000Z');
    expect(parse('iso', '2026-07-01T10:00:00')).toBe('2026-07-01T10:00:00.000Z');
    expect(parse('iso', '2026-11-01T10:00:00.000+0000')).toBe('2026-11-01T10:00:00.000Z');
    expect(parse('iso', '2026-11-01 10:00:00.123456Z')).toBe('2026-11-01T10:00:00.123Z');
    expect(parse('iso', ' 2026-07-01 ')).toBe('2026-07-01');
    expectFailure(parse('iso', '2026-13-01'), 'date', /does not match iso/);
    expectFailure(parse('iso', '2026-02-29'), 'date');
    expectFailure(parse('iso', 'yesterday'), 'date');
    expectFailure(parse('iso', 1767225600000), 'date');
    expect(parse('iso', null)).toBeNull();
  });

  it('parseDate epochMs and epochSeconds, from numbers or numeric text', () => {
    expect(parse('epochMs', 1767225600000)).toBe('2026-01-01T00:00:00.000Z');
    expect(parse('epochMs', '1767225600000')).toBe('2026-01-01T00:00:00.000Z');
    expect(parse('epochSeconds', 1767225600)).toBe('2026-01-01T00:00:00.000Z');
    expect(parse('epochSeconds', '1767225600.5')).toBe('2026-01-01T00:00:00.500Z');
    expectFailure(parse('epochMs', 'soon'), 'date');
    expectFailure(parse('epochSeconds', 1e20), 'date');
  });

  it('parseDate explicit patterns, with real-date checks and the input time zone', () => {
    expect(parse('dd.MM.yyyy', '31.12.2026')).toBe('2026-12-31');
    expect(parse('MM/dd/yyyy', '12/31/2026')).toBe('2026-12-31');
    expect(parse('M/d/yyyy', '1/5/2026')).toBe('2026-01-05');
    expect(parse('yyyy-MM-dd', '2026-02-28')).toBe('2026-02-28');
    expect(parse('dd.MM.yyyy HH:mm', '01.07.2026 10:00', 'Europe/Berlin')).toBe('2026-07-01T08:00:00.000Z');
    expect(parse('dd.MM.yyyy HH:mm', '15.01.2026 10:00', 'Europe/Berlin')).toBe('2026-01-15T09:00:00.000Z');
    expect(parse('yyyy-MM-dd HH:mm:ss.SSS', '2026-01-15 10:00:05.250')).toBe('2026-01-15T10:00:05.250Z');
    expectFailure(parse('dd.MM.yyyy', '31.02.2026'), 'date', /does not match dd\.MM\.yyyy/);
    expectFailure(parse('yyyy-MM-dd', '2026-1-05'), 'date');
    expectFailure(parse('yyyy-MM-dd', '2026-01-05 extra'), 'date');
    expectFailure(parse('dd.MM.yyyy HH:mm', '01.07.2026 24:00'), 'date');
  });

  it('formatDate: ISO UTC, calendar date in a zone, or the wall clock in a zone', () => {
    const format = (style: string, value: unknown, timeZone?: string) => run({ op: 'formatDate', style, ...(timeZone ? { timeZone } : {}) }, value);
    expect(format('iso', '2026-07-01T10:00:00+02:00')).toBe('2026-07-01T08:00:00.000Z');
    expect(format('iso', 1767225600000)).toBe('2026-01-01T00:00:00.000Z');
    expect(format('iso', '2026-07-01')).toBe('2026-07-01T00:00:00.000Z');
    expect(format('iso', '2026-07-01', 'Europe/London')).toBe('2026-06-30T23:00:00.000Z');
    expect(format('date', '2026-07-01T20:00:00Z')).toBe('2026-07-01');
    expect(format('date', '2026-07-01T20:00:00Z', 'Pacific/Auckland')).toBe('2026-07-02');
    expect(format('date', '2026-07-01')).toBe('2026-07-01');
    expect(format('zoned', '2026-07-01T20:00:00Z', 'America/New_York')).toBe('2026-07-01T16:00:00-04:00');
    expect(format('zoned', '2026-01-01T20:00:00Z', 'Asia/Kolkata')).toBe('2026-01-02T01:30:00+05:30');
    expectFailure(format('iso', 'not a date'), 'date', /formatDate/);
    expect(format('iso', undefined)).toBeUndefined();
  });

  it('addMinutes adds a fixed or a per-record duration; without a duration there is no result', () => {
    expect(run({ op: 'addMinutes', minutes: 90 }, '2026-07-01T10:00:00Z')).toBe('2026-07-01T11:30:00.000Z');
    expect(run({ op: 'addMinutes', minutes: -30 }, '2026-07-01')).toBe('2026-06-30T23:30:00.000Z');
    const record = { segments: [{ minutes: 45 }], text: '15', none: null };
    expect(run({ op: 'addMinutes', path: 'segments[0].minutes' }, '2026-07-01T10:00:00Z', record)).toBe('2026-07-01T10:45:00.000Z');
    expect(run({ op: 'addMinutes', path: 'text' }, '2026-07-01T10:00:00Z', record)).toBe('2026-07-01T10:15:00.000Z');
    expect(run({ op: 'addMinutes', path: 'none' }, '2026-07-01T10:00:00Z', record)).toBeUndefined();
    expectFailure(run({ op: 'addMinutes', minutes: 5 }, 'later'), 'date');
  });
});

describe('phones', () => {
  it('phoneE164 keeps international numbers, reads national ones with the default country, refuses the rest', () => {
    expect(run({ op: 'phoneE164' }, '+44 7700 900123')).toBe('+447700900123');
    expect(run({ op: 'phoneE164' }, '+447700900123')).toBe('+447700900123');
    expect(run({ op: 'phoneE164' }, '+44 (0) 7700 900123')).toBe('+447700900123');
    expect(run({ op: 'phoneE164', defaultCountry: 'GB' }, '07700 900123')).toBe('+447700900123');
    expect(run({ op: 'phoneE164', defaultCountry: 'US' }, '(415) 555-0123')).toBe('+14155550123');
    expect(run({ op: 'phoneE164', defaultCountry: 'DE' }, '030 1234567')).toBe('+49301234567');
    expectFailure(run({ op: 'phoneE164' }, '07700 900123'), 'phone', /is not a phone number/);
    expectFailure(run({ op: 'phoneE164', defaultCountry: 'GB' }, 'call me'), 'phone', /default country GB/);
    expectFailure(run({ op: 'phoneE164', defaultCountry: 'GB' }, '+44 12'), 'phone');
    expectFailure(run({ op: 'phoneE164', defaultCountry: 'GB' }, { number: '1' }), 'phone');
    expect(run({ op: 'phoneE164', defaultCountry: 'GB' }, 7700900123)).toBe('+447700900123');
    expect(run({ op: 'phoneE164' }, null)).toBeNull();
  });
});

describe('structure', () => {
  const attendees = [
    { email: 'a@example.com', responseStatus: 'accepted', rank: 1 },
    { email: 'b@example.com', responseStatus: 'declined', rank: 2 },
    { responseStatus: 'tentative' },
  ];

  it('pick takes the first, last, nth (negative from the end) or first matching item', () => {
    expect(run({ op: 'pick', item: 'first' }, attendees)).toBe(attendees[0]);
    expect(run({ op: 'pick', item: 'last' }, attendees)).toBe(attendees[2]);
    expect(run({ op: 'pick', item: 1 }, attendees)).toBe(attendees[1]);
    expect(run({ op: 'pick', item: -2 }, attendees)).toBe(attendees[1]);
    expect(run({ op: 'pick', item: 9 }, attendees)).toBeUndefined();
    expect(run({ op: 'pick', where: { path: 'responseStatus', equals: 'declined' } }, attendees)).toBe(attendees[1]);
    expect(run({ op: 'pick', where: { path: 'rank', equals: '1' } }, attendees)).toBe(attendees[0]);
    expect(run({ op: 'pick', where: { path: 'responseStatus', equals: 'none' } }, attendees)).toBeUndefined();
    expect(run({ op: 'pick', item: 'first' }, 'single')).toBe('single');
    expect(run({ op: 'pick', item: 2 }, 'single')).toBeUndefined();
  });

  it('get reads inside the current value; pluck reads inside every item', () => {
    expect(run({ op: 'get', path: 'email' }, attendees[0])).toBe('a@example.com');
    expect(run({ op: 'get', path: 'email' }, 'text')).toBeUndefined();
    expect(run({ op: 'pluck', path: 'email' }, attendees)).toEqual(['a@example.com', 'b@example.com']);
    expect(run({ op: 'pluck', path: 'email' }, attendees[1])).toBe('b@example.com');
    expect(run({ op: 'pluck', path: 'email' }, null)).toBeNull();
  });

  it('coalesce falls back to other fields of the record when the value is empty', () => {
    const record = { a: '', b: null, c: 'third', d: 'fourth' };
    expect(run({ op: 'coalesce', paths: ['a', 'b', 'c', 'd'] }, undefined, record)).toBe('third');
    expect(run({ op: 'coalesce', paths: ['c'] }, 'kept', record)).toBe('kept');
    expect(run({ op: 'coalesce', paths: ['a', 'b'] }, null, record)).toBeNull();
  });
});
