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
