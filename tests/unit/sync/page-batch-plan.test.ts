// The decisions of committing a batch of pages, without a database: where the checkpoint goes,
// what ending a listing entails, and what the batch adds to the run's counters and timeline.
import { describe, expect, it } from 'vitest';
import { nextResourceCheckpoint, pageBatchProgress, planPageBatch, type Checkpoint } from '@/lib/sync/engine';
import type { PageResult } from '@/lib/providers/types';

const checkpoint = (overrides: Partial<Checkpoint> = {}): Checkpoint => ({
  resources: ['contacts', 'companies'],
  index: 0,
  listing: 'full',
  page: 'p3',
  pageIndex: 2,
  ...overrides,
});
const page = (ids: string[], next: unknown, cursor?: unknown): PageResult => ({
  records: ids.map((externalId) => ({ externalId, data: { externalId } })),
  next,
  ...(cursor !== undefined ? { cursor } : {}),
});

describe('planPageBatch', () => {
  it('moves the checkpoint past the batch’s pages while the listing goes on', () => {
    const plan = planPageBatch(checkpoint(), [page(['a', 'b'], 'p4'), page(['c'], 'p5')]);
    expect(plan.resourceId).toBe('contacts');
    expect(plan.records.map((r) => r.externalId)).toEqual(['a', 'b', 'c']);
    expect(plan).toMatchObject({ endsListing: false, next: { ...checkpoint(), page: 'p5', pageIndex: 4 } });
  });

  it('ends a full listing: unseen records are deleted, the cursor is stored, the next resource follows', () => {
    const plan = planPageBatch(checkpoint(), [page(['a'], 'p4'), page(['b'], null, { since: 't1' })]);
    expect(plan).toMatchObject({ endsListing: true, markUnseenDeleted: true, saveCursor: { cursor: { since: 't1' } }, nextResource: 'companies' });
  });

  it('ends an incremental listing without looking for unseen records', () => {
    const plan = planPageBatch(checkpoint({ listing: 'incremental', index: 1 }), [page([], undefined)]);
    expect(plan).toMatchObject({ endsListing: true, markUnseenDeleted: false, saveCursor: null, nextResource: undefined });
  });

  it('stores a cursor the provider gave as null, but not one it left out', () => {
    expect(planPageBatch(checkpoint(), [page([], null, null)])).toMatchObject({ saveCursor: { cursor: null } });
    expect(planPageBatch(checkpoint(), [page([], null)])).toMatchObject({ saveCursor: null });
  });
});

describe('nextResourceCheckpoint', () => {
  it('starts the next resource from its first page, with the listing it needs', () => {
    expect(nextResourceCheckpoint(checkpoint(), 'incremental')).toEqual({
      resources: ['contacts', 'companies'],
      index: 1,
      listing: 'incremental',
      page: null,
      pageIndex: 0,
    });
  });
});

describe('pageBatchProgress', () => {
  const run = { recordsCreated: 900, recordsUpdated: 50, recordsDeleted: 10 };
  const counts = { created: 30, updated: 5, unchanged: 60, deleted: 2, failed: 1 };

  it('adds the batch to the counters, with deletions of the listing’s end included', () => {
    const progress = pageBatchProgress(run, checkpoint(), 3, 97, counts, 7);
    expect(progress.added).toEqual({
      pagesDone: 3,
      recordsFetched: 97,
      recordsCreated: 30,
      recordsUpdated: 5,
      recordsUnchanged: 60,
      recordsDeleted: 7,
      recordsFailed: 1,
    });
    expect(progress.written).toEqual({ before: 960, after: 1_002 });
  });

  it('describes the batch as one timeline step, naming its last page when it holds several', () => {
    expect(pageBatchProgress(run, checkpoint(), 3, 97, counts, 7).step).toEqual({
      kind: 'page',
      resource: 'contacts',
      listing: 'full',
      page: 3,
      lastPage: 5,
      fetched: 97,
      created: 30,
      updated: 5,
      unchanged: 60,
      deleted: 7,
      failed: 1,
    });
    expect(pageBatchProgress(run, checkpoint(), 1, 10, counts, 2).step).not.toHaveProperty('lastPage');
  });
});
