// Outbound deliveries: the fan-out of an event to its endpoints, and sending what is due.
//
// An event and its deliveries are written together (enqueueEvent), in whatever transaction the
// change that caused them runs in, so nothing is sent for a change that rolled back and nothing
// committed is lost. Senders (the in-process worker or an Inngest function) claim due rows in
// batches, send them concurrently, and record every outcome in one statement per batch. A claim
// older than STALE_CLAIM_MS belongs to a sender that died and is taken over.
//
// Time comes from `now` (injectable): tests move it forward a day instead of sleeping.
import { sql } from 'drizzle-orm';
import type { Db, Queryable } from '../db/engine';
import { rowsOf } from '../db/engine';
import { asService } from '../db/rls';
import { DISABLE_AFTER_FAILING_MS, MAX_ATTEMPTS, retryDelayMs } from './backoff';
import { raiseEndpointFailing } from './health';
import { activeSecrets } from './secrets';
import { defaultSender, type Sender } from './send';
import { signedHeaders } from './signing';

/** A claim older than this belongs to a sender that vanished (a batch takes seconds at most). */
export const STALE_CLAIM_MS = 60_000;
/** Deliveries claimed per batch, and requests in flight at once within one. */
export const BATCH_SIZE = 250;
const CONCURRENCY = 125;

interface Claimed {
  id: string;
  workspace_id: string;
  event_id: string;
  endpoint_id: string;
  attempts: number;
  type: string;
  data: unknown;
  event_created_at: Date | string;
  url: string;
}

export interface DeliverOptions {
  now?: () => Date;
  sender?: Sender;
  limit?: number;
  random?: () => number;
}

export interface DeliverReport {
  claimed: number;
  succeeded: number;
  retrying: number;
  failed: number;
  disabled: string[];
}

/** Claims one batch of due deliveries, sends them, records the outcomes. */
export async function deliverDue(db: Db, options: DeliverOptions = {}): Promise<DeliverReport> {
  const now = options.now ?? (() => new Date());
  const sender = options.sender ?? defaultSender();
  const claimedAt = now();
  const staleBefore = new Date(claimedAt.getTime() - STALE_CLAIM_MS);
  const { claimed, secrets } = await asService(db, async (tx) => {
    // Losing the last commits in a crash only means a delivery is sent again: at least once is the
    // contract (receivers deduplicate by webhook-id), so these commits need not wait for the disk.
    await tx.execute(sql`set local synchronous_commit = off`);
    const rows = rowsOf<Claimed>(
      await tx.execute(sql`
        with due as (
          select d.id from public.outbound_deliveries d
          join public.outbound_endpoints p on p.id = d.endpoint_id and p.enabled
          where d.status in ('pending', 'retrying') and d.next_attempt_at <= ${claimedAt.toISOString()}::timestamptz
            and (d.claimed_at is null or d.claimed_at < ${staleBefore.toISOString()}::timestamptz)
          order by d.next_attempt_at
          limit ${options.limit ?? BATCH_SIZE}
          for update of d skip locked
        ), claimed as (
          update public.outbound_deliveries d set claimed_at = ${claimedAt.toISOString()}::timestamptz
          from due where d.id = due.id
          returning d.id, d.workspace_id, d.event_id, d.endpoint_id, d.attempts
        )
        select c.*, e.type, e.data, e.created_at as event_created_at, p.url
        from claimed c
        join public.workspace_events e on e.id = c.event_id
        join public.outbound_endpoints p on p.id = c.endpoint_id`),
    );
    const keys = rows.length > 0 ? await activeSecrets(tx, [...new Set(rows.map((row) => row.endpoint_id))], claimedAt) : new Map<string, string[]>();
    return { claimed: rows, secrets: keys };
  });
  const report: DeliverReport = { claimed: claimed.length, succeeded: 0, retrying: 0, failed: 0, disabled: [] };
  if (claimed.length === 0) return report;
  const outcomes: Outcome[] = new Array(claimed.length);
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < claimed.length; i = next++) outcomes[i] = await attempt(claimed[i], secrets.get(claimed[i].endpoint_id) ?? [], sender, now, options.random);
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, claimed.length) }, lane));

  for (const outcome of outcomes) report[outcome.status] += 1;
  report.disabled = await recordOutcomes(db, outcomes, now());
  return report;
}

