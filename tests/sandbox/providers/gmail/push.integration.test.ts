// Gmail push and sync through the app, beyond the contract suite:
// - the Pub/Sub push's OIDC token is verified against the sandbox's published Google key set:
//   accepted when right, refused for the wrong audience, issuer or service account, an unverified
//   email, an expired token, a forged signature, a tampered claim set and a missing token;
// - a verified push routes by email address to the mailbox's connection and becomes an incremental
//   sync (history.list) that stores exactly what changed;
// - history too old (Gmail's 404) is replaced by one full resync;
// - users.watch is opened on connect, renewed in place daily (never stopped on renewal),
//   and stopped on disconnect.
// The tokens are signed by the sandbox with node:crypto, apart from the app's verifier (jose).
// Google publishes no verifiable test vector for these tokens (the example in the Pub/Sub docs is
// truncated and signed by a retired key), so an independently signed token stands in for one.
import { describe, expect, it } from 'vitest';
import { disconnectConnection } from '@/lib/connections/connections';
import { SANDBOX_PUSH, verifyPush } from '@/lib/providers/gmail/push';
import { renewExpiringChannels } from '@/lib/webhooks/channels';
import { KeySetUnavailableError } from '@/lib/webhooks/oidc';
import { processAllDue } from '@/lib/webhooks/process';
import { requestSync } from '@/lib/sync/runs';
import { createWorkspace } from '@/lib/workspaces/workspaces';
import { connectViaSandbox } from '@/tests/support/connect';
import { testEngine } from '@/tests/support/database';
import { counts, cursorOf, runRow, storedRecords } from '@/tests/support/sync';
import { backdateDeliveries, channelSuite, deliverFromSandbox, runInitialSync, webhookChannelsOf, webhookEventsOf } from '@/tests/support/webhooks';
import { foreignKey, PUSH, pushClaims, signIdToken } from './push';

const suite = channelSuite();
const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.now();

const bearer = (token: string) => new Headers({ authorization: `Bearer ${token}` });
const verify = (token: string, now = new Date(NOW)) => verifyPush({ headers: bearer(token), now });

async function connect(size = 30) {
  suite.sandbox.setKnobs({ dataset: { 'gmail.messages': size } });
  const workspaceId = (await createWorkspace(suite.database.db, suite.admin, 'Gmail push')).id;
  const { connectionId } = await connectViaSandbox(suite.database.db, suite.admin, workspaceId, 'gmail');
  return { workspaceId, connectionId };
}

const watches = async () =>
  (await (await fetch(`${suite.sandbox.url}/_sandbox/webhooks/gmail-watches`)).json()) as {
    watchCalls: number;
    stopCalls: number;
    watches: { account: string; topic: string; expiration: number }[];
  };

