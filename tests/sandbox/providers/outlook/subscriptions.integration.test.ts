// Outlook change notifications end to end, over HTTP: on connect the app subscribes to every
// calendar and the sandbox performs Graph's validation handshake against the app's endpoint before
// accepting; a change notification (clientState checked) becomes one incremental sync; a wrong
// clientState is refused; lifecycle notifications resubscribe (subscriptionRemoved), renew
// (reauthorizationRequired) or resync (missed); subscriptions are replaced before they expire and
// deleted on disconnect.
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { disconnectConnection } from '@/lib/connections/connections';
import { asService } from '@/lib/db/rls';
import { syncRuns } from '@/lib/db/schema';
import { channelWithToken, renewExpiringChannels } from '@/lib/webhooks/channels';
import { processAllDue } from '@/lib/webhooks/process';
import { createWorkspace } from '@/lib/workspaces/workspaces';
import { connectViaSandbox } from '@/tests/support/connect';
import { testEngine } from '@/tests/support/database';
import { runRow } from '@/tests/support/sync';
import { backdateDeliveries, channelSuite, deliverFromSandbox, runInitialSync, webhookChannelsOf, webhookEventsOf } from '@/tests/support/webhooks';

const suite = channelSuite();
const DAY = 24 * 60 * 60 * 1000;

interface SandboxSubscription {
  id: string;
  calendarId: string;
  notificationUrl: string;
  lifecycleNotificationUrl: string | null;
  status: 'active' | 'deleted' | 'rejected';
}
interface Readout {
  subscriptions: SandboxSubscription[];
  creates: number;
  renewals: number;
  deletes: number;
  validations: { url: string; ok: boolean }[];
}

const atGraph = async (): Promise<Readout> => (await fetch(`${suite.sandbox.url}/_sandbox/webhooks/outlook-subscriptions`)).json();

const deliver = async (request: Record<string, unknown>) => (await deliverFromSandbox(suite, { provider: 'outlook', ...request })).deliveries;

/** Makes every stored delivery old enough that processing does not wait for a pause. */
const age = (connectionId: string) => backdateDeliveries(suite, connectionId, 25_000);

async function connect() {
  suite.sandbox.setKnobs({ dataset: { 'outlook.events': 40 } });
  const workspaceId = (await createWorkspace(suite.database.db, suite.admin, 'Outlook push')).id;
  const { connectionId } = await connectViaSandbox(suite.database.db, suite.admin, workspaceId, 'outlook');
  return { workspaceId, connectionId };
}

