// Push runs with several app instances on one database, each with its own in-process push runner:
// a run is claimed before it starts (lib/sync/runs.ts claimRun, as pull runs are), every batch's
// commit checks the claim, so two runners never send one run's batches, a runner whose run was
// taken over writes nothing more, and a silent run (its instance died) is resumed by another
// from its checkpoint — on a scheduler tick, never while its instance is still sending.
//
// The two "instances" are two PushRunners on two connection pools to the same database on
// PostgreSQL; PGlite is one process's in-memory database, so there they share its one handle
// (the claim is the same SQL either way).
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { openDatabase, rowsOf, type Database, type Db } from '@/lib/db/engine';
import { withProviderClient } from '@/lib/connections/provider-access';
import { asService } from '@/lib/db/rls';
import { findDestination } from '@/lib/push/destinations';
import { pushNextBatch } from '@/lib/push/engine';
import { createPush } from '@/lib/push/pushes';
import { PushRunner } from '@/lib/push/runner';
import { requestPush } from '@/lib/push/runs';
import { SyncRunner } from '@/lib/sync/runner';
import { claimRun, interruptedRuns } from '@/lib/sync/runs';
import { createWorkspace } from '@/lib/workspaces/workspaces';
import { dataCountsOf } from '../sandbox/server';
import { connectViaSandbox } from '../support/connect';
import { testEngine } from '../support/database';
import { sandboxSuite } from '../support/sandbox-suite';
import { runRow, syncToEnd } from '../support/sync';

const suite = sandboxSuite();
/** Three Airtable batches of ten. */
const N = 25;
const BATCHES = Math.ceil(N / findDestination('airtable', 'records')!.batchSize);

let other: Database | undefined;
/** The second instance's handle: its own pool on PostgreSQL, the same handle on PGlite. */
let db2: Db;

beforeAll(async () => {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    db2 = suite.database.db;
    return;
  }
  const [{ name }] = rowsOf<{ name: string }>(await suite.database.db.execute(sql`select current_database() as name`));
  const own = new URL(url);
  own.pathname = `/${name}`;
  other = await openDatabase({ engine: 'postgres', url: own.toString(), max: 2 });
  db2 = other.db;
});
afterAll(async () => {
  await other?.close();
});

/** Write requests the sandbox's Airtable answered (each carries one batch). */
const writes = () => suite.sandbox.stats().dataRequests['airtable.recordWrites'];
const live = () => dataCountsOf(suite.sandbox, { provider: 'airtable', resource: 'records' }).live;

async function queuedPush(pushes = 1) {
  const db = suite.database.db;
  suite.sandbox.setKnobs({ dataset: { 'hubspot.contacts': N, 'hubspot.deals': 0, 'airtable.records': 0 } });
  const workspaceId = (await createWorkspace(db, suite.admin, 'Push claims')).id;
  const source = await connectViaSandbox(db, suite.admin, workspaceId, 'hubspot');
  const destination = await connectViaSandbox(db, suite.admin, workspaceId, 'airtable');
  const syncs = new SyncRunner(db, { sleep: async () => undefined });
  expect((await syncToEnd(db, syncs, { workspaceId, connectionId: source.connectionId }, { mode: 'full', trigger: 'initial', resource: 'contacts' })).outcome).toBe(
    'succeeded',
  );
  const target = await withProviderClient(db, destination.connectionId, async (client) => (await findDestination('airtable', 'records')!.targets(client))[0].id);
  const newPush = (name: string) => createPush(db, suite.admin, { workspaceId, connectionId: destination.connectionId }, {
    name,
    destination: 'records',
    targetId: target,
    matchField: 'Email',
    sourceModel: 'Contact',
    sourceConnectionIds: [source.connectionId],
    filters: [{ field: 'email', op: 'is_set' }],
    mapping: { version: 1, model: 'Contact', rows: [{ id: 'email', target: 'Email', source: 'email' }] },
    deletionPolicy: 'delete',
  });
  const runIds: string[] = [];
  for (let i = 0; i < pushes; i++) {
    const push = await newPush(`Contacts to the table ${i + 1}`);
    runIds.push((await requestPush(db, { workspaceId, pushId: push.id, trigger: 'manual' })).runId);
  }
  return { runId: runIds[0], runIds, connectionId: destination.connectionId, before: writes() };
}