interface Outcome {
  id: string;
  endpointId: string;
  workspaceId: string;
  status: 'succeeded' | 'retrying' | 'failed';
  nextAt: string | null;
  code: number | null;
  latency: number;
  excerpt: string;
  at: string;
}

async function attempt(row: Claimed, secrets: string[], sender: Sender, now: () => Date, random?: () => number): Promise<Outcome> {
  const startedAt = now();
  const attempts = row.attempts + 1;
  const body = JSON.stringify({
    id: row.event_id,
    type: row.type,
    timestamp: new Date(row.event_created_at).toISOString(),
    workspaceId: row.workspace_id,
    data: row.data,
  });
  const result =
    secrets.length === 0
      ? { ok: false, statusCode: null, latencyMs: 0, excerpt: 'The endpoint has no signing secret.', refused: false }
      : await sender(row.url, signedHeaders(secrets, row.event_id, Math.floor(startedAt.getTime() / 1000), body), body);
  const base = { id: row.id, endpointId: row.endpoint_id, workspaceId: row.workspace_id, code: result.statusCode, latency: result.latencyMs, excerpt: result.excerpt, at: startedAt.toISOString() };
  if (result.ok) return { ...base, status: 'succeeded', nextAt: null };
  const delay = attempts < MAX_ATTEMPTS ? retryDelayMs(attempts, random) : null;
  if (delay === null) return { ...base, status: 'failed', nextAt: null };
  return { ...base, status: 'retrying', nextAt: new Date(startedAt.getTime() + delay).toISOString() };
}

/** Writes a batch's outcomes and the endpoints' failing streaks; returns endpoints disabled now. */
async function recordOutcomes(db: Db, outcomes: Outcome[], now: Date): Promise<string[]> {
  const byEndpoint = new Map<string, { workspaceId: string; ok: boolean; firstFailure: string | null }>();
  for (const o of outcomes) {
    const entry = byEndpoint.get(o.endpointId) ?? { workspaceId: o.workspaceId, ok: false, firstFailure: null };
    if (o.status === 'succeeded') entry.ok = true;
    else if (!entry.firstFailure || o.at < entry.firstFailure) entry.firstFailure = o.at;
    byEndpoint.set(o.endpointId, entry);
  }
  const recovered = [...byEndpoint].filter(([, e]) => e.ok).map(([id]) => id);
  const failing = [...byEndpoint].filter(([, e]) => !e.ok).map(([id, e]) => ({ id, since: e.firstFailure }));
  const failingLongAgo = new Date(now.getTime() - DISABLE_AFTER_FAILING_MS);

  const disabled = await asService(db, async (tx) => {
    await tx.execute(sql`set local synchronous_commit = off`);
    await tx.execute(sql`
      update public.outbound_deliveries d set
        status = v.status, attempts = d.attempts + 1, claimed_at = null,
        next_attempt_at = coalesce(v."nextAt", d.next_attempt_at),
        last_status_code = v.code, latency_ms = v.latency, response_excerpt = v.excerpt,
        first_attempt_at = coalesce(d.first_attempt_at, v.at), last_attempt_at = v.at,
        delivered_at = case when v.status = 'succeeded' then v.at else d.delivered_at end
      from jsonb_to_recordset(${JSON.stringify(outcomes)}::jsonb)
        as v(id uuid, status text, "nextAt" timestamptz, code integer, latency integer, excerpt text, at timestamptz)
      where d.id = v.id`);
    if (recovered.length > 0) {
      await tx.execute(sql`
        update public.outbound_endpoints set failing_since = null
        where id = any(${sql.raw(uuidArray(recovered))}) and failing_since is not null`);
    }
    if (failing.length === 0) return [];
    await tx.execute(sql`
      update public.outbound_endpoints p set failing_since = v.since
      from jsonb_to_recordset(${JSON.stringify(failing)}::jsonb) as v(id uuid, since timestamptz)
      where p.id = v.id and p.failing_since is null`);
    return rowsOf<{ id: string; workspace_id: string; url: string; failing_since: Date | string }>(
      await tx.execute(sql`
        select id, workspace_id, url, failing_since from public.outbound_endpoints
        where id = any(${sql.raw(uuidArray(failing.map((f) => f.id)))}) and enabled and failing_since <= ${failingLongAgo.toISOString()}::timestamptz`),
    );
  });
  for (const endpoint of disabled) {
    const last = outcomes.filter((o) => o.endpointId === endpoint.id).at(-1);
    const lastError = last ? (last.code ? `HTTP ${last.code}` : last.excerpt) : null;
    await disableFailingEndpoint(db, endpoint.workspace_id, endpoint.id, endpoint.url, new Date(endpoint.failing_since), now, lastError);
  }
  return disabled.map((endpoint) => endpoint.id);
}

