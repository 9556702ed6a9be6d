// The retention job: each rule deletes exactly the rows past its period and keeps the rest —
// rejected webhook deliveries, settled deliveries (never one a provider still retries, one still
// to process, or the sync run it triggered), deliveries nobody can see, and failed sign-in
// attempts that no longer count towards the throttle. Run directly, as the Inngest cron function
// (one step per rule), and through the dispatcher in process.
import { InngestTestEngine } from '@inngest/test';
import { eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN_LIMIT, verifyLocalAccount } from '@/lib/auth/local-accounts';
import { rowsOf } from '@/lib/db/engine';
import { asService } from '@/lib/db/rls';
import { connections, syncRuns, webhookEvents } from '@/lib/db/schema';
import { createFunctions } from '@/lib/inngest/functions';
import { dispatch } from '@/lib/jobs/dispatch';
import { pruneInProcess, retentionRequested } from '@/lib/jobs/retention';
import { RETENTION_RULES, runRetention } from '@/lib/retention/rules';
import { requestSync } from '@/lib/sync/runs';
import { createWorkspace } from '@/lib/workspaces/workspaces';
import { createTestDatabase, createUser, testEngine, type TestDatabase } from '../support/database';

let database: TestDatabase;
let workspaceId: string;
let connectionId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  const admin = await createUser(database, 'admin');
  workspaceId = (await createWorkspace(database.db, admin, 'Retention')).id;
  [{ id: connectionId }] = await asService(database.db, (tx) =>
    tx
      .insert(connections)
      .values({ workspaceId, provider: 'hubspot', displayName: 'HubSpot', authKind: 'oauth2', status: 'active', accountId: '4242001' })
      .returning({ id: connections.id }),
  );
});
afterAll(() => database?.drop());

