// Paths into provider records: the accepted syntax, the rejected one, and what a getter reads.
import { describe, expect, it } from 'vitest';
import { compileGetter, formatPath, parsePath, pathShape } from '@/lib/mapping/paths';
import { LIMITS } from '@/lib/mapping/limits';

const getter = (path: string) => {
  const parsed = parsePath(path);
  if (!parsed.ok) throw new Error(parsed.message);
  return compileGetter(parsed.segments);
};

describe('parsePath', () => {
  it.each([
    ['properties.firstname', 'properties.firstname'],
    ['attendees[0].email', 'attendees[0].email'],
    ['items.0.id', 'items[0].id'],
    ['appointment_segments[0].duration_minutes', 'appointment_segments[0].duration_minutes'],
    ['Custom_Field__c', 'Custom_Field__c'],
    ['[2].name', '[2].name'],
    ['a.b.c.d.e', 'a.b.c.d.e'],
    ['matrix[1][2]', 'matrix[1][2]'],
    ['données.prénom', 'données.prénom'],
  ])('accepts %s', (path, canonical) => {
    const parsed = parsePath(path);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(formatPath(parsed.segments)).toBe(canonical);
  });

  it.each([
    ['', /empty/],
    ['.a', /empty segment/],
    ['a.', /ends with/],
    ['a..b', /empty segment/],
    ['a[', /invalid index/],
    ['a[x]', /invalid index/],
    ['a[-1]', /invalid index/],
    ['a[01]', /invalid index/],
    ['a.[0]', /before "\["/],
    ['a[0]b', /needs "\."/],
    ['a b', /not a valid path segment/],
    ['a.b()', /not a valid path segment/],
    ['x'.repeat(LIMITS.pathLength + 1), /longer than/],
    [Array.from({ length: LIMITS.pathDepth + 1 }, () => 'a').join('.'), /deeper than/],
  ])('rejects %j', (path, message) => {
    const parsed = parsePath(path);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(message);
  });

  it.each(['__proto__', 'a.__proto__', 'constructor', 'a.constructor.prototype', 'x[0].prototype', 'a.__proto__.polluted'])(
    'rejects the prototype segment in %s',
    (path) => {
      const parsed = parsePath(path);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.message).toMatch(/is not allowed in a path/);
    },
  );

  it('normalises indices to [0] for the source picker', () => {
    expect(pathShape('attendees[3].email')).toBe('attendees[0].email');
    expect(pathShape('items.2.id')).toBe('items[0].id');
    expect(pathShape('a b')).toBeUndefined();
  });
});

describe('compiled getters', () => {
  const record = {
    id: 'r1',
    properties: { firstname: 'Ada', empty: null },
    attendees: [{ email: 'a@example.com' }, { email: 'b@example.com' }],
    nested: { a: { b: { c: { d: 'deep' } } } },
    numbered: { '0': 'zero' },
  };

  it('reads nested properties, array items by [n] and by .n, and object keys that look like indices', () => {
    expect(getter('properties.firstname')(record)).toBe('Ada');
    expect(getter('attendees[1].email')(record)).toBe('b@example.com');
    expect(getter('attendees.0.email')(record)).toBe('a@example.com');
    expect(getter('nested.a.b.c.d')(record)).toBe('deep');
    expect(getter('numbered.0')(record)).toBe('zero');
    expect(getter('properties.empty')(record)).toBeNull();
  });

  it('answers undefined for anything missing or of the wrong shape', () => {
    expect(getter('properties.lastname')(record)).toBeUndefined();
    expect(getter('attendees[5].email')(record)).toBeUndefined();
    expect(getter('id.length')(record)).toBeUndefined();
    expect(getter('attendees.length')(record)).toBeUndefined();
    expect(getter('a.b')(null)).toBeUndefined();
    expect(getter('a.b')('text')).toBeUndefined();
    expect(getter('a.b.c.d.e.f')(record)).toBeUndefined();
  });

  it('never returns inherited members (toString, hasOwnProperty, valueOf)', () => {
    expect(getter('toString')(record)).toBeUndefined();
    expect(getter('properties.hasOwnProperty')(record)).toBeUndefined();
    expect(getter('attendees[0].valueOf')(record)).toBeUndefined();
    expect(getter('toString')({ toString: 'own value' })).toBe('own value');
  });
});