describe(`Outlook change notifications (${testEngine})`, () => {
  it('subscribes after Graph’s validation handshake, syncs on a notification, refuses a wrong clientState, and deletes on disconnect', async () => {
    const { workspaceId, connectionId } = await connect();

    // One subscription per calendar, each validated against our endpoint (both URLs) before Graph accepted it.
    const opened = await webhookChannelsOf(suite, connectionId);
    expect(opened).toHaveLength(2);
    const graph = await atGraph();
    expect(graph.creates).toBe(2);
    expect(graph.validations).toHaveLength(4);
    expect(graph.validations.every((v) => v.ok && v.url.startsWith(`${suite.server.url}/api/webhooks/outlook?channel=`))).toBe(true);
    for (const channel of opened) {
      expect(channel).toMatchObject({ status: 'active', address: `${suite.server.url}/api/webhooks/outlook` });
      const subscription = graph.subscriptions.find((s) => s.id === channel.resourceId)!;
      expect(subscription).toMatchObject({ status: 'active', calendarId: channel.target });
      expect(new URL(subscription.notificationUrl).searchParams.get('channel')).toBe(channel.id);
      expect(subscription.lifecycleNotificationUrl).toBe(subscription.notificationUrl);
      // Asked for 4,230 minutes: renewed by the kit a day before.
      expect(channel.expiresAt!.getTime() - Date.now()).toBeGreaterThan(2.9 * DAY);
      const { token } = (await channelWithToken(suite.database.db, channel.id))!;
      expect(channel.tokenEnvelope).not.toContain(token);
    }
    // The handshake itself stores nothing.
    expect(await webhookEventsOf(suite, connectionId)).toHaveLength(0);

    await runInitialSync(suite, { workspaceId, connectionId });

    // A change at Graph: each subscription whose calendar changed notifies; one incremental sync follows.
    const answers = await deliver({ mutate: { update: 2 } });
    expect(answers.length).toBeGreaterThan(0);
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const notified = await webhookEventsOf(suite, connectionId);
    expect(notified.length).toBeGreaterThanOrEqual(2);
    expect(notified.every((e) => e.verification === 'verified' && e.scheme === 'graph-client-state' && e.status === 'received')).toBe(true);
    // clientState is the secret: never stored.
    for (const event of notified) expect(JSON.stringify(event.payload)).not.toMatch(/clientState/);
    await age(connectionId);
    const report = await processAllDue(suite.database.db, { connectionId });
    expect(report.runsCreated).toHaveLength(1);
    expect(await suite.runner.runToEnd(report.runsCreated[0])).toBe('succeeded');
    expect(await runRow(suite.database.db, report.runsCreated[0])).toMatchObject({ trigger: 'webhook', resource: 'events', recordsUpdated: 2 });

    // The same notification with another clientState is refused and recorded for the workspace.
    const forged = await deliver({ secret: 'not-the-client-state' });
    expect(forged.map((a) => a.status)).toEqual([401, 401]);
    const rejected = (await webhookEventsOf(suite, connectionId)).filter((e) => e.verification === 'failed');
    expect(rejected[0]).toMatchObject({ workspaceId, status: 'rejected', verificationReason: 'clientState does not match the subscription' });
    const tampered = await deliver({ tamper: 'signature' });
    expect(tampered.map((a) => a.status)).toEqual([401, 401]);

    // Disconnecting deletes the subscriptions at Graph while the tokens still work.
    await disconnectConnection(suite.database.db, suite.admin, workspaceId, connectionId);
    expect((await webhookChannelsOf(suite, connectionId)).every((c) => c.status === 'stopped')).toBe(true);
    const after = await atGraph();
    expect(after.deletes).toBe(2);
    expect(after.subscriptions.every((s) => s.status === 'deleted')).toBe(true);
  });

  it('refuses to subscribe when the endpoint does not answer the handshake', async () => {
    delete process.env.PUBLIC_APP_URL;
    process.env.PUBLIC_APP_URL = 'http://127.0.0.1:9';
    try {
      const { connectionId } = await connect();
      const channels = await webhookChannelsOf(suite, connectionId);
      expect(channels).toHaveLength(2);
      expect(channels.every((c) => c.status === 'failed' && /validation request failed/i.test(c.error ?? ''))).toBe(true);
      expect((await atGraph()).creates).toBe(0);
    } finally {
      process.env.PUBLIC_APP_URL = suite.server.url;
    }
  });

  it('resubscribes on subscriptionRemoved, renews on reauthorizationRequired, resyncs on missed, and renews before expiry', async () => {
    const { workspaceId, connectionId } = await connect();
    await runInitialSync(suite, { workspaceId, connectionId });
    const opened = await webhookChannelsOf(suite, connectionId);
    const [first, second] = opened;

    // Graph dropped the first calendar's subscription: the app subscribes again at once.
    expect((await deliver({ calendarId: first.target, lifecycle: 'subscriptionRemoved' })).map((a) => a.status)).toEqual([200]);
    const [removed] = await webhookEventsOf(suite, connectionId);
    expect(removed).toMatchObject({ eventType: 'subscriptionRemoved', change: 'renew', status: 'received' });
    let report = await processAllDue(suite.database.db, { connectionId });
    expect(report).toMatchObject({ processed: 1, runsCreated: [] });
    let channels = await webhookChannelsOf(suite, connectionId);
    const replacement = channels.find((c) => c.id === channels.find((old) => old.id === first.id)!.replacedBy)!;
    expect(channels.find((c) => c.id === first.id)).toMatchObject({ status: 'stopped' });
    expect(replacement).toMatchObject({ status: 'active', target: first.target });
    let graph = await atGraph();
    expect(graph.creates).toBe(3);
    expect(graph.subscriptions.find((s) => s.id === replacement.resourceId)).toMatchObject({ status: 'active' });
    expect((await webhookEventsOf(suite, connectionId)).find((e) => e.id === removed.id)).toMatchObject({ status: 'processed', outcome: 'Replaced the push channel.' });

    // reauthorizationRequired on the second: a fresh subscription replaces it, the old one is deleted at Graph.
    await deliver({ calendarId: second.target, lifecycle: 'reauthorizationRequired' });
    report = await processAllDue(suite.database.db, { connectionId });
    expect(report.processed).toBe(1);
    channels = await webhookChannelsOf(suite, connectionId);
    expect(channels.filter((c) => c.status === 'active').map((c) => c.target).sort()).toEqual([first.target, second.target].sort());
    graph = await atGraph();
    expect(graph.creates).toBe(4);
    expect(graph.subscriptions.find((s) => s.id === second.resourceId)).toMatchObject({ status: 'deleted' });

    // missed: notifications were lost, so an incremental sync catches up.
    await deliver({ calendarId: first.target, lifecycle: 'missed', mutate: { create: 1 } });
    await age(connectionId);
    report = await processAllDue(suite.database.db, { connectionId });
    expect(report.runsCreated).toHaveLength(1);
    expect(await suite.runner.runToEnd(report.runsCreated[0])).toBe('succeeded');
    expect(await runRow(suite.database.db, report.runsCreated[0])).toMatchObject({ trigger: 'webhook', recordsCreated: 1 });

    // Nothing is due now; two days on, both subscriptions are within a day of their end and are replaced.
    expect(await renewExpiringChannels(suite.database.db)).toEqual({ renewed: 0, failed: 0 });
    expect(await renewExpiringChannels(suite.database.db, { now: new Date(Date.now() + 2.2 * DAY) })).toEqual({ renewed: 2, failed: 0 });
    const active = (await webhookChannelsOf(suite, connectionId)).filter((c) => c.status === 'active');
    expect(active).toHaveLength(2);
    graph = await atGraph();
    expect(graph.subscriptions.filter((s) => s.status === 'active').map((s) => s.id).sort()).toEqual(active.map((c) => c.resourceId).sort());
    const runs = await asService(suite.database.db, (tx) =>
      tx.select().from(syncRuns).where(and(eq(syncRuns.connectionId, connectionId), eq(syncRuns.trigger, 'webhook'))),
    );
    expect(runs).toHaveLength(1);
  });
});
