// The decisions of the record store, without a database: how a page is settled before it is
// written, how the probe's answer sorts its records, what the write carries, which records a
// completed full listing finds gone, and when the planner's statistics are refreshed.
import { describe, expect, it } from 'vitest';
import { compileMapping } from '@/lib/mapping';
import { canonicalRecord } from '@/lib/sync/canonical';
import { planPage, recordsJson, sortByStoredState, statisticsRefreshDue, withContentHashes, type HashedRecord } from '@/lib/sync/records';

const hashed = (id: string, data: unknown): HashedRecord => ({ id, data, ...canonicalRecord(data) });

describe('planPage', () => {
  it('lets the last occurrence of an id win, and splits live records from tombstones', () => {
    const plan = planPage(
      [
        { externalId: 'a', data: { v: 1 } },
        { externalId: 'b', data: { v: 1 } },
        { externalId: 'a', data: { v: 2 } },
        { externalId: 'b', data: null, deleted: true },
        { externalId: 'c', data: null, deleted: true },
      ],
      'incremental',
    );
    expect(plan.live).toEqual([hashed('a', { v: 2 })]);
    expect(plan.tombstones).toEqual(['b', 'c']);
    expect(plan.seen).toBeNull();
  });

  it('keeps hashes computed ahead, and hashes the records that came without', () => {
    const [ahead] = withContentHashes([{ externalId: 'a', data: { v: 1 } }]);
    const planted = { ...ahead, canonical: { json: '{"v":1}', hash: 'precomputed' } };
    const plan = planPage([planted, { externalId: 'b', data: { y: 2, x: 1 } }], 'incremental');
    expect(plan.live).toEqual([
      { id: 'a', data: { v: 1 }, json: '{"v":1}', hash: 'precomputed' },
      { id: 'b', data: { y: 2, x: 1 }, json: '{"x":1,"y":2}', hash: canonicalRecord({ x: 1, y: 2 }).hash },
    ]);
  });

  it('puts every id of a full listing’s page on the seen-list, tombstones included, once each', () => {
    const plan = planPage(
      [
        { externalId: 'a', data: {} },
        { externalId: 'gone', data: null, deleted: true },
        { externalId: 'a', data: { again: true } },
      ],
      'full',
    );
    expect(plan.seen).toEqual(['a', 'gone']);
  });

  it('has nothing to do for an empty page', () => {
    expect(planPage([], 'full')).toEqual({ live: [], tombstones: [], seen: null });
  });
});

describe('sortByStoredState', () => {
  it('sorts records into new (no row), changed (a row with another hash) and unchanged (not reported)', () => {
    const records = ['new', 'changed', 'same', 'same2'].map((id) => hashed(id, { id }));
    const sorted = sortByStoredState(records, new Map([['new', false], ['changed', true]]));
    expect(sorted.created.map((r) => r.id)).toEqual(['new']);
    expect(sorted.changed.map((r) => r.id)).toEqual(['changed']);
    expect(sorted.unchanged).toBe(2);
  });
});

describe('recordsJson', () => {
  const records = [hashed('1', { email: 'ada@example.com', name: 'Ada' }), hashed('2', { name: 'No email' })];

  it('splices each record’s canonical JSON in as it is, without a mapping', () => {
    const { json, failed } = recordsJson(records, null);
    expect(failed).toBe(0);
    expect(JSON.parse(json)).toEqual([
      { id: '1', hash: records[0].hash, raw: { email: 'ada@example.com', name: 'Ada' } },
      { id: '2', hash: records[1].hash, raw: { name: 'No email' } },
    ]);
  });

  it('adds the mapped output and its errors, and counts the records with errors', () => {
    const mapping = { id: 'm', version: 3, compiled: compileMapping({ version: 1, model: 'Contact', rows: [{ id: 'e', target: 'email', source: 'email' }] }) };
    const { json, failed } = recordsJson(records, mapping);
    const rows = JSON.parse(json) as { id: string; mapped: unknown; errors: unknown[] | null }[];
    expect(failed).toBe(1);
    expect(rows[0]).toMatchObject({ id: '1', mapped: { email: 'ada@example.com' }, errors: null });
    expect(rows[1].errors).not.toBeNull();
    expect(rows[1].errors!.length).toBeGreaterThan(0);
  });

  it('is an empty array for no records', () => {
    expect(recordsJson([], null)).toEqual({ json: '[]', failed: 0 });
  });
});

describe('statisticsRefreshDue', () => {
  it('is due each time a run’s writes pass a power of ten from 1,000 up', () => {
    expect(statisticsRefreshDue({ before: 0, after: 999 })).toBe(false);
    expect(statisticsRefreshDue({ before: 999, after: 1_000 })).toBe(true);
    expect(statisticsRefreshDue({ before: 0, after: 5_000 })).toBe(true);
    expect(statisticsRefreshDue({ before: 1_000, after: 9_999 })).toBe(false);
    expect(statisticsRefreshDue({ before: 9_000, after: 10_500 })).toBe(true);
    expect(statisticsRefreshDue({ before: 500, after: 500 })).toBe(false);
  });
});
