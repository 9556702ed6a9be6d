// Outbound webhooks end to end on the engine under test: endpoints, fan-out, deliveries received
// by a real HTTP receiver that verifies them with the maintained Standard Webhooks library
// (including across a secret rotation), retries and disablement with a flapping receiver on an
// injected clock, SSRF refusals when saving and when sending (a resolver that rebinds), and the
// emission points (a sync run, an action, a connection's status).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { and, eq, inArray } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SessionUser } from '@/lib/auth/session-token';
import { principalForUser } from '@/lib/actions/principal';
import { runAction } from '@/lib/actions/run';
import { ACTION_NAMES } from '@/lib/actions/schemas';
import type { Db } from '@/lib/db/engine';
import { asService } from '@/lib/db/rls';
import { connections, healthIssues, outboundDeliveries, outboundEndpoints, workspaceEvents } from '@/lib/db/schema';
import { emitEvent } from '@/lib/events/emit';
import { workspaceEventSchemas, type WorkspaceEventType } from '@/lib/events/types';
import { MAX_ATTEMPTS } from '@/lib/outbound/backoff';
import { deliverAllDue, FAILING_DISABLED_REASON } from '@/lib/outbound/deliveries';
import {
  createEndpoint,
  listDeliveries,
  listEndpoints,
  replayDelivery,
  rotateEndpointSecret,
  sendTestEvent,
  updateEndpoint,
} from '@/lib/outbound/endpoints';
import { createSender, type Sender } from '@/lib/outbound/send';
import { SyncRunner } from '@/lib/sync/runner';
import { createWorkspace } from '@/lib/workspaces/workspaces';
import { connectViaSandbox } from '../support/connect';
import { createUser, testEngine } from '../support/database';
import { addMemberAndAccept } from '../support/members';
import { sandboxSuite } from '../support/sandbox-suite';
import { newRun, pagedExample, type PagedExample } from '../support/sync';

const suite = sandboxSuite();
const db = (): Db => suite.database.db;

interface Received {
  headers: Record<string, string>;
  body: string;
}

