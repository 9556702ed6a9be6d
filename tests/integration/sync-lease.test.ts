// Several app instances share one database, each with its own in-process runner: a run is claimed
// before it starts (lib/sync/runs.ts claimRun), and every write checks the claim, so two runners
// never work one run at once and a runner whose run was taken over writes nothing more.
// tests/multi-instance runs the same with two real `next start` processes on PostgreSQL.
import { beforeAll, describe, expect, it } from 'vitest';
import { syncPages } from '@/lib/sync/engine';
import { SyncRunner } from '@/lib/sync/runner';
import { claimRun, interruptedRuns } from '@/lib/sync/runs';
import { createWorkspace } from '@/lib/workspaces/workspaces';
import { connectViaSandbox } from '../support/connect';
import { testEngine } from '../support/database';
import { sandboxSuite } from '../support/sandbox-suite';
import { counts, newRun, pagedExample, runRow, type PagedExample } from '../support/sync';

const suite = sandboxSuite();
let paged: PagedExample;

beforeAll(async () => {
  paged = await pagedExample(suite);
});

async function connection(records: number) {
  suite.sandbox.setKnobs({ dataset: paged.example.datasets({ [paged.first]: records, [paged.second]: 0 }) });
  const workspaceId = (await createWorkspace(suite.database.db, suite.admin, `Lease ${records}`)).id;
  const { connectionId } = await connectViaSandbox(suite.database.db, suite.admin, workspaceId, paged.example.id);
  return { workspaceId, connectionId };
}

const requests = () => suite.sandbox.stats().dataRequests[paged.example.dataKey(paged.first)];

describe(`sync run claims (${testEngine})`, () => {
  it('runs a run two runners are handed at once exactly once', async () => {
    const p = paged.pageSize;
    const target = await connection(3 * p);
    const runId = await newRun(suite.database.db, target, 'full');
    const before = requests();
    const [one, two] = [new SyncRunner(suite.database.db), new SyncRunner(suite.database.db)];
    await Promise.all([one.enqueue(runId, target.connectionId), two.enqueue(runId, target.connectionId)]);
    const run = await runRow(suite.database.db, runId);
    expect(run).toMatchObject({ status: 'succeeded', attempt: 1 });
    expect(counts(run)).toEqual({ fetched: 3 * p, created: 3 * p, updated: 0, unchanged: 0, deleted: 0 });
    expect(requests() - before).toBe(3);
  });

  it('refuses the writes of a runner whose run was taken over, and the new holder finishes it from the checkpoint', async () => {
    const p = paged.pageSize;
    const target = await connection(4 * p);
    const runId = await newRun(suite.database.db, target, 'full');
    const first = await claimRun(suite.database.db, runId, 60_000);
    expect(first).toBe(1);
    // A live holder's run is not claimable before it goes stale.
    expect(await claimRun(suite.database.db, runId, 60_000)).toBeNull();
    expect(await syncPages(suite.database.db, runId, { lease: first! })).toBe('more');
    // The holder looks dead (a threshold of 0): another process takes the run over.
    const second = await claimRun(suite.database.db, runId, 0);
    expect(second).toBe(2);
    expect(await syncPages(suite.database.db, runId, { lease: first! })).toBe('cancelled');
    expect((await runRow(suite.database.db, runId)).pagesDone).toBe(1);
    let outcome;
    do outcome = await syncPages(suite.database.db, runId, { lease: second! });
    while (outcome === 'more');
    expect(outcome).toBe('succeeded');
    const run = await runRow(suite.database.db, runId);
    expect(run.attempt).toBe(2);
    expect(counts(run)).toEqual({ fetched: 4 * p, created: 4 * p, updated: 0, unchanged: 0, deleted: 0 });
  });

  it('lists a run as interrupted only once its heartbeat is older than the threshold', async () => {
    const target = await connection(paged.pageSize);
    const runId = await newRun(suite.database.db, target, 'full');
    const ids = async (staleAfterMs: number) => (await interruptedRuns(suite.database.db, 'pull', staleAfterMs)).map((r) => r.id);
    // Just queued: another instance is about to start it.
    expect(await ids(60_000)).not.toContain(runId);
    expect(await ids(0)).toContain(runId);
    const lease = await claimRun(suite.database.db, runId, 0);
    expect(await syncPages(suite.database.db, runId, { lease: lease! })).not.toBe('failed');
    expect(await ids(60_000)).not.toContain(runId);
  });
});