/** uuids are checked by their shape before they are spliced into SQL as an array literal. */
function uuidArray(ids: string[]): string {
  for (const id of ids) if (!/^[0-9a-f-]{36}$/i.test(id)) throw new Error('not a uuid');
  return `array[${ids.map((id) => `'${id}'`).join(',')}]::uuid[]`;
}

export const FAILING_DISABLED_REASON = 'Disabled automatically: every delivery failed for 5 days.';

async function disableFailingEndpoint(db: Db, workspaceId: string, endpointId: string, url: string, failingSince: Date, now: Date, lastError: string | null) {
  const changed = await asService(db, async (tx) => {
    const rows = rowsOf(
      await tx.execute(sql`
        update public.outbound_endpoints set enabled = false, disabled_at = ${now.toISOString()}::timestamptz, disabled_reason = ${FAILING_DISABLED_REASON}
        where id = ${endpointId} and workspace_id = ${workspaceId} and enabled
        returning 1`),
    );
    if (rows.length > 0) await failQueuedDeliveries(tx, endpointId, 'Not sent: the endpoint was disabled.');
    return rows.length > 0;
  });
  // The issue store opens its own transaction (and notifies members after it commits).
  if (changed) await raiseEndpointFailing(db, { workspaceId, endpointId, url, failingSince, lastError });
}

/** Deliveries still waiting when an endpoint is disabled fail with a reason (replay sends them later). */
export async function failQueuedDeliveries(tx: Queryable, endpointId: string, reason: string): Promise<void> {
  await tx.execute(sql`
    update public.outbound_deliveries set status = 'failed', claimed_at = null, response_excerpt = ${reason}
    where endpoint_id = ${endpointId} and status in ('pending', 'retrying')`);
}

/** Sends everything due now, batch after batch (tests, the Inngest function's loop, the sweeper). */
export async function deliverAllDue(db: Db, options: DeliverOptions = {}): Promise<DeliverReport> {
  const total: DeliverReport = { claimed: 0, succeeded: 0, retrying: 0, failed: 0, disabled: [] };
  for (;;) {
    const report = await deliverDue(db, options);
    total.claimed += report.claimed;
    total.succeeded += report.succeeded;
    total.retrying += report.retrying;
    total.failed += report.failed;
    total.disabled.push(...report.disabled);
    if (report.claimed === 0) return total;
  }
}

/** The earliest time something is due (the worker sets its alarm for it), or null. */
export async function nextDueAt(db: Db): Promise<Date | null> {
  const [row] = rowsOf<{ at: Date | string | null }>(
    await asService(db, (tx) =>
      tx.execute(sql`
        select min(d.next_attempt_at) as at from public.outbound_deliveries d
        join public.outbound_endpoints p on p.id = d.endpoint_id and p.enabled
        where d.status in ('pending', 'retrying')`),
    ),
  );
  return row?.at ? new Date(row.at) : null;
}
