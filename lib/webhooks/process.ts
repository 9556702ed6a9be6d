// Processing stored deliveries, after they were acknowledged. Events are claimed in batches
// (SKIP LOCKED, so workers never share one) and handled per connection: records a payload carries
// are stored at once; everything else asks for an incremental sync, debounced twice over. First,
// sync requests wait until the connection's deliveries pause (QUIET_MS, at most MAX_DEBOUNCE_MS
// after the oldest), so a burst is looked at once. Then the run queue itself: a webhook run starts
// a moment after it is queued (sync.ts) and every sync request stored meanwhile joins it. An
// event that finds a run already *running* waits for it to end and queues the next, because the
// running listing may have passed its change. So a burst costs one or two runs, not one per delivery.
import { eq, sql } from 'drizzle-orm';
import { describeFailure } from '../connections/failures';
import type { Db, Tx } from '../db/engine';
import { rowsOf } from '../db/engine';
import { asService } from '../db/rls';
import { connections, syncRuns, type Connection } from '../db/schema';
import { renewChannel } from './channels';
import { reparseStoredEvent } from './providers';
import { storeWebhookRecords, type DeliveredRecord, type RecordOutcome } from './records';
import { MAX_DEBOUNCE_MS, QUIET_MS, WAIT_FOR_RUN_MS } from './debounce';
import { requestWebhookSync } from './sync';
import type { ParsedDelivery } from './types';

/** Attempts before an event is marked failed (its error stays on the Webhooks page; replay retries it). */
export const MAX_ATTEMPTS = 5;
/** Per claim: enough to amortise a batch, little enough not to hold a single-connection database for long. */
const CLAIM_LIMIT = 200;
/** How many of the oldest received events a claim looks at (see claim()). */
const CLAIM_WINDOW = 1_000;

export interface ProcessOptions {
  /** Only this connection's events. */
  connectionId?: string;
  limit?: number;
}

export interface ClaimedEvent {
  id: string;
  workspace_id: string;
  connection_id: string;
  provider: string;
  scheme: string | null;
  event_id: string | null;
  payload: unknown;
  occurred_at: string | null;
  attempts: number;
  /** How long ago it was received, by the database's clock. */
  age_ms: number;
}

export interface ProcessReport {
  claimed: number;
  processed: number;
  ignored: number;
  /** Waiting for a running sync, or for a retry after an error. */
  waiting: number;
  failed: number;
  /** Sync runs these events created (not the ones they joined). */
  runsCreated: string[];
}

/**
 * Each processing transaction waits for the event loop's next turn first. PGlite runs a whole
 * transaction inside the microtasks of one turn; without this, a batch's transactions would run
 * back to back while webhook requests wait to be read, and their acknowledgements would stall.
 */
function inTurn<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  return new Promise<void>((resolve) => setImmediate(resolve)).then(() => asService(db, work));
}

const emptyReport = (): ProcessReport => ({ claimed: 0, processed: 0, ignored: 0, waiting: 0, failed: 0, runsCreated: [] });

/** Claims and processes one batch of due events (of one connection, when given). */
export async function processWebhookEvents(db: Db, options: ProcessOptions = {}): Promise<ProcessReport> {
  const claimed = await claim(db, options.connectionId ?? null, options.limit ?? CLAIM_LIMIT);
  const report = emptyReport();
  report.claimed = claimed.length;
  const byConnection = new Map<string, ClaimedEvent[]>();
  for (const event of claimed) byConnection.set(event.connection_id, [...(byConnection.get(event.connection_id) ?? []), event]);
  for (const [connectionId, events] of byConnection) {
    try {
      await processConnection(db, connectionId, events, report);
    } catch (error) {
      console.error(`webhook events of connection ${connectionId} failed:`, error instanceof Error ? error.message : error);
      await retryLater(db, events, describeFailure(error), report);
    }
  }
  return report;
}

