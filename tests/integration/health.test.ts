// Connection health issues end to end against the provider sandbox: each failure is driven at the
// sandbox (a dead grant, a 429 storm, webhooks that stopped while incremental syncs find changes,
// an expiring push channel, a mapping most records fail, forged deliveries), then the check opens
// the issue with its fields, Activity, one outbound event and one notification; a second check
// re-detects it without opening it again; clearing the cause resolves it.
import { InngestTestEngine } from '@inngest/test';
import { and, eq, sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { getConnection, listConnections } from '@/lib/connections/connections';
import { providerClientFor } from '@/lib/connections/provider-access';
import { asService } from '@/lib/db/rls';
import { activity, connectionCredentials, healthIssues, notifications, outboundEndpoints, webhookChannels, workspaceEvents } from '@/lib/db/schema';
import { checkConnectionHealth } from '@/lib/health/check';
import { HEALTH_EVENTS } from '@/lib/inngest/client';
import { createHealthFunctions } from '@/lib/inngest/health-functions';
import { checkInProcess, sweepHealth } from '@/lib/jobs/health';
import { clearIssue, listIssues, raiseIssue } from '@/lib/health/store';
import type { HealthIssueKind } from '@/lib/health/types';
import { getMappingEditor, saveMapping } from '@/lib/mapping/editor';
import { reapplyNextBatch } from '@/lib/mapping/reapply';
import { ReauthorizationRequiredError } from '@/lib/providers/errors';
import { SyncRunner } from '@/lib/sync/runner';
import { requestSync } from '@/lib/sync/runs';
import { renewExpiringChannels } from '@/lib/webhooks/channels';
import { createWorkspace } from '@/lib/workspaces/workspaces';
import { mutateData } from '../sandbox/server';
import { connectViaSandbox } from '../support/connect';
import { createUser, testEngine } from '../support/database';
import { exampleProvider, exampleProviders, exampleResource, type ExampleProvider } from '../support/providers';
import { deliverFromSandbox, webhookSuite } from '../support/webhooks';

const suite = webhookSuite();
const db = () => suite.database.db;

let runner: SyncRunner;
beforeEach(() => {
  // Two attempts per page and no real waiting: a 429 storm fails a run quickly.
  runner = new SyncRunner(db(), { maxAttempts: 2, baseDelayMs: 1, sleep: async () => undefined });
});

const oauthSyncing = exampleProvider({ auth: 'oauth2', sync: true });
const appSigned = exampleProvider({ webhooks: 'app-signed', sync: true });
const channelled = exampleProviders({ webhooks: 'channel', sync: true })[0];
const contacts = exampleResource({ model: 'Contact' });

/** A workspace subscribed to issue events (so emitted events are stored), with a connection whose first sync ran. */
async function connected(provider: ExampleProvider, dataset: Record<string, number>, options: { sync?: boolean } = {}) {
  suite.sandbox.setKnobs({ dataset: provider.datasets(dataset) });
  const workspaceId = (await createWorkspace(db(), suite.admin, `Health ${provider.id}`)).id;
  await asService(db(), (tx) =>
    tx.insert(outboundEndpoints).values({
      workspaceId,
      url: 'https://receiver.example.test/hooks',
      eventTypes: ['connection.issue_opened', 'connection.issue_resolved'],
    }),
  );
  const { connectionId } = await connectViaSandbox(db(), suite.admin, workspaceId, provider.id);
  if (options.sync !== false) {
    const { runId } = await requestSync(db(), { workspaceId, connectionId, trigger: 'initial', mode: 'full' });
    expect(await runner.runToEnd(runId)).toMatch(/succeeded|partial/);
  }
  return { workspaceId, connectionId };
}

async function sync(target: { workspaceId: string; connectionId: string }, mode: 'full' | 'incremental', trigger: 'manual' | 'schedule' = 'schedule') {
  const { runId } = await requestSync(db(), { ...target, trigger, mode });
  return runner.runToEnd(runId);
}

const issuesOf = (connectionId: string, kind: HealthIssueKind) =>
  asService(db(), (tx) =>
    tx.select().from(healthIssues).where(and(eq(healthIssues.connectionId, connectionId), eq(healthIssues.kind, kind))).orderBy(healthIssues.firstSeenAt),
  );

async function trail(workspaceId: string, issueId: string) {
  return asService(db(), async (tx) => ({
    activity: (
      await tx
        .select({ action: activity.action })
        .from(activity)
        .where(and(eq(activity.workspaceId, workspaceId), sql`${activity.details}->>'issueId' = ${issueId}`))
    ).map((row) => row.action),
    events: (
      await tx
        .select({ type: workspaceEvents.type })
        .from(workspaceEvents)
        .where(and(eq(workspaceEvents.workspaceId, workspaceId), sql`${workspaceEvents.data}->'issue'->>'id' = ${issueId}`))
    ).map((row) => row.type),
    notifications: (await tx.select({ userId: notifications.userId }).from(notifications).where(eq(notifications.issueId, issueId))).map((row) => row.userId),
  }));
}

/** Checks, expects exactly one open issue of the kind, and returns it. */
async function expectOpen(connectionId: string, kind: HealthIssueKind, options: { now?: Date } = {}) {
  await checkConnectionHealth(db(), connectionId, options);
  const open = (await issuesOf(connectionId, kind)).filter((issue) => issue.status === 'open');
  expect(open, `open ${kind} issues`).toHaveLength(1);
  return open[0];
}

/** The opening wrote one Activity entry, one outbound event and one notification (the admin), and nothing more. */
async function expectOpenedOnce(workspaceId: string, issueId: string) {
  expect(await trail(workspaceId, issueId)).toEqual({
    activity: ['health.issue_opened'],
    events: ['connection.issue_opened'],
    notifications: [suite.admin.userId],
  });
}

/** Checks again while the condition holds: the same issue, counted, and no second opening. */
async function expectRedetected(workspaceId: string, connectionId: string, kind: HealthIssueKind, first: { id: string; lastSeenAt: Date }, options: { now?: Date } = {}) {
  const again = await expectOpen(connectionId, kind, options);
  expect(again.id).toBe(first.id);
  expect(again.count).toBe(2);
  expect(again.lastSeenAt.getTime()).toBeGreaterThan(first.lastSeenAt.getTime());
  await expectOpenedOnce(workspaceId, first.id);
  return again;
}

async function expectResolved(workspaceId: string, connectionId: string, kind: HealthIssueKind, issueId: string, options: { now?: Date } = {}) {
  await checkConnectionHealth(db(), connectionId, options);
  const issues = await issuesOf(connectionId, kind);
  expect(issues.filter((issue) => issue.status === 'open')).toEqual([]);
  const resolved = issues.find((issue) => issue.id === issueId)!;
  expect(resolved).toMatchObject({ status: 'resolved' });
  expect(resolved.resolvedAt).toBeInstanceOf(Date);
  expect(await trail(workspaceId, issueId)).toEqual({
    activity: expect.arrayContaining(['health.issue_opened', 'health.issue_resolved']),
    events: expect.arrayContaining(['connection.issue_opened', 'connection.issue_resolved']),
    notifications: [suite.admin.userId],
  });
  expect((await trail(workspaceId, issueId)).activity).toHaveLength(2);
}

describe(`connection health issues (${testEngine})`, () => {
  it('opens needs_reauth when the grant dies, re-detects it, and resolves it on reconnect', async () => {
    const target = await connected(oauthSyncing, {}, { sync: false });
    await asService(db(), (tx) =>
      tx.update(connectionCredentials).set({ expiresAt: new Date(Date.now() - 60_000) }).where(eq(connectionCredentials.connectionId, target.connectionId)),
    );
    suite.sandbox.knobs.failNextToken = { [oauthSyncing.id]: 'invalid_grant' };
    await expect(providerClientFor(db(), target.connectionId)).rejects.toBeInstanceOf(ReauthorizationRequiredError);

    const issue = await expectOpen(target.connectionId, 'needs_reauth');
    expect(issue).toMatchObject({
      workspaceId: target.workspaceId,
      severity: 'critical',
      subject: '',
      count: 1,
      resolvedAt: null,
      fix: { kind: 'reconnect', label: 'Reconnect', href: `/w/${target.workspaceId}/integrations/${target.connectionId}` },
    });
    expect(issue.explanation).toMatch(/invalid_grant/);
    await expectOpenedOnce(target.workspaceId, issue.id);
    await expectRedetected(target.workspaceId, target.connectionId, 'needs_reauth', issue);

    // Members read it through RLS; the listing filters by connection and status.
    const listed = await listIssues(db(), { sub: suite.admin.userId, email: suite.admin.email }, { workspaceId: target.workspaceId, connectionId: target.connectionId });
    expect(listed.map((i) => [i.id, i.kind, i.count])).toEqual([[issue.id, 'needs_reauth', 2]]);
    const outsider = await createUser(suite.database, 'outsider');
    await expect(listIssues(db(), { sub: outsider.userId, email: outsider.email }, { workspaceId: target.workspaceId })).rejects.toMatchObject({ status: 404 });
    // The connection list and page carry the summary the cards show.
    const broken = { health: 'broken', open: { critical: 1, warning: 0, info: 0 } };
    expect((await listConnections(db(), suite.admin, target.workspaceId)).map((c) => c.health)).toEqual([broken]);
    expect((await getConnection(db(), suite.admin, target.workspaceId, target.connectionId)).health).toEqual(broken);

    await connectViaSandbox(db(), suite.admin, target.workspaceId, oauthSyncing.id, target.connectionId);
    await expectResolved(target.workspaceId, target.connectionId, 'needs_reauth', issue.id);
    const all = await listIssues(db(), { sub: suite.admin.userId, email: suite.admin.email }, { workspaceId: target.workspaceId, status: 'all' });
    expect(all.map((i) => i.status)).toEqual(['resolved']);
    expect((await getConnection(db(), suite.admin, target.workspaceId, target.connectionId)).health).toEqual({ health: 'healthy', open: { critical: 0, warning: 0, info: 0 } });
  });

  it('opens rate_limited after a 429 storm fails syncs, then sync_failing, and resolves them as syncs recover', async () => {
    const resource = oauthSyncing.resources[0];
    const target = await connected(oauthSyncing, { [resource]: 5 });
    suite.sandbox.setKnobs({ rateLimitPage: { provider: oauthSyncing.id, resource, page: 1, retryAfterSeconds: 0, times: 1_000 } });
    expect(await sync(target, 'full', 'manual')).toBe('failed');
    expect(await sync(target, 'full', 'manual')).toBe('failed');

    const limited = await expectOpen(target.connectionId, 'rate_limited');
    expect(limited).toMatchObject({ severity: 'warning', count: 1, fix: { kind: 'wait' } });
    expect(limited.explanation).toMatch(/2 syncs in the last 24 hours gave up after the provider answered 429/);
    await expectOpenedOnce(target.workspaceId, limited.id);
    expect(await issuesOf(target.connectionId, 'sync_failing')).toEqual([]);

    // A third failure in a row: the connection is failing, not only throttled. One opening each.
    expect(await sync(target, 'full', 'manual')).toBe('failed');
    const failing = await expectOpen(target.connectionId, 'sync_failing');
    expect(failing.explanation).toMatch(/3 syncs in a row failed; the latest: .*429/);
    await expectOpenedOnce(target.workspaceId, failing.id);
    const again = (await issuesOf(target.connectionId, 'rate_limited'))[0];
    expect(again).toMatchObject({ id: limited.id, status: 'open', count: 2 });
    expect(again.explanation).toMatch(/^3 syncs/);

    suite.sandbox.setKnobs({ rateLimitPage: null });
    expect(await sync(target, 'full', 'manual')).toMatch(/succeeded|partial/);
    await expectResolved(target.workspaceId, target.connectionId, 'sync_failing', failing.id);
    // The throttled runs count for a day; past it, that clears too.
    expect((await issuesOf(target.connectionId, 'rate_limited'))[0].status).toBe('open');
    await expectResolved(target.workspaceId, target.connectionId, 'rate_limited', limited.id, { now: new Date(Date.now() + 25 * 3_600_000) });
  });

  it('opens webhooks_silent while scheduled incremental syncs find changes no webhook announced, and resolves when deliveries arrive', async () => {
    const resource = appSigned.resources[0];
    const target = await connected(appSigned, { [resource]: 20 });
    for (let i = 0; i < 3; i++) {
      mutateData(suite.sandbox, { provider: appSigned.id, resource, update: 2 });
      expect(await sync(target, 'incremental')).toMatch(/succeeded|partial/);
    }
    const silent = await expectOpen(target.connectionId, 'webhooks_silent');
    expect(silent).toMatchObject({ severity: 'warning', fix: { kind: 'check_webhooks', href: `/w/${target.workspaceId}/integrations/${target.connectionId}/webhooks` } });
    expect(silent.explanation).toMatch(/3 scheduled syncs found 6 changes, but no webhook delivery has arrived since the connection was made/);
    await expectOpenedOnce(target.workspaceId, silent.id);
    await expectRedetected(target.workspaceId, target.connectionId, 'webhooks_silent', silent);

    const delivered = await deliverFromSandbox(suite, { provider: appSigned.id, url: `${suite.server.url}${appSigned.webhookPath}`, mutate: { update: 1 } });
    expect(delivered.deliveries[0].status).toBe(200);
    await expectResolved(target.workspaceId, target.connectionId, 'webhooks_silent', silent.id);
  });

  it('opens signature_failures on a burst of forged deliveries for the connection', async () => {
    const target = await connected(appSigned, { [appSigned.resources[0]]: 3 });
    const forged = await deliverFromSandbox(suite, { provider: appSigned.id, url: `${suite.server.url}${appSigned.webhookPath}`, mutate: { update: 1 }, tamper: 'signature', repeat: 12 });
    expect(forged.deliveries.every((d) => d.status === 401)).toBe(true);
    const burst = await expectOpen(target.connectionId, 'signature_failures');
    expect(burst.explanation).toMatch(/^12 deliveries claiming this connection failed verification in the last hour/);
    await expectOpenedOnce(target.workspaceId, burst.id);
    // An hour on, the burst is over.
    await expectResolved(target.workspaceId, target.connectionId, 'signature_failures', burst.id, { now: new Date(Date.now() + 61 * 60_000) });
  });

  it.runIf(channelled)('opens channel_expiring for a channel near its end, marks it critical once expired, and resolves on renewal', async () => {
    const target = await connected(channelled!, {}, { sync: false });
    const channels = await asService(db(), (tx) =>
      tx.select().from(webhookChannels).where(and(eq(webhookChannels.connectionId, target.connectionId), eq(webhookChannels.status, 'active'))),
    );
    expect(channels.length).toBeGreaterThan(0);
    // As if the provider had granted only three more hours (or renewal had kept failing).
    const soon = new Date(Date.now() + 3 * 3_600_000);
    await asService(db(), (tx) => tx.update(webhookChannels).set({ expiresAt: soon }).where(eq(webhookChannels.id, channels[0].id)));

    const expiring = await expectOpen(target.connectionId, 'channel_expiring');
    expect(expiring).toMatchObject({ severity: 'warning', subject: channels[0].target, details: { channelId: channels[0].id, expired: false } });
    expect(expiring.explanation).toMatch(/expires at .* \(in 3 h\)/);
    await expectOpenedOnce(target.workspaceId, expiring.id);
    const expired = await expectRedetected(target.workspaceId, target.connectionId, 'channel_expiring', expiring, { now: new Date(soon.getTime() + 60_000) });
    expect(expired).toMatchObject({ severity: 'critical', details: { expired: true } });

    expect(await renewExpiringChannels(db())).toMatchObject({ renewed: 1, failed: 0 });
    await expectResolved(target.workspaceId, target.connectionId, 'channel_expiring', expiring.id);
  });

  it('opens mapping_failures when a saved mapping fails most records, and resolves once it is fixed', async () => {
    const provider = contacts.provider;
    const target = await connected(provider, { [contacts.resource]: 30 });
    const mappingTarget = { ...target, resource: contacts.resource };
    const editor = await getMappingEditor(db(), suite.admin, mappingTarget);
    const good = editor.active!.definition;
    const strict = {
      ...good,
      rows: [...good.rows, { id: 'needs_missing', target: 'notes', source: 'no_such_field_anywhere', validations: [{ rule: 'required' as const }] }],
    };
    const drain = async (jobId: string) => {
      while ((await reapplyNextBatch(db(), jobId, 1_000)) === 'more');
    };
    await drain((await saveMapping(db(), suite.admin, mappingTarget, { definition: strict })).jobId);

    const failing = await expectOpen(target.connectionId, 'mapping_failures');
    expect(failing).toMatchObject({
      subject: contacts.resource,
      severity: 'warning',
      fix: { kind: 'edit_mapping', href: `/w/${target.workspaceId}/integrations/${target.connectionId}/mappings/${contacts.resource}` },
      details: { failed: 30, total: 30 },
    });
    expect(failing.explanation).toMatch(new RegExp(`^30 of 30 ${contacts.resource} records fail`));
    await expectOpenedOnce(target.workspaceId, failing.id);
    await expectRedetected(target.workspaceId, target.connectionId, 'mapping_failures', failing);

    await drain((await saveMapping(db(), suite.admin, mappingTarget, { definition: good })).jobId);
    await expectResolved(target.workspaceId, target.connectionId, 'mapping_failures', failing.id);
  });

  it('raises and clears issues detected elsewhere through the same path, workspace-level included', async () => {
    const target = await connected(oauthSyncing, {}, { sync: false });
    const endpointId = crypto.randomUUID();
    const input = {
      workspaceId: target.workspaceId,
      connectionId: null,
      kind: 'endpoint_failing' as const,
      subject: endpointId,
      severity: 'warning' as const,
      title: 'An outbound endpoint keeps failing',
      explanation: 'Deliveries failed for 3 days.',
      fix: { kind: 'edit_endpoint' as const, label: 'Edit endpoint', href: `/w/${target.workspaceId}/settings` },
      details: { endpointId },
    };
    const raised = await raiseIssue(db(), input);
    expect(raised).toMatchObject({ connectionId: null, subject: endpointId, count: 1, status: 'open' });
    expect((await raiseIssue(db(), input)).count).toBe(2);
    await expectOpenedOnce(target.workspaceId, raised.id);
    // A connection check leaves workspace-level issues alone.
    await checkConnectionHealth(db(), target.connectionId);
    expect(await clearIssue(db(), { workspaceId: target.workspaceId, connectionId: null, kind: 'endpoint_failing', subject: endpointId })).toMatchObject({
      id: raised.id,
      status: 'resolved',
    });
    expect(await clearIssue(db(), { workspaceId: target.workspaceId, connectionId: null, kind: 'endpoint_failing', subject: endpointId })).toBeNull();
    expect((await trail(target.workspaceId, raised.id)).activity).toEqual(expect.arrayContaining(['health.issue_opened', 'health.issue_resolved']));
  });

  it('runs as jobs: in process (requests during a check fold into one more pass), a sweep, and the Inngest functions', async () => {
    const target = await connected(oauthSyncing, {}, { sync: false });
    await asService(db(), (tx) => tx.update(connectionCredentials).set({ refreshFailures: 3 }).where(eq(connectionCredentials.connectionId, target.connectionId)));
    // Three requests at once: one check, and one more pass for the two that came while it ran.
    await Promise.all([checkInProcess(db(), target.connectionId), checkInProcess(db(), target.connectionId), checkInProcess(db(), target.connectionId)]);
    const [refresh] = await issuesOf(target.connectionId, 'token_refresh_failing');
    expect(refresh).toMatchObject({ status: 'open', count: 2 });
    expect(await sweepHealth(db())).toBeGreaterThan(0);
    expect((await issuesOf(target.connectionId, 'token_refresh_failing'))[0].count).toBe(3);

    const functions = createHealthFunctions(async () => db());
    await asService(db(), (tx) => tx.update(connectionCredentials).set({ refreshFailures: 0 }).where(eq(connectionCredentials.connectionId, target.connectionId)));
    const checked = await new InngestTestEngine({ function: functions.checkConnection }).execute({
      events: [{ name: HEALTH_EVENTS.checkRequested, data: { connectionId: target.connectionId } }],
    });
    expect(checked.result).toEqual({ connectionId: target.connectionId, outcome: { opened: 0, redetected: 0, resolved: 1 } });
    expect((await issuesOf(target.connectionId, 'token_refresh_failing'))[0].status).toBe('resolved');

    // The cron fans out one check per connection; sending is Inngest's, so the step is mocked.
    const sweep = await new InngestTestEngine({ function: functions.sweepHealth, steps: [{ id: 'check-each', handler: () => ({ ids: [] }) }] }).execute();
    const sent = (sweep.ctx.step.sendEvent as unknown as { mock: { calls: [string, { data: { connectionId: string } }[]][] } }).mock.calls;
    expect(sent.flatMap(([, events]) => events.map((e) => e.data.connectionId))).toContain(target.connectionId);
  });
});