/** A receiver that answers what `answer` says and keeps every request. */
class Receiver {
  received: Received[] = [];
  answer: (n: number) => number = () => 200;
  private server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers)) if (typeof value === 'string') headers[name] = value;
      this.received.push({ headers, body: Buffer.concat(chunks).toString('utf8') });
      const status = this.answer(this.received.length);
      response.writeHead(status, { 'content-type': 'text/plain' });
      response.end(status < 300 ? 'ok' : `nope ${status}`);
    });
  });
  url = '';
  async start() {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
    return this;
  }
  close() {
    this.server.closeAllConnections();
    return new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

let receiver: Receiver;
let sender: Sender;
let clock: number;
const now = () => new Date(clock);
const deliver = (options: { sender?: Sender } = {}) => deliverAllDue(db(), { now, sender: options.sender ?? sender, random: () => 0.5 });

async function workspace(name: string) {
  return (await createWorkspace(db(), suite.admin, name)).id;
}

async function endpoint(workspaceId: string, eventTypes: WorkspaceEventType[] = ['sync.completed'], url = receiver.url) {
  return createEndpoint(db(), suite.admin, workspaceId, { url, eventTypes: eventTypes as never, description: 'test receiver' });
}

async function deliveryRows(endpointId: string) {
  return asService(db(), (tx) => tx.select().from(outboundDeliveries).where(eq(outboundDeliveries.endpointId, endpointId)));
}

async function endpointRow(endpointId: string) {
  return (await asService(db(), (tx) => tx.select().from(outboundEndpoints).where(eq(outboundEndpoints.id, endpointId))))[0];
}

const fakeConnection = { connectionId: '00000000-0000-4000-8000-000000000001', provider: 'example', displayName: 'Example' };
const syncCompleted = (workspaceId: string) =>
  emitEvent(db(), {
    workspaceId,
    type: 'sync.completed',
    data: { ...fakeConnection, runId: crypto.randomUUID(), resources: ['contacts'], counts: { created: 1, updated: 0, deleted: 0, failed: 0 } },
  });

async function withoutPrivateAddresses<T>(work: () => Promise<T>): Promise<T> {
  const saved = process.env.OUTBOUND_WEBHOOKS_ALLOW_PRIVATE;
  delete process.env.OUTBOUND_WEBHOOKS_ALLOW_PRIVATE;
  try {
    return await work();
  } finally {
    if (saved !== undefined) process.env.OUTBOUND_WEBHOOKS_ALLOW_PRIVATE = saved;
  }
}

beforeAll(async () => {
  process.env.OUTBOUND_WEBHOOKS_ALLOW_PRIVATE = '1';
  receiver = await new Receiver().start();
  sender = createSender({ allowPrivate: true, timeoutMs: 5_000 });
});
afterAll(async () => {
  delete process.env.OUTBOUND_WEBHOOKS_ALLOW_PRIVATE;
  await receiver.close();
});
beforeEach(async () => {
  // Deliveries are claimed across workspaces: what an earlier test left queued must not come due here.
  await asService(db(), (tx) => tx.update(outboundDeliveries).set({ status: 'failed' }).where(inArray(outboundDeliveries.status, ['pending', 'retrying'])));
  receiver.received = [];
  receiver.answer = () => 200;
  // Ahead of the database's clock, which stamps new deliveries due "now" (a busy machine takes
  // seconds to set a test up): what a test emits is due at once on this clock.
  clock = Date.now() + 60_000;
});

describe(`outbound webhooks (${testEngine})`, () => {
  it('delivers a subscribed event, signed so the Standard Webhooks library verifies it', async () => {
    const workspaceId = await workspace('Outbound basics');
    const { endpoint: created, secret } = await endpoint(workspaceId, ['sync.completed']);
    expect(secret).toMatch(/^whsec_/);
    expect(JSON.stringify(await listEndpoints(db(), suite.admin, workspaceId))).not.toContain(secret);

    await syncCompleted(workspaceId);
    // Not subscribed: nothing is written at all.
    await emitEvent(db(), { workspaceId, type: 'sync.failed', data: { ...fakeConnection, runId: crypto.randomUUID(), error: 'x', code: null } });
    const report = await deliver();
    expect(report).toMatchObject({ claimed: 1, succeeded: 1 });
    expect(receiver.received).toHaveLength(1);
    const [{ headers, body }] = receiver.received;
    const payload = new Webhook(secret).verify(body, headers) as { id: string; type: string; workspaceId: string; data: unknown };
    expect(payload).toMatchObject({ type: 'sync.completed', workspaceId });
    expect(headers['webhook-id']).toBe(payload.id);
    expect(() => workspaceEventSchemas['sync.completed'].parse(payload.data)).not.toThrow();
    const events = await asService(db(), (tx) => tx.select().from(workspaceEvents).where(eq(workspaceEvents.workspaceId, workspaceId)));
    expect(events.map((e) => e.type)).toEqual(['sync.completed']);

    const [row] = await deliveryRows(created.id);
    expect(row).toMatchObject({ status: 'succeeded', attempts: 1, lastStatusCode: 200, responseExcerpt: 'ok' });
    expect(row.latencyMs).toBeGreaterThanOrEqual(0);
    expect(row.deliveredAt).not.toBeNull();
  });

  it('writes nothing for a workspace without endpoints, and nothing when the transaction rolls back', async () => {
    const workspaceId = await workspace('Outbound quiet');
    await syncCompleted(workspaceId);
    await endpoint(workspaceId, ['sync.completed']);
    await expect(
      db().transaction(async (tx) => {
        await emitEvent(tx, { workspaceId, type: 'sync.completed', data: { ...fakeConnection, runId: crypto.randomUUID(), resources: [], counts: { created: 0, updated: 0, deleted: 0, failed: 0 } } });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    const events = await asService(db(), (tx) => tx.select().from(workspaceEvents).where(eq(workspaceEvents.workspaceId, workspaceId)));
    expect(events).toHaveLength(0);
    // A payload off the contract is refused before anything is written.
    await expect(emitEvent(db(), { workspaceId, type: 'sync.completed', data: { runId: 'nope' } as never })).rejects.toThrow();
  });

  it('signs with both secrets during the grace period after a rotation, then with the new one only', async () => {
    const workspaceId = await workspace('Outbound rotation');
    const { endpoint: created, secret: oldSecret } = await endpoint(workspaceId, ['sync.completed']);
    const rotated = await rotateEndpointSecret(db(), suite.admin, workspaceId, created.id);
    expect(rotated.secret).not.toBe(oldSecret);
    expect(rotated.previousValidUntil!.getTime() - Date.now()).toBeGreaterThan(23 * 3_600_000);
    expect(rotated.endpoint.previousSecretValidUntil).not.toBeNull();

    await syncCompleted(workspaceId);
    await deliver();
    const [during] = receiver.received;
    expect(during.headers['webhook-signature'].split(' ')).toHaveLength(2);
    // A receiver still on the old secret and one already on the new one both accept it.
    expect(new Webhook(oldSecret).verify(during.body, during.headers)).toBeTruthy();
    expect(new Webhook(rotated.secret).verify(during.body, during.headers)).toBeTruthy();

    // A day and a bit later the old secret no longer signs.
    clock += 25 * 3_600_000;
    await syncCompleted(workspaceId);
    await deliver();
    const after = receiver.received[1];
    const signatures = after.headers['webhook-signature'].split(' ');
    expect(signatures).toHaveLength(1);
    const sentAt = new Date(Number(after.headers['webhook-timestamp']) * 1000);
    expect(signatures[0]).toBe(new Webhook(rotated.secret).sign(after.headers['webhook-id'], sentAt, after.body));
    expect(signatures[0]).not.toBe(new Webhook(oldSecret).sign(after.headers['webhook-id'], sentAt, after.body));
  });

  it('retries a flapping receiver on the backoff schedule until it answers', async () => {
    const workspaceId = await workspace('Outbound flapping');
    const { endpoint: created, secret } = await endpoint(workspaceId, ['sync.completed']);
    receiver.answer = (n) => (n <= 2 ? 503 : 200);
    await syncCompleted(workspaceId);

    expect(await deliver()).toMatchObject({ claimed: 1, retrying: 1 });
    let [row] = await deliveryRows(created.id);
    expect(row).toMatchObject({ status: 'retrying', attempts: 1, lastStatusCode: 503, responseExcerpt: 'nope 503' });
    expect(row.nextAttemptAt.getTime() - clock).toBe(5_000);
    expect((await endpointRow(created.id)).failingSince).not.toBeNull();

    clock += 4_000;
    expect((await deliver()).claimed).toBe(0);
    clock += 1_000;
    expect(await deliver()).toMatchObject({ claimed: 1, retrying: 1 });
    [row] = await deliveryRows(created.id);
    expect(row.nextAttemptAt.getTime() - clock).toBe(5 * 60_000);

    clock += 5 * 60_000;
    expect(await deliver()).toMatchObject({ claimed: 1, succeeded: 1 });
    [row] = await deliveryRows(created.id);
    expect(row).toMatchObject({ status: 'succeeded', attempts: 3, lastStatusCode: 200 });
    expect((await endpointRow(created.id)).failingSince).toBeNull();
    // Every attempt carried the same message id, so the receiver can deduplicate.
    expect(new Set(receiver.received.map((r) => r.headers['webhook-id'])).size).toBe(1);
    // Each attempt is signed afresh at its own (injected) time; the library's verify would call the later ones "too new".
    for (const r of receiver.received) {
      const sentAt = new Date(Number(r.headers['webhook-timestamp']) * 1000);
      expect(r.headers['webhook-signature']).toBe(new Webhook(secret).sign(r.headers['webhook-id'], sentAt, r.body));
    }
  });

  it('gives a delivery up after the last retry, and a replay sends it again', async () => {
    const workspaceId = await workspace('Outbound give up');
    const { endpoint: created } = await endpoint(workspaceId, ['sync.completed']);
    receiver.answer = () => 500;
    await syncCompleted(workspaceId);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      expect((await deliver()).claimed).toBe(1);
      clock += 11 * 3_600_000;
    }
    expect((await deliver()).claimed).toBe(0);
    const [row] = await deliveryRows(created.id);
    expect(row).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS });
    expect(receiver.received).toHaveLength(MAX_ATTEMPTS);

    receiver.answer = () => 200;
    await replayDelivery(db(), suite.admin, workspaceId, created.id, row.id);
    clock = Date.now() + 60_000;
    expect(await deliver()).toMatchObject({ claimed: 1, succeeded: 1 });
    const log = await listDeliveries(db(), suite.admin, workspaceId, created.id, { status: 'succeeded' });
    expect(log.total).toBe(1);
    expect(log.deliveries[0]).toMatchObject({ eventType: 'sync.completed', status: 'succeeded', attempts: 1, lastStatusCode: 200 });
  });

  it('disables an endpoint failing for 5 days and raises a health issue; enabling clears it', async () => {
    const workspaceId = await workspace('Outbound dead receiver');
    const { endpoint: created } = await endpoint(workspaceId, ['sync.completed']);
    receiver.answer = () => 500;
    const start = clock;
    await syncCompleted(workspaceId);
    await deliver();
    expect((await endpointRow(created.id)).failingSince!.getTime()).toBe(start);

    // Four days on, still failing: still enabled.
    clock = start + 4 * 86_400_000;
    await syncCompleted(workspaceId);
    expect((await deliver()).disabled).toEqual([]);
    expect((await endpointRow(created.id)).enabled).toBe(true);

    clock = start + 5 * 86_400_000 + 60_000;
    await syncCompleted(workspaceId);
    expect((await deliver()).disabled).toEqual([created.id]);
    const disabled = await endpointRow(created.id);
    expect(disabled).toMatchObject({ enabled: false, disabledReason: FAILING_DISABLED_REASON });
    // Nothing queued stays queued for a disabled endpoint, and nothing new is queued.
    expect((await deliveryRows(created.id)).filter((d) => d.status === 'pending' || d.status === 'retrying')).toEqual([]);
    await syncCompleted(workspaceId);
    expect(await deliveryRows(created.id)).toHaveLength(3);

    const issues = () =>
      asService(db(), (tx) => tx.select().from(healthIssues).where(and(eq(healthIssues.workspaceId, workspaceId), eq(healthIssues.kind, 'endpoint_failing'))));
    const [issue] = await issues();
    expect(issue).toMatchObject({ status: 'open', subject: created.id, connectionId: null, severity: 'critical' });

    const enabled = await updateEndpoint(db(), suite.admin, workspaceId, created.id, { enabled: true });
    expect(enabled).toMatchObject({ enabled: true, disabledReason: null, failingSince: null });
    expect((await issues())[0]).toMatchObject({ status: 'resolved' });
  });

  it('refuses private and loopback addresses when saving, including a host name that resolves to loopback', async () => {
    const workspaceId = await workspace('Outbound SSRF on save');
    await withoutPrivateAddresses(async () => {
      for (const url of ['http://localhost:8080/hook', 'http://127.0.0.1/hook', 'http://169.254.169.254/latest/meta-data', 'http://[::ffff:127.0.0.1]/x', 'http://[fd00::1]/x', 'http://100.64.1.1/x']) {
        await expect(endpoint(workspaceId, ['sync.completed'], url), url).rejects.toMatchObject({ code: 'validation_failed' });
      }
      const rebinding = createEndpoint(
        db(),
        suite.admin,
        workspaceId,
        { url: 'https://hooks.example.test/x', eventTypes: ['sync.completed'] },
        { resolve: async () => [{ address: '10.1.2.3', family: 4 }] },
      );
      await expect(rebinding).rejects.toThrow(/10\.1\.2\.3, a private address/);
    });
    expect(await listEndpoints(db(), suite.admin, workspaceId)).toEqual([]);
  });

  it('refuses at send time the address actually connected to (DNS rebinding), and IP literals', async () => {
    const workspaceId = await workspace('Outbound SSRF on send');
    const port = new URL(receiver.url).port;
    // Saved while the name pointed at a public address…
    const { endpoint: named } = await withoutPrivateAddresses(() =>
      createEndpoint(db(), suite.admin, workspaceId, { url: `http://rebind.example.test:${port}/hook`, eventTypes: ['sync.completed'] }, { resolve: async () => [{ address: '93.184.216.34', family: 4 }] }),
    );
    // …which now resolves to loopback, where a real receiver listens.
    const rebinding = createSender({ allowPrivate: false, resolve: async () => [{ address: '127.0.0.1', family: 4 }] });
    await syncCompleted(workspaceId);
    expect(await deliver({ sender: rebinding })).toMatchObject({ claimed: 1, retrying: 1 });
    expect(receiver.received).toHaveLength(0);
    const [row] = await deliveryRows(named.id);
    expect(row.responseExcerpt).toMatch(/127\.0\.0\.1.*loopback.*refused/);
    expect(row.lastStatusCode).toBeNull();

    // The control: the same sender with the setting on connects, so the refusal above was the check.
    clock += 10_000;
    const allowed = createSender({ allowPrivate: true, resolve: async () => [{ address: '127.0.0.1', family: 4 }] });
    expect(await deliver({ sender: allowed })).toMatchObject({ claimed: 1, succeeded: 1 });
    expect(receiver.received).toHaveLength(1);

    // An endpoint saved with the development setting on is refused by a production-like sender.
    const literal = await endpoint(workspaceId, ['sync.failed']);
    await emitEvent(db(), { workspaceId, type: 'sync.failed', data: { ...fakeConnection, runId: crypto.randomUUID(), error: 'x', code: null } });
    await deliver({ sender: createSender({ allowPrivate: false }) });
    const [literalRow] = await deliveryRows(literal.endpoint.id);
    expect(literalRow.responseExcerpt).toMatch(/127\.0\.0\.1 is a loopback address: refused/);
    expect(receiver.received).toHaveLength(1);
  });

  it('sends a test event to one endpoint; members read the log, only admins manage', async () => {
    const workspaceId = await workspace('Outbound roles');
    const { endpoint: created, secret } = await endpoint(workspaceId, ['records.changed']);
    const { eventId } = await sendTestEvent(db(), suite.admin, workspaceId, created.id);
    await deliver();
    const [{ body, headers }] = receiver.received;
    expect(new Webhook(secret).verify(body, headers)).toMatchObject({ id: eventId, type: 'webhook.test', data: { endpointId: created.id } });

    const memberUser: SessionUser = await createUser(suite.database, 'member');
    await addMemberAndAccept(db(), suite.admin, workspaceId, { email: memberUser.email, role: 'member' });
    const log = await listDeliveries(db(), memberUser, workspaceId, created.id, {});
    expect(log.deliveries).toHaveLength(1);
    expect((await listEndpoints(db(), memberUser, workspaceId))[0]).toMatchObject({ id: created.id, deliveries: { succeeded: 1 } });
    await expect(createEndpoint(db(), memberUser, workspaceId, { url: receiver.url, eventTypes: ['sync.completed'] })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(rotateEndpointSecret(db(), memberUser, workspaceId, created.id)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(sendTestEvent(db(), memberUser, workspaceId, created.id)).rejects.toMatchObject({ code: 'forbidden' });
    // Another workspace's admin sees nothing of it.
    const stranger = await createUser(suite.database, 'stranger');
    await expect(listDeliveries(db(), stranger, workspaceId, created.id, {})).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe(`outbound emission points (${testEngine})`, () => {
  let paged: PagedExample;
  beforeAll(async () => {
    paged = await pagedExample(suite);
  });

  async function typesOf(workspaceId: string) {
    const events = await asService(db(), (tx) => tx.select().from(workspaceEvents).where(eq(workspaceEvents.workspaceId, workspaceId)).orderBy(workspaceEvents.createdAt));
    for (const event of events) expect(() => workspaceEventSchemas[event.type as WorkspaceEventType].parse(event.data), event.type).not.toThrow();
    return events;
  }

  it('a sync run emits records.changed per stored batch and sync.completed; a failing one sync.failed', async () => {
    const records = paged.pageSize + 3;
    suite.sandbox.setKnobs({ dataset: paged.example.datasets({ [paged.first]: records, [paged.second]: 0 }) });
    const workspaceId = await workspace('Outbound sync events');
    await endpoint(workspaceId, ['sync.completed', 'sync.failed', 'records.changed', 'connection.status_changed']);
    const { connectionId } = await connectViaSandbox(db(), suite.admin, workspaceId, paged.example.id);
    const runner = new SyncRunner(db(), { maxAttempts: 1, baseDelayMs: 1, sleep: async () => undefined });
    const runId = await newRun(db(), { workspaceId, connectionId }, 'full');
    expect(await runner.runToEnd(runId)).toBe('succeeded');

    const events = await typesOf(workspaceId);
    const changed = events.filter((e) => e.type === 'records.changed').map((e) => e.data as { resource: string; created: string[]; connectionId: string });
    // One event per stored batch of pages (the in-process runner commits several pages at once), never one per record.
    expect(changed.length).toBeGreaterThanOrEqual(1);
    expect(changed.length).toBeLessThan(records);
    expect(changed.every((c) => c.resource === paged.first && c.connectionId === connectionId)).toBe(true);
    const ids = changed.flatMap((c) => c.created);
    expect(ids).toHaveLength(records);
    expect(new Set(ids).size).toBe(records);
    const completed = events.filter((e) => e.type === 'sync.completed');
    expect(completed).toHaveLength(1);
    expect(completed[0].data).toMatchObject({ runId, connectionId, counts: { created: records, updated: 0, deleted: 0, failed: 0 } });

    suite.sandbox.setKnobs({ failPage: { provider: paged.example.id, resource: paged.first, page: 1, status: 500, times: 10 } });
    const failing = await newRun(db(), { workspaceId, connectionId }, 'full');
    expect(await runner.runToEnd(failing)).toBe('failed');
    const failed = (await typesOf(workspaceId)).filter((e) => e.type === 'sync.failed');
    expect(failed).toHaveLength(1);
    expect(failed[0].data).toMatchObject({ runId: failing, connectionId });

    // Every one of them is queued for the endpoint and delivered.
    await deliver();
    expect(receiver.received.length).toBe((await typesOf(workspaceId)).length);
  });

  it('an action emits action.completed; a status change (any path) emits connection.status_changed', async () => {
    const workspaceId = await workspace('Outbound action events');
    const { connectionId } = await connectViaSandbox(db(), suite.admin, workspaceId, paged.example.id);
    await endpoint(workspaceId, ['action.completed', 'connection.status_changed']);
    const principal = await principalForUser(db(), suite.admin, workspaceId);
    const answer = await runAction(db(), principal, { connectionId, action: ACTION_NAMES[0], input: { definitely: 'not valid input' } });
    expect(answer.ok).toBe(false);
    await asService(db(), (tx) => tx.update(connections).set({ status: 'paused' }).where(eq(connections.id, connectionId)));

    const events = await typesOf(workspaceId);
    expect(events.map((e) => e.type)).toEqual(['action.completed', 'connection.status_changed']);
    expect(events[0].data).toMatchObject({ connectionId, action: ACTION_NAMES[0], logId: answer.logId, outcome: 'failed' });
    expect(events[1].data).toMatchObject({ connectionId, from: 'active', to: 'paused', provider: paged.example.id });
  });
});
