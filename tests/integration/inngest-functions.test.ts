// The Inngest functions, run by @inngest/test against the real engine, database and sandbox.
import { InngestTestEngine } from '@inngest/test';
import { eq, inArray, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { asService } from '@/lib/db/rls';
import { connections, syncRuns } from '@/lib/db/schema';
import { EVENTS } from '@/lib/inngest/client';
import { createFunctions } from '@/lib/inngest/functions';
import { syncNextPage } from '@/lib/sync/engine';
import { createWorkspace } from '@/lib/workspaces/workspaces';
import { connectViaSandbox } from '../support/connect';
import { testEngine } from '../support/database';
import { sandboxSuite } from '../support/sandbox-suite';
import { newRun, pagedExample, runRow, type PagedExample } from '../support/sync';

const suite = sandboxSuite();

let functions: ReturnType<typeof createFunctions>;
// A provider that lists plainly, and its page size p (tests/support/sync.ts).
let paged: PagedExample;
let p: number;

beforeAll(async () => {
  functions = createFunctions(async () => suite.database.db);
  paged = await pagedExample(suite);
  p = paged.pageSize;
});

/** A connection with `records` records of the first resource, none of the second. */
async function pagedConnection(records: number) {
  suite.sandbox.setKnobs({ dataset: paged.example.datasets({ [paged.first]: records }) });
  const workspaceId = (await createWorkspace(suite.database.db, suite.admin, 'Inngest')).id;
  const { connectionId } = await connectViaSandbox(suite.database.db, suite.admin, workspaceId, paged.example.id);
  return { workspaceId, connectionId };
}

const syncEvent = (runId: string, connectionId: string) => ({
  name: EVENTS.syncRequested,
  data: { runId, connectionId, provider: paged.example.id },
});

describe(`Inngest functions (${testEngine})`, () => {
  it('runs one step per page, in order, to completion', async () => {
    const connection = await pagedConnection(2 * p + Math.floor(p / 2));
    const runId = await newRun(suite.database.db, connection, 'full');
    const engine = new InngestTestEngine({ function: functions.syncConnection, events: [syncEvent(runId, connection.connectionId)] });
    const { result, ctx } = await engine.execute();
    expect(result).toEqual({ runId, outcome: 'succeeded' });
    const stepIds = (ctx.step.run as unknown as { mock: { calls: [string][] } }).mock.calls.map((call) => call[0]);
    // 3 pages of the first resource, 1 (empty) page of the second, then the step that finishes the run.
    expect(stepIds).toEqual(['page-0', 'page-1', 'page-2', 'page-3', 'page-4']);
    expect((await runRow(suite.database.db, runId)).recordsCreated).toBe(2 * p + Math.floor(p / 2));
  });

  it('resumes from the checkpoint: pages committed before are not fetched again', async () => {
    const connection = await pagedConnection(3 * p);
    const runId = await newRun(suite.database.db, connection, 'full');
    await syncNextPage(suite.database.db, runId);
    await syncNextPage(suite.database.db, runId);
    const engine = new InngestTestEngine({ function: functions.syncConnection, events: [syncEvent(runId, connection.connectionId)] });
    await engine.execute();
    const run = await runRow(suite.database.db, runId);
    expect(run).toMatchObject({ status: 'succeeded', recordsCreated: 3 * p, pagesDone: 4 });
    expect(suite.sandbox.stats().dataRequests[paged.example.dataKey(paged.first)]).toBe(3);
  });

  it('marks the run failed through onFailure once retries are exhausted', async () => {
    const connection = await pagedConnection(10);
    const runId = await newRun(suite.database.db, connection, 'full');
    const onFailure = functions.syncConnection.opts.onFailure;
    expect(onFailure).toBeTypeOf('function');
    const failure = { name: 'inngest/function.failed', data: { event: syncEvent(runId, connection.connectionId), error: { message: 'HubSpot answered 500 five times' } } };
    await (onFailure as (ctx: unknown) => Promise<void>)({ event: failure, error: new Error('HubSpot answered 500 five times') });
    expect(await runRow(suite.database.db, runId)).toMatchObject({ status: 'failed', error: 'HubSpot answered 500 five times' });
  });

  it('fans out only connections that are due, active and scheduled', async () => {
    const due = await pagedConnection(5);
    const notDue = await pagedConnection(5);
    const paused = await pagedConnection(5);
    const manual = await pagedConnection(5);
    await asService(suite.database.db, async (tx) => {
      // The initial syncs requested on connect are still queued (tests run no job runner).
      await tx.update(syncRuns).set({ status: 'cancelled' }).where(eq(syncRuns.status, 'queued'));
      await tx.update(connections).set({ nextSyncAt: sql`now() + interval '1 day'` });
      await tx.update(connections).set({ nextSyncAt: sql`now() - interval '1 minute'` }).where(inArray(connections.id, [due, notDue, paused, manual].map((c) => c.connectionId)));
      await tx.update(connections).set({ nextSyncAt: sql`now() + interval '1 hour'` }).where(eq(connections.id, notDue.connectionId));
      await tx.update(connections).set({ status: 'paused' }).where(eq(connections.id, paused.connectionId));
      await tx.update(connections).set({ schedule: 'manual' }).where(eq(connections.id, manual.connectionId));
    });
    // Sending is Inngest's job, not ours: the step is mocked and its input asserted. (The engine
    // records step results into the options it is given, so each engine gets fresh ones.)
    const sendMocked = () => ({ steps: [{ id: 'enqueue-syncs', handler: () => ({ ids: [] }) }] });
    const engine = new InngestTestEngine({ function: functions.scheduleDueSyncs, ...sendMocked() });
    const { result, ctx } = await engine.execute();
    const sent = (ctx.step.sendEvent as unknown as { mock: { calls: [string, { data: { connectionId: string } }[]][] } }).mock.calls;
    const enqueued = sent.flatMap(([, events]) => events.map((e) => e.data.connectionId));
    expect(enqueued).toContain(due.connectionId);
    expect(enqueued).toEqual([due.connectionId]);
    for (const skipped of [notDue, paused, manual]) expect(enqueued).not.toContain(skipped.connectionId);
    expect(result).toMatchObject({ enqueued: enqueued.length });
    // A second fan-out right after finds nothing due: the claim moved next_sync_at forward.
    await asService(suite.database.db, (tx) => tx.update(syncRuns).set({ status: 'succeeded' }).where(eq(syncRuns.status, 'queued')));
    const again = await new InngestTestEngine({ function: functions.scheduleDueSyncs, ...sendMocked() }).execute();
    expect(again.result).toEqual({ enqueued: 0 });
  });
});