/** Processes every due event, batch after batch, until none is left (sweeper, tests). */
export async function processAllDue(db: Db, options: Omit<ProcessOptions, 'limit'> = {}): Promise<ProcessReport> {
  const total = emptyReport();
  for (;;) {
    const report = await processWebhookEvents(db, options);
    for (const key of ['claimed', 'processed', 'ignored', 'waiting', 'failed'] as const) total[key] += report[key];
    total.runsCreated.push(...report.runsCreated);
    // Events put back to wait are not due yet, so the next claim cannot loop on them.
    if (report.claimed === 0) return total;
  }
}

/**
 * Claims due events, oldest first. UPDATE … RETURNING yields rows in no particular order (the
 * subquery's ORDER BY only picks which rows), so the claimed rows are sorted again: the order of a
 * connection's events decides which of several about one record wins when their occurred_at ties
 * (an edit and a deletion in the same second), and that must be the order they arrived in.
 */
async function claim(db: Db, connectionId: string | null, limit: number): Promise<ClaimedEvent[]> {
  return inTurn(db, async (tx) =>
    rowsOf<ClaimedEvent>(
      await tx.execute(sql`
        with oldest as (
          -- The claim looks at each connection's oldest due events only: a burst leaves thousands
          -- of sync requests waiting (below), and walking all of them made every claim cost
          -- seconds (10,000 waiting: 0.3–4 s on PGlite, holding its one connection). Per connection,
          -- so one connection's waiting requests never hold up another's deliveries; an event of
          -- the same connection beyond its window waits at most MAX_DEBOUNCE_MS, when every waiting
          -- sync request is claimed however busy its connection.
          select w.id from public.connections c
          cross join lateral (
            select e.id from public.webhook_events e
            where e.connection_id = c.id and e.status = 'received' and (e.next_attempt_at is null or e.next_attempt_at <= now())
            order by e.received_at
            limit ${CLAIM_WINDOW}) w
          where ${connectionId}::uuid is null or c.id = ${connectionId}::uuid
          union all
          -- Events whose connection was deleted since (processing settles them as unrouted).
          (select e.id from public.webhook_events e
           where ${connectionId}::uuid is null and e.connection_id is null and e.status = 'received'
             and (e.next_attempt_at is null or e.next_attempt_at <= now())
           order by e.received_at
           limit ${CLAIM_WINDOW})
        ),
        claimed as (
        update public.webhook_events e
        set status = 'processing', claimed_at = now(), attempts = e.attempts + 1
        where e.id in (
          select id from public.webhook_events e2
          where e2.id in (select id from oldest)
            and status = 'received' and (next_attempt_at is null or next_attempt_at <= now())
            -- A sync request stays put while its connection's deliveries keep coming (the debounce),
            -- instead of being claimed and put back again every second of a long burst. Which
            -- connections are that busy is worked out once per claim (one probe per connection),
            -- not once per waiting row.
            and (change is distinct from 'sync'
                 or received_at < now() - make_interval(secs => ${MAX_DEBOUNCE_MS / 1000})
                 or not coalesce(connection_id = any (array(
                      select c.id from public.connections c
                      where (${connectionId}::uuid is null or c.id = ${connectionId}::uuid)
                        and exists (select 1 from public.webhook_events recent
                                    where recent.connection_id = c.id and recent.verification = 'verified'
                                      and recent.received_at > now() - make_interval(secs => ${QUIET_MS / 1000}))
                    )), false))
          order by received_at
          limit ${limit}
          for update skip locked)
        returning e.id, e.workspace_id, e.connection_id, e.provider, e.scheme, e.event_id, e.payload, e.occurred_at, e.attempts,
                  e.received_at, e.created_at,
                  (extract(epoch from now() - e.received_at) * 1000)::float8 as age_ms)
        select id, workspace_id, connection_id, provider, scheme, event_id, payload, occurred_at, attempts, age_ms
        from claimed order by received_at, created_at, id`),
    ),
  );
}

