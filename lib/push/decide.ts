// The push engine's decision, with no I/O: given source records (the model's mapped output), the
// push's stored state for them and who already holds each match key, what happens to each record
// — upsert (new, or its mapped output's hash changed), skip (same hash: no request), duplicate
// (another source record holds the key), failed (mapping error or no key) — and, for records whose
// source went away, remove / keep. lib/push/engine.ts does the reading, sending and committing.
import { applyMapping, type CompiledMapping } from '../mapping/interpreter';
import { contentHash } from '../sync/canonical';
import type { PushDeletionPolicy, PushRecord, PushRemoval } from '../providers/types';

/** A source record as the engine reads it: its identity and its model output. */
export interface SourceRecord {
  connectionId: string;
  resource: string;
  externalId: string;
  mapped: unknown;
}

/** What the push knows about a source record from earlier runs (push_records). */
export interface PushState {
  matchKey: string | null;
  externalId: string | null;
  status: 'pushed' | 'failed' | 'removed' | 'kept' | 'duplicate';
  outputHash: string | null;
}

export type SourceId = string;
export const sourceIdOf = (r: { connectionId: string; resource: string; externalId: string }): SourceId =>
  JSON.stringify([r.connectionId, r.resource, r.externalId]);

export type Decision =
  | { kind: 'upsert'; record: SourceRecord; key: string; hash: string; fields: Record<string, unknown>; externalId: string | null; isNew: boolean }
  | { kind: 'skip'; record: SourceRecord; key: string }
  | { kind: 'duplicate'; record: SourceRecord; key: string; owner: SourceId }
  | { kind: 'failed'; record: SourceRecord; key: string | null; error: string };

export interface Mapped {
  key: string | null;
  fields: Record<string, unknown>;
  errors: { field: string; message: string }[];
}

/** Maps one source record's model output onto the destination's fields and reads its match key. */
export function mapForPush(compiled: CompiledMapping, matchField: string, mapped: unknown): Mapped {
  const result = applyMapping(compiled, mapped);
  const errors = result.errors.map((e) => ({ field: e.target, message: e.message }));
  const raw = result.output[matchField];
  const key = typeof raw === 'string' ? raw.trim() : typeof raw === 'number' || typeof raw === 'boolean' ? String(raw) : null;
  if (!key && !errors.some((e) => e.field === matchField)) errors.push({ field: matchField, message: `no value for the match field ${matchField}` });
  return { key: key || null, fields: result.output, errors };
}

/** The hash of what would be sent: an unchanged hash means the destination already holds it. */
export function outputHash(key: string, fields: Record<string, unknown>): string {
  return contentHash({ key, fields });
}

export interface DecideInput {
  /** Source records in order, each already mapped (mapForPush), so the keys could be looked up. */
  records: readonly { record: SourceRecord; mapped: Mapped }[];
  /** State by sourceIdOf. */
  states: ReadonlyMap<SourceId, PushState>;
  /** Which source record already holds a key at the destination (state rows with status pushed). */
  owners: ReadonlyMap<string, SourceId>;
  /** At most this many upserts (the destination's batchSize); the rest waits for the next batch. */
  batchSize: number;
}

export interface DecideResult {
  decisions: Decision[];
  /** How many of `records` were decided (the checkpoint moves past them). */
  consumed: number;
  upserts: PushRecord[];
}

/**
 * Decides records in order until `batchSize` upserts are collected. A key claimed earlier in the
 * same call counts as held, so two source records with one email never both go out.
 */
export function decideBatch(input: DecideInput): DecideResult {
  const { records, states, batchSize } = input;
  const owners = new Map(input.owners);
  const decisions: Decision[] = [];
  const upserts: PushRecord[] = [];
  let consumed = 0;
  for (const { record, mapped } of records) {
    if (upserts.length >= batchSize) break;
    consumed += 1;
    const id = sourceIdOf(record);
    const state = states.get(id);
    if (mapped.errors.length > 0 || !mapped.key) {
      const error = mapped.errors.map((e) => `${e.field}: ${e.message}`).join('; ');
      decisions.push({ kind: 'failed', record, key: mapped.key, error });
      continue;
    }
    const key = mapped.key;
    const owner = owners.get(key);
    if (owner !== undefined && owner !== id) {
      decisions.push({ kind: 'duplicate', record, key, owner });
      continue;
    }
    owners.set(key, id);
    const hash = outputHash(key, mapped.fields);
    if (state?.status === 'pushed' && state.outputHash === hash) {
      decisions.push({ kind: 'skip', record, key });
      continue;
    }
    const known = state?.status === 'pushed' || state?.status === 'failed' ? state.externalId : null;
    decisions.push({ kind: 'upsert', record, key, hash, fields: mapped.fields, externalId: known, isNew: state?.status !== 'pushed' });
    upserts.push({ key, fields: mapped.fields, externalId: known });
  }
  return { decisions, consumed, upserts };
}

/** A pushed record whose source is gone (deleted, filtered out, or its connection left the push). */
export interface Orphan {
  sourceId: SourceId;
  matchKey: string;
  externalId: string | null;
  /** Another source record waits as a duplicate of this key: it takes the key over instead. */
  hasDuplicate: boolean;
}

export type RemovalDecision =
  | { kind: 'remove'; orphan: Orphan }
  /** Nothing is sent: the policy keeps it, or a duplicate will be pushed under the same key. */
  | { kind: 'keep'; orphan: Orphan; handOver: boolean };

export function decideRemovals(orphans: readonly Orphan[], policy: PushDeletionPolicy): { decisions: RemovalDecision[]; removals: PushRemoval[] } {
  const decisions: RemovalDecision[] = [];
  const removals: PushRemoval[] = [];
  for (const orphan of orphans) {
    if (orphan.hasDuplicate) decisions.push({ kind: 'keep', orphan, handOver: true });
    else if (policy === 'keep') decisions.push({ kind: 'keep', orphan, handOver: false });
    else {
      decisions.push({ kind: 'remove', orphan });
      removals.push({ key: orphan.matchKey, externalId: orphan.externalId });
    }
  }
  return { decisions, removals };
}

/**
 * Requests start this much further apart than the budget alone says: the provider counts arrivals,
 * and a request delayed on its way would otherwise land inside the previous second's window.
 */
export const PACING_MARGIN = 1.03;

/**
 * Paces requests to the destination's documented budget: each request starts no sooner than
 * 1/rps seconds (plus the margin) after the previous one. `now` and `sleep` are injected so tests
 * drive time.
 */
export class Pacer {
  private nextAt = 0;
  constructor(
    private readonly requestsPerSecond: number,
    private readonly clock: { now: () => number; sleep: (ms: number) => Promise<void> },
  ) {}

  async wait(): Promise<void> {
    const interval = this.requestsPerSecond > 0 ? (1000 / this.requestsPerSecond) * PACING_MARGIN : 0;
    const now = this.clock.now();
    const at = Math.max(now, this.nextAt);
    this.nextAt = at + interval;
    if (at > now) await this.clock.sleep(at - now);
  }

  /** After a 429: nothing starts before `ms` from now. */
  holdFor(ms: number): void {
    this.nextAt = Math.max(this.nextAt, this.clock.now() + ms);
  }
}

/**
 * The destination asked us to slow down or is briefly unwell: retry the batch later (the runner
 * sleeps, Inngest turns it into a RetryAfterError). Nothing of the batch was committed.
 */
export class RetryablePushError extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'RetryablePushError';
  }
}