describe(`Gmail push tokens (${testEngine})`, () => {
  it('agrees with the sandbox about the push configuration', () => {
    expect(PUSH).toMatchObject(SANDBOX_PUSH);
  });

  it('accepts a token signed by the published key for the configured audience and service account', async () => {
    expect(await verify(signIdToken(pushClaims(NOW)))).toEqual({ ok: true, environment: 'sandbox' });
    // Google writes the issuer with or without the scheme.
    expect(await verify(signIdToken(pushClaims(NOW, { iss: 'accounts.google.com' })))).toEqual({ ok: true, environment: 'sandbox' });
  });

  it.each([
    ['wrong audience', { aud: 'https://elsewhere.example/push' }, 'wrong audience'],
    ['wrong issuer', { iss: 'https://accounts.example.com' }, 'wrong issuer'],
    ['another service account', { email: 'someone@else.iam.gserviceaccount.com' }, 'another service account'],
    ['an unverified email', { email_verified: false }, 'not verified'],
  ])('refuses %s', async (_case, claims, reason) => {
    const verdict = await verify(signIdToken(pushClaims(NOW, claims)));
    expect(verdict.ok).toBe(false);
    expect(!verdict.ok && verdict.reason).toContain(reason);
  });

  it('refuses an expired token, and one not yet valid', async () => {
    const token = signIdToken(pushClaims(NOW));
    const expired = await verify(token, new Date(NOW + 3601_000));
    expect(expired).toEqual({ ok: false, reason: 'the token has expired' });
    const early = await verify(signIdToken(pushClaims(NOW + 3_600_000)), new Date(NOW));
    expect(early.ok).toBe(false);
  });

  it('asks the sender to retry (throws) when the key set cannot be fetched, rather than refusing the push', async () => {
    const unreachable = [{ environment: 'sandbox' as const, jwksUrl: `${suite.sandbox.url}/www.googleapis.com/oauth2/v3/no-such-certs`, audience: PUSH.audience, serviceAccount: PUSH.serviceAccount }];
    await expect(verifyPush({ headers: bearer(signIdToken(pushClaims(NOW))), now: new Date(NOW) }, unreachable)).rejects.toBeInstanceOf(KeySetUnavailableError);
  });

  it('refuses a forged signature, a tampered claim set and a missing or malformed token', async () => {
    const forged = await verify(signIdToken(pushClaims(NOW), foreignKey()));
    expect(forged).toEqual({ ok: false, reason: 'the token signature does not verify' });

    const [header, , signature] = signIdToken(pushClaims(NOW)).split('.');
    const otherClaims = Buffer.from(JSON.stringify(pushClaims(NOW, { email: PUSH.serviceAccount, sub: 'someone-else' }))).toString('base64url');
    expect(await verify(`${header}.${otherClaims}.${signature}`)).toEqual({ ok: false, reason: 'the token signature does not verify' });

    expect(await verifyPush({ headers: new Headers(), now: new Date(NOW) })).toEqual({ ok: false, reason: 'missing Authorization: Bearer token' });
    expect((await verify('not.a.jwt')).ok).toBe(false);
    // An unsigned token ("alg": "none") is never accepted.
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify(pushClaims(NOW))).toString('base64url')}.`;
    expect((await verifyPush({ headers: new Headers({ authorization: `Bearer ${none}` }), now: new Date(NOW) })).ok).toBe(false);
  });
});

describe(`Gmail push through the app (${testEngine})`, () => {
  it('routes a verified push to the mailbox and syncs exactly what changed; refuses forged ones over HTTP', async () => {
    const connection = await connect();
    await runInitialSync(suite, connection);
    const url = `${suite.server.url}/api/webhooks/gmail`;

    const { deliveries, mutation } = await deliverFromSandbox(suite, { provider: 'gmail', url, mutate: { create: 2, update: 1, delete: 1 } });
    expect(deliveries).toEqual([{ status: 200, body: { ok: true, received: 1, duplicates: 0 } }]);
    for (const wrong of [{ audience: 'https://elsewhere.example' }, { issuer: 'https://evil.example' }, { email: 'x@y.iam.gserviceaccount.com' }, { secret: 'forge' }, { timestampOffsetMs: -2 * 3600_000 }]) {
      const refused = await deliverFromSandbox(suite, { provider: 'gmail', url, ...wrong });
      expect(refused.deliveries[0].status, JSON.stringify(wrong)).toBe(401);
    }

    const events = await webhookEventsOf(suite, connection.connectionId);
    const verified = events.filter((e) => e.verification === 'verified');
    expect(verified).toHaveLength(1);
    expect(verified[0]).toMatchObject({ scheme: 'google-oidc', eventType: 'mailbox.changed', accountId: 'ada.mail@sandbox.example', change: 'sync' });
    expect(JSON.stringify(verified[0].headers)).not.toContain('eyJ');

    await backdateDeliveries(suite, connection.connectionId, 25_000);
    const report = await processAllDue(suite.database.db, { connectionId: connection.connectionId });
    expect(report.runsCreated).toHaveLength(1);
    expect(await suite.runner.runToEnd(report.runsCreated[0])).toBe('succeeded');
    const run = await runRow(suite.database.db, report.runsCreated[0]);
    expect(run).toMatchObject({ mode: 'incremental', trigger: 'webhook', resource: 'messages' });
    expect(counts(run)).toMatchObject({ created: 2, updated: 1, deleted: 1 });
    const stored = new Map((await storedRecords(suite.database.db, connection.connectionId, 'messages')).map((row) => [row.externalId, row]));
    for (const id of mutation!.created) expect(stored.get(id)?.deletedAt).toBeNull();
    for (const id of mutation!.deleted) expect(stored.get(id)?.deletedAt).not.toBeNull();
  });

  it('replaces a history id Gmail no longer has (404) with one full resync', async () => {
    const connection = await connect(40);
    await runInitialSync(suite, connection);
    const before = (await cursorOf(suite.database.db, connection.connectionId, 'messages')) as { historyId: string };
    expect(before.historyId).toMatch(/^\d+$/);

    suite.sandbox.setKnobs({ expireSyncTokens: true });
    const { runId } = await requestSync(suite.database.db, { ...connection, trigger: 'manual', mode: 'incremental' });
    const outcome = await suite.runner.runToEnd(runId).finally(() => suite.sandbox.setKnobs({ expireSyncTokens: null }));
    expect(outcome).toBe('succeeded');
    const run = await runRow(suite.database.db, runId);
    expect((run.steps as { kind: string }[]).filter((s) => s.kind === 'cursor_expired')).toHaveLength(1);
    expect(counts(run)).toMatchObject({ fetched: 40, created: 0, updated: 0, unchanged: 40, deleted: 0 });
    const after = (await cursorOf(suite.database.db, connection.connectionId, 'messages')) as { historyId: string };
    expect(Number(after.historyId)).toBeGreaterThanOrEqual(Number(before.historyId));
  });

  it('opens users.watch on connect, renews it in place before it lapses, and stops it on disconnect', async () => {
    const before = await watches();
    const connection = await connect(5);
    const [channel] = await webhookChannelsOf(suite, connection.connectionId);
    expect(channel).toMatchObject({ status: 'active', target: 'mailbox', resourceId: PUSH.topic });
    const expiresAt = channel.expiresAt!.getTime();
    expect(expiresAt - Date.now()).toBeGreaterThan(6.9 * DAY);
    let sandbox = await watches();
    expect(sandbox.watchCalls).toBe(before.watchCalls + 1);
    expect(sandbox.watches.find((w) => w.account === 'ada.mail@sandbox.example')?.topic).toBe(PUSH.topic);

    // Not due within its first day; after a day watch is called again (Google recommends daily): the same
    // channel with a later expiry, and nothing is stopped (stopping would end the renewed watch).
    expect(await renewExpiringChannels(suite.database.db, { now: new Date(Date.now() + 0.5 * DAY) })).toMatchObject({ renewed: 0 });
    const renewal = await renewExpiringChannels(suite.database.db, { now: new Date(Date.now() + 1.1 * DAY) });
    expect(renewal.renewed).toBeGreaterThanOrEqual(1);
    sandbox = await watches();
    expect(sandbox.stopCalls).toBe(before.stopCalls);
    const channels = await webhookChannelsOf(suite, connection.connectionId);
    expect(channels.filter((c) => c.status === 'active')).toHaveLength(1);
    expect(channels[0].expiresAt!.getTime()).toBeGreaterThanOrEqual(expiresAt);

    await disconnectConnection(suite.database.db, suite.admin, connection.workspaceId, connection.connectionId);
    sandbox = await watches();
    expect(sandbox.stopCalls).toBe(before.stopCalls + 1);
    expect((await webhookChannelsOf(suite, connection.connectionId)).every((c) => c.status === 'stopped')).toBe(true);
  });
});