const UNAVAILABLE: Partial<Record<Connection['status'], string>> = {
  paused: 'The connection is paused; its next sync after resuming catches up.',
  needs_reauth: 'The connection needs to be reconnected; its next sync after that catches up.',
  pending: 'The connection is not set up yet.',
};

async function processConnection(db: Db, connectionId: string, events: ClaimedEvent[], report: ProcessReport): Promise<void> {
  const [connection] = await inTurn(db, (tx) => tx.select().from(connections).where(eq(connections.id, connectionId)));
  if (!connection || connection.status === 'disconnected') {
    const why = connection ? 'The connection is disconnected.' : 'The connection no longer exists.';
    await inTurn(db, (tx) => settle(tx, events, { status: 'unrouted', outcome: why }));
    report.ignored += events.length;
    return;
  }
  const unavailable = UNAVAILABLE[connection.status];
  if (unavailable) {
    await inTurn(db, (tx) => settle(tx, events, { status: 'ignored', outcome: unavailable }));
    report.ignored += events.length;
    return;
  }

  const { records, syncs, ignored, unreadable, renewals } = planEvents(events, connection.resources);
  for (const { event, channelRef } of renewals) {
    try {
      const outcome = await renewChannel(db, connectionId, channelRef);
      await inTurn(db, (tx) => settle(tx, [event], { status: 'processed', outcome }));
      report.processed += 1;
    } catch (error) {
      await retryLater(db, [event], describeFailure(error), report);
    }
  }

  if (ignored.length + unreadable.length + records.size > 0) await inTurn(db, async (tx) => {
    await settle(tx, ignored, { status: 'ignored', outcome: 'Nothing to do: this connection does not sync what the event is about.' });
    await settle(tx, unreadable, { status: 'failed', outcome: null, error: 'The stored payload could not be read as this provider’s event.' });
    const byId = new Map(events.map((e) => [e.id, e]));
    for (const [resource, list] of records) {
      const { outcomes } = await storeWebhookRecords(tx, { workspaceId: connection.workspaceId, connectionId, resource }, list);
      const byOutcome = new Map<string, ClaimedEvent[]>();
      for (const record of list) {
        const text = recordOutcome(outcomes.get(record.eventRowId)!, record.deleted === true);
        byOutcome.set(text, [...(byOutcome.get(text) ?? []), byId.get(record.eventRowId)!]);
      }
      for (const [outcome, settled] of byOutcome) await settle(tx, settled, { status: 'processed', outcome });
    }
  });
  report.ignored += ignored.length;
  report.failed += unreadable.length;
  report.processed += [...records.values()].reduce((n, list) => n + list.length, 0);
  if (syncs.length === 0) return;
  // The pause is the connection's, not this batch's: newer deliveries may be waiting unclaimed.
  const sinceLatest = await msSinceLatestDelivery(db, connectionId);
  const oldest = Math.max(...syncs.map((s) => s.event.age_ms));
  if (sinceLatest < QUIET_MS && oldest < MAX_DEBOUNCE_MS) {
    await putBack(db, syncs.map((s) => s.event), Math.min(QUIET_MS - sinceLatest, MAX_DEBOUNCE_MS - oldest), 'Waiting for the deliveries to pause.');
    report.waiting += syncs.length;
    return;
  }
  await requestIncrementalSync(db, connection, syncs, report);
}

interface EventPlan {
  /** Records the events carry, per resource: stored at once. */
  records: Map<string, DeliveredRecord[]>;
  /** Events that ask for an incremental sync (of one resource, or of everything when null). */
  syncs: { event: ClaimedEvent; resource: string | null }[];
  /** About something this connection does not sync, or nothing to do. */
  ignored: ClaimedEvent[];
  /** Stored payloads the provider can no longer read. */
  unreadable: ClaimedEvent[];
  /** Push channels the provider ended or questions, by its own id for them: replaced at once. */
  renewals: { event: ClaimedEvent; channelRef: string }[];
}

