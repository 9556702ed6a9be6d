// npm run bench:events — 10,000 workspace events fanned out to 10 local endpoints (plain Node HTTP
// servers, one answering 500 to every other request), through the real path: emitEvent writes the
// outbox row and one delivery per endpoint, the in-process worker claims, signs and sends them.
// Prints deliveries/s, the p99 from an event's commit to its first delivery attempt on the
// healthy endpoints, events lost, and whether every failed delivery was retried.
//
// Events are emitted at a steady rate (BENCH_EVENTS_PER_SECOND, default 150 = 1,500 deliveries/s)
// rather than all at once, so the latency measured is the sender's, not the length of a backlog we
// made on purpose. Database: in-memory PGlite, or a PostgreSQL server with BENCH_DATABASE_URL.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000);
const ENDPOINTS = 10;
const RATE = Number(process.env.BENCH_EVENTS_PER_SECOND ?? 150);
const TICK_MS = 20;

interface Receiver {
  url: string;
  flaky: boolean;
  requests: number;
  failed: number;
  ids: Set<string>;
  sample: { body: string; headers: Record<string, string> } | null;
  server: http.Server;
}

async function startReceiver(flaky: boolean): Promise<Receiver> {
  const receiver = { flaky, requests: 0, failed: 0, ids: new Set<string>(), sample: null } as unknown as Receiver;
  receiver.server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      receiver.requests += 1;
      // The flaky one fails half its requests: every other one.
      if (flaky && receiver.requests % 2 === 1) {
        receiver.failed += 1;
        response.writeHead(500).end('flaky');
        return;
      }
      receiver.ids.add(String(request.headers['webhook-id']));
      if (!receiver.sample) {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(request.headers)) if (typeof v === 'string') headers[k] = v;
        receiver.sample = { body: Buffer.concat(chunks).toString('utf8'), headers };
      }
      response.writeHead(204).end();
    });
  });
  receiver.server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}/hook`;
  return receiver;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
  process.env.OUTBOUND_WEBHOOKS_ALLOW_PRIVATE = '1';
  const { openDatabase, rowsOf } = await import('../lib/db/engine');
  const { migrate } = await import('../lib/db/migrate');
  const { asService } = await import('../lib/db/rls');
  const { createWorkspace } = await import('../lib/workspaces/workspaces');
  const { createEndpoint } = await import('../lib/outbound/endpoints');
  const { emitEvent } = await import('../lib/events/emit');
  const { installOutboundKick } = await import('../lib/outbound/kick');
  const { OutboundWorker } = await import('../lib/outbound/worker');
  const { createSender } = await import('../lib/outbound/send');

  const url = process.env.BENCH_DATABASE_URL;
  const database = url ? await openDatabase({ engine: 'postgres', url }) : await openDatabase({ engine: 'pglite' });
  await migrate(database);
  const db = database.db;

  const [user] = await asService(db, async (tx) =>
    rowsOf<{ id: string; email: string }>(
      await tx.execute(sql`insert into auth.users (email, email_confirmed_at) values (${`bench-${Date.now()}@example.test`}, now()) returning id, email`),
    ),
  );
  const admin = { userId: user.id, email: user.email };
  const workspaceId = (await createWorkspace(db, admin, 'Outbound bench')).id;
  const receivers = await Promise.all(Array.from({ length: ENDPOINTS }, (_, i) => startReceiver(i === ENDPOINTS - 1)));
  const secrets: string[] = [];
  const endpointIds: string[] = [];
  for (const receiver of receivers) {
    const { endpoint, secret } = await createEndpoint(db, admin, workspaceId, { url: receiver.url, eventTypes: ['records.changed'] });
    secrets.push(secret);
    endpointIds.push(endpoint.id);
  }
  const healthyIds = endpointIds.slice(0, ENDPOINTS - 1);
  const flakyId = endpointIds[ENDPOINTS - 1];

  const worker = new OutboundWorker(db, { sender: createSender({ allowPrivate: true }) });
  installOutboundKick(() => worker.kick());

  console.log(`bench:events — ${EVENTS.toLocaleString('en')} events × ${ENDPOINTS} endpoints (one failing half its requests), ${RATE} events/s, ${database.engine}`);
  const connection = { connectionId: crypto.randomUUID(), provider: 'bench', displayName: 'Bench' };
  const started = performance.now();
  let emitted = 0;
  while (emitted < EVENTS) {
    const due = Math.min(EVENTS, Math.floor(((performance.now() - started) / 1000) * RATE) + 1);
    for (; emitted < due; emitted++) {
      await emitEvent(db, {
        workspaceId,
        type: 'records.changed',
        data: { ...connection, resource: 'contacts', created: [`c-${emitted}`], updated: [], deleted: [] },
      });
    }
    await sleep(TICK_MS);
  }
  const emittedMs = performance.now() - started;

  // Wait until every healthy delivery succeeded and every failed first attempt was tried again.
  const counts = async () =>
    rowsOf<{ healthy_done: number; flaky_first_failed: number; flaky_unretried: number; attempts: number; lost: number }>(
      await db.execute(sql`
        select
          count(*) filter (where endpoint_id <> ${flakyId} and status = 'succeeded') as healthy_done,
          count(*) filter (where endpoint_id = ${flakyId} and (attempts > 1 or (attempts = 1 and status <> 'succeeded'))) as flaky_first_failed,
          count(*) filter (where endpoint_id = ${flakyId} and attempts = 1 and status <> 'succeeded') as flaky_unretried,
          coalesce(sum(attempts), 0) as attempts,
          count(*) filter (where status = 'failed') as lost
        from public.outbound_deliveries`),
    )[0];
  let state = await counts();
  let healthyDoneMs = 0;
  // Give up only when nothing moves for a minute (a busy machine is slow, not stuck).
  let lastProgress = Date.now();
  let lastAttempts = -1;
  while (Date.now() - lastProgress < 60_000) {
    state = await counts();
    if (Number(state.attempts) !== lastAttempts) [lastAttempts, lastProgress] = [Number(state.attempts), Date.now()];
    if (!healthyDoneMs && Number(state.healthy_done) === EVENTS * healthyIds.length) healthyDoneMs = performance.now() - started;
    if (healthyDoneMs && Number(state.flaky_unretried) === 0) break;
    await sleep(1_000);
  }
  const elapsedMs = performance.now() - started;
  await worker.stop();

  const [latency] = rowsOf<{ p50: number; p99: number; max: number; n: number }>(
    await db.execute(sql`
      select percentile_cont(0.5) within group (order by ms) as p50, percentile_cont(0.99) within group (order by ms) as p99,
             max(ms) as max, count(*) as n
      from (select extract(epoch from (d.first_attempt_at - e.created_at)) * 1000 as ms
            from public.outbound_deliveries d join public.workspace_events e on e.id = d.event_id
            where d.endpoint_id <> ${flakyId}) t`),
  );
  // Throughput over the span the deliveries took: first event written → last healthy delivery made.
  const [span] = rowsOf<{ ms: number }>(
    await db.execute(sql`
      select extract(epoch from (max(d.delivered_at) - (select min(created_at) from public.workspace_events))) * 1000 as ms
      from public.outbound_deliveries d where d.endpoint_id <> ${flakyId}`),
  );
  healthyDoneMs = Number(span.ms);
  const [events] = rowsOf<{ events: number; incomplete: number }>(
    await db.execute(sql`
      select count(*) as events, count(*) filter (where n <> ${ENDPOINTS}) as incomplete
      from (select e.id, count(d.id) as n from public.workspace_events e left join public.outbound_deliveries d on d.event_id = e.id group by e.id) t`),
  );
  const healthyReceived = receivers.filter((r) => !r.flaky).map((r) => r.ids.size);
  const flaky = receivers.find((r) => r.flaky)!;
  const attempts = Number(state.attempts);
  const lostEvents = EVENTS - Number(events.events) + Number(events.incomplete) + healthyReceived.filter((n) => n !== EVENTS).length + Number(state.lost);
  const verified = receivers.every((r, i) => r.sample !== null && new Webhook(secrets[i]).verify(r.sample.body, r.sample.headers));

  const fmt = (n: number, digits = 0) => n.toLocaleString('en', { maximumFractionDigits: digits });
  console.log(`  emitted in ${fmt(emittedMs / 1000, 1)} s; all healthy deliveries done at ${fmt(healthyDoneMs / 1000, 1)} s; retries checked at ${fmt(elapsedMs / 1000, 1)} s`);
  console.log(`  deliveries/s: ${fmt((EVENTS * healthyIds.length) / (healthyDoneMs / 1000))} successful to the healthy endpoints (${fmt(attempts)} attempts in all, ${fmt(attempts / (elapsedMs / 1000))}/s)`);
  console.log(`  event → first attempt (healthy endpoints, ${fmt(Number(latency.n))} deliveries): p50 ${fmt(Number(latency.p50))} ms, p99 ${fmt(Number(latency.p99))} ms, max ${fmt(Number(latency.max))} ms`);
  console.log(`  received per healthy endpoint: ${[...new Set(healthyReceived)].map((n) => fmt(n)).join(', ')} distinct ids (of ${fmt(EVENTS)}); signatures verify with standardwebhooks: ${verified ? 'yes' : 'NO'}`);
  console.log(
    `  flaky endpoint: ${fmt(flaky.requests)} requests, ${fmt(flaky.failed)} answered 500; ${fmt(Number(state.flaky_first_failed))} deliveries failed an attempt, ${fmt(Number(state.flaky_unretried))} not yet retried`,
  );
  console.log(`  events lost: ${fmt(lostEvents)}`);
  const p99 = Number(latency.p99);
  const rate = (EVENTS * healthyIds.length) / (healthyDoneMs / 1000);
  const ok = lostEvents === 0 && Number(state.flaky_unretried) === 0 && verified && healthyDoneMs > 0;
  console.log(`  targets: ≥ 1,000 deliveries/s ${rate >= 1000 ? 'met' : 'MISSED'}; p99 < 1 s ${p99 < 1000 ? 'met' : 'MISSED'}; 0 lost and every failure retried ${ok ? 'met' : 'MISSED'}`);

  for (const r of receivers) r.server.closeAllConnections();
  await Promise.all(receivers.map((r) => new Promise((resolve) => r.server.close(resolve))));
  await database.close();
  process.exit(ok ? 0 : 1);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
