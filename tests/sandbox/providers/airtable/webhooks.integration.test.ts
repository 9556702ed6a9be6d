// Airtable webhooks over a connection's life, through real HTTP: on connect one webhook per base is
// created with our notificationUrl (the channel named in its query), its macSecretBase64 stored
// encrypted as the channel's secret; pings MAC'd with that secret (computed here independently)
// are accepted, tampered ones refused; a ping becomes an incremental sync that reads the change
// payloads from the stored cursor, page after page (mightHaveMore), and moves the cursor; the
// renewal job refreshes the webhook in place (same webhook, later expiry) instead of replacing
// it; disconnecting deletes it. A base whose webhook is gone is listed again in full.
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { disconnectConnection } from '@/lib/connections/connections';
import { channelWithToken, renewExpiringChannels } from '@/lib/webhooks/channels';
import { processAllDue } from '@/lib/webhooks/process';
import { createWorkspace } from '@/lib/workspaces/workspaces';
import { connectViaSandbox } from '../../../support/connect';
import { testEngine } from '../../../support/database';
import { counts, cursorOf, runRow, syncToEnd } from '../../../support/sync';
import { backdateDeliveries, channelSuite, deliverFromSandbox, runInitialSync, webhookChannelsOf, webhookEventsOf } from '../../../support/webhooks';
import { issueAccessToken } from '../../server';
import { PROFILE } from './accounts';

const suite = channelSuite();
const [ADA] = PROFILE.accounts;

interface SandboxHook {
  id: string;
  baseId: string;
  notificationUrl: string;
  cursorForNextPayload: number;
  expirationTime: string;
}
const hooks = async (): Promise<SandboxHook[]> => (await fetch(`${suite.sandbox.url}/_sandbox/webhooks/airtable-webhooks`)).json();
const ping = (hook: SandboxHook, timestamp = new Date().toISOString()) => JSON.stringify({ base: { id: hook.baseId }, webhook: { id: hook.id }, timestamp });
const macOf = (secretBase64: string, body: string) => `hmac-sha256=${crypto.createHmac('sha256', Buffer.from(secretBase64, 'base64')).update(body, 'utf8').digest('hex')}`;
const post = (url: string, body: string, mac?: string) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(mac ? { 'X-Airtable-Content-MAC': mac } : {}) }, body });

async function connected(size: number) {
  suite.sandbox.setKnobs({ dataset: { 'airtable.records': size } });
  const workspaceId = (await createWorkspace(suite.database.db, suite.admin, 'Airtable hooks')).id;
  const { connectionId } = await connectViaSandbox(suite.database.db, suite.admin, workspaceId, 'airtable');
  return { workspaceId, connectionId };
}