/** What each claimed event of one connection asks for: the pure half of processConnection. */
export function planEvents(events: ClaimedEvent[], resources: readonly string[]): EventPlan {
  const plan: EventPlan = { records: new Map(), syncs: [], ignored: [], unreadable: [], renewals: [] };
  for (const event of events) {
    let delivery: ParsedDelivery;
    try {
      delivery = reparseStoredEvent({ provider: event.provider, scheme: event.scheme, payload: event.payload, eventId: event.event_id }, resources);
    } catch {
      plan.unreadable.push(event);
      continue;
    }
    const synced = delivery.resource === null || resources.includes(delivery.resource);
    const change = delivery.change;
    // A channel keeps every resource's notifications coming, synced or not.
    if (change.kind === 'renew') plan.renewals.push({ event, channelRef: change.channelRef });
    else if (change.kind === 'none' || !synced) plan.ignored.push(event);
    else if (change.kind === 'sync') plan.syncs.push({ event, resource: delivery.resource });
    else if (delivery.resource === null) plan.ignored.push(event);
    else {
      const list = plan.records.get(delivery.resource) ?? [];
      list.push(
        change.kind === 'upsert'
          ? { externalId: change.record.externalId, data: change.record.data, occurredAt: event.occurred_at, eventRowId: event.id }
          : { externalId: change.externalId, data: null, deleted: true, occurredAt: event.occurred_at, eventRowId: event.id },
      );
      plan.records.set(delivery.resource, list);
    }
  }
  return plan;
}

function recordOutcome(outcome: RecordOutcome, deleted: boolean): string {
  if (outcome === 'stale') return 'Not applied: the stored record is newer.';
  if (outcome === 'superseded') return 'Superseded by a newer event about the same record.';
  return deleted ? 'Marked the record deleted.' : 'Stored the record it carries.';
}

async function requestIncrementalSync(
  db: Db,
  connection: Connection,
  syncs: { event: ClaimedEvent; resource: string | null }[],
  report: ProcessReport,
): Promise<void> {
  const wanted = new Set(syncs.map((s) => s.resource));
  const resource = wanted.size === 1 ? [...wanted][0] : null;
  const { runId, created } = await requestWebhookSync(db, {
    workspaceId: connection.workspaceId,
    connectionId: connection.id,
    provider: connection.provider,
    resource,
  });
  const events = syncs.map((s) => s.event);
  if (created) {
    report.runsCreated.push(runId);
    report.processed += events.length;
    await inTurn(db, (tx) => settle(tx, events, { status: 'processed', outcome: 'Queued an incremental sync.', syncRunId: runId }));
    report.processed += await joinWaiting(db, connection, runId);
    return;
  }
  const [run] = await inTurn(db, (tx) =>
    tx.select({ status: syncRuns.status, resource: syncRuns.resource }).from(syncRuns).where(eq(syncRuns.id, runId)),
  );
  if (run?.status === 'queued' && (run.resource === null || run.resource === resource)) {
    report.processed += events.length;
    await inTurn(db, (tx) => settle(tx, events, { status: 'processed', outcome: 'Joined the sync already queued.', syncRunId: runId }));
    report.processed += await joinWaiting(db, connection, runId);
    return;
  }
  report.waiting += events.length;
  await putBack(db, events, WAIT_FOR_RUN_MS, 'Waiting for the sync in progress to finish.');
}

/**
 * Every other sync request of the connection already stored joins the run while it is still
 * queued: it starts after them, so it covers them. A backlog (deliveries acknowledged faster than
 * they were processed) then costs one run, not one per batch that reaches it after it started.
 */
