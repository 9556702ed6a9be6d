// Google Calendar push channels: opened for every calendar on connect (with a random token each,
// stored encrypted), notifications verified by that token and turned into one incremental sync,
// renewed before they expire (new channel first, old one stopped), and stopped on disconnect.
// (Moved from tests/integration/webhooks-channels.test.ts: Google Calendar is the provider with push channels.)
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { disconnectConnection } from '@/lib/connections/connections';
import { asService } from '@/lib/db/rls';
import { syncRuns } from '@/lib/db/schema';
import { channelWithToken, renewExpiringChannels } from '@/lib/webhooks/channels';
import { connectionWebhookSetup } from '@/lib/webhooks/history';
import { processAllDue } from '@/lib/webhooks/process';
import { createWorkspace } from '@/lib/workspaces/workspaces';
import { googleChannelHeaders } from './channels';
import { connectViaSandbox } from '@/tests/support/connect';
import { testEngine } from '@/tests/support/database';
import { runRow } from '@/tests/support/sync';
import { backdateDeliveries, channelSuite, deliverFromSandbox, runInitialSync, webhookChannelsOf, webhookEventsOf } from '@/tests/support/webhooks';

const suite = channelSuite();
const DAY = 24 * 60 * 60 * 1000;

interface SandboxChannel {
  id: string;
  calendarId: string;
  address: string;
  stopped: boolean;
  expiration: string;
}

async function sandboxChannels(): Promise<{ channels: SandboxChannel[]; watches: number; stops: number }> {
  return (await fetch(`${suite.sandbox.url}/_sandbox/webhooks/channels`)).json();
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return read();
}

