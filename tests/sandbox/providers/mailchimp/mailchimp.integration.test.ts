// Mailchimp end to end against the sandbox, on the engine under test: the connection learns its data
// centre from the metadata endpoint; a webhook per audience is created on connect, validated with a
// GET, and deleted on disconnect; deliveries carry their secret in the URL (right, wrong, missing)
// and are form-encoded; a member event runs one incremental sync (since_last_changed) that sees
// exactly the changed members; and the push destination writes members in batches of up to 500 with
// per-member errors, and archives and permanently deletes them (the sandbox's 429 past ten
// simultaneous connections is tested in mailchimp.unit.test.ts, without timing).
import { describe, expect, it } from 'vitest';
import { GET as webhookGet } from '@/app/api/webhooks/[provider]/route';
import { disconnectConnection } from '@/lib/connections/connections';
import { loadCredentials } from '@/lib/connections/credential-store';
import { withProviderClient } from '@/lib/connections/provider-access';
import { asService } from '@/lib/db/rls';
import { findProvider } from '@/lib/providers/registry';
import type { PushDestination, PushRecord } from '@/lib/providers/types';
import { processAllDue } from '@/lib/webhooks/process';
import { createWorkspace } from '@/lib/workspaces/workspaces';
import { issueAccessToken } from '@/tests/sandbox/server';
import { connectAccount } from '@/tests/support/connect';
import { testEngine } from '@/tests/support/database';
import { counts, runRow, storedRecords } from '@/tests/support/sync';
import { backdateDeliveries, channelSuite, deliverFromSandbox, runInitialSync, webhookChannelsOf, webhookEventsOf } from '@/tests/support/webhooks';
import { apiHost, PROFILE } from './accounts';
import { MAX_BATCH } from './api';

const suite = channelSuite();
const ACCOUNT = PROFILE.accounts[0];
const [SEEDED, NEWSLETTER] = ACCOUNT.audiences;

interface Readout {
  accounts: { account: string; audiences: { id: string; total: number; byStatus: Record<string, number>; members: { id: string; email_address: string; status: string; merge_fields: Record<string, unknown> }[] }[] }[];
}
const audience = async (listId: string) => {
  const readout = (await (await fetch(`${suite.sandbox.url}/_sandbox/webhooks/mailchimp-audiences`)).json()) as Readout;
  return readout.accounts.find((a) => a.account === ACCOUNT.id)!.audiences.find((a) => a.id === listId)!;
};
interface HooksReadout {
  webhooks: { id: string; listId: string; url: string; account: string; status: string }[];
  validations: { url: string; ok: boolean }[];
}
const hooksReadout = async () => (await (await fetch(`${suite.sandbox.url}/_sandbox/webhooks/mailchimp-webhooks`)).json()) as HooksReadout;
const hooksAtMailchimp = async () => (await hooksReadout()).webhooks;

async function connected(members = 12) {
  suite.sandbox.setKnobs({ dataset: { 'mailchimp.members': members } });
  const workspaceId = (await createWorkspace(suite.database.db, suite.admin, 'Mailchimp')).id;
  const { connectionId } = await connectAccount(suite.database.db, suite.admin, workspaceId, 'mailchimp', ACCOUNT.id);
  return { workspaceId, connectionId };
}

const destination = findProvider('mailchimp')!.push!.destinations[0] as PushDestination;
const record = (email: string, fields: Record<string, unknown> = {}): PushRecord => ({ key: email, fields: { EMAIL: email, ...fields }, externalId: null });

