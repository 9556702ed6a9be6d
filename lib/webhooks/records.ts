// Applying records that deliveries carry (Square customers and bookings) through the sync's own
// storePage, so they are hashed, mapped and tombstoned exactly as a sync would store them. This is
// the one place that knows storePage's signature.
import { sql } from 'drizzle-orm';
import { rowsOf, type Tx } from '../db/engine';
import { activeMapping } from '../mapping/store';
import type { FetchedRecord } from '../providers/types';
import { storePage, type PageCounts } from '../sync/records';

export interface WebhookRecordTarget {
  workspaceId: string;
  connectionId: string;
  resource: string;
}

/** A record as a delivery carries it, with its place in the provider's history when it says. */
export interface DeliveredRecord extends FetchedRecord {
  occurredAt: string | null;
  /** The webhook_events row it came from. */
  eventRowId: string;
}

/** What became of each event's record. */
export type RecordOutcome = 'applied' | 'stale' | 'superseded';

export async function storeWebhookRecords(
  tx: Tx,
  target: WebhookRecordTarget,
  records: DeliveredRecord[],
): Promise<{ counts: PageCounts; outcomes: Map<string, RecordOutcome> }> {
  const outcomes = new Map<string, RecordOutcome>(records.map((r) => [r.eventRowId, 'superseded']));
  const fresh = await dropStale(tx, target, latestPerRecord(records));
  for (const record of fresh.stale) outcomes.set(record.eventRowId, 'stale');
  for (const record of fresh.records) outcomes.set(record.eventRowId, 'applied');
  const mapping = await activeMapping(tx, target);
  // No run stored these: last_seen_run_id stays null.
  const counts = await storePage(tx, { ...target, runId: null as unknown as string, mode: 'incremental', mapping }, fresh.records);
  return { counts, outcomes };
}

/** Several events about one record in a batch: the newest decides (a delete can follow an update). */
function latestPerRecord(records: DeliveredRecord[]): DeliveredRecord[] {
  const latest = new Map<string, DeliveredRecord>();
  for (const record of records) {
    const previous = latest.get(record.externalId);
    if (!previous || compareHistory(record, previous) >= 0) latest.set(record.externalId, record);
  }
  return [...latest.values()];
}

/**
 * Providers deliver out of order and retry late. A record is only written over one whose own
 * version (Square's `version`) or `updated_at` is not newer, so an old delivery cannot undo a
 * newer change that a sync or an earlier delivery already stored.
 */
async function dropStale(
  tx: Tx,
  target: WebhookRecordTarget,
  records: DeliveredRecord[],
): Promise<{ records: DeliveredRecord[]; stale: DeliveredRecord[] }> {
  const live = records.filter((r) => !r.deleted);
  if (live.length === 0) return { records, stale: [] };
  const stored = new Map(
    rowsOf<{ external_id: string; version: string | null; updated_at: string | null }>(
      await tx.execute(sql`
        select ids.id as external_id, s.version, s.updated_at
        from jsonb_array_elements_text(${JSON.stringify(live.map((r) => r.externalId))}::jsonb) as ids(id)
        cross join lateral (
          select r.raw ->> 'version' as version, r.raw ->> 'updated_at' as updated_at from public.synced_records r
          where r.connection_id = ${target.connectionId}::uuid and r.resource = ${target.resource} and r.external_id = ids.id
            and r.deleted_at is null
          limit 1) s`),
    ).map((row) => [row.external_id, row]),
  );
  const isStale = (record: DeliveredRecord) => {
    const previous = stored.get(record.externalId);
    if (record.deleted || !previous) return false;
    return compareStamps(stampsOf(record.data), { version: numberOrNull(previous.version), updatedAt: timeOrNull(previous.updated_at) }) < 0;
  };
  return { records: records.filter((r) => !isStale(r)), stale: records.filter(isStale) };
}

interface Stamps {
  version: number | null;
  updatedAt: number | null;
}

function stampsOf(data: unknown): Stamps {
  const record = (data ?? {}) as Record<string, unknown>;
  return { version: numberOrNull(record.version), updatedAt: timeOrNull(record.updated_at) };
}

function compareStamps(a: Stamps, b: Stamps): number {
  if (a.version !== null && b.version !== null && a.version !== b.version) return a.version - b.version;
  if (a.updatedAt !== null && b.updatedAt !== null) return a.updatedAt - b.updatedAt;
  return 0;
}

function compareHistory(a: DeliveredRecord, b: DeliveredRecord): number {
  const byStamps = a.deleted || b.deleted ? 0 : compareStamps(stampsOf(a.data), stampsOf(b.data));
  if (byStamps !== 0) return byStamps;
  return (timeOrNull(a.occurredAt) ?? 0) - (timeOrNull(b.occurredAt) ?? 0);
}

function numberOrNull(value: unknown): number | null {
  const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(number) ? number : null;
}

function timeOrNull(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}
