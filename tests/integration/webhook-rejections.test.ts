// Unauthenticated webhook requests cannot make the database grow without bound: deliveries that
// fail verification are counted per claimed connection and hour instead of stored one by one, and
// past a client's allowance of rejections the endpoint answers 429 and writes nothing — while
// deliveries that verify are never throttled. On a provider whose webhooks are app-signed, picked
// by trait (tests/support/providers.ts); forgeries are its sandbox's sample delivery signed with
// a made-up secret.
import crypto from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { asService } from '@/lib/db/rls';
import { webhookEvents } from '@/lib/db/schema';
import { getWebhookEvent, listWebhookEvents } from '@/lib/webhooks/history';
import { serveWebhooks, type WebhookServer } from '@/lib/webhooks/node-server';
import { RejectionLimiter } from '@/lib/webhooks/rejection-limit';
import { rotateSigningSecret } from '@/lib/webhooks/signing-secrets';
import { signedDelivery } from '../sandbox/server';
import { signStandardWebhooks } from '../sandbox/webhook-signing';
import { testEngine } from '../support/database';
import { exampleProvider } from '../support/providers';
import { connectedAndSynced, webhookSuite } from '../support/webhooks';

const suite = webhookSuite();
const provider = exampleProvider({ webhooks: 'app-signed', sync: true });
/** The account every test connects (the sandbox's first), and one connected nowhere. */
const CONNECTED = provider.accounts[0].id;
const UNCONNECTED = provider.accounts[1].id;
const connected = () => connectedAndSynced(suite, provider.id, provider.datasets({ [provider.resources[0]]: 3 }));

const servers: WebhookServer[] = [];
afterAll(async () => {
  for (const server of servers) await server.close();
});

/** A webhook server whose rejections are limited by `limiter` (none to speak of by default). */
async function serverWith(limiter = new RejectionLimiter({ perClient: { capacity: 100_000, refillPerSecond: 1 }, overall: { capacity: 100_000, refillPerSecond: 1 } })) {
  const server = await serveWebhooks(suite.database.db, { receive: () => ({ rejectionLimiter: limiter }) });
  servers.push(server);
  return server;
}

/** The provider's sample delivery for `account`, signed with `secret` (the sandbox's own, which the app trusts, by default). */
function sampleDelivery(url: string, account: string, secret?: string, headers: Record<string, string> = {}) {
  const delivery = signedDelivery(suite.sandbox, { provider: provider.id, account, url, secret })!;
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...delivery.headers, ...headers }, body: delivery.body });
}

const forged = (url: string, account: string, headers?: Record<string, string>) => sampleDelivery(url, account, `forger-${crypto.randomBytes(8).toString('hex')}`, headers);

/** Rejected rows, all or (the same portal is connected again by every test) one connection's. */
const rejectedRows = (connectionId?: string) =>
  asService(suite.database.db, (tx) =>
    tx
      .select()
      .from(webhookEvents)
      .where(and(eq(webhookEvents.status, 'rejected'), connectionId ? eq(webhookEvents.connectionId, connectionId) : undefined)),
  );

/** Deliveries the rows stand for: each row counts itself and its repeats. */
const counted = (rows: { duplicateCount: number }[]) => rows.reduce((sum, row) => sum + row.duplicateCount + 1, 0);

async function inChunks(total: number, size: number, send: (i: number) => Promise<Response>): Promise<number[]> {
  const statuses: number[] = [];
  for (let start = 0; start < total; start += size) {
    const chunk = await Promise.all(Array.from({ length: Math.min(size, total - start) }, (_, k) => send(start + k)));
    for (const response of chunk) {
      statuses.push(response.status);
      await response.arrayBuffer();
    }
  }
  return statuses;
}