describe(`Google Calendar push channels (${testEngine})`, () => {
  it('opens, verifies, renews before expiry, and stops channels over a connection’s life', async () => {
    suite.sandbox.setKnobs({ dataset: { 'google-calendar.events': 60 } });
    const workspaceId = (await createWorkspace(suite.database.db, suite.admin, 'Push')).id;
    const { connectionId } = await connectViaSandbox(suite.database.db, suite.admin, workspaceId, 'google-calendar');

    // One channel per calendar, pointed at our endpoint, each with its own encrypted token.
    const opened = await webhookChannelsOf(suite, connectionId);
    expect(opened).toHaveLength(3);
    expect(opened.every((c) => c.status === 'active' && c.resourceId && c.address === `${suite.server.url}/api/webhooks/google-calendar`)).toBe(true);
    for (const channel of opened) {
      expect(channel.expiresAt!.getTime() - Date.now()).toBeGreaterThan(6.9 * DAY);
      const { token } = (await channelWithToken(suite.database.db, channel.id))!;
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(channel.tokenEnvelope).not.toContain(token);
    }
    expect((await sandboxChannels()).watches).toBe(3);
    // Google confirms each new channel with a "sync" message: recorded, nothing to do.
    const handshakes = await until(() => webhookEventsOf(suite, connectionId), (events) => events.length === 3);
    expect(handshakes.map((e) => [e.eventType, e.status, e.verification])).toEqual(Array(3).fill(['sync', 'ignored', 'verified']));

    // A change: Google pings each channel whose calendar changed; one incremental sync follows.
    await runInitialSync(suite, { workspaceId, connectionId });
    const { deliveries } = await deliverFromSandbox(suite, { provider: 'google-calendar', mutate: { update: 2 } });
    expect(deliveries.map((d) => d.status)).toEqual([200, 200, 200]);
    const pings = (await webhookEventsOf(suite, connectionId)).filter((e) => e.eventType === 'exists');
    expect(pings).toHaveLength(3);
    expect(pings.every((e) => e.status === 'received' && e.resource === 'events' && e.scheme === 'google-channel')).toBe(true);
    expect(pings.every((e) => e.headers['x-goog-channel-token'] === undefined || e.headers['x-goog-channel-token'] === '[redacted]')).toBe(true);
    await backdateDeliveries(suite, connectionId, 5000);
    const report = await processAllDue(suite.database.db, { connectionId });
    expect(report).toMatchObject({ processed: 3, runsCreated: [expect.any(String)] });
    expect(await suite.runner.runToEnd(report.runsCreated[0])).toBe('succeeded');
    expect(await runRow(suite.database.db, report.runsCreated[0])).toMatchObject({ trigger: 'webhook', resource: 'events', recordsUpdated: 2 });

    // A notification with the wrong token is refused and recorded for the workspace.
    const forged = await fetch(`${suite.server.url}/api/webhooks/google-calendar`, {
      method: 'POST',
      headers: googleChannelHeaders({ channelId: opened[0].id, token: 'guess', resourceState: 'exists', messageNumber: 99, resourceId: opened[0].resourceId! }),
    });
    expect(forged.status).toBe(401);
    const [rejected] = (await webhookEventsOf(suite, connectionId)).filter((e) => e.verification === 'failed');
    expect(rejected).toMatchObject({ workspaceId, status: 'rejected', verificationReason: 'X-Goog-Channel-Token does not match the channel' });

    // Nothing is due today; six and a half days on, every channel is within a day of expiring.
    expect(await renewExpiringChannels(suite.database.db)).toEqual({ renewed: 0, failed: 0 });
    expect(await renewExpiringChannels(suite.database.db, { now: new Date(Date.now() + 6.5 * DAY) })).toEqual({ renewed: 3, failed: 0 });
    const renewed = await webhookChannelsOf(suite, connectionId);
    const active = renewed.filter((c) => c.status === 'active');
    const stopped = renewed.filter((c) => c.status === 'stopped');
    expect(active).toHaveLength(3);
    expect(stopped.map((c) => c.id).sort()).toEqual(opened.map((c) => c.id).sort());
    expect(stopped.every((c) => active.some((a) => a.id === c.replacedBy && a.target === c.target))).toBe(true);
    const atGoogle = await sandboxChannels();
    expect(atGoogle).toMatchObject({ watches: 6, stops: 3 });
    expect(atGoogle.channels.filter((c) => !c.stopped).map((c) => c.id).sort()).toEqual(active.map((c) => c.id).sort());

    // A late notification on a replaced channel still verifies, and is recorded as nothing to do.
    const old = (await channelWithToken(suite.database.db, opened[0].id))!;
    const late = await fetch(`${suite.server.url}/api/webhooks/google-calendar`, {
      method: 'POST',
      headers: googleChannelHeaders({ channelId: old.channel.id, token: old.token, resourceState: 'exists', messageNumber: 100, resourceId: old.channel.resourceId! }),
    });
    expect(late.status).toBe(200);
    const [stale] = (await webhookEventsOf(suite, connectionId)).filter((e) => e.eventId === `${old.channel.id}:100`);
    expect(stale).toMatchObject({ status: 'ignored', outcome: 'The push channel was stopped; nothing to do.' });

    const setup = await connectionWebhookSetup(suite.database.db, suite.admin, workspaceId, connectionId);
    expect(setup).toMatchObject({ providerWebhooks: { usesChannels: true }, providerEndpoint: { url: `${suite.server.url}/api/webhooks/google-calendar` } });
    expect(setup.channels.filter((c) => c.status === 'active')).toHaveLength(3);
    expect(JSON.stringify(setup)).not.toContain(old.token);

    // Disconnecting stops the channels at Google while the tokens still work.
    await disconnectConnection(suite.database.db, suite.admin, workspaceId, connectionId);
    expect((await webhookChannelsOf(suite, connectionId)).every((c) => c.status === 'stopped')).toBe(true);
    expect((await sandboxChannels()).stops).toBe(6);
    const runs = await asService(suite.database.db, (tx) =>
      tx.select().from(syncRuns).where(and(eq(syncRuns.connectionId, connectionId), eq(syncRuns.trigger, 'webhook'))),
    );
    expect(runs).toHaveLength(1);
  });
});
