// Calendly webhook subscriptions over a connection's life: created on connect with a signing key
// the app generated (stored only encrypted, never sent anywhere but Calendly), deliveries verified
// with it through the real HTTP endpoint and turned into one incremental sync, forged or stale ones
// refused, and the subscription deleted at Calendly on disconnect.
import { describe, expect, it } from 'vitest';
import { disconnectConnection } from '@/lib/connections/connections';
import { channelWithToken } from '@/lib/webhooks/channels';
import { processAllDue } from '@/lib/webhooks/process';
import { createWorkspace } from '@/lib/workspaces/workspaces';
import { connectViaSandbox } from '@/tests/support/connect';
import { testEngine } from '@/tests/support/database';
import { runRow } from '@/tests/support/sync';
import { backdateDeliveries, channelSuite, deliverFromSandbox, runInitialSync, webhookChannelsOf, webhookEventsOf } from '@/tests/support/webhooks';

const suite = channelSuite();
interface SandboxSubscription {
  id: string;
  account: string;
  callbackUrl: string;
  events: string[];
  deleted: boolean;
  hasSigningKey: boolean;
}

const subscriptions = async (): Promise<SandboxSubscription[]> => (await fetch(`${suite.sandbox.url}/_sandbox/webhooks/calendly-subscriptions`)).json();
const deliver = async (request: Record<string, unknown>) => (await deliverFromSandbox(suite, { provider: 'calendly', ...request })).deliveries;

describe(`Calendly webhook subscriptions (${testEngine})`, () => {
  it('are created on connect with our own signing key, verified, turned into a sync, and deleted on disconnect', async () => {
    suite.sandbox.setKnobs({ dataset: { 'calendly.scheduled_events': 10, 'calendly.invitees': 15 } });
    const workspaceId = (await createWorkspace(suite.database.db, suite.admin, 'Calendly hooks')).id;
    const { connectionId } = await connectViaSandbox(suite.database.db, suite.admin, workspaceId, 'calendly');

    const [channel] = await webhookChannelsOf(suite, connectionId);
    expect(channel).toMatchObject({ status: 'active', provider: 'calendly', target: 'https://api.calendly.com/users/SBXUSERADA000001' });
    const [atCalendly] = await subscriptions();
    expect(atCalendly).toMatchObject({ id: channel.resourceId, deleted: false, hasSigningKey: true, events: ['invitee.created', 'invitee.canceled'] });
    expect(atCalendly.callbackUrl).toBe(`${suite.server.url}/api/webhooks/calendly?channel=${channel.id}`);
    const { token } = (await channelWithToken(suite.database.db, channel.id))!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(channel.tokenEnvelope).not.toContain(token);

    await runInitialSync(suite, { workspaceId, connectionId });

    // A booking at Calendly: the signed invitee.created arrives, is stored verified, and asks for one sync.
    const answers = await deliver({ mutate: { create: 1 }, repeat: 2 });
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    const received = (await webhookEventsOf(suite, connectionId)).filter((e) => e.verification === 'verified');
    expect(received).toHaveLength(2);
    expect(received.every((e) => e.eventType === 'invitee.created' && e.scheme === 'calendly-signature' && e.change === 'sync')).toBe(true);
    await backdateDeliveries(suite, connectionId, 5000);
    const report = await processAllDue(suite.database.db, { connectionId });
    expect(report.runsCreated).toHaveLength(1);
    expect(await suite.runner.runToEnd(report.runsCreated[0])).toBe('succeeded');
    expect(await runRow(suite.database.db, report.runsCreated[0])).toMatchObject({ trigger: 'webhook', mode: 'incremental', recordsCreated: 1 });

    // Forged (another key), tampered, stale, and for a channel we never opened: all refused.
    expect((await deliver({ secret: 'not-our-key' })).map((a) => a.status)).toEqual([401]);
    expect((await deliver({ tamper: 'body' })).map((a) => a.status)).toEqual([401]);
    expect((await deliver({ timestampOffsetMs: -10 * 60_000 })).map((a) => a.status)).toEqual([401]);
    const unknown = await fetch(`${suite.server.url}/api/webhooks/calendly?channel=${crypto.randomUUID()}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'calendly-webhook-signature': 't=1,v1=00' },
      body: '{}',
    });
    expect(unknown.status).toBe(401);
    const rejected = (await webhookEventsOf(suite, connectionId)).filter((e) => e.verification === 'failed');
    expect(rejected.length).toBeGreaterThan(0);
    expect(JSON.stringify(rejected)).not.toContain(token);

    // Disconnecting deletes the subscription at Calendly (while the token still works).
    await disconnectConnection(suite.database.db, suite.admin, workspaceId, connectionId);
    expect((await webhookChannelsOf(suite, connectionId)).every((c) => c.status === 'stopped')).toBe(true);
    expect((await subscriptions()).every((s) => s.deleted)).toBe(true);
  });
});
