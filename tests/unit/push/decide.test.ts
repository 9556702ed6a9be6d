// The push engine's pure decision (lib/push/decide.ts) and the mapping language targeting a
// destination's field list: a test-only destination schema, no database, no provider.
import { describe, expect, it } from 'vitest';
import { compileMapping, InvalidMappingError } from '@/lib/mapping/interpreter';
import { parseMapping, type MappingDefinition, type MappingTargets } from '@/lib/mapping/language';
import { decideBatch, decideRemovals, mapForPush, outputHash, Pacer, PACING_MARGIN, sourceIdOf, type PushState, type SourceRecord } from '@/lib/push/decide';

const TARGETS: MappingTargets = {
  describe: 'the test audience',
  fields: [
    { name: 'EMAIL', type: 'email', required: true },
    { name: 'FNAME', type: 'string' },
    { name: 'SCORE', type: 'integer' },
    { name: 'STAGE', type: 'enum', values: ['lead', 'customer'] },
    { name: 'ADDRESS', type: 'unknown' },
  ],
};

const MAPPING: MappingDefinition = {
  version: 1,
  model: 'Contact',
  rows: [
    { id: 'email', target: 'EMAIL', source: 'email', transforms: [{ op: 'lower' }] },
    { id: 'first', target: 'FNAME', source: 'firstName' },
    { id: 'stage', target: 'STAGE', source: 'lifecycleStage' },
    { id: 'address', target: 'ADDRESS', source: 'address' },
  ],
};

const compiled = compileMapping(MAPPING, TARGETS);
const record = (id: string, mapped: Record<string, unknown>): SourceRecord => ({ connectionId: 'c1', resource: 'contacts', externalId: id, mapped });
const decideAll = (records: SourceRecord[], states = new Map<string, PushState>(), owners = new Map<string, string>(), batchSize = 10) =>
  decideBatch({ records: records.map((r) => ({ record: r, mapped: mapForPush(compiled, 'EMAIL', r.mapped) })), states, owners, batchSize });

describe('mappings that target a field list', () => {
  it('accepts rows targeting the list and refuses other targets, naming the list', () => {
    expect(parseMapping(MAPPING, TARGETS).ok).toBe(true);
    const bad = parseMapping({ ...MAPPING, rows: [{ id: 'x', target: 'firstName', source: 'firstName' }] }, TARGETS);
    expect(bad).toEqual({ ok: false, issues: [expect.objectContaining({ path: 'rows[0].target', message: expect.stringContaining('is not a field of the test audience') })] });
    // The same mapping without a target list targets the model: FNAME is no Contact field.
    expect(parseMapping(MAPPING).ok).toBe(false);
    const unknownTarget: MappingDefinition = { ...MAPPING, rows: [{ id: 'x', target: 'NOPE', source: 'email' }] };
    expect(() => compileMapping(unknownTarget, TARGETS)).toThrow(InvalidMappingError);
  });

  it('refuses min/max on a field of unknown type at save time', () => {
    const result = parseMapping({ ...MAPPING, rows: [{ id: 'a', target: 'ADDRESS', source: 'address', validations: [{ rule: 'max', value: 3 }] }] }, TARGETS);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues[0].message).toMatch(/unknown type/);
  });

  it('coerces to the target types, passes unknown-typed values through, requires the list’s required fields', () => {
    const ok = mapForPush(compiled, 'EMAIL', { email: 'Ada@Example.COM', firstName: 'Ada', lifecycleStage: 'customer', address: { city: 'London' } });
    expect(ok).toEqual({ key: 'ada@example.com', fields: { EMAIL: 'ada@example.com', FNAME: 'Ada', STAGE: 'customer', ADDRESS: { city: 'London' } }, errors: [] });
    const bad = mapForPush(compiled, 'EMAIL', { firstName: 'Nobody', lifecycleStage: 'evangelist' });
    expect(bad.key).toBeNull();
    expect(bad.errors.map((e) => e.field).sort()).toEqual(['EMAIL', 'STAGE']);
  });
});

