// The sync engine against the sandbox, on a provider that lists plainly (tests/support/sync.ts
// pagedExample picks one and measures its page size p): full and incremental listings, changes and
// deletes, rate limits, mid-run failures, resumption after a crash, and failure counting.
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { syncNextPage } from '@/lib/sync/engine';
import { SyncRunner } from '@/lib/sync/runner';
import { createWorkspace } from '@/lib/workspaces/workspaces';
import { mutateData } from '../sandbox/server';
import { connectViaSandbox } from '../support/connect';
import { testEngine } from '../support/database';
import { sandboxSuite } from '../support/sandbox-suite';
import { connectionRow, counts, cursorOf, newRun, pagedExample, runRow, storedCount, type PagedExample } from '../support/sync';

const suite = sandboxSuite();

let sleeps: number[];
let runner: SyncRunner;
let paged: PagedExample;
/** Records per page, the provider, its first (paged) resource and the dataset key of that. */
let p: number;
let provider: PagedExample['example'];
let resource: string;
let key: ReturnType<PagedExample['example']['dataKey']>;

beforeAll(async () => {
  paged = await pagedExample(suite);
  ({ pageSize: p, example: provider, first: resource } = paged);
  key = provider.dataKey(resource);
});

beforeEach(() => {
  sleeps = [];
  runner = new SyncRunner(suite.database.db, { maxAttempts: 3, baseDelayMs: 10, sleep: async (ms) => void sleeps.push(ms) });
});

/** A fresh workspace and connection with `records` records of the first resource and `others` of the second. */
async function pagedConnection(records: number, others = 0) {
  suite.sandbox.setKnobs({ dataset: provider.datasets({ [paged.first]: records, [paged.second]: others }) });
  const workspaceId = (await createWorkspace(suite.database.db, suite.admin, `Sync ${records}`)).id;
  const { connectionId } = await connectViaSandbox(suite.database.db, suite.admin, workspaceId, provider.id);
  return { workspaceId, connectionId };
}

async function sync(connection: { workspaceId: string; connectionId: string }, mode: 'full' | 'incremental') {
  const runId = await newRun(suite.database.db, connection, mode);
  const outcome = await runner.runToEnd(runId);
  return { runId, outcome, run: await runRow(suite.database.db, runId) };
}