async function pushedRows(runId: string) {
  const [row] = rowsOf<{ n: number }>(
    await asService(suite.database.db, (tx) =>
      tx.execute(sql`select count(*)::int as n from public.push_records p join public.sync_runs r on r.push_id = p.push_id where r.id = ${runId}::uuid`),
    ),
  );
  return Number(row.n);
}

describe(`push run claims (${testEngine})`, () => {
  it('runs a push two instances are handed at once exactly once: each batch reaches the destination once', async () => {
    const { runId, connectionId, before } = await queuedPush();
    const [one, two] = [new PushRunner(suite.database.db), new PushRunner(db2)];
    await Promise.all([one.enqueue(runId, connectionId), two.enqueue(runId, connectionId)]);
    const run = await runRow(suite.database.db, runId);
    expect(run).toMatchObject({ status: 'succeeded', attempt: 1, recordsCreated: N, recordsFailed: 0, requests: BATCHES });
    expect(writes() - before).toBe(BATCHES);
    expect(live()).toBe(N);
  });

  it('refuses every write of a runner whose run was taken over mid-batch; the new holder re-sends only that batch', async () => {
    const { runId, before } = await queuedPush();
    const first = await claimRun(suite.database.db, runId, 60_000);
    expect(first).toBe(1);
    // A live holder's run is not claimable before it goes silent.
    expect(await claimRun(db2, runId, 60_000)).toBeNull();
    expect(await pushNextBatch(suite.database.db, runId, { lease: first! })).toBe('more');
    const committed = await runRow(suite.database.db, runId);
    expect(committed).toMatchObject({ pagesDone: 1, recordsCreated: 10, requests: 1 });

    // Batch 2 is sent; before its commit the other instance takes the run over (the first one
    // looked dead to it: a threshold of 0).
    let second: number | null = null;
    const outcome = await pushNextBatch(suite.database.db, runId, {
      lease: first!,
      beforeCommit: async () => {
        second = await claimRun(db2, runId, 0);
      },
    });
    expect(second).toBe(2);
    expect(outcome).toBe('cancelled');
    expect(writes() - before).toBe(2);
    // Nothing of batch 2 was written: no state rows, counters or checkpoint.
    const after = await runRow(suite.database.db, runId);
    expect(after).toMatchObject({ status: 'running', attempt: 2, pagesDone: 1, recordsCreated: 10, requests: 1, checkpoint: committed.checkpoint });
    expect(await pushedRows(runId)).toBe(10);
    // Nor does the old holder's next batch send or write anything.
    expect(await pushNextBatch(suite.database.db, runId, { lease: first! })).toBe('cancelled');
    expect(writes() - before).toBe(2);

    let next;
    do next = await pushNextBatch(db2, runId, { lease: second! });
    while (next === 'more');
    expect(next).toBe('succeeded');
    const run = await runRow(suite.database.db, runId);
    expect(run).toMatchObject({ status: 'succeeded', attempt: 2, recordsCreated: N, recordsFailed: 0, requests: BATCHES });
    // The lost batch went out twice (an upsert by match key): no duplicate at the destination.
    expect(writes() - before).toBe(BATCHES + 1);
    expect(live()).toBe(N);
    expect(await pushedRows(runId)).toBe(N);
  });

  it('stops a runner whose run another instance took over, without a further write', async () => {
    const { runId, before } = await queuedPush();
    let takenOver = false;
    const loser = new PushRunner(suite.database.db, {
      beforeCommit: async ({ batch }) => {
        if (batch === 2 && !takenOver) takenOver = (await claimRun(db2, runId, 0)) !== null;
      },
    });
    // The run goes on under its new holder: the loser reports it still running.
    expect(await loser.runToEnd(runId)).toBe('more');
    expect(takenOver).toBe(true);
    expect(await runRow(suite.database.db, runId)).toMatchObject({ status: 'running', attempt: 2, pagesDone: 1, requests: 1 });
    expect(writes() - before).toBe(2);
    expect(await pushedRows(runId)).toBe(10);
  });

  it('leaves a live instance’s run alone and resumes a silent one from its checkpoint on the next check', async () => {
    const { runId, connectionId, before } = await queuedPush();
    // Instance one claims the run and commits a batch, then dies: no more heartbeats.
    const lease = await claimRun(suite.database.db, runId, 60_000);
    expect(await pushNextBatch(suite.database.db, runId, { lease: lease! })).toBe('more');
    const survivor = new PushRunner(db2, { staleAfterMs: 30_000 });
    // Instance two starting up (or ticking) while instance one's heartbeat is fresh: nothing to take.
    expect(await survivor.resumeInterrupted(30_000)).toBe(0);
    expect((await interruptedRuns(db2, 'push', 30_000)).map((r) => r.id)).not.toContain(runId);
    // A minute without a heartbeat (the database clock cannot be moved; the heartbeat can).
    await asService(suite.database.db, (tx) => tx.execute(sql`update public.sync_runs set heartbeat_at = now() - interval '1 minute' where id = ${runId}::uuid`));
    expect(await survivor.resumeInterrupted(30_000)).toBe(1);
    await survivor.idle();
    const run = await runRow(suite.database.db, runId);
    expect(run).toMatchObject({ status: 'succeeded', attempt: 2, connectionId, recordsCreated: N, recordsFailed: 0, requests: BATCHES });
    // Batch one was committed, so it was not sent again.
    expect(writes() - before).toBe(BATCHES);
    expect(live()).toBe(N);
    // The dead instance's lease writes nothing, even after the run ended.
    expect(await pushNextBatch(suite.database.db, runId, { lease: lease! })).toBe('cancelled');
  });

  it('waits, without spending its attempts, while another instance pushes to the same destination', async () => {
    const { runIds, connectionId } = await queuedPush(2);
    const [busyRun, waitingRun] = runIds;
    // Instance one is sending the first push's run.
    const lease = await claimRun(suite.database.db, busyRun, 60_000);
    expect(await pushNextBatch(suite.database.db, busyRun, { lease: lease! })).toBe('more');
    // Instance two gets the second push's run: the destination is busy for three of its checks
    // (more than its two attempts), then instance one finishes. Date is faked and only the
    // injected sleep moves it, so the sandbox's rate window sees the waits without real waiting.
    vi.useFakeTimers({ toFake: ['Date'] });
    onTestFinished(() => void vi.useRealTimers());
    let busyChecks = 0;
    const waiting = new PushRunner(db2, {
      maxAttempts: 2,
      sleep: async (ms) => {
        vi.setSystemTime(Date.now() + ms);
        if (ms !== 5_000) return;
        busyChecks += 1;
        if (busyChecks < 3) return;
        let outcome;
        do outcome = await pushNextBatch(suite.database.db, busyRun, { lease: lease! });
        while (outcome === 'more');
        expect(outcome).toBe('succeeded');
      },
    });
    await waiting.enqueue(waitingRun, connectionId);
    expect(busyChecks).toBe(3);
    const [first, second] = [await runRow(suite.database.db, busyRun), await runRow(suite.database.db, waitingRun)];
    expect(first).toMatchObject({ status: 'succeeded', attempt: 1, recordsCreated: N });
    expect(second).toMatchObject({ status: 'succeeded', attempt: 1, recordsFailed: 0 });
    // It started only once the first had finished.
    expect(second.startedAt!.getTime()).toBeGreaterThanOrEqual(first.finishedAt!.getTime());
    expect(live()).toBe(N);
  });
});