describe(`Airtable webhooks (${testEngine})`, () => {
  it('creates a webhook per base, verifies pings, follows the payload cursor, refreshes in place and deletes on disconnect', async () => {
    const connection = await connected(80);
    const { connectionId, workspaceId } = connection;
    const [channel, ...more] = await webhookChannelsOf(suite, connectionId);
    expect(more).toEqual([]);
    const [hook, ...others] = await hooks();
    expect(others).toEqual([]);
    expect(channel).toMatchObject({ status: 'active', target: ADA.base.id, resourceId: `${ADA.base.id}/${hook.id}` });
    expect(hook.notificationUrl).toBe(`${suite.server.url}/api/webhooks/airtable?channel=${channel.id}`);
    expect(Math.abs(Date.parse(hook.expirationTime) - Date.now() - 7 * 86_400_000)).toBeLessThan(60_000);
    expect(channel.expiresAt?.toISOString()).toBe(hook.expirationTime);
    // The MAC secret Airtable returned once is the channel's secret, stored only encrypted.
    const { token: secret } = (await channelWithToken(suite.database.db, channel.id))!;
    expect(Buffer.from(secret, 'base64')).toHaveLength(32);
    expect(channel.tokenEnvelope).not.toContain(secret);

    // A ping MAC'd here, independently: accepted once, its retry a duplicate; tampering refused.
    const body = ping(hook, '2026-12-07T03:00:00.000Z');
    const mac = macOf(secret, body);
    const accepted = await post(hook.notificationUrl, body, mac);
    expect(accepted.status, await accepted.clone().text()).toBe(200);
    expect(await (await post(hook.notificationUrl, body, mac)).json()).toMatchObject({ duplicates: 1 });
    const [event] = await webhookEventsOf(suite, connectionId);
    expect(event).toMatchObject({ eventType: 'ping', resource: 'records', change: 'sync', verification: 'verified', scheme: 'airtable-mac', accountId: ADA.base.id });
    expect((await post(hook.notificationUrl, `${body} `, mac)).status).toBe(401);
    expect((await post(hook.notificationUrl, body, macOf(crypto.randomBytes(32).toString('base64'), body))).status).toBe(401);
    expect((await post(hook.notificationUrl, body)).status).toBe(401);
    expect((await post(`${suite.server.url}/api/webhooks/airtable?channel=${crypto.randomUUID()}`, body, mac)).status).toBe(401);

    // Initial sync, then 65 changes at Airtable (more than the 50 payloads one page lists) and the
    // sandbox's ping: one incremental run reads both payload pages and sees exactly the changes.
    await runInitialSync(suite, connection);
    expect(await cursorOf(suite.database.db, connectionId, 'records')).toEqual({ webhooks: { [ADA.base.id]: { id: hook.id, cursor: 1 } }, tables: [`${ADA.base.id}/${ADA.table.id}`] });
    const payloadPages = suite.sandbox.stats().dataRequests['airtable.payloads'];
    const { deliveries } = await deliverFromSandbox(suite, { provider: 'airtable', mutate: { create: 3, update: 60, delete: 2 } });
    expect(deliveries.map((d) => d.status)).toEqual([200]);
    await backdateDeliveries(suite, connectionId, 5000);
    const report = await processAllDue(suite.database.db, { connectionId });
    expect(report.runsCreated).toHaveLength(1);
    expect(await suite.runner.runToEnd(report.runsCreated[0])).toBe('succeeded');
    const run = await runRow(suite.database.db, report.runsCreated[0]);
    expect(run).toMatchObject({ trigger: 'webhook', mode: 'incremental' });
    expect(counts(run)).toMatchObject({ created: 3, updated: 60, deleted: 2 });
    expect(suite.sandbox.stats().dataRequests['airtable.payloads'] - payloadPages).toBe(2);
    expect(await cursorOf(suite.database.db, connectionId, 'records')).toEqual({ webhooks: { [ADA.base.id]: { id: hook.id, cursor: 66 } }, tables: [`${ADA.base.id}/${ADA.table.id}`] });
    const quiet = await syncToEnd(suite.database.db, suite.runner, connection, { mode: 'incremental', resource: 'records' });
    expect(counts(quiet.run)).toMatchObject({ fetched: 0, created: 0, updated: 0, deleted: 0 });

    // Six and a half days on, the renewal job refreshes the webhook itself: same channel, same
    // webhook, a later expiry, nothing new at Airtable.
    const renewal = await renewExpiringChannels(suite.database.db, { now: new Date(Date.now() + 6.5 * 86_400_000) });
    expect(renewal).toEqual({ renewed: 1, failed: 0 });
    const [refreshed] = await webhookChannelsOf(suite, connectionId);
    expect(refreshed).toMatchObject({ id: channel.id, status: 'active', resourceId: channel.resourceId });
    expect(refreshed.expiresAt!.getTime()).toBeGreaterThanOrEqual(channel.expiresAt!.getTime());
    expect((await hooks()).map((h) => h.id)).toEqual([hook.id]);

    // Disconnecting deletes the webhook at Airtable and stops the channel.
    await disconnectConnection(suite.database.db, suite.admin, workspaceId, connectionId);
    expect(await hooks()).toEqual([]);
    expect((await webhookChannelsOf(suite, connectionId))[0].status).toBe('stopped');
  });

  it('lists a base again in full when the webhook it followed is gone, and follows the new one from there', async () => {
    const connection = await connected(30);
    await runInitialSync(suite, connection);
    const [old] = await webhookChannelsOf(suite, connection.connectionId);
    // Airtable lost the webhook (deleted at Airtable); the renewal job's refresh fails and a new
    // webhook replaces it.
    await fetch(`${suite.sandbox.url}/_sandbox/data`, { method: 'POST', body: JSON.stringify({ provider: 'airtable', resource: 'records', update: 2 }) });
    const stopped = await deleteAtAirtable(old.resourceId!);
    expect(stopped).toBe(true);
    expect(await renewExpiringChannels(suite.database.db, { now: new Date(Date.now() + 6.5 * 86_400_000) })).toEqual({ renewed: 1, failed: 0 });
    const [hook] = await hooks();
    expect(`${ADA.base.id}/${hook.id}`).not.toBe(old.resourceId);
    // The next incremental listing cannot follow the old cursor: it lists the base in full (the two
    // changes it could not read as payloads show as updates) and follows the new webhook after.
    const relisted = await syncToEnd(suite.database.db, suite.runner, connection, { mode: 'incremental', resource: 'records' });
    expect(counts(relisted.run)).toMatchObject({ fetched: 30, updated: 2, deleted: 0 });
    expect(await cursorOf(suite.database.db, connection.connectionId, 'records')).toEqual({ webhooks: { [ADA.base.id]: { id: hook.id, cursor: 1 } }, tables: [`${ADA.base.id}/${ADA.table.id}`] });
    await fetch(`${suite.sandbox.url}/_sandbox/data`, { method: 'POST', body: JSON.stringify({ provider: 'airtable', resource: 'records', delete: 1 }) });
    const followed = await syncToEnd(suite.database.db, suite.runner, connection, { mode: 'incremental', resource: 'records' });
    expect(counts(followed.run)).toMatchObject({ created: 0, updated: 0, deleted: 1 });
  });
});

/** Deletes a webhook as someone at Airtable would (with a token of the same integration). */
async function deleteAtAirtable(resourceId: string): Promise<boolean> {
  const [baseId, webhookId] = resourceId.split('/');
  const token = issueAccessToken(suite.sandbox, { provider: 'airtable' });
  const response = await fetch(`${suite.sandbox.url}/api.airtable.com/v0/bases/${baseId}/webhooks/${webhookId}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
  return response.status === 200;
}