describe(`sync engine (${testEngine})`, () => {
  it('stores every record of a full sync, then an unchanged incremental sync writes nothing', async () => {
    // Two and a half pages of the first resource, one page of the second.
    const [many, few] = [2 * p + Math.floor(p / 2), Math.ceil(0.3 * p)];
    const connection = await pagedConnection(many, few);
    const first = await sync(connection, 'full');
    expect(first.outcome).toBe('succeeded');
    expect(counts(first.run)).toEqual({ fetched: many + few, created: many + few, updated: 0, unchanged: 0, deleted: 0 });
    expect(first.run.pagesDone).toBe(4);
    expect(await storedCount(suite.database.db, connection.connectionId, resource)).toBe(many);
    expect(await storedCount(suite.database.db, connection.connectionId, paged.second)).toBe(few);
    expect(await cursorOf(suite.database.db, connection.connectionId, resource)).not.toBeNull();

    const second = await sync(connection, 'incremental');
    expect(second.outcome).toBe('succeeded');
    expect(counts(second.run)).toMatchObject({ created: 0, updated: 0, deleted: 0 });
    expect((await connectionRow(suite.database.db, connection.connectionId)).lastSuccessAt).not.toBeNull();
  });

  it('picks up creates, updates and deletes at the provider on the next incremental sync', async () => {
    const records = p + Math.floor(p / 5);
    const connection = await pagedConnection(records);
    await sync(connection, 'full');
    const change = mutateData(suite.sandbox, { provider: provider.id, resource, update: 5, delete: 3, create: 2 });
    expect(change.deleted).toHaveLength(3);
    const { run } = await sync(connection, 'incremental');
    expect(counts(run)).toMatchObject({ created: 2, updated: 5, deleted: 3 });
    expect(await storedCount(suite.database.db, connection.connectionId, resource, { live: true })).toBe(records - 1);
  });

  it('finds deletions on a full sync by absence, applied when the listing completes', async () => {
    const connection = await pagedConnection(Math.floor(p / 2));
    await sync(connection, 'full');
    mutateData(suite.sandbox, { provider: provider.id, resource, delete: 4 });
    const { run } = await sync(connection, 'full');
    expect(counts(run)).toMatchObject({ created: 0, unchanged: Math.floor(p / 2) - 4, deleted: 4 });
  });

  it('waits out a 429 with Retry-After mid-sync and completes with no record lost or duplicated', async () => {
    const connection = await pagedConnection(3 * p);
    suite.sandbox.setKnobs({ rateLimitPage: { provider: provider.id, resource, page: 2, retryAfterSeconds: 2 } });
    const { outcome, run } = await sync(connection, 'full');
    expect(outcome).toBe('succeeded');
    expect(sleeps).toEqual([2000]);
    expect(counts(run)).toMatchObject({ fetched: 3 * p, created: 3 * p });
    expect(await storedCount(suite.database.db, connection.connectionId, resource)).toBe(3 * p);
  });

  it('retries a 500 on page 7 of 10 and resumes at page 7, without fetching pages 1–6 again', async () => {
    const connection = await pagedConnection(10 * p);
    suite.sandbox.setKnobs({ failPage: { provider: provider.id, resource, page: 7, status: 500 } });
    const { outcome, run } = await sync(connection, 'full');
    expect(outcome).toBe('succeeded');
    expect(suite.sandbox.stats().dataRequests[key]).toBe(11);
    expect(counts(run)).toMatchObject({ fetched: 10 * p, created: 10 * p });
  });

  it('fails a run whose page keeps failing, keeping pages already stored and the old cursor', async () => {
    const connection = await pagedConnection(10 * p);
    await sync(connection, 'full');
    const cursorBefore = await cursorOf(suite.database.db, connection.connectionId, resource);
    suite.sandbox.setKnobs({ failPage: { provider: provider.id, resource, page: 7, status: 500, times: 10 } });
    mutateData(suite.sandbox, { provider: provider.id, resource, update: 10 * p });
    const { outcome, run } = await sync(connection, 'full');
    expect(outcome).toBe('failed');
    expect(run.pagesDone).toBe(6);
    expect(run.recordsUpdated).toBe(6 * p);
    expect(run.error).toMatch(/500/);
    expect(await cursorOf(suite.database.db, connection.connectionId, resource)).toEqual(cursorBefore);
    expect(await storedCount(suite.database.db, connection.connectionId, resource, { live: true })).toBe(10 * p);
  });

  it('resumes a run interrupted by a crash from its last committed page, with exact counts', async () => {
    const connection = await pagedConnection(5 * p);
    const runId = await newRun(suite.database.db, connection, 'full');
    for (let i = 0; i < 3; i++) expect(await syncNextPage(suite.database.db, runId)).toBe('more');
    // The process dies here. A new one starts and picks the run up.
    const restarted = new SyncRunner(suite.database.db, { sleep: async () => undefined });
    expect(await restarted.resumeInterrupted()).toBe(1);
    await restarted.idle();
    const run = await runRow(suite.database.db, runId);
    expect(run.status).toBe('succeeded');
    expect(counts(run)).toEqual({ fetched: 5 * p, created: 5 * p, updated: 0, unchanged: 0, deleted: 0 });
    expect(suite.sandbox.stats().dataRequests[key]).toBe(5);
  });

  it('puts the connection in error after three failed runs, and a success clears it', async () => {
    const connection = await pagedConnection(Math.min(20, p));
    suite.sandbox.setKnobs({ failPage: { provider: provider.id, resource, page: 1, status: 500, times: 9 } });
    for (let i = 1; i <= 3; i++) {
      expect((await sync(connection, 'full')).outcome).toBe('failed');
      expect((await connectionRow(suite.database.db, connection.connectionId)).consecutiveFailures).toBe(i);
    }
    const failed = await connectionRow(suite.database.db, connection.connectionId);
    expect(failed.status).toBe('error');
    expect(failed.statusReason).toMatch(/The last 3 syncs failed/);
    expect((await sync(connection, 'full')).outcome).toBe('succeeded');
    expect(await connectionRow(suite.database.db, connection.connectionId)).toMatchObject({ status: 'active', consecutiveFailures: 0 });
  });

  it('stops a cancelled run before its next page', async () => {
    const connection = await pagedConnection(3 * p);
    const runId = await newRun(suite.database.db, connection, 'full');
    expect(await syncNextPage(suite.database.db, runId)).toBe('more');
    const { cancelRun } = await import('@/lib/sync/actions');
    await cancelRun(suite.database.db, suite.admin, connection.workspaceId, runId);
    expect(await syncNextPage(suite.database.db, runId)).toBe('cancelled');
    expect((await runRow(suite.database.db, runId)).pagesDone).toBe(1);
  });
});