describe(`rejected webhook deliveries (${testEngine})`, () => {
  it('turns a flood of 500 distinct forged deliveries into a handful of rows that count every one, still shown to the claimed workspace', async () => {
    await asService(suite.database.db, (tx) => tx.delete(webhookEvents));
    const { workspaceId, connectionId } = await connected();
    await rotateSigningSecret(suite.database.db, suite.admin, workspaceId, connectionId);
    const server = await serverWith();
    const endpoint = `${server.url}${provider.webhookPath}`;
    const generic = `${server.url}/api/webhooks/connections/${connectionId}`;

    // 300 forgeries claiming the connected account, 100 claiming an account nobody connected, 100 to
    // the connection's own endpoint with made-up secrets: all distinct.
    const statuses = await inChunks(500, 25, (i) => {
      if (i < 300) return forged(endpoint, CONNECTED);
      if (i < 400) return forged(endpoint, UNCONNECTED);
      const body = JSON.stringify({ type: 'contacts.updated', data: { id: i } });
      const headers = signStandardWebhooks({ id: `msg_${i}`, timestampSeconds: Math.floor(Date.now() / 1000), body, secret: 'whsec_' + crypto.randomBytes(32).toString('base64') });
      return fetch(generic, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    });
    expect(statuses.every((status) => status === 401)).toBe(true);

    const rows = await rejectedRows();
    // One row per claimed connection (or none) and scheme and hour: three, or six across an hour's end.
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(rows.length).toBeLessThanOrEqual(6);
    expect(counted(rows)).toBe(500);
    const toConnection = rows.filter((row) => row.connectionId === connectionId);
    expect(counted(toConnection.filter((row) => row.scheme === provider.definition.webhooks!.scheme))).toBe(300);
    expect(counted(toConnection.filter((row) => row.scheme === 'standard-webhooks'))).toBe(100);
    const unrouted = rows.filter((row) => row.workspaceId === null);
    expect(counted(unrouted)).toBe(100);
    for (const row of rows) {
      expect(row).toMatchObject({ verification: 'failed', payload: null });
      expect(row.verificationReason).toBeTruthy();
      expect(row.lastReceivedAt!.getTime()).toBeGreaterThanOrEqual(row.receivedAt.getTime());
    }

    // The Webhooks page still lists them for the workspace, with their count.
    const page = await listWebhookEvents(suite.database.db, suite.admin, workspaceId, { status: 'rejected', pageSize: 50 });
    expect(page.events.length).toBe(toConnection.length);
    expect(page.events.reduce((sum, e) => sum + e.duplicateCount + 1, 0)).toBe(400);
    expect(page.events.every((e) => e.lastReceivedAt !== null)).toBe(true);
    const detail = await getWebhookEvent(suite.database.db, suite.admin, workspaceId, page.events[0].id);
    expect(detail.headers[provider.signatureHeader] ?? detail.headers['webhook-signature']).toBe('[redacted]');
  });

  it('answers 429 with Retry-After past a client’s allowance and stores nothing more, while valid deliveries from that client go through', async () => {
    await asService(suite.database.db, (tx) => tx.delete(webhookEvents));
    const { connectionId } = await connected();
    let clock = Date.now();
    const limiter = new RejectionLimiter({ perClient: { capacity: 5, refillPerSecond: 0.5 }, overall: { capacity: 1_000, refillPerSecond: 10 }, now: () => clock });
    const server = await serverWith(limiter);
    const url = `${server.url}${provider.webhookPath}`;

    const first = await inChunks(5, 5, () => forged(url, CONNECTED));
    expect(first).toEqual([401, 401, 401, 401, 401]);
    const stored = counted(await rejectedRows(connectionId));
    expect(stored).toBe(5);

    for (let i = 0; i < 20; i++) {
      const refused = await forged(url, CONNECTED);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(await refused.json()).toMatchObject({ code: 'rate_limited' });
    }
    // Nothing about the refused ones reached the database: no row, no count.
    expect(counted(await rejectedRows(connectionId))).toBe(stored);

    // The same client's genuine deliveries are never throttled.
    for (let i = 0; i < 3; i++) {
      const genuine = await sampleDelivery(url, CONNECTED);
      expect(genuine.status).toBe(200);
      expect(await genuine.json()).toEqual({ ok: true, received: 1, duplicates: 0 });
    }
    const verified = await asService(suite.database.db, (tx) =>
      tx.select().from(webhookEvents).where(and(eq(webhookEvents.connectionId, connectionId), eq(webhookEvents.verification, 'verified'))),
    );
    expect(verified).toHaveLength(3);

    // Another client still has its own allowance.
    expect((await forged(url, CONNECTED, { 'x-forwarded-for': '203.0.113.9' })).status).toBe(401);
    expect(counted(await rejectedRows(connectionId))).toBe(stored + 1);

    // Tokens come back with time: Retry-After later, the first client is heard again.
    clock += 2_000;
    expect((await forged(url, CONNECTED)).status).toBe(401);
    expect((await forged(url, CONNECTED)).status).toBe(429);
  });

  it('bounds all clients together, so a sender varying its apparent address gains nothing', async () => {
    await asService(suite.database.db, (tx) => tx.delete(webhookEvents));
    const { connectionId } = await connected();
    const limiter = new RejectionLimiter({ perClient: { capacity: 5, refillPerSecond: 0.001 }, overall: { capacity: 30, refillPerSecond: 0.001 } });
    const server = await serverWith(limiter);
    const url = `${server.url}${provider.webhookPath}`;
    const statuses = await inChunks(100, 10, (i) => forged(url, CONNECTED, { 'x-forwarded-for': `198.51.100.${i}` }));
    expect(statuses.filter((s) => s === 401)).toHaveLength(30);
    expect(statuses.filter((s) => s === 429)).toHaveLength(70);
    expect(counted(await rejectedRows(connectionId))).toBe(30);
    // A genuine delivery is still accepted.
    expect((await sampleDelivery(url, CONNECTED)).status).toBe(200);
  });

  it('shows the latest rejected request of its hour on the row that counts them', async () => {
    const { connectionId } = await connected();
    const server = await serverWith();
    const url = `${server.url}${provider.webhookPath}`;
    for (const sample of ['first', 'second', 'third']) expect((await forged(url, CONNECTED, { 'x-sample': sample })).status).toBe(401);
    const rows = await rejectedRows(connectionId);
    // One row (two across an hour's end) counts all three.
    expect(rows.length).toBeLessThanOrEqual(2);
    expect(counted(rows)).toBe(3);
    const latest = rows.sort((a, b) => b.receivedAt.getTime() - a.receivedAt.getTime())[0];
    expect(latest.headers['x-sample']).toBe('third');
    expect(latest.headers[provider.signatureHeader]).toBe('[redacted]');
    if (rows.length === 1) expect(latest.lastReceivedAt!.getTime()).toBeGreaterThan(latest.receivedAt.getTime());
  });
});
