// Acuity webhook subscriptions over a connection's life, for a connection made with OAuth and one
// made with a user id and API key: one per event (scheduled, rescheduled, canceled) created on
// connect through the webhooks API, form-encoded deliveries signed with the API key (or, for OAuth
// connections, the app's client secret: unverified, see lib/providers/acuity/webhooks.ts) verified
// through the real HTTP endpoint and turned into one incremental sync of the
// appointments (which fetches the changed appointment), forgeries refused, and the subscriptions
// deleted on disconnect.
import { describe, expect, it } from 'vitest';
import { disconnectConnection } from '@/lib/connections/connections';
import { processAllDue } from '@/lib/webhooks/process';
import { createWorkspace } from '@/lib/workspaces/workspaces';
import { connectWithApiKey } from '@/lib/connections/api-key';
import { connectAccount } from '@/tests/support/connect';
import { testEngine } from '@/tests/support/database';
import { runRow, storedRecords } from '@/tests/support/sync';
import { backdateDeliveries, channelSuite, deliverFromSandbox, runInitialSync, webhookChannelsOf, webhookEventsOf } from '@/tests/support/webhooks';
import { PROFILE } from './accounts';

const suite = channelSuite();
const subscriptions = async (): Promise<{ id: number; event: string; target: string; deleted: boolean; signedWith: string }[]> =>
  (await fetch(`${suite.sandbox.url}/_sandbox/webhooks/acuity-subscriptions`)).json();
const deliver = async (request: Record<string, unknown>) => (await deliverFromSandbox(suite, { provider: 'acuity', ...request })).deliveries;

const ACCOUNT = PROFILE.accounts[0];
const WAYS = {
  oauth: { signedWith: 'client_secret', connect: (workspaceId: string) => connectAccount(suite.database.db, suite.admin, workspaceId, 'acuity', ACCOUNT.id) },
  'API key': {
    signedWith: 'api_key',
    connect: (workspaceId: string) =>
      connectWithApiKey(suite.database.db, suite.admin, workspaceId, { provider: 'acuity', fields: { userId: ACCOUNT.id, apiKey: ACCOUNT.apiKey } }),
  },
};

describe.each(Object.entries(WAYS))(`Acuity webhook subscriptions (${testEngine}), connected with %s`, (_way, { signedWith, connect }) => {
  it('are created on connect, verified, followed by a fetch, and deleted on disconnect', async () => {
    suite.sandbox.setKnobs({ dataset: { 'acuity.appointments': 12, 'acuity.clients': 4 } });
    const workspaceId = (await createWorkspace(suite.database.db, suite.admin, 'Acuity hooks')).id;
    const { connectionId } = await connect(workspaceId);

    const channels = await webhookChannelsOf(suite, connectionId);
    expect(channels.map((c) => c.target).sort()).toEqual(['appointment.canceled', 'appointment.rescheduled', 'appointment.scheduled']);
    const atAcuity = await subscriptions();
    expect(atAcuity.map((s) => s.event).sort()).toEqual(['appointment.canceled', 'appointment.rescheduled', 'appointment.scheduled']);
    expect(atAcuity.every((s) => s.signedWith === signedWith)).toBe(true);
    for (const channel of channels) {
      expect(atAcuity.find((s) => String(s.id) === channel.resourceId)?.target).toBe(`${suite.server.url}/api/webhooks/acuity?channel=${channel.id}`);
      // The secret is stored only encrypted.
      expect(channel.tokenEnvelope).not.toContain(ACCOUNT.apiKey);
      expect(channel.tokenEnvelope).not.toContain('sandbox-secret-acuity');
    }

    await runInitialSync(suite, { workspaceId, connectionId });

    // An appointment booked at Acuity: "scheduled" arrives form-encoded, verified, and one sync fetches it.
    const answers = await deliver({ action: 'scheduled', mutate: { create: 1 } });
    expect(answers.map((a) => a.status)).toEqual([200]);
    const [received] = (await webhookEventsOf(suite, connectionId)).filter((e) => e.verification === 'verified');
    expect(received).toMatchObject({ eventType: 'scheduled', scheme: 'acuity-signature', resource: 'appointments', change: 'sync' });
    expect(received.payload).toMatchObject({ action: 'scheduled', calendarID: expect.any(String), appointmentTypeID: expect.any(String) });
    const newId = (received.payload as { id: string }).id;
    await backdateDeliveries(suite, connectionId, 5000);
    const report = await processAllDue(suite.database.db, { connectionId });
    expect(report.runsCreated).toHaveLength(1);
    expect(await suite.runner.runToEnd(report.runsCreated[0])).toBe('succeeded');
    expect(await runRow(suite.database.db, report.runsCreated[0])).toMatchObject({ trigger: 'webhook', mode: 'incremental', recordsCreated: 1 });
    expect((await storedRecords(suite.database.db, connectionId, 'appointments')).some((r) => r.externalId === newId)).toBe(true);

    // Signed with another key, or tampered: refused.
    expect((await deliver({ action: 'canceled', secret: 'not-the-api-key-000000' })).map((a) => a.status)).toEqual([401]);
    expect((await deliver({ action: 'rescheduled', tamper: 'body' })).map((a) => a.status)).toEqual([401]);
    expect((await deliver({ action: 'rescheduled', tamper: 'signature' })).map((a) => a.status)).toEqual([401]);

    await disconnectConnection(suite.database.db, suite.admin, workspaceId, connectionId);
    expect((await webhookChannelsOf(suite, connectionId)).every((c) => c.status === 'stopped')).toBe(true);
    expect((await subscriptions()).every((s) => s.deleted)).toBe(true);
  });
});
