// Mindbody webhooks over a connection's life, through real HTTP: on connect a Webhooks API
// subscription is created (after Mindbody's HEAD probe of our address, which answers 200), its
// messageSignatureKey stored encrypted as the channel's secret, and only then activated; deliveries
// signed with that key are accepted (the signature computed here independently), routed by the
// channel named in the webhook URL, and turn into an incremental sync of their resource; tampered
// or unsigned ones are refused; disconnecting deletes the subscription.
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HEAD } from '@/app/api/webhooks/[provider]/route';
import { connectWithApiKey } from '@/lib/connections/api-key';
import { disconnectConnection } from '@/lib/connections/connections';
import { channelWithToken } from '@/lib/webhooks/channels';
import { processAllDue } from '@/lib/webhooks/process';
import { createWorkspace } from '@/lib/workspaces/workspaces';
import { PROFILE } from './accounts';
import { MINDBODY_SANDBOX_KEY } from './api';
import { testEngine } from '../../../support/database';
import { runRow } from '../../../support/sync';
import { backdateDeliveries, channelSuite, deliverFromSandbox, runInitialSync, webhookChannelsOf, webhookEventsOf } from '../../../support/webhooks';

const suite = channelSuite();
const [SITE] = PROFILE.accounts;
interface SandboxSubscription {
  subscriptionId: string;
  referenceId: string;
  webhookUrl: string;
  eventIds: string[];
  status: string;
  probe: string;
}

const subscriptions = async (): Promise<SandboxSubscription[]> => (await fetch(`${suite.sandbox.url}/_sandbox/webhooks/mindbody-subscriptions`)).json();

function post(url: string, body: string, signature?: string) {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(signature ? { 'X-Mindbody-Signature': signature } : {}) }, body });
}

describe(`Mindbody webhooks (${testEngine})`, () => {
  it('subscribes on connect, verifies and routes deliveries, syncs what changed, and unsubscribes on disconnect', async () => {
    suite.sandbox.setKnobs({ dataset: { 'mindbody.clients': 30, 'mindbody.appointments': 10, 'mindbody.class_visits': 10 } });
    const workspaceId = (await createWorkspace(suite.database.db, suite.admin, 'Mindbody hooks')).id;
    const { connectionId } = await connectWithApiKey(suite.database.db, suite.admin, workspaceId, {
      provider: 'mindbody',
      fields: { apiKey: MINDBODY_SANDBOX_KEY, siteId: String(SITE.siteId), staffUsername: SITE.staffUsername, staffPassword: SITE.staffPassword },
    });

    // One subscription, probed with HEAD (answered 200), then activated; one channel for the site.
    const [channel, ...more] = await webhookChannelsOf(suite, connectionId);
    expect(more).toEqual([]);
    expect(channel).toMatchObject({ status: 'active', target: String(SITE.siteId), address: `${suite.server.url}/api/webhooks/mindbody` });
    const [subscription, ...others] = await subscriptions();
    expect(others).toEqual([]);
    expect(subscription).toMatchObject({ subscriptionId: channel.resourceId, referenceId: channel.id, status: 'Active', probe: 'ok' });
    expect(subscription.webhookUrl).toBe(`${suite.server.url}/api/webhooks/mindbody?channel=${channel.id}`);
    expect(subscription.eventIds).toEqual(expect.arrayContaining(['client.updated', 'appointmentBooking.created', 'classRosterBooking.created']));
    // The key Mindbody returned once is the channel's secret, stored only encrypted.
    const { token: key } = (await channelWithToken(suite.database.db, channel.id))!;
    expect(channel.tokenEnvelope).not.toContain(key);

    // A delivery signed here, independently, with that key.
    const body = JSON.stringify({ messageId: 'msg-1', eventId: 'client.updated', eventSchemaVersion: 1, eventInstanceOriginationDateTime: new Date().toISOString(), eventData: { siteId: SITE.siteId, clientId: '100001' } });
    const signature = `sha256=${crypto.createHmac('sha256', key).update(body, 'utf8').digest('base64')}`;
    const accepted = await post(subscription.webhookUrl, body, signature);
    expect(accepted.status, await accepted.clone().text()).toBe(200);
    // Mindbody retries: the same messageId is stored once.
    expect(await (await post(subscription.webhookUrl, body, signature)).json()).toMatchObject({ duplicates: 1 });
    const [event] = await webhookEventsOf(suite, connectionId);
    expect(event).toMatchObject({ eventId: 'msg-1', eventType: 'client.updated', resource: 'clients', change: 'sync', verification: 'verified', scheme: 'mindbody-signature', accountId: String(SITE.siteId) });
    expect(JSON.stringify(event.headers)).not.toContain(signature.slice(7));

    // Tampered body, another key, no signature, or a channel we never opened: refused.
    expect((await post(subscription.webhookUrl, `${body} `, signature)).status).toBe(401);
    const forged = `sha256=${crypto.createHmac('sha256', 'guess').update(body).digest('base64')}`;
    expect((await post(subscription.webhookUrl, body, forged)).status).toBe(401);
    expect((await post(subscription.webhookUrl, body)).status).toBe(401);
    expect((await post(`${suite.server.url}/api/webhooks/mindbody?channel=${crypto.randomUUID()}`, body, signature)).status).toBe(401);
    expect((await post(`${suite.server.url}/api/webhooks/mindbody`, body, signature)).status).toBe(400);

    // The sandbox's own delivery of an appointment change, after a change at Mindbody: an
    // incremental appointments sync follows and finds it.
    await runInitialSync(suite, { workspaceId, connectionId });
    const { deliveries } = await deliverFromSandbox(suite, { provider: 'mindbody', resource: 'appointments', mutate: { update: 2 } });
    expect(deliveries.map((d) => d.status)).toEqual([200]);
    await backdateDeliveries(suite, connectionId, 5000);
    // The client event and the appointment event: one incremental run of both resources, which
    // finds the two changed appointments (and the client unchanged).
    const report = await processAllDue(suite.database.db, { connectionId });
    expect(report).toMatchObject({ processed: 2, runsCreated: [expect.any(String)] });
    expect(await suite.runner.runToEnd(report.runsCreated[0])).toBe('succeeded');
    expect(await runRow(suite.database.db, report.runsCreated[0])).toMatchObject({ trigger: 'webhook', recordsUpdated: 2 });

    // A delivery tampered after signing, sent by the sandbox: refused.
    const tampered = await deliverFromSandbox(suite, { provider: 'mindbody', tamper: 'body' });
    expect(tampered.deliveries.map((d) => d.status)).toEqual([401]);

    // Disconnecting deletes the subscription at Mindbody and stops the channel.
    await disconnectConnection(suite.database.db, suite.admin, workspaceId, connectionId);
    expect((await subscriptions())[0].status).toBe('DeactivatedByUser');
    expect((await webhookChannelsOf(suite, connectionId))[0].status).toBe('stopped');
  });

  it('answers the HEAD probe of a webhook address where deliveries are received', async () => {
    const head = (provider: string) => HEAD(new Request(`https://hub.example/api/webhooks/${provider}`, { method: 'HEAD' }), { params: Promise.resolve({ provider }) });
    expect((await head('mindbody')).status).toBe(200);
    expect((await head('no-such-provider')).status).toBe(404);
    expect((await head('NOT VALID')).status).toBe(404);
    const probed = await fetch(`${suite.server.url}/api/webhooks/mindbody`, { method: 'HEAD' });
    expect(probed.status).toBe(200);
  });
});