describe('decideBatch', () => {
  it('upserts new records, skips unchanged hashes, updates changed ones', () => {
    const a = record('a', { email: 'a@example.com', firstName: 'A' });
    const b = record('b', { email: 'b@example.com', firstName: 'B' });
    const c = record('c', { email: 'c@example.com', firstName: 'C' });
    const states = new Map<string, PushState>([
      [sourceIdOf(a), { matchKey: 'a@example.com', externalId: 'x-a', status: 'pushed', outputHash: outputHash('a@example.com', { EMAIL: 'a@example.com', FNAME: 'A' }) }],
      [sourceIdOf(b), { matchKey: 'b@example.com', externalId: 'x-b', status: 'pushed', outputHash: 'stale' }],
    ]);
    const result = decideAll([a, b, c], states);
    expect(result.decisions.map((d) => [d.record.externalId, d.kind])).toEqual([
      ['a', 'skip'],
      ['b', 'upsert'],
      ['c', 'upsert'],
    ]);
    expect(result.upserts).toEqual([
      { key: 'b@example.com', fields: { EMAIL: 'b@example.com', FNAME: 'B' }, externalId: 'x-b' },
      { key: 'c@example.com', fields: { EMAIL: 'c@example.com', FNAME: 'C' }, externalId: null },
    ]);
    expect(result.decisions.filter((d) => d.kind === 'upsert').map((d) => d.kind === 'upsert' && d.isNew)).toEqual([false, true]);
  });

  it('stops at batchSize upserts and reports how many records it consumed', () => {
    const records = Array.from({ length: 7 }, (_, i) => record(`r${i}`, { email: `r${i}@example.com` }));
    const result = decideAll(records, undefined, undefined, 3);
    expect(result.upserts).toHaveLength(3);
    expect(result.consumed).toBe(3);
  });

  it('fails records without a key or with mapping errors, sending nothing for them', () => {
    const result = decideAll([record('x', { firstName: 'No email' }), record('y', { email: 'y@example.com', lifecycleStage: 'bogus' })]);
    expect(result.decisions.map((d) => d.kind)).toEqual(['failed', 'failed']);
    expect(result.upserts).toEqual([]);
    const [first] = result.decisions;
    expect(first.kind === 'failed' && first.error).toMatch(/EMAIL/);
  });

  it('sends one record per key: a second source record with the same key is a duplicate', () => {
    const one = record('1', { email: 'same@example.com' });
    const two = record('2', { email: 'SAME@example.com' });
    const held = decideAll([one, two]);
    expect(held.decisions.map((d) => d.kind)).toEqual(['upsert', 'duplicate']);
    const owned = decideAll([two], new Map(), new Map([['same@example.com', sourceIdOf(one)]]));
    expect(owned.decisions.map((d) => d.kind)).toEqual(['duplicate']);
  });
});

describe('decideRemovals', () => {
  const orphan = (key: string, hasDuplicate = false) => ({ sourceId: key, matchKey: key, externalId: `x-${key}`, hasDuplicate });

  it('removes per the policy, keeps with keep, and hands a key over to its duplicate', () => {
    expect(decideRemovals([orphan('a'), orphan('b')], 'delete').removals).toEqual([
      { key: 'a', externalId: 'x-a' },
      { key: 'b', externalId: 'x-b' },
    ]);
    const kept = decideRemovals([orphan('a')], 'keep');
    expect(kept.removals).toEqual([]);
    expect(kept.decisions).toEqual([{ kind: 'keep', orphan: orphan('a'), handOver: false }]);
    const handed = decideRemovals([orphan('a', true)], 'archive');
    expect(handed.removals).toEqual([]);
    expect(handed.decisions[0]).toMatchObject({ kind: 'keep', handOver: true });
  });
});

describe('Pacer', () => {
  it('spaces requests to the rate and holds after a 429', async () => {
    let now = 1_000;
    const slept: number[] = [];
    const pacer = new Pacer(5, { now: () => now, sleep: async (ms) => void (slept.push(ms), (now += ms)) });
    for (let i = 0; i < 4; i++) await pacer.wait();
    expect(slept.map((ms) => Math.round(ms))).toEqual([1, 2, 3].map(() => Math.round(200 * PACING_MARGIN)));
    pacer.holdFor(30_000);
    await pacer.wait();
    expect(Math.round(slept[3])).toBe(30_000);
  });
});
