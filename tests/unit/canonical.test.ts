import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, contentHash } from '@/lib/sync/canonical';

describe('canonical JSON and content hash', () => {
  it('sorts keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}');
  });

  it('hashes equal content equally whatever the key order, and differently otherwise', () => {
    expect(contentHash({ id: '1', properties: { email: 'a@b.c', firstname: 'Ada' } })).toBe(
      contentHash({ properties: { firstname: 'Ada', email: 'a@b.c' }, id: '1' }),
    );
    expect(contentHash({ id: '1', n: 1 })).not.toBe(contentHash({ id: '1', n: '1' }));
    expect(contentHash([1, 2])).not.toBe(contentHash([2, 1]));
  });

  it('drops undefined members as JSON does', () => {
    expect(canonicalJson({ a: undefined, b: 2 })).toBe('{"b":2}');
  });
});

/** The definition, written the plain way: the fast path must agree with it on any JSON. */
function referenceCanonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(referenceCanonical).join(',')}]`;
  const object = value as Record<string, unknown>;
  const members = Object.keys(object)
    .sort()
    .filter((key) => object[key] !== undefined)
    .map((key) => `${JSON.stringify(key)}:${referenceCanonical(object[key])}`);
  return `{${members.join(',')}}`;
}

describe('canonical JSON agrees with its definition', () => {
  it('on keys JavaScript would reorder or treat specially', () => {
    const value = JSON.parse('{"b":1,"10":"ten","2":"two","a":{"__proto__":{"x":1},"1":true},"":0}');
    expect(canonicalJson(value)).toBe('{"":0,"10":"ten","2":"two","a":{"1":true,"__proto__":{"x":1}},"b":1}');
    expect(canonicalJson(value)).toBe(referenceCanonical(value));
  });

  it('on arbitrary JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(value)).toBe(referenceCanonical(value));
        // Parsing the canonical form and canonicalising again changes nothing.
        expect(canonicalJson(JSON.parse(canonicalJson(value)))).toBe(canonicalJson(value));
      }),
      { numRuns: 500 },
    );
  });

  it('on objects whose keys look like array indices', () => {
    const key = fc.oneof(fc.nat({ max: 20 }).map(String), fc.constantFrom('a', 'b', '__proto__', '01', '-1'));
    fc.assert(
      fc.property(fc.dictionary(key, fc.jsonValue({ maxDepth: 2 })), (value) => {
        expect(canonicalJson(value)).toBe(referenceCanonical(value));
      }),
    );
  });
});