const ENV = ['WEBHOOK_REJECTION_RETENTION_DAYS', 'WEBHOOK_RETENTION_DAYS', 'JOB_RUNNER'] as const;
const saved = Object.fromEntries(ENV.map((name) => [name, process.env[name]]));
afterEach(() => {
  for (const name of ENV) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

const DAY = 24 * 60 * 60 * 1000;
const ago = (ms: number) => new Date(Date.now() - ms);

type Status = (typeof webhookEvents.$inferInsert)['status'];
interface Delivery {
  label: string;
  status: Status;
  receivedDaysAgo: number;
  processedDaysAgo?: number;
  lastReceivedDaysAgo?: number;
  orphan?: boolean;
  syncRunId?: string;
}

let counter = 0;

/** Stores deliveries as ingestion would have, backdated; returns their ids by label. */
async function deliveries(rows: Delivery[]): Promise<Map<string, string>> {
  const inserted = await asService(database.db, (tx) =>
    tx
      .insert(webhookEvents)
      .values(
        rows.map((row) => ({
          workspaceId: row.orphan ? null : workspaceId,
          connectionId: row.orphan ? null : connectionId,
          provider: 'hubspot',
          dedupeKey: `${row.label}:${++counter}`,
          verification: row.status === 'rejected' ? ('failed' as const) : ('verified' as const),
          status: row.status,
          receivedAt: ago(row.receivedDaysAgo * DAY),
          processedAt: row.processedDaysAgo === undefined ? null : ago(row.processedDaysAgo * DAY),
          lastReceivedAt: row.lastReceivedDaysAgo === undefined ? null : ago(row.lastReceivedDaysAgo * DAY),
          syncRunId: row.syncRunId ?? null,
        })),
      )
      .returning({ id: webhookEvents.id }),
  );
  return new Map(rows.map((row, index) => [row.label, inserted[index].id]));
}

const remainingLabels = async (ids: Map<string, string>) => {
  const left = new Set((await asService(database.db, (tx) => tx.select({ id: webhookEvents.id }).from(webhookEvents))).map((row) => row.id));
  return [...ids].filter(([, id]) => left.has(id)).map(([label]) => label).sort();
};

/** Failed sign-in attempts, backdated by minutes. */
async function attempts(key: string, minutesAgo: number[]): Promise<void> {
  await asService(database.db, async (tx) => {
    for (const minutes of minutesAgo) {
      await tx.execute(sql`insert into app_private.login_attempts (key, attempted_at) values (${key}, now() - make_interval(mins => ${minutes}))`);
    }
  });
}

const attemptAges = async (key: string) =>
  rowsOf<{ minutes: number }>(
    await database.db.execute(sql`
      select round(extract(epoch from now() - attempted_at) / 60)::int as minutes
      from app_private.login_attempts where key = ${key} order by 1`),
  ).map((row) => row.minutes);

async function clearAll() {
  await asService(database.db, async (tx) => {
    await tx.delete(webhookEvents);
    await tx.execute(sql`delete from app_private.login_attempts`);
  });
}

/** A spread of deliveries on both sides of every default period. */
async function seedDefaults() {
  const { runId } = await requestSync(database.db, { workspaceId, connectionId, trigger: 'webhook', mode: 'incremental' });
  const ids = await deliveries([
    { label: 'rejected, 8 days', status: 'rejected', receivedDaysAgo: 8 },
    { label: 'rejected, 6 days', status: 'rejected', receivedDaysAgo: 6 },
    { label: 'rejected orphan, 8 days', status: 'rejected', receivedDaysAgo: 8, orphan: true },
    { label: 'rejected orphan, 6 days', status: 'rejected', receivedDaysAgo: 6, orphan: true },
    { label: 'processed, 31 days, ran a sync', status: 'processed', receivedDaysAgo: 31, processedDaysAgo: 31, syncRunId: runId },
    { label: 'processed, 29 days', status: 'processed', receivedDaysAgo: 29, processedDaysAgo: 29 },
    { label: 'processed, 31 days, retried 2 days ago', status: 'processed', receivedDaysAgo: 31, processedDaysAgo: 31, lastReceivedDaysAgo: 2 },
    { label: 'processed, 31 days, replayed yesterday', status: 'processed', receivedDaysAgo: 31, processedDaysAgo: 1 },
    { label: 'ignored, 31 days', status: 'ignored', receivedDaysAgo: 31, processedDaysAgo: 31 },
    { label: 'unrouted, 31 days', status: 'unrouted', receivedDaysAgo: 31, processedDaysAgo: 31 },
    { label: 'unrouted orphan, 8 days', status: 'unrouted', receivedDaysAgo: 8, processedDaysAgo: 8, orphan: true },
    { label: 'unrouted orphan, 6 days', status: 'unrouted', receivedDaysAgo: 6, processedDaysAgo: 6, orphan: true },
    { label: 'failed, 60 days', status: 'failed', receivedDaysAgo: 60, processedDaysAgo: 59 },
    { label: 'waiting, 60 days', status: 'received', receivedDaysAgo: 60 },
    { label: 'processing, 60 days', status: 'processing', receivedDaysAgo: 60 },
  ]);
  const window = LOGIN_LIMIT.windowMinutes;
  await attempts('email:someone@example.test', [1, window - 1, window + 1, 3 * 24 * 60]);
  return { ids, runId };
}

const KEPT_BY_DEFAULT = [
  'failed, 60 days',
  'processed, 29 days',
  'processed, 31 days, replayed yesterday',
  'processed, 31 days, retried 2 days ago',
  'processing, 60 days',
  'rejected orphan, 6 days',
  'rejected, 6 days',
  'unrouted orphan, 6 days',
  'waiting, 60 days',
];

describe(`retention (${testEngine})`, () => {
  it('deletes exactly what is past each period, keeps the rest, and leaves the sync runs deliveries triggered', async () => {
    await clearAll();
    const { ids, runId } = await seedDefaults();
    const report = await runRetention(database.db);
    expect(report).toMatchObject({ 'webhook-rejections': 2, 'webhook-deliveries': 3, 'webhook-orphans': 1, 'login-attempts': 2 });
    expect(await remainingLabels(ids)).toEqual(KEPT_BY_DEFAULT);
    // The run a deleted delivery triggered is history of its own: it stays.
    expect(await asService(database.db, (tx) => tx.select({ id: syncRuns.id }).from(syncRuns).where(eq(syncRuns.id, runId)))).toHaveLength(1);
    // Attempts inside the sign-in window stay; older ones affect nothing and go.
    expect(await attemptAges('email:someone@example.test')).toEqual([1, LOGIN_LIMIT.windowMinutes - 1]);
    // A second pass finds nothing more.
    expect(Object.values(await runRetention(database.db)).every((n) => n === 0)).toBe(true);
  });

  it('takes its periods from WEBHOOK_REJECTION_RETENTION_DAYS and WEBHOOK_RETENTION_DAYS, and ignores values that are not days', async () => {
    await clearAll();
    const { ids } = await seedDefaults();
    process.env.WEBHOOK_REJECTION_RETENTION_DAYS = '3';
    process.env.WEBHOOK_RETENTION_DAYS = '10';
    await runRetention(database.db);
    expect(await remainingLabels(ids)).toEqual([
      'failed, 60 days',
      'processed, 31 days, replayed yesterday',
      'processed, 31 days, retried 2 days ago',
      'processing, 60 days',
      'unrouted orphan, 6 days',
      'waiting, 60 days',
    ]);

    await clearAll();
    const again = await seedDefaults();
    process.env.WEBHOOK_REJECTION_RETENTION_DAYS = '0';
    process.env.WEBHOOK_RETENTION_DAYS = 'a month';
    await runRetention(database.db);
    expect(await remainingLabels(again.ids)).toEqual(KEPT_BY_DEFAULT);
  });

  it('deletes in batches until nothing past its period is left', async () => {
    await clearAll();
    const ids = await deliveries(Array.from({ length: 23 }, (_, i) => ({ label: `old ${i}`, status: 'rejected' as const, receivedDaysAgo: 9 })));
    const kept = await deliveries([{ label: 'new', status: 'rejected', receivedDaysAgo: 1 }]);
    expect(await runRetention(database.db, { batch: 5 })).toMatchObject({ 'webhook-rejections': 23 });
    expect(await remainingLabels(ids)).toEqual([]);
    expect(await remainingLabels(kept)).toEqual(['new']);
  });

  it('prunes sign-in attempts without lifting a throttle that is still in force', async () => {
    await clearAll();
    const input = { email: 'nobody@example.test', password: 'not the password' };
    for (let i = 0; i < LOGIN_LIMIT.attempts; i++) expect(await verifyLocalAccount(database.db, input, '192.0.2.7')).toBeNull();
    await expect(verifyLocalAccount(database.db, input, '192.0.2.7')).rejects.toMatchObject({ code: 'rate_limited' });
    expect(await runRetention(database.db)).toMatchObject({ 'login-attempts': 0 });
    await expect(verifyLocalAccount(database.db, input, '192.0.2.7')).rejects.toMatchObject({ code: 'rate_limited' });

    // Once the window has passed the attempts count for nothing, and retention removes them.
    await database.db.execute(sql`update app_private.login_attempts set attempted_at = attempted_at - make_interval(mins => ${LOGIN_LIMIT.windowMinutes + 1})`);
    expect(await runRetention(database.db)).toMatchObject({ 'login-attempts': 2 * LOGIN_LIMIT.attempts });
    expect(await verifyLocalAccount(database.db, input, '192.0.2.7')).toBeNull();
  });

  it('deletes sessions a day after they ended (signed out, expired or idle) and keeps live ones', async () => {
    await clearAll();
    const user = await createUser(database, 'sessions');
    const session = async (label: string, values: { revokedDaysAgo?: number; expiresInDays: number; seenDaysAgo: number }) => {
      const [row] = rowsOf<{ id: string }>(
        await database.db.execute(sql`
          insert into app_private.sessions (token_hash, user_id, last_seen_at, expires_at, revoked_at, user_agent)
          values (encode(sha256(convert_to(${label}, 'UTF8')), 'hex'), ${user.userId}::uuid,
                  now() - make_interval(days => ${values.seenDaysAgo}), now() + make_interval(days => ${values.expiresInDays}),
                  ${values.revokedDaysAgo === undefined ? null : sql`now() - make_interval(days => ${values.revokedDaysAgo})`}, ${label})
          returning id`),
      );
      return row.id;
    };
    await session('live', { expiresInDays: 20, seenDaysAgo: 0 });
    await session('signed out just now', { revokedDaysAgo: 0, expiresInDays: 20, seenDaysAgo: 0 });
    await session('signed out 2 days ago', { revokedDaysAgo: 2, expiresInDays: 20, seenDaysAgo: 2 });
    await session('expired 2 days ago', { expiresInDays: -2, seenDaysAgo: 3 });
    await session('idle 9 days', { expiresInDays: 10, seenDaysAgo: 9 });
    expect(await runRetention(database.db)).toMatchObject({ sessions: 3 });
    const left = rowsOf<{ user_agent: string }>(await database.db.execute(sql`select user_agent from app_private.sessions where user_id = ${user.userId}::uuid order by user_agent`));
    expect(left.map((row) => row.user_agent)).toEqual(['live', 'signed out just now']);
  });

  it('deletes settled outbound events, old notifications and long-resolved health issues, and keeps what is still live', async () => {
    const owner = await createUser(database, 'events-owner');
    const ws = (await createWorkspace(database.db, owner, 'Events retention')).id;
    const run = (query: ReturnType<typeof sql>) => database.db.execute(query);
    const [{ id: endpointId }] = rowsOf<{ id: string }>(
      await run(sql`insert into public.outbound_endpoints (workspace_id, url, event_types)
                    values (${ws}::uuid, 'https://receiver.example/hook', '{sync.completed}') returning id`),
    );
    const event = async (label: string, daysAgo: number, deliveryStatus: string) => {
      const [{ id }] = rowsOf<{ id: string }>(
        await run(sql`insert into public.workspace_events (workspace_id, type, data, created_at)
                      values (${ws}::uuid, 'sync.completed', ${JSON.stringify({ label })}::jsonb, now() - make_interval(days => ${daysAgo}))
                      returning id`),
      );
      await run(sql`insert into public.outbound_deliveries (workspace_id, event_id, endpoint_id, status)
                    values (${ws}::uuid, ${id}::uuid, ${endpointId}::uuid, ${deliveryStatus})`);
    };
    await event('old, delivered', 40, 'succeeded');
    await event('old, given up', 40, 'failed');
    await event('old, still retrying', 40, 'retrying');
    await event('recent, delivered', 2, 'succeeded');
    const notification = (title: string, daysAgo: number) =>
      run(sql`insert into public.notifications (workspace_id, user_id, kind, severity, title, created_at)
              values (${ws}::uuid, ${owner.userId}::uuid, 'needs_reauth', 'critical', ${title}, now() - make_interval(days => ${daysAgo}))`);
    await notification('old', 100);
    await notification('recent', 10);
    const issue = (title: string, status: 'open' | 'resolved', resolvedDaysAgo: number | null) =>
      run(sql`insert into public.health_issues (workspace_id, kind, severity, status, title, explanation, fix, first_seen_at, resolved_at)
              values (${ws}::uuid, 'endpoint_failing', 'warning', ${status}, ${title}, 'why', '{"kind":"edit_endpoint","label":"Edit","href":null}'::jsonb,
                      now() - make_interval(days => 200),
                      ${resolvedDaysAgo === null ? null : sql`now() - make_interval(days => ${resolvedDaysAgo})`})`);
    await issue('resolved long ago', 'resolved', 100);
    await issue('resolved lately', 'resolved', 5);
    await issue('open for ages', 'open', null);

    expect(await runRetention(database.db)).toMatchObject({ 'workspace-events': 2, notifications: 1, 'health-issues': 1 });
    const labels = rowsOf<{ label: string; status: string }>(
      await run(sql`select e.data->>'label' as label, d.status from public.workspace_events e
                    join public.outbound_deliveries d on d.event_id = e.id where e.workspace_id = ${ws}::uuid order by 1`),
    );
    expect(labels).toEqual([
      { label: 'old, still retrying', status: 'retrying' },
      { label: 'recent, delivered', status: 'succeeded' },
    ]);
    const titles = async (table: 'notifications' | 'health_issues') =>
      rowsOf<{ title: string }>(await run(sql`select title from ${sql.raw(`public.${table}`)} where workspace_id = ${ws}::uuid order by title`)).map((row) => row.title);
    expect(await titles('notifications')).toEqual(['recent']);
    expect(await titles('health_issues')).toEqual(['open for ages', 'resolved lately']);
  });

  it('runs as the daily Inngest cron function, one step per rule', async () => {
    await clearAll();
    const { ids } = await seedDefaults();
    const { pruneExpiredRows } = createFunctions(async () => database.db);
    const engine = new InngestTestEngine({ function: pruneExpiredRows });
    const { result, ctx } = await engine.execute();
    expect(result).toMatchObject({ deleted: { 'webhook-rejections': 2, 'webhook-deliveries': 3, 'webhook-orphans': 1, 'login-attempts': 2 } });
    const steps = (ctx.step.run as unknown as { mock: { calls: [string][] } }).mock.calls.map((call) => call[0]);
    expect(steps).toEqual(RETENTION_RULES.map((rule) => `prune-${rule.name}`));
    expect(await remainingLabels(ids)).toEqual(KEPT_BY_DEFAULT);
    const triggers = (pruneExpiredRows as unknown as { opts: { triggers: unknown[] } }).opts.triggers;
    expect(triggers).toContainEqual({ cron: expect.any(String) });
  });

  it('runs in process when the dispatcher hands it there', async () => {
    await clearAll();
    const { ids } = await seedDefaults();
    process.env.JOB_RUNNER = 'in-process';
    await dispatch(database.db, retentionRequested());
    // The pass dispatch started is joined, not repeated.
    expect(await pruneInProcess(database.db)).toMatchObject({ 'webhook-rejections': 2, 'webhook-deliveries': 3, 'webhook-orphans': 1, 'login-attempts': 2 });
    expect(await remainingLabels(ids)).toEqual(KEPT_BY_DEFAULT);
  });
});
