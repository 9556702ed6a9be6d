// The push engine (lib/push) end to end against the sandbox's destinations: HubSpot contacts,
// synced in, pushed into a Mailchimp audience and into an Airtable table. Change-only (a re-push
// sends nothing), one change sends one update, deletions follow the policy, a record the
// destination refuses is reported while the rest go through, a crash between a batch's request and
// its commit resumes without duplicates, and the destinations' rate limits are honoured (Airtable
// answers 429 past 5 writes a second and the push waits its 30 s).
//
// Time: Date is faked and only the runner's injected sleep moves it, so the engine's pacing and
// the sandbox's rate windows see the same clock and nothing really waits.
import { and, eq, sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { withProviderClient } from '@/lib/connections/provider-access';
import { rowsOf, type Db } from '@/lib/db/engine';
import { asService } from '@/lib/db/rls';
import { pushRecords } from '@/lib/db/schema';
import { RetryablePushError } from '@/lib/push/decide';
import { findDestination } from '@/lib/push/destinations';
import { pushNextBatch } from '@/lib/push/engine';
import { createPush, updatePush } from '@/lib/push/pushes';
import { PushRunner } from '@/lib/push/runner';
import { requestPush } from '@/lib/push/runs';
import { SyncRunner } from '@/lib/sync/runner';
import { createWorkspace } from '@/lib/workspaces/workspaces';
import { dataCountsOf, mutateData } from '../sandbox/server';
import { connectViaSandbox } from '../support/connect';
import { testEngine } from '../support/database';
import { sandboxSuite } from '../support/sandbox-suite';
import { runRow, syncToEnd } from '../support/sync';

const suite = sandboxSuite();
const N = 25;

interface DestinationCase {
  provider: 'mailchimp' | 'airtable';
  destination: string;
  target: string;
  matchField: string;
  rows: unknown[];
  policy: 'archive' | 'delete';
  /** Records at the destination's target: live, and removed per the policy. */
  count(): Promise<{ live: number; removed: number }>;
}

async function mailchimpAudience(id: string) {
  const answer = (await (await fetch(`${suite.sandbox.url}/_sandbox/webhooks/mailchimp-audiences`)).json()) as {
    accounts: { audiences: { id: string; byStatus: Record<string, number> }[] }[];
  };
  return answer.accounts.flatMap((a) => a.audiences).find((a) => a.id === id)!;
}

const CASES: DestinationCase[] = [
  {
    provider: 'mailchimp',
    destination: 'members',
    // The account's second audience starts empty: everything in it came from the push.
    target: 'b9f8e7d6c5',
    matchField: 'EMAIL',
    rows: [
      { id: 'email', target: 'EMAIL', source: 'email' },
      { id: 'first', target: 'FNAME', source: 'firstName' },
      { id: 'last', target: 'LNAME', source: 'lastName' },
      { id: 'phone', target: 'PHONE', source: 'phone' },
      { id: 'stage', target: 'STAGE', source: 'lifecycleStage', transforms: [{ op: 'mapValues', table: { lead: 'lead', customer: 'customer' }, fallback: 'other' }] },
    ],
    policy: 'archive',
    async count() {
      const audience = await mailchimpAudience('b9f8e7d6c5');
      return { live: audience.byStatus.subscribed ?? 0, removed: audience.byStatus.archived ?? 0 };
    },
  },
  {
    provider: 'airtable',
    destination: 'records',
    target: '',
    matchField: 'Email',
    rows: [
      { id: 'email', target: 'Email', source: 'email' },
      { id: 'name', target: 'Name', source: { concat: ['firstName', 'lastName'] } },
      { id: 'phone', target: 'Phone', source: 'phone' },
      { id: 'company', target: 'Company', source: 'company' },
    ],
    policy: 'delete',
    async count() {
      const counts = dataCountsOf(suite.sandbox, { provider: 'airtable', resource: 'records' });
      return { live: counts.live, removed: counts.deleted };
    },
  },
];

let sleeps: number[];
const sleep = async (ms: number) => {
  sleeps.push(ms);
  vi.setSystemTime(Date.now() + ms);
};

beforeEach(() => {
  sleeps = [];
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2027-03-01T09:00:00Z'));
});
afterEach(() => {
  vi.useRealTimers();
});

async function pushedState(db: Db, pushId: string) {
  return asService(db, (tx) => tx.select().from(pushRecords).where(and(eq(pushRecords.pushId, pushId))));
}

async function setUp(c: DestinationCase, options: { rows?: unknown[]; contacts?: number } = {}) {
  const db = suite.database.db;
  suite.sandbox.setKnobs({ dataset: { 'hubspot.contacts': options.contacts ?? N, 'hubspot.deals': 0, 'airtable.records': 0, 'mailchimp.members': 0 } });
  const workspaceId = (await createWorkspace(db, suite.admin, `Push ${c.provider}`)).id;
  const source = await connectViaSandbox(db, suite.admin, workspaceId, 'hubspot');
  const destination = await connectViaSandbox(db, suite.admin, workspaceId, c.provider);
  const syncs = new SyncRunner(db, { maxAttempts: 2, baseDelayMs: 1, sleep: async () => undefined });
  const sourceRef = { workspaceId, connectionId: source.connectionId };
  const synced = await syncToEnd(db, syncs, sourceRef, { mode: 'full', trigger: 'initial', resource: 'contacts' });
  expect(synced.outcome).toBe('succeeded');
  const target =
    c.target ||
    (await withProviderClient(db, destination.connectionId, async (client) => (await findDestination(c.provider, c.destination)!.targets(client))[0].id));
  const push = await createPush(db, suite.admin, { workspaceId, connectionId: destination.connectionId }, {
    name: `Contacts to ${c.provider}`,
    destination: c.destination,
    targetId: target,
    matchField: c.matchField,
    sourceModel: 'Contact',
    sourceConnectionIds: [source.connectionId],
    filters: [{ field: 'email', op: 'is_set' }],
    mapping: { version: 1, model: 'Contact', rows: options.rows ?? c.rows },
    deletionPolicy: c.policy,
  });
  const runner = new PushRunner(db, { maxAttempts: 3, baseDelayMs: 1, sleep });
  const run = async () => {
    const { runId } = await requestPush(db, { workspaceId, pushId: push.id, trigger: 'manual' });
    const outcome = await runner.runToEnd(runId);
    return { outcome, run: await runRow(db, runId) };
  };
  const resync = () => syncToEnd(db, syncs, sourceRef, { mode: 'full', resource: 'contacts' });
  return { db, workspaceId, push, target, run, resync, runner, destinationId: destination.connectionId };
}

const batches = (records: number, c: DestinationCase) => Math.ceil(records / findDestination(c.provider, c.destination)!.batchSize);

describe.each(CASES)(`push engine into $provider (${testEngine})`, (c) => {
  it('pushes N contacts once, re-pushes nothing, sends one update for one change and removes per the policy', async () => {
    const setup = await setUp(c);
    const first = await setup.run();
    expect(first.outcome).toBe('succeeded');
    expect(first.run).toMatchObject({ direction: 'push', pushId: setup.push.id, status: 'succeeded', recordsCreated: N, recordsFailed: 0 });
    expect(first.run.requests).toBe(batches(N, c));
    expect(await c.count()).toEqual({ live: N, removed: 0 });

    const again = await setup.run();
    expect(again.run).toMatchObject({ status: 'succeeded', requests: 0, recordsCreated: 0, recordsUpdated: 0, recordsUnchanged: N });

    mutateData(suite.sandbox, { provider: 'hubspot', resource: 'contacts', update: 1 });
    expect((await setup.resync()).run.recordsUpdated).toBe(1);
    const changed = await setup.run();
    // The sync that found the change queued this run itself (the post-sync hook); the request joined it.
    expect(changed.run).toMatchObject({ trigger: 'source_change', status: 'succeeded', requests: 1, recordsUpdated: 1, recordsCreated: 0, recordsUnchanged: N - 1 });
    expect(await c.count()).toEqual({ live: N, removed: 0 });

    mutateData(suite.sandbox, { provider: 'hubspot', resource: 'contacts', delete: 2 });
    expect((await setup.resync()).run.recordsDeleted).toBe(2);
    const removed = await setup.run();
    expect(removed.run).toMatchObject({ status: 'succeeded', recordsDeleted: 2, recordsFailed: 0 });
    expect(await c.count()).toEqual({ live: N - 2, removed: 2 });
    const states = await pushedState(setup.db, setup.push.id);
    expect(states.filter((s) => s.status === 'pushed')).toHaveLength(N - 2);
    expect(states.filter((s) => s.status === 'removed')).toHaveLength(2);
    // Nothing left to do: a fourth run is free.
    expect((await setup.run()).run.requests).toBe(0);
  });

  it('resumes a push that crashed between a batch’s request and its commit, without duplicates', async () => {
    const records = N;
    const setup = await setUp(c);
    const { runId } = await requestPush(setup.db, { workspaceId: setup.workspaceId, pushId: setup.push.id, trigger: 'manual' });
    const total = batches(records, c);
    // Batch 1 commits; batch 2 (or the only one) is sent and the process dies before its commit.
    const crashAt = Math.min(2, total);
    const options = {
      sleep,
      beforeCommit: ({ batch, phase }: { batch: number; phase: string }) => {
        if (phase === 'upsert' && batch === crashAt) throw new RetryablePushError('killed');
      },
    };
    for (let batch = 1; batch < crashAt; batch++) expect(await pushNextBatch(setup.db, runId, options)).toBe('more');
    await expect(pushNextBatch(setup.db, runId, options)).rejects.toThrow('killed');
    expect((await runRow(setup.db, runId)).status).toBe('running');
    expect((await c.count()).live).toBe(Math.min(records, crashAt * findDestination(c.provider, c.destination)!.batchSize));

    // The server comes back a minute later and picks the run up from its checkpoint.
    vi.setSystemTime(Date.now() + 60_000);
    const restarted = new PushRunner(setup.db, { sleep });
    expect(await restarted.resumeInterrupted()).toBe(1);
    await restarted.idle();
    const run = await runRow(setup.db, runId);
    expect(run).toMatchObject({ status: 'succeeded', recordsCreated: records, recordsFailed: 0 });
    expect(run.requests).toBe(total);
    expect(await c.count()).toEqual({ live: records, removed: 0 });
    const states = await pushedState(setup.db, setup.push.id);
    expect(states.filter((s) => s.status === 'pushed')).toHaveLength(records);
    expect((await setup.run()).run.requests).toBe(0);
  });

  it('paces its requests to the destination’s rate: no 429 along the way', async () => {
    const setup = await setUp(c);
    const { run } = await setup.run();
    expect(run.requests).toBe(batches(N, c));
    expect(JSON.stringify(run.steps)).not.toContain('rateLimited');
    const rate = findDestination(c.provider, c.destination)!.rateLimit.requestsPerSecond;
    // Every request after the first waited its share of a second.
    expect(sleeps.filter((ms) => ms >= 1000 / rate)).toHaveLength(run.requests - 1);
  });
});

describe(`push engine: refusals and rate limits (${testEngine})`, () => {
  it('reports the member Mailchimp refuses and pushes the rest, without failing the run', async () => {
    const c = CASES[0];
    const setup = await setUp(c, { contacts: 6 });
    // One contact's ADDRESS becomes text, which Mailchimp refuses (an address is an object); the
    // mapping lets it through (ADDRESS has no model type), so only the destination can say no.
    const [{ email }] = rowsOf<{ email: string }>(
      await asService(setup.db, (tx) =>
        tx.execute(sql`select mapped->>'email' as email from public.synced_records
          where connection_id = ${setup.push.config.sourceConnectionIds[0]}::uuid order by external_id limit 1`),
      ),
    );
    const address = { id: 'address', target: 'ADDRESS', source: 'email', transforms: [{ op: 'mapValues', table: { [email]: 'not an address' }, fallback: '' }] };
    await updatePush(setup.db, suite.admin, { workspaceId: setup.workspaceId, connectionId: setup.destinationId }, setup.push.id, {
      mapping: { version: 1, model: 'Contact', rows: [...c.rows, address] },
    });
    const { run } = await setup.run();
    expect(run).toMatchObject({ status: 'partial', recordsCreated: 5, recordsFailed: 1 });
    expect(await c.count()).toEqual({ live: 5, removed: 0 });
    const failed = (await pushedState(setup.db, setup.push.id)).filter((s) => s.status === 'failed');
    expect(failed).toEqual([expect.objectContaining({ matchKey: email, lastError: expect.stringContaining('merge fields were invalid') })]);
  });

  it('waits out Airtable’s 429 (30 s without Retry-After) and finishes with every record once', async () => {
    const c = CASES[1];
    const setup = await setUp(c);
    // Someone else spends the base's 5 writes of this second.
    await withProviderClient(setup.db, setup.destinationId, async (client) => {
      const destination = findDestination('airtable', 'records')!;
      for (let i = 0; i < 5; i++) {
        await destination.upsert(client, { id: setup.target, matchField: 'Email' }, [{ key: `other${i}@example.com`, fields: { Email: `other${i}@example.com` }, externalId: null }]);
      }
    });
    const { outcome, run } = await setup.run();
    expect(outcome).toBe('succeeded');
    expect(sleeps).toContain(30_000);
    expect(run.requests).toBe(batches(N, c) + 1);
    expect(JSON.stringify(run.steps)).toContain('"rateLimited":1');
    expect(await c.count()).toEqual({ live: N + 5, removed: 0 });
  });
});