describe(`Mailchimp (${testEngine})`, () => {
  it('keeps the data centre from the metadata endpoint, and a webhook per audience from connect to disconnect', async () => {
    const { workspaceId, connectionId } = await connected();
    const stored = await asService(suite.database.db, (tx) => loadCredentials(tx, connectionId));
    expect(stored!.tokens).toMatchObject({ extra: { dc: ACCOUNT.dc, apiEndpoint: `https://${apiHost(ACCOUNT)}` } });
    expect(stored!.tokens.refreshToken).toBeUndefined();
    expect(stored!.tokens.expiresAt).toBeUndefined();

    const channels = await webhookChannelsOf(suite, connectionId);
    expect(channels.map((c) => c.target).sort()).toEqual([SEEDED.id, NEWSLETTER.id].sort());
    const hooks = await hooksAtMailchimp();
    expect(hooks.map((h) => h.status)).toEqual(['active', 'active']);
    // Mailchimp validated each URL with a GET before saving the webhook; the app answered 200.
    const { validations } = await hooksReadout();
    expect(validations).toHaveLength(2);
    expect(validations.every((v) => v.ok && v.url.startsWith(`${suite.server.url}/api/webhooks/mailchimp?channel=`))).toBe(true);
    for (const channel of channels) {
      const hook = hooks.find((h) => `${h.listId}/${h.id}` === channel.resourceId);
      expect(hook?.url).toBe(`${suite.server.url}/api/webhooks/mailchimp?channel=${channel.id}&token=%5Bredacted%5D`);
      expect(channel.address).toBe(`${suite.server.url}/api/webhooks/mailchimp`);
    }

    // Mailchimp's validation GET of the address: 200 from the Next route and from the node server, nothing stored.
    const [hook] = hooks;
    const viaRoute = await webhookGet(new Request(hook.url.replace('%5Bredacted%5D', 'anything')), { params: Promise.resolve({ provider: 'mailchimp' }) });
    expect(viaRoute.status).toBe(200);
    expect((await fetch(`${suite.server.url}/api/webhooks/mailchimp?channel=${channels[0].id}&token=x`)).status).toBe(200);
    // A provider without a GET handshake answers 405 there.
    expect((await webhookGet(new Request('https://hub.example/api/webhooks/hubspot'), { params: Promise.resolve({ provider: 'hubspot' }) })).status).toBe(405);
    expect(await webhookEventsOf(suite, connectionId)).toHaveLength(0);

    await disconnectConnection(suite.database.db, suite.admin, workspaceId, connectionId);
    expect((await webhookChannelsOf(suite, connectionId)).every((c) => c.status === 'stopped')).toBe(true);
    expect((await hooksAtMailchimp()).filter((h) => h.account === ACCOUNT.id)).toHaveLength(0);
  });

  it('verifies the URL secret of form-encoded events, and syncs exactly the changed members', async () => {
    const { workspaceId, connectionId } = await connected(30);
    await runInitialSync(suite, { workspaceId, connectionId });
    expect(await storedRecords(suite.database.db, connectionId, 'members')).toHaveLength(30);

    // Two members edited at Mailchimp: two "profile" events, verified by the URL secret.
    const answered = await deliverFromSandbox(suite, { provider: 'mailchimp', type: 'profile', mutate: { update: 2 } });
    expect(answered.deliveries.map((d) => d.status)).toEqual([200, 200]);
    const events = (await webhookEventsOf(suite, connectionId)).filter((e) => e.verification === 'verified');
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ eventType: 'profile', scheme: 'mailchimp-url-token', resource: 'members', change: 'sync' });
    expect(events[0].payload).toMatchObject({ type: 'profile', 'data[list_id]': SEEDED.id, 'data[merges][FNAME]': expect.any(String) });
    // The secret never reaches storage.
    expect(events.every((e) => !String(e.url).includes('token=') || String(e.url).includes('token=%5Bredacted%5D'))).toBe(true);

    // A wrong secret, the secret tampered, and none at all: refused.
    expect((await deliverFromSandbox(suite, { provider: 'mailchimp', secret: 'not-the-channel-token' })).deliveries.map((d) => d.status)).toEqual([401]);
    expect((await deliverFromSandbox(suite, { provider: 'mailchimp', tamper: 'signature' })).deliveries.map((d) => d.status)).toEqual([401]);
    const [channel] = await webhookChannelsOf(suite, connectionId);
    const missing = await fetch(`${suite.server.url}/api/webhooks/mailchimp?channel=${channel.id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'type=profile&fired_at=2026-12-07+03%3A00%3A00&data%5Blist_id%5D=b1a2c3d4e5',
    });
    expect(missing.status).toBe(401);

    // The two verified events become one incremental sync, which lists only what changed since the last one.
    await backdateDeliveries(suite, connectionId, 5000);
    const report = await processAllDue(suite.database.db, { connectionId });
    expect(report.runsCreated).toHaveLength(1);
    expect(await suite.runner.runToEnd(report.runsCreated[0])).toBe('succeeded');
    const run = await runRow(suite.database.db, report.runsCreated[0]);
    expect(run).toMatchObject({ trigger: 'webhook', mode: 'incremental' });
    expect(counts(run)).toMatchObject({ fetched: 2, created: 0, updated: 2, deleted: 0 });
  });

  it('pushes members in one request per batch, with per-member errors, and archives and deletes them', async () => {
    const { connectionId } = await connected(12);
    await withProviderClient(suite.database.db, connectionId, async (client) => {
      expect((await destination.targets(client)).map((t) => t.id)).toEqual([SEEDED.id, NEWSLETTER.id]);
      const fields = await destination.fields(client, NEWSLETTER.id);
      expect(fields[0]).toEqual({ name: 'EMAIL', label: 'Email address', type: 'email', required: true, matchable: true });
      expect(fields.find((f) => f.name === 'STAGE')).toMatchObject({ type: 'enum', values: ['lead', 'customer', 'other'] });
      expect(fields.find((f) => f.name === 'FNAME')).toMatchObject({ type: 'string' });
      const target = { id: NEWSLETTER.id, matchField: 'EMAIL' };

      // A full batch: one request, every member new.
      const batch = Array.from({ length: MAX_BATCH }, (_, i) => record(`member${i}@push.example`, { FNAME: `Member ${i}`, STAGE: 'lead' }));
      const first = await destination.upsert(client, target, batch);
      expect(first.filter((o) => o.ok)).toHaveLength(MAX_BATCH);
      expect((await audience(NEWSLETTER.id)).total).toBe(MAX_BATCH);

      // Updates and refusals side by side: the refused ones carry Mailchimp's reason, the rest go through.
      const mixed = await destination.upsert(client, target, [
        record('member0@push.example', { FNAME: 'Renamed', STAGE: 'customer' }),
        record('Member1@Push.example', { LNAME: 'Case' }),
        record('not-an-email'),
        record('member2@push.example', { STAGE: 'vip' }),
        record('new@push.example', { NOPE: 'x' }),
        record('fresh@push.example', { FNAME: 'Fresh', LNAME: null }),
      ]);
      expect(mixed.map((o) => o.ok)).toEqual([true, true, false, false, false, true]);
      expect(mixed[0]).toMatchObject({ ok: true, externalId: expect.stringMatching(/^[0-9a-f]{32}$/) });
      expect(mixed[2]).toMatchObject({ ok: false, error: expect.stringContaining('looks fake or invalid') });
      expect(mixed[3]).toMatchObject({ ok: false, error: expect.stringContaining('STAGE must be one of') });
      expect(mixed[4]).toMatchObject({ ok: false, error: expect.stringContaining('NOPE is not a merge field') });
      const after = await audience(NEWSLETTER.id);
      expect(after.total).toBe(MAX_BATCH + 1);
      expect(after.members.find((m) => m.email_address === 'member0@push.example')?.merge_fields).toMatchObject({ FNAME: 'Renamed', STAGE: 'customer' });
      expect(after.members.find((m) => m.email_address === 'member1@push.example')?.merge_fields).toMatchObject({ LNAME: 'Case', FNAME: 'Member 1' });

      // Repeating a batch is safe (the engine retries whole batches): the same members, updated.
      expect((await destination.upsert(client, target, batch.slice(0, 3))).every((o) => o.ok)).toBe(true);
      expect((await audience(NEWSLETTER.id)).total).toBe(MAX_BATCH + 1);

      // Archive: listed as archived; archiving again (already gone) counts as done.
      const archived = await destination.remove(client, target, [{ key: 'member3@push.example', externalId: null }, { key: 'member4@push.example', externalId: first[4].ok ? first[4].externalId : null }], 'archive');
      expect(archived.every((o) => o.ok)).toBe(true);
      expect((await destination.remove(client, target, [{ key: 'member3@push.example', externalId: null }], 'archive'))[0].ok).toBe(true);
      expect((await audience(NEWSLETTER.id)).byStatus.archived).toBe(2);
      // Adding an archived member again restores them.
      expect((await destination.upsert(client, target, [record('member3@push.example')]))[0].ok).toBe(true);
      expect((await audience(NEWSLETTER.id)).byStatus.archived).toBe(1);

      // Permanent deletion: gone, and Mailchimp refuses to import the address again.
      expect((await destination.remove(client, target, [{ key: 'member5@push.example', externalId: null }, { key: 'never@push.example', externalId: null }], 'delete')).every((o) => o.ok)).toBe(true);
      expect((await audience(NEWSLETTER.id)).total).toBe(MAX_BATCH);
      const again = await destination.upsert(client, target, [record('member5@push.example')]);
      expect(again[0]).toMatchObject({ ok: false, error: expect.stringContaining('permanently deleted') });

      // A push never resubscribes someone who unsubscribed: the member is updated, their status kept.
      const seeded = await audience(SEEDED.id);
      const unsubscribed = seeded.members.find((m) => m.status === 'unsubscribed' || m.status === 'cleaned');
      if (unsubscribed) {
        const outcome = await destination.upsert(client, { id: SEEDED.id, matchField: 'EMAIL' }, [record(unsubscribed.email_address, { FNAME: 'Still' })]);
        expect(outcome[0].ok).toBe(true);
        expect((await audience(SEEDED.id)).members.find((m) => m.id === unsubscribed.id)).toMatchObject({ status: unsubscribed.status, merge_fields: { FNAME: 'Still' } });
      }
    });
  });

  it('refuses more than 500 members a request, and subscribing a member in a compliance state', async () => {
    suite.sandbox.setKnobs({ dataset: { 'mailchimp.members': 40 } });
    const token = issueAccessToken(suite.sandbox, { provider: 'mailchimp' });
    const batch = (listId: string, members: unknown[]) =>
      fetch(`${suite.sandbox.url}/${apiHost(ACCOUNT)}/3.0/lists/${listId}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ members, update_existing: true }),
      });
    const tooMany = await batch(NEWSLETTER.id, Array.from({ length: MAX_BATCH + 1 }, (_, i) => ({ email_address: `x${i}@push.example`, status: 'subscribed' })));
    expect(tooMany.status).toBe(400);
    expect(await tooMany.json()).toMatchObject({ title: 'Invalid Resource', status: 400 });

    const out = (await audience(SEEDED.id)).members.find((m) => m.status === 'unsubscribed' || m.status === 'cleaned')!;
    expect(out, 'the seeded audience has an unsubscribed or cleaned member').toBeDefined();
    const compliance = (await (await batch(SEEDED.id, [{ email_address: out.email_address, status: 'subscribed' }])).json()) as { errors: { error: string }[] };
    expect(compliance.errors[0].error).toContain('is in a compliance state');
  });
});