async function joinWaiting(db: Db, connection: Connection, runId: string): Promise<number> {
  return inTurn(db, async (tx) =>
    rowsOf(
      await tx.execute(sql`
        update public.webhook_events e
        set status = 'processed', outcome = 'Joined the sync already queued.', sync_run_id = r.id, error = null,
            processed_at = now(), claimed_at = null, next_attempt_at = null
        from public.sync_runs r
        where r.id = ${runId}::uuid and r.status = 'queued'
          and e.connection_id = ${connection.id}::uuid and e.status = 'received' and e.change = 'sync'
          and (r.resource is null or e.resource = r.resource)
          and (e.resource is null or e.resource in (select jsonb_array_elements_text(${JSON.stringify(connection.resources)}::jsonb)))
        returning 1`),
    ).length,
  );
}

/** Back to 'received' until `afterMs` from now; waiting is not a failed attempt. */
async function putBack(db: Db, events: ClaimedEvent[], afterMs: number, outcome: string): Promise<void> {
  await inTurn(db, (tx) =>
    tx.execute(sql`
      update public.webhook_events
      set status = 'received', claimed_at = null, attempts = attempts - 1, outcome = ${outcome},
          next_attempt_at = now() + make_interval(secs => ${Math.max(afterMs, 1) / 1000})
      where id in (select value::uuid from jsonb_array_elements_text(${JSON.stringify(events.map((e) => e.id))}::jsonb))`),
  );
}

async function msSinceLatestDelivery(db: Db, connectionId: string): Promise<number> {
  const [row] = await inTurn(db, async (tx) =>
    rowsOf<{ ms: number | null }>(
      await tx.execute(sql`
        select (extract(epoch from now() - max(received_at)) * 1000)::float8 as ms
        from public.webhook_events where connection_id = ${connectionId}::uuid and verification = 'verified'`),
    ),
  );
  return row?.ms ?? Infinity;
}

/** When the earliest event put back becomes due (the in-process worker sets its alarm by it). */
export async function nextDueAt(db: Db): Promise<Date | null> {
  const [row] = await inTurn(db, async (tx) =>
    rowsOf<{ due: string | Date | null }>(
      await tx.execute(sql`select min(next_attempt_at) as due from public.webhook_events where status = 'received'`),
    ),
  );
  return row?.due ? new Date(row.due) : null;
}

async function retryLater(db: Db, events: ClaimedEvent[], reason: string, report: ProcessReport): Promise<void> {
  const giveUp = events.filter((e) => e.attempts >= MAX_ATTEMPTS);
  const again = events.filter((e) => e.attempts < MAX_ATTEMPTS);
  report.failed += giveUp.length;
  report.waiting += again.length;
  await inTurn(db, async (tx) => {
    await settle(tx, giveUp, { status: 'failed', outcome: null, error: `Gave up after ${MAX_ATTEMPTS} attempts: ${reason}` });
    // 2, 4, 8, 16 s: a database or provider hiccup passes; a lasting fault ends in `failed`.
    for (const event of again) {
      await tx.execute(sql`
        update public.webhook_events
        set status = 'received', claimed_at = null, error = ${reason},
            next_attempt_at = now() + make_interval(secs => ${2 ** event.attempts})
        where id = ${event.id}::uuid`);
    }
  });
}

interface Settlement {
  status: 'processed' | 'ignored' | 'unrouted' | 'failed';
  outcome: string | null;
  syncRunId?: string;
  error?: string;
}

async function settle(tx: Tx, events: ClaimedEvent[], to: Settlement): Promise<void> {
  if (events.length === 0) return;
  await tx.execute(sql`
    update public.webhook_events
    set status = ${to.status}, outcome = ${to.outcome}, sync_run_id = ${to.syncRunId ?? null}::uuid, error = ${to.error ?? null},
        processed_at = now(), claimed_at = null, next_attempt_at = null
    where id in (select value::uuid from jsonb_array_elements_text(${JSON.stringify(events.map((e) => e.id))}::jsonb))`);
}
