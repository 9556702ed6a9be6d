// The push engine's I/O around the pure decision (./decide.ts). A push run is a sync run with
// direction 'push' on the destination connection. One call does one batch:
//   upsert phase: read the next source records after the checkpoint (stored synced_records of the
//     source connections whose active mapping targets the source model, filters applied on the
//     mapped fields), map them, decide, send at most one request's worth (batchSize) of upserts;
//   remove phase: pushed records whose source is gone, per the deletion policy;
// and commits the per-record state, the run's counters and the checkpoint in one transaction, so
// a crash re-sends at most one batch — an upsert by match key, safe to repeat: no duplicates.
// With several app instances, that transaction also checks the in-process runner's claim (lease),
// so a process whose run another instance took over writes nothing more.
// Requests are paced to the destination's documented rate, a 429 waits its Retry-After, and every
// request is counted (sync_runs.requests).
import { and, eq, inArray, ne, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { recordActivity } from '../activity/activity';
import { providerSession, type ProviderSession } from '../connections/provider-access';
import { describeFailure } from '../connections/failures';
import type { Db, Tx } from '../db/engine';
import { rowsOf } from '../db/engine';
import { asService } from '../db/rls';
import { connections, pushConfigurations, pushRecords, syncRuns, type PushConfigurationRow } from '../db/schema';
import { compileMapping, type CompiledMapping } from '../mapping/interpreter';
import { ProviderHttpError, ReauthorizationRequiredError, TemporaryProviderError } from '../providers/errors';
import type { ProviderClient, PushDestination, PushField, PushOutcome, PushTargetRef } from '../providers/types';
import { appendStep, cancelRunById, loadHeldRun, loadRun, type SyncRun } from '../sync/runs';
import { decideBatch, decideRemovals, mapForPush, Pacer, RetryablePushError, sourceIdOf, type Decision, type Mapped, type Orphan, type PushState, type SourceRecord } from './decide';
import { findDestination, mappingTargetsOf } from './destinations';
import { pushFilterSchema, type PushFilter } from './schemas';

export type PushStepOutcome = 'more' | 'succeeded' | 'failed' | 'cancelled';

const cursorSchema = z.tuple([z.string(), z.string(), z.string()]);
const checkpointSchema = z.object({ phase: z.enum(['upsert', 'remove']), after: cursorSchema.nullable() });
type Checkpoint = z.infer<typeof checkpointSchema>;

/**
 * Source records read per query while looking for a batch's worth of changes: one batch's worth
 * for large batches (a page is rarely read twice), at least 200 so an unchanged re-push moves
 * through its records in few transactions, and not a thousand to send Airtable's ten.
 */
export const sourcePageFor = (batchSize: number) => Math.min(1_000, Math.max(200, batchSize));
/**
 * Source records read (and mapped) per query when the caller keeps per-run state: a look-ahead
 * that feeds several batches' windows, so Airtable's 10-record batches do not each re-read a page.
 */
export const lookAheadFor = (batchSize: number) => Math.min(5_000, Math.max(1_000, 4 * sourcePageFor(batchSize)));
/** Attempts of one request before the batch is handed back to the runner as retryable. */
const REQUEST_ATTEMPTS = 4;
/** Wait after a 429 without Retry-After (Airtable asks for 30 s). */
const DEFAULT_RATE_LIMIT_WAIT_MS = 30_000;

export interface PushEngineOptions {
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** Kept across the batches of one run, so pacing holds between them (the runner passes one). */
  state?: PushRunState;
  /**
   * Fault hook for tests: runs after a batch's requests and before its commit. Throwing here is a
   * crash at the worst moment (the destination has the records, the state does not).
   */
  beforeCommit?: (info: { runId: string; phase: Checkpoint['phase']; batch: number }) => void | Promise<void>;
  /**
   * The claim this process holds on the run (lib/sync/runs.ts claimRun, taken by the in-process
   * runner): every write checks it, so a process whose run was taken over by another instance
   * writes nothing more. Inngest steps hold none (Inngest runs one step of a run at a time).
   */
  lease?: number;
}

/**
 * A queued run whose destination connection is busy with another push run (another instance's,
 * or an Inngest run's): not a failure of this run, so the in-process runner waits without
 * counting it against the run's attempts.
 */
export class DestinationBusyError extends RetryablePushError {}

/** The run as this process may write it: with a lease, locked and only while the lease still holds. */
const heldRun = (tx: Tx, runId: string, lease: number | undefined) => (lease === undefined ? loadRun(tx, runId) : loadHeldRun(tx, runId, lease));

/**
 * Source records already read and mapped, in source order, starting right after `after`. Only an
 * optimisation: it is used only while `after` equals the run's committed checkpoint (and the push's
 * scope is unchanged), so after a crash or any mismatch the engine reads from the checkpoint again.
 */
export interface LookAhead {
  runId: string;
  scope: string;
  after: [string, string, string] | null;
  records: { record: SourceRecord; mapped: Mapped }[];
  /** The last record read (where the next read continues), and whether the source ended there. */
  end: [string, string, string] | null;
  exhausted: boolean;
}

/** What the runner keeps across the batches of one run. */
export interface PushRunState {
  pacer?: Pacer;
  lookAhead?: LookAhead;
  session?: { connectionId: string; session: ProviderSession };
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function pacerFor(destination: PushDestination, options: PushEngineOptions): Pacer {
  return new Pacer(destination.rateLimit.requestsPerSecond, { now: options.now ?? Date.now, sleep: options.sleep ?? realSleep });
}

interface Loaded {
  run: SyncRun;
  config: PushConfigurationRow;
  destination: PushDestination;
  checkpoint: Checkpoint;
}

// ── reading ────────────────────────────────────────────────────────────────────────────────

/** The SQL of the push's filters on a source record's mapped (model) fields, `r` being synced_records. */
export function filterSql(filters: readonly PushFilter[]): SQL {
  const parts = filters.map((filter): SQL => {
    const value = sql`(r.mapped -> ${filter.field})`;
    switch (filter.op) {
      case 'equals':
        return sql`${value} = ${JSON.stringify(filter.value ?? null)}::jsonb`;
      case 'not_equals':
        return sql`${value} is distinct from ${JSON.stringify(filter.value ?? null)}::jsonb`;
      case 'in': {
        const list = Array.isArray(filter.value) ? filter.value : [filter.value];
        return sql`${JSON.stringify(list)}::jsonb @> ${value}`;
      }
      case 'is_set':
        return sql`${value} is not null and ${value} <> 'null'::jsonb`;
      case 'is_not_set':
        return sql`(${value} is null or ${value} = 'null'::jsonb)`;
    }
  });
  return parts.length ? sql.join(parts, sql` and `) : sql`true`;
}

/** The source records of a push: live, mapped onto its source model, matching its filters. */
function sourceScope(config: Pick<PushConfigurationRow, 'workspaceId' | 'sourceConnectionIds' | 'sourceModel' | 'filters'>): SQL {
  const filters = z.array(pushFilterSchema).parse(config.filters);
  return sql`r.workspace_id = ${config.workspaceId}::uuid
    and r.connection_id in (select value::uuid from jsonb_array_elements_text(${JSON.stringify(config.sourceConnectionIds)}::jsonb))
    and r.deleted_at is null and r.mapped is not null
    and exists (select 1 from public.field_mappings m
      where m.workspace_id = r.workspace_id and m.connection_id = r.connection_id and m.resource = r.resource
        and m.is_active and m.target_model = ${config.sourceModel})
    and ${filterSql(filters)}`;
}

interface SourceRow {
  connectionId: string;
  resource: string;
  externalId: string;
  mapped: unknown;
}

export async function readSourcePage(
  tx: Tx,
  config: Pick<PushConfigurationRow, 'workspaceId' | 'sourceConnectionIds' | 'sourceModel' | 'filters'>,
  after: [string, string, string] | null,
  limit: number,
): Promise<SourceRecord[]> {
  const window = after ? sql`and (r.connection_id, r.resource, r.external_id) > (${after[0]}::uuid, ${after[1]}, ${after[2]})` : sql``;
  return rowsOf<SourceRow>(
    await tx.execute(sql`
      select r.connection_id as "connectionId", r.resource, r.external_id as "externalId", r.mapped
      from public.synced_records r
      where ${sourceScope(config)} and r.mapping_errors is null ${window}
      order by r.connection_id, r.resource, r.external_id
      limit ${limit}`),
  );
}

/** How many source records a push's configuration selects (the preview's "matching"). */
export async function countSources(tx: Tx, config: Pick<PushConfigurationRow, 'workspaceId' | 'sourceConnectionIds' | 'sourceModel' | 'filters'>): Promise<number> {
  const [row] = rowsOf<{ n: number }>(
    await tx.execute(sql`select count(*)::int as n from public.synced_records r where ${sourceScope(config)} and r.mapping_errors is null`),
  );
  return Number(row?.n ?? 0);
}

/** The state of a page of source records: one range of the primary key, as the page is ordered. */
async function statesFor(tx: Tx, pushId: string, records: readonly SourceRecord[]): Promise<Map<string, PushState & { sourceId: string }>> {
  if (records.length === 0) return new Map();
  const [first, last] = [records[0], records[records.length - 1]];
  const rows = rowsOf<{ c: string; r: string; e: string } & PushState>(
    await tx.execute(sql`
      select s.source_connection_id as c, s.source_resource as r, s.source_external_id as e,
             s.match_key as "matchKey", s.external_id as "externalId", s.status, s.output_hash as "outputHash"
      from public.push_records s
      where s.push_id = ${pushId}::uuid
        and (s.source_connection_id, s.source_resource, s.source_external_id)
          between (${first.connectionId}::uuid, ${first.resource}, ${first.externalId}) and (${last.connectionId}::uuid, ${last.resource}, ${last.externalId})`),
  );
  const states = new Map<string, PushState & { sourceId: string }>();
  for (const row of rows) {
    const sourceId = sourceIdOf({ connectionId: row.c, resource: row.r, externalId: row.e });
    states.set(sourceId, { sourceId, matchKey: row.matchKey, externalId: row.externalId, status: row.status, outputHash: row.outputHash });
  }
  return states;
}

/** Which source record holds each key at the destination. */
async function ownersOf(tx: Tx, pushId: string, keys: readonly string[]): Promise<Map<string, string>> {
  if (keys.length === 0) return new Map();
  const rows = await tx
    .select({ key: pushRecords.matchKey, c: pushRecords.sourceConnectionId, r: pushRecords.sourceResource, e: pushRecords.sourceExternalId })
    .from(pushRecords)
    .where(and(eq(pushRecords.pushId, pushId), eq(pushRecords.status, 'pushed'), inArray(pushRecords.matchKey, [...new Set(keys)])));
  return new Map(rows.map((row) => [row.key as string, sourceIdOf({ connectionId: row.c, resource: row.r, externalId: row.e })]));
}

type OrphanRow = { c: string; r: string; e: string; matchKey: string; externalId: string | null; hasDuplicate: boolean };

/** State rows read per query while looking for orphans. */
const ORPHAN_SCAN = 1_000;

/**
 * Pushed records whose source no longer qualifies, after the cursor. The pushed rows are read in
 * key order a chunk at a time, and the live sources of the same key range in one range query
 * each: a linear walk (a correlated anti-join over the source scope went quadratic).
 */
async function readOrphans(tx: Tx, config: PushConfigurationRow, after: [string, string, string] | null, limit: number): Promise<OrphanRow[]> {
  const found: Omit<OrphanRow, 'hasDuplicate'>[] = [];
  let cursor = after;
  for (;;) {
    const window = cursor ? sql`and (s.source_connection_id, s.source_resource, s.source_external_id) > (${cursor[0]}::uuid, ${cursor[1]}, ${cursor[2]})` : sql``;
    const rows = rowsOf<Omit<OrphanRow, 'hasDuplicate'>>(
      await tx.execute(sql`
        select s.source_connection_id as c, s.source_resource as r, s.source_external_id as e, s.match_key as "matchKey",
               s.external_id as "externalId"
        from public.push_records s
        where s.push_id = ${config.id}::uuid and s.status = 'pushed' and s.match_key is not null ${window}
        order by s.source_connection_id, s.source_resource, s.source_external_id
        limit ${ORPHAN_SCAN}`),
    );
    if (rows.length === 0) break;
    const [first, last] = [rows[0], rows[rows.length - 1]];
    const live = rowsOf<{ c: string; r: string; e: string }>(
      await tx.execute(sql`
        select r.connection_id as c, r.resource as r, r.external_id as e
        from public.synced_records r
        where ${sourceScope(config)}
          and (r.connection_id, r.resource, r.external_id) between (${first.c}::uuid, ${first.r}, ${first.e}) and (${last.c}::uuid, ${last.r}, ${last.e})`),
    );
    const alive = new Set(live.map((l) => sourceIdOf({ connectionId: l.c, resource: l.r, externalId: l.e })));
    for (const row of rows) {
      if (alive.has(sourceIdOf({ connectionId: row.c, resource: row.r, externalId: row.e }))) continue;
      found.push(row);
      if (found.length >= limit) break;
    }
    if (found.length >= limit || rows.length < ORPHAN_SCAN) break;
    cursor = [last.c, last.r, last.e];
  }
  if (found.length === 0) return [];
  const duplicated = await tx
    .selectDistinct({ key: pushRecords.matchKey })
    .from(pushRecords)
    .where(and(eq(pushRecords.pushId, config.id), eq(pushRecords.status, 'duplicate'), inArray(pushRecords.matchKey, [...new Set(found.map((o) => o.matchKey))])));
  const withDuplicate = new Set(duplicated.map((d) => d.key));
  return found.map((o) => ({ ...o, hasDuplicate: withDuplicate.has(o.matchKey) }));
}

// ── the run's life ─────────────────────────────────────────────────────────────────────────

/** How long a running push run without a heartbeat still holds its connection. */
const CLAIM_STALE_MS = 2 * 60_000;

async function prepare(db: Db, runId: string, lease: number | undefined): Promise<Loaded | PushStepOutcome> {
  return asService(db, async (tx) => {
    // Taken over by another process since this one claimed it: not ours, nothing to write.
    const run = await heldRun(tx, runId, lease);
    if (!run || run.direction !== 'push') return 'cancelled';
    if (run.status === 'cancelled' || run.status === 'failed') return run.status;
    if (run.status === 'succeeded' || run.status === 'partial') return 'succeeded';
    const [config] = run.pushId
      ? await tx.select().from(pushConfigurations).where(and(eq(pushConfigurations.id, run.pushId), eq(pushConfigurations.workspaceId, run.workspaceId)))
      : [];
    const [connection] = await tx.select().from(connections).where(eq(connections.id, run.connectionId)).for('update');
    const why = !config
      ? 'The push was deleted.'
      : !config.enabled
        ? 'The push is disabled.'
        : !connection || ['disconnected', 'paused', 'needs_reauth'].includes(connection.status)
          ? `The destination connection is ${connection?.status ?? 'gone'}.`
          : null;
    if (why || !config || !connection) {
      await cancelRunById(tx, runId, why ?? 'The push is gone.');
      return 'cancelled';
    }
    const destination = findDestination(connection.provider, config.destination);
    if (!destination) {
      await cancelRunById(tx, runId, `The destination "${config.destination}" is no longer offered.`);
      return 'cancelled';
    }
    if (run.status === 'queued') {
      // One push run at a time per destination connection: the connection row is locked above,
      // so two claims cannot both see the connection free.
      const [other] = await tx
        .select({ id: syncRuns.id })
        .from(syncRuns)
        .where(
          and(
            eq(syncRuns.connectionId, run.connectionId),
            eq(syncRuns.direction, 'push'),
            eq(syncRuns.status, 'running'),
            ne(syncRuns.id, runId),
            sql`${syncRuns.heartbeatAt} > now() - make_interval(secs => ${CLAIM_STALE_MS / 1000})`,
          ),
        )
        .limit(1);
      if (other) throw new DestinationBusyError('Another push to this connection is running.', 5);
      const checkpoint: Checkpoint = { phase: 'upsert', after: null };
      await tx
        .update(syncRuns)
        .set({
          status: 'running',
          startedAt: sql`coalesce(${syncRuns.startedAt}, now())`,
          heartbeatAt: sql`now()`,
          checkpoint,
          steps: appendStep(run.steps, { kind: 'started', push: config.name }),
        })
        .where(eq(syncRuns.id, runId));
      return { run: { ...run, status: 'running' }, config, destination, checkpoint };
    }
    const parsed = checkpointSchema.safeParse(run.checkpoint);
    return { run, config, destination, checkpoint: parsed.success ? parsed.data : { phase: 'upsert', after: null } };
  });
}

// Compiled once per (push, mapping version): runs of an unchanged push reuse it.
const compiledByPush = new Map<string, CompiledMapping>();

export function compiledPushMapping(config: Pick<PushConfigurationRow, 'id' | 'mapping' | 'mappingHash' | 'targetFields' | 'targetId'>): CompiledMapping {
  const cacheKey = `${config.id}:${config.mappingHash}`;
  let compiled = compiledByPush.get(cacheKey);
  if (!compiled) {
    compiled = compileMapping(config.mapping as never, mappingTargetsOf(config.targetFields as PushField[], `the target ${config.targetId}`));
    if (compiledByPush.size >= 200) compiledByPush.delete(compiledByPush.keys().next().value as string);
    compiledByPush.set(cacheKey, compiled);
  }
  return compiled;
}

/** A client that waits its turn before each request and counts them. */
function pacedClient(client: ProviderClient, pacer: Pacer, counter: { requests: number }): ProviderClient {
  return {
    ...client,
    async request(url, options) {
      await pacer.wait();
      counter.requests += 1;
      return client.request(url, options);
    },
  };
}

/**
 * Sends one destination call (an upsert or a removal of one batch), paced and counted. A 429 or a
 * passing failure waits (Retry-After when given) and tries again; after REQUEST_ATTEMPTS the batch
 * goes back to the runner as retryable, uncommitted.
 */
async function send(
  db: Db,
  config: PushConfigurationRow,
  pacer: Pacer,
  counter: { requests: number; rateLimited: number },
  call: (client: ProviderClient) => Promise<PushOutcome[]>,
  state?: PushRunState,
): Promise<PushOutcome[]> {
  // One session per run when the caller keeps state: credentials are loaded once, not per batch
  // (the session reloads them itself when they age or near expiry).
  let session: ProviderSession;
  if (state?.session?.connectionId === config.connectionId) session = state.session.session;
  else {
    session = providerSession(db, config.connectionId);
    if (state) state.session = { connectionId: config.connectionId, session };
  }
  for (let attempt = 1; ; attempt++) {
    try {
      return await session((client) => call(pacedClient(client, pacer, counter)));
    } catch (error) {
      const temporary = error instanceof TemporaryProviderError || (error instanceof ProviderHttpError && error.temporary);
      if (!temporary) throw error;
      const retryAfter = (error as ProviderHttpError).retryAfterSeconds;
      if (error instanceof ProviderHttpError && error.status === 429) counter.rateLimited += 1;
      if (attempt >= REQUEST_ATTEMPTS) throw new RetryablePushError(describeFailure(error), retryAfter);
      const waitMs = retryAfter !== undefined ? retryAfter * 1000 : error instanceof ProviderHttpError && error.status === 429 ? DEFAULT_RATE_LIMIT_WAIT_MS : 1000 * 2 ** (attempt - 1);
      pacer.holdFor(waitMs);
    }
  }
}

/** Does one batch of the run; 'more' until the run has ended. */
export async function pushNextBatch(db: Db, runId: string, options: PushEngineOptions = {}): Promise<PushStepOutcome> {
  const prepared = await prepare(db, runId, options.lease);
  if (typeof prepared === 'string') return prepared;
  const { config, destination, checkpoint } = prepared;
  const pacer = options.state?.pacer ?? pacerFor(destination, options);
  if (options.state) options.state.pacer = pacer;
  try {
    return checkpoint.phase === 'upsert'
      ? await upsertBatch(db, prepared, pacer, options)
      : await removeBatch(db, prepared, pacer, options);
  } catch (error) {
    if (error instanceof RetryablePushError) throw error;
    const reason = error instanceof ReauthorizationRequiredError ? `Reconnect needed: ${error.reason}` : describeFailure(error);
    if (!(error instanceof ProviderHttpError || error instanceof ReauthorizationRequiredError)) console.error(`push run ${runId} (${config.id}):`, error);
    await failPushRun(db, runId, reason, options.lease);
    return 'failed';
  }
}

const targetOf = (config: PushConfigurationRow): PushTargetRef => ({ id: config.targetId, matchField: config.matchField });

const sameCursor = (a: readonly string[] | null, b: readonly string[] | null) =>
  a === b || (a !== null && b !== null && a[0] === b[0] && a[1] === b[1] && a[2] === b[2]);
const cursorOf = (r: SourceRecord): [string, string, string] => [r.connectionId, r.resource, r.externalId];

/** What decides which source records a push reads and how it maps them: a change drops the look-ahead. */
const scopeOf = (config: PushConfigurationRow) =>
  JSON.stringify([config.id, config.mappingHash, config.matchField, config.sourceModel, config.sourceConnectionIds, config.filters]);

/**
 * The next window of source records after the checkpoint, mapped. With per-run state the records
 * come from the look-ahead (refilled with one read of lookAheadFor records when it runs short);
 * without it, one window is read, as each Inngest step does.
 */
async function nextWindow(tx: Tx, run: SyncRun, config: PushConfigurationRow, destination: PushDestination, checkpoint: Checkpoint, state?: PushRunState) {
  const compiled = compiledPushMapping(config);
  const window = sourcePageFor(destination.batchSize);
  const mapAll = (records: SourceRecord[]) => records.map((record) => ({ record, mapped: mapForPush(compiled, config.matchField, record.mapped) }));
  if (!state) return mapAll(await readSourcePage(tx, config, checkpoint.after, window));
  const scope = scopeOf(config);
  let ahead = state.lookAhead;
  // Only trusted while it starts exactly at the committed checkpoint of this run.
  if (!ahead || ahead.runId !== run.id || ahead.scope !== scope || !sameCursor(ahead.after, checkpoint.after)) {
    ahead = { runId: run.id, scope, after: checkpoint.after, records: [], end: checkpoint.after, exhausted: false };
  }
  if (ahead.records.length < window && !ahead.exhausted) {
    const size = lookAheadFor(destination.batchSize);
    const records = await readSourcePage(tx, config, ahead.end, size);
    ahead.records = ahead.records.concat(mapAll(records));
    if (records.length > 0) ahead.end = cursorOf(records[records.length - 1]);
    ahead.exhausted = records.length < size;
  }
  state.lookAhead = ahead;
  return ahead.records.slice(0, window);
}

async function upsertBatch(db: Db, loaded: Loaded, pacer: Pacer, options: PushEngineOptions): Promise<PushStepOutcome> {
  const { run, config, destination, checkpoint } = loaded;
  const state = options.state;
  const { page, states, owners } = await asService(db, async (tx) => {
    const mapped = await nextWindow(tx, run, config, destination, checkpoint, state);
    const keys = mapped.flatMap((m) => (m.mapped.key ? [m.mapped.key] : []));
    return { page: mapped, states: await statesFor(tx, config.id, mapped.map((m) => m.record)), owners: await ownersOf(tx, config.id, keys) };
  });
  if (page.length === 0) {
    if (state) state.lookAhead = undefined;
    return commitCheckpoint(db, run.id, { phase: 'remove', after: null }, options.lease);
  }
  const decided = decideBatch({ records: page, states, owners, batchSize: destination.batchSize });
  const counter = { requests: 0, rateLimited: 0 };
  const outcomes =
    decided.upserts.length > 0 ? await send(db, config, pacer, counter, (client) => destination.upsert(client, targetOf(config), decided.upserts), state) : [];
  await options.beforeCommit?.({ runId: run.id, phase: 'upsert', batch: run.pagesDone + 1 });
  const last = decided.decisions[decided.decisions.length - 1].record;
  const next: Checkpoint = { phase: 'upsert', after: cursorOf(last) };
  const outcome = await commitUpserts(db, run.id, config, decided.decisions, outcomes, counter, next, options.lease);
  // The look-ahead moves with the committed checkpoint; anything else and it is read afresh.
  const ahead = state?.lookAhead;
  if (ahead && outcome === 'more' && ahead.runId === run.id) {
    ahead.records = ahead.records.slice(decided.decisions.length);
    ahead.after = next.after;
  } else if (state) state.lookAhead = undefined;
  return outcome;
}

interface Counts {
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  removed: number;
  fetched: number;
}

async function commitUpserts(
  db: Db,
  runId: string,
  config: PushConfigurationRow,
  decisions: Decision[],
  outcomes: PushOutcome[],
  counter: { requests: number; rateLimited: number },
  next: Checkpoint,
  lease: number | undefined,
): Promise<PushStepOutcome> {
  const byKey = new Map(outcomes.map((o) => [o.key, o]));
  const counts: Counts = { created: 0, updated: 0, unchanged: 0, failed: 0, removed: 0, fetched: decisions.length };
  const rows: (typeof pushRecords.$inferInsert)[] = [];
  const now = new Date();
  const base = (d: Decision) => ({
    pushId: config.id,
    workspaceId: config.workspaceId,
    sourceConnectionId: d.record.connectionId,
    sourceResource: d.record.resource,
    sourceExternalId: d.record.externalId,
    matchKey: d.key,
  });
  for (const d of decisions) {
    switch (d.kind) {
      case 'skip':
        counts.unchanged += 1;
        break;
      case 'duplicate':
        counts.unchanged += 1;
        rows.push({ ...base(d), status: 'duplicate', outputHash: null, externalId: null, lastError: null, lastErrorAt: null });
        break;
      case 'failed':
        counts.failed += 1;
        rows.push({ ...base(d), status: 'failed', outputHash: null, lastError: d.error.slice(0, 2000), lastErrorAt: now });
        break;
      case 'upsert': {
        const outcome = byKey.get(d.key);
        if (outcome?.ok) {
          if (d.isNew) counts.created += 1;
          else counts.updated += 1;
          rows.push({ ...base(d), status: 'pushed', externalId: outcome.externalId, outputHash: d.hash, lastPushedAt: now, lastError: null, lastErrorAt: null });
        } else {
          counts.failed += 1;
          const error = outcome ? outcome.error : 'The destination gave no answer for this record.';
          rows.push({ ...base(d), status: 'failed', externalId: d.externalId, outputHash: null, lastError: error.slice(0, 2000), lastErrorAt: now });
        }
        break;
      }
    }
  }
  return commitBatch(db, runId, rows, [], counts, counter, next, lease);
}

async function removeBatch(db: Db, loaded: Loaded, pacer: Pacer, options: PushEngineOptions): Promise<PushStepOutcome> {
  const { run, config, destination, checkpoint } = loaded;
  const orphanRows = await asService(db, (tx) => readOrphans(tx, config, checkpoint.after, destination.batchSize));
  if (orphanRows.length === 0) return finishPushRun(db, run.id, config, options.lease);
  const orphans: Orphan[] = orphanRows.map((o) => ({
    sourceId: sourceIdOf({ connectionId: o.c, resource: o.r, externalId: o.e }),
    matchKey: o.matchKey,
    externalId: o.externalId,
    hasDuplicate: Boolean(o.hasDuplicate),
  }));
  const policy = config.deletionPolicy;
  const { decisions, removals } = decideRemovals(orphans, policy);
  const counter = { requests: 0, rateLimited: 0 };
  const outcomes =
    removals.length > 0 && policy !== 'keep' ? await send(db, config, pacer, counter, (client) => destination.remove(client, targetOf(config), removals, policy), options.state) : [];
  await options.beforeCommit?.({ runId: run.id, phase: 'remove', batch: run.pagesDone + 1 });
  const byKey = new Map(outcomes.map((o) => [o.key, o]));
  const counts: Counts = { created: 0, updated: 0, unchanged: 0, failed: 0, removed: 0, fetched: 0 };
  const rows: (typeof pushRecords.$inferInsert)[] = [];
  const handOvers: string[] = [];
  const now = new Date();
  orphanRows.forEach((o, i) => {
    const decision = decisions[i];
    const base = { pushId: config.id, workspaceId: config.workspaceId, sourceConnectionId: o.c, sourceResource: o.r, sourceExternalId: o.e, matchKey: o.matchKey };
    if (decision.kind === 'keep') {
      if (decision.handOver) handOvers.push(o.matchKey);
      rows.push({ ...base, externalId: o.externalId, status: 'kept', outputHash: null });
      return;
    }
    const outcome = byKey.get(o.matchKey);
    if (outcome?.ok) {
      counts.removed += 1;
      rows.push({ ...base, externalId: o.externalId, status: 'removed', outputHash: null, lastError: null, lastErrorAt: null });
    } else {
      counts.failed += 1;
      // Still pushed: the next run tries the removal again.
      const error = outcome ? outcome.error : 'The destination gave no answer for this record.';
      rows.push({ ...base, externalId: o.externalId, status: 'pushed', lastError: `removing: ${error}`.slice(0, 2000), lastErrorAt: now });
    }
  });
  const last = orphanRows[orphanRows.length - 1];
  return commitBatch(db, run.id, rows, handOvers, counts, counter, { phase: 'remove', after: [last.c, last.r, last.e] }, options.lease, config.id);
}

/** Moves the checkpoint on (the end of the upsert phase); 'cancelled' when the run was cancelled or, with a lease, taken over. */
async function commitCheckpoint(db: Db, runId: string, checkpoint: Checkpoint, lease: number | undefined): Promise<PushStepOutcome> {
  const held = lease === undefined ? sql`true` : eq(syncRuns.attempt, lease);
  const moved = await asService(db, (tx) =>
    tx
      .update(syncRuns)
      .set({ checkpoint, heartbeatAt: sql`now()` })
      .where(and(eq(syncRuns.id, runId), eq(syncRuns.status, 'running'), held))
      .returning({ id: syncRuns.id }),
  );
  return moved.length > 0 ? 'more' : 'cancelled';
}

/** The batch's state rows, the run's counters and the checkpoint, in one transaction. */
async function commitBatch(
  db: Db,
  runId: string,
  rows: (typeof pushRecords.$inferInsert)[],
  handOverKeys: string[],
  counts: Counts,
  counter: { requests: number; rateLimited: number },
  next: Checkpoint,
  lease: number | undefined,
  pushId?: string,
): Promise<PushStepOutcome> {
  return asService(db, async (tx) => {
    // Locked, so a takeover (claimRun) waits for this batch or this batch sees the takeover.
    const run = await loadHeldRun(tx, runId, lease);
    // Cancelled (or, with a lease, taken over by another process) while the batch was out: its
    // state is dropped, so the next run or the new holder re-decides those records (an upsert by
    // match key is safe to repeat).
    if (!run || run.status !== 'running') return 'cancelled';
    if (rows.length > 0) {
      // One statement, one parameter: the rows go as a JSON array (a 500-row batch as bound
      // parameters is 6,000 of them, slow to build and to parse). Absent values are null, as the
      // columns' defaults are; updated_at is set by the table's trigger.
      const json = JSON.stringify(
        rows.map((r) => ({
          push_id: r.pushId,
          workspace_id: r.workspaceId,
          source_connection_id: r.sourceConnectionId,
          source_resource: r.sourceResource,
          source_external_id: r.sourceExternalId,
          match_key: r.matchKey ?? null,
          external_id: r.externalId ?? null,
          status: r.status,
          output_hash: r.outputHash ?? null,
          last_pushed_at: r.lastPushedAt ?? null,
          last_error: r.lastError ?? null,
          last_error_at: r.lastErrorAt ?? null,
        })),
      );
      await tx.execute(sql`
        insert into public.push_records as p (push_id, workspace_id, source_connection_id, source_resource, source_external_id,
          match_key, external_id, status, output_hash, last_pushed_at, last_error, last_error_at)
        select push_id, workspace_id, source_connection_id, source_resource, source_external_id,
          match_key, external_id, status, output_hash, last_pushed_at, last_error, last_error_at
        from jsonb_to_recordset(${json}::jsonb) as t(push_id uuid, workspace_id uuid, source_connection_id uuid, source_resource text,
          source_external_id text, match_key text, external_id text, status text, output_hash text, last_pushed_at timestamptz,
          last_error text, last_error_at timestamptz)
        on conflict (push_id, source_connection_id, source_resource, source_external_id) do update set
          match_key = excluded.match_key,
          external_id = coalesce(excluded.external_id, p.external_id),
          status = excluded.status,
          output_hash = excluded.output_hash,
          last_pushed_at = coalesce(excluded.last_pushed_at, p.last_pushed_at),
          last_error = excluded.last_error,
          last_error_at = excluded.last_error_at`);
    }
    if (pushId && handOverKeys.length > 0) {
      // The key's holder left; its duplicates forget their state and are pushed as new next run.
      await tx
        .delete(pushRecords)
        .where(and(eq(pushRecords.pushId, pushId), inArray(pushRecords.status, ['duplicate', 'kept']), inArray(pushRecords.matchKey, handOverKeys)));
    }
    await tx
      .update(syncRuns)
      .set({
        pagesDone: sql`${syncRuns.pagesDone} + 1`,
        recordsFetched: sql`${syncRuns.recordsFetched} + ${counts.fetched}`,
        recordsCreated: sql`${syncRuns.recordsCreated} + ${counts.created}`,
        recordsUpdated: sql`${syncRuns.recordsUpdated} + ${counts.updated}`,
        recordsUnchanged: sql`${syncRuns.recordsUnchanged} + ${counts.unchanged}`,
        recordsDeleted: sql`${syncRuns.recordsDeleted} + ${counts.removed}`,
        recordsFailed: sql`${syncRuns.recordsFailed} + ${counts.failed}`,
        requests: sql`${syncRuns.requests} + ${counter.requests}`,
        checkpoint: next,
        heartbeatAt: sql`now()`,
        steps:
          counter.requests > 0 || counts.failed > 0
            ? appendStep(run.steps, {
                kind: 'page',
                phase: next.phase,
                page: run.pagesDone + 1,
                fetched: counts.fetched,
                created: counts.created,
                updated: counts.updated,
                unchanged: counts.unchanged,
                deleted: counts.removed,
                failed: counts.failed,
                requests: counter.requests,
                ...(counter.rateLimited > 0 ? { rateLimited: counter.rateLimited } : {}),
              })
            : run.steps,
      })
      .where(eq(syncRuns.id, runId));
    return 'more';
  });
}

const PUSH_SCHEDULE_SQL = sql`case ${pushConfigurations.schedule} when 'hourly' then now() + interval '1 hour' when 'daily' then now() + interval '1 day' else null end`;

async function finishPushRun(db: Db, runId: string, config: PushConfigurationRow, lease: number | undefined): Promise<PushStepOutcome> {
  return asService(db, async (tx) => {
    const run = await heldRun(tx, runId, lease);
    if (!run || run.status !== 'running') return 'cancelled';
    const status = run.recordsFailed > 0 ? 'partial' : 'succeeded';
    await tx
      .update(syncRuns)
      .set({ status, finishedAt: sql`now()`, checkpoint: null, heartbeatAt: sql`now()`, steps: appendStep(run.steps, { kind: 'finished', status }) })
      .where(eq(syncRuns.id, runId));
    await tx.update(pushConfigurations).set({ nextRunAt: PUSH_SCHEDULE_SQL }).where(and(eq(pushConfigurations.id, config.id), eq(pushConfigurations.enabled, true)));
    return 'succeeded';
  });
}

/**
 * Marks a push run failed (idempotent) and logs it; the destination connection's pull health is
 * not charged. With a lease, only while this process still holds the run.
 */
export async function failPushRun(db: Db, runId: string, reason: string, lease?: number): Promise<void> {
  await asService(db, async (tx) => {
    const run = await heldRun(tx, runId, lease);
    if (!run || !['queued', 'running'].includes(run.status)) return;
    await tx
      .update(syncRuns)
      .set({ status: 'failed', error: reason, finishedAt: sql`now()`, steps: appendStep(run.steps, { kind: 'failed', reason }) })
      .where(eq(syncRuns.id, runId));
    await recordActivity(tx, {
      workspaceId: run.workspaceId,
      action: 'push.run_failed',
      targetType: 'sync_run',
      targetId: run.id,
      details: { pushId: run.pushId, reason },
    });
  });
}
