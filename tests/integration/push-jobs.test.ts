// Push runs as jobs: the Inngest function (one step per batch, run by @inngest/test against the real
// engine, database and sandbox), its failure path, and the schedule claiming due pushes once.
import { InngestTestEngine } from '@inngest/test';
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { asService } from '@/lib/db/rls';
import { activity, pushConfigurations } from '@/lib/db/schema';
import { PUSH_EVENTS } from '@/lib/inngest/push-events';
import { createPushFunctions } from '@/lib/inngest/push-functions';
import { requestDuePushes } from '@/lib/jobs/pushes';
import { createPush } from '@/lib/push/pushes';
import { requestPush } from '@/lib/push/runs';
import { SyncRunner } from '@/lib/sync/runner';
import { createWorkspace } from '@/lib/workspaces/workspaces';
import { connectViaSandbox } from '../support/connect';
import { testEngine } from '../support/database';
import { sandboxSuite } from '../support/sandbox-suite';
import { runRow, syncToEnd } from '../support/sync';

const suite = sandboxSuite();
const AUDIENCE = 'b9f8e7d6c5';

async function pushOf(contacts: number, schedule: 'manual' | 'hourly' = 'manual') {
  const db = suite.database.db;
  suite.sandbox.setKnobs({ dataset: { 'hubspot.contacts': contacts, 'hubspot.deals': 0, 'mailchimp.members': 0 } });
  const workspaceId = (await createWorkspace(db, suite.admin, 'Push jobs')).id;
  const source = (await connectViaSandbox(db, suite.admin, workspaceId, 'hubspot')).connectionId;
  const destination = (await connectViaSandbox(db, suite.admin, workspaceId, 'mailchimp')).connectionId;
  await syncToEnd(db, new SyncRunner(db, { sleep: async () => undefined }), { workspaceId, connectionId: source }, { mode: 'full', trigger: 'initial', resource: 'contacts' });
  const push = await createPush(db, suite.admin, { workspaceId, connectionId: destination }, {
    name: 'Jobs',
    destination: 'members',
    targetId: AUDIENCE,
    matchField: 'EMAIL',
    sourceModel: 'Contact',
    sourceConnectionIds: [source],
    filters: [{ field: 'email', op: 'is_set' }],
    mapping: { version: 1, model: 'Contact', rows: [{ id: 'email', target: 'EMAIL', source: 'email' }] },
    schedule,
  });
  return { db, workspaceId, destination, push };
}

describe(`push jobs (${testEngine})`, () => {
  it('runs a push through its Inngest function, one step per batch, to completion', async () => {
    const { db, workspaceId, destination, push } = await pushOf(8);
    const { runId } = await requestPush(db, { workspaceId, pushId: push.id, trigger: 'manual' });
    const functions = createPushFunctions(async () => db);
    const engine = new InngestTestEngine({
      function: functions.pushRun,
      events: [{ name: PUSH_EVENTS.requested, data: { runId, connectionId: destination, provider: 'mailchimp' } }],
    });
    const { result, ctx } = await engine.execute();
    expect(result).toEqual({ runId, outcome: 'succeeded' });
    const steps = (ctx.step.run as unknown as { mock: { calls: [string][] } }).mock.calls.map((call) => call[0]);
    // One upsert batch, the end of the source listing, the (empty) removal phase that finishes the run.
    expect(steps).toEqual(['batch-0', 'batch-1', 'batch-2']);
    expect(await runRow(db, runId)).toMatchObject({ status: 'succeeded', recordsCreated: 8, requests: 1 });
  });

  it('marks the run failed through onFailure once retries run out, logged as push.run_failed', async () => {
    const { db, workspaceId, destination, push } = await pushOf(2);
    const { runId } = await requestPush(db, { workspaceId, pushId: push.id, trigger: 'manual' });
    const onFailure = createPushFunctions(async () => db).pushRun.opts.onFailure;
    expect(onFailure).toBeTypeOf('function');
    const event = { name: PUSH_EVENTS.requested, data: { runId, connectionId: destination, provider: 'mailchimp' } };
    const failure = { name: 'inngest/function.failed', data: { event, error: { message: 'Mailchimp answered 500 five times' } } };
    await (onFailure as (ctx: unknown) => Promise<void>)({ event: failure, error: new Error('Mailchimp answered 500 five times') });
    expect(await runRow(db, runId)).toMatchObject({ status: 'failed', error: 'Mailchimp answered 500 five times' });
    const [logged] = await asService(db, (tx) => tx.select().from(activity).where(eq(activity.targetId, runId)));
    expect(logged).toMatchObject({ action: 'push.run_failed', workspaceId, details: { pushId: push.id } });
  });

  it('claims a due scheduled push once and moves its next run forward', async () => {
    const { db, push } = await pushOf(1, 'hourly');
    await asService(db, (tx) => tx.update(pushConfigurations).set({ nextRunAt: sql`now() - interval '1 minute'` }).where(eq(pushConfigurations.id, push.id)));
    const [first, second] = [await requestDuePushes(db), await requestDuePushes(db)];
    const mine = first.filter((r) => r.connectionId === push.connectionId);
    expect(mine).toHaveLength(1);
    expect(second.filter((r) => r.connectionId === push.connectionId)).toHaveLength(0);
    expect(await runRow(db, mine[0].runId)).toMatchObject({ trigger: 'schedule', direction: 'push', pushId: push.id, status: 'queued' });
    const [config] = await asService(db, (tx) => tx.select().from(pushConfigurations).where(eq(pushConfigurations.id, push.id)));
    expect(config.nextRunAt!.getTime()).toBeGreaterThan(Date.now() + 50 * 60_000);
  });
});
