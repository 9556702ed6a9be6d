// Pushes as users reach them (the routes in app/api/workspaces/[w]/connections/[c]/push*): the
// destinations a connection offers and their targets' fields, push configurations (any member
// reads; admins create, change, delete, preview and run), and the per-record errors.
//
// For the screens (h-push-ui): shapes are lib/push/schemas.ts. Errors: 400 validation_failed
// (`details.issues`), 422 invalid_mapping (`details.issues`, each { path, message }: the mapping
// editor shows them at their rows), 403 forbidden for members/viewers writing, 404 not_found for
// another workspace's ids, 502 provider_error when the destination's schema cannot be read. A
// saved mapping's targets are checked against the target's real fields, read when saving.
import { and, count, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { recordActivity } from '../activity/activity';
import type { SessionUser } from '../auth/session-token';
import { connectionInWorkspace } from '../connections/connections';
import { describeFailure } from '../connections/failures';
import { providerSession } from '../connections/provider-access';
import type { Db, Tx } from '../db/engine';
import { asService } from '../db/rls';
import { connections, pushConfigurations, pushRecords, syncRuns, type Connection, type PushConfigurationRow } from '../db/schema';
import { HttpError, notFound } from '../http/errors';
import { parseWith } from '../http/route';
import { compileMapping } from '../mapping/interpreter';
import { parseMapping, type Mapping } from '../mapping/language';
import { modelFields } from '../mapping/model';
import { ProviderHttpError, ReauthorizationRequiredError } from '../providers/errors';
import { findProvider } from '../providers/registry';
import type { PushDestination, PushField } from '../providers/types';
import { contentHash } from '../sync/canonical';
import { inWorkspace } from '../workspaces/access';
import { startPush } from '../jobs/pushes';
import { mapForPush } from './decide';
import { deletionPoliciesOf, destinationsOf, findDestination, mappingTargetsOf } from './destinations';
import { countSources, readSourcePage } from './engine';
import {
  PUSH_DELETION_POLICIES,
  PUSH_SCHEDULES,
  pushConfigInputSchema,
  pushFilterSchema,
  type PushConfig,
  type PushDestinationView,
  type PushFieldView,
  type PushPreview,
  type PushRecordError,
  type PushRunSummary,
  type PushView,
} from './schemas';

const configShape = pushConfigInputSchema.shape;
/**
 * PATCH: any subset of the configuration, plus enabled. Written out rather than `.partial()`: a
 * partial schema would fill in the defaults (filters, policy, schedule) of keys the client left out.
 */
export const pushUpdateSchema = z.strictObject({
  name: configShape.name.optional(),
  destination: configShape.destination.optional(),
  targetId: configShape.targetId.optional(),
  matchField: configShape.matchField.optional(),
  sourceModel: configShape.sourceModel.optional(),
  sourceConnectionIds: configShape.sourceConnectionIds.optional(),
  filters: z.array(pushFilterSchema).max(20).optional(),
  mapping: z.unknown().optional(),
  deletionPolicy: z.enum(PUSH_DELETION_POLICIES).optional(),
  schedule: z.enum(PUSH_SCHEDULES).optional(),
  pushOnSourceChange: z.boolean().optional(),
  enabled: z.boolean({ error: 'enabled must be true or false' }).optional(),
});
export type PushUpdate = z.output<typeof pushUpdateSchema>;
export const pushErrorsQuerySchema = z.object({ cursor: z.coerce.number({ error: 'cursor must be a number' }).int().min(0).max(1_000_000).default(0) });

const PREVIEW_RECORDS = 10;
const ERRORS_PAGE = 50;

interface Scope {
  workspaceId: string;
  connectionId: string;
}

function failureOf(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof ReauthorizationRequiredError) return new HttpError('needs_reauth', 'The destination connection needs to be reconnected.');
  if (error instanceof ProviderHttpError) {
    if (error.status === 429) return new HttpError('provider_rate_limited', 'The destination is rate limiting this connection; try again shortly.');
    return new HttpError('provider_error', `The destination could not be read: ${describeFailure(error)}`);
  }
  throw error;
}

async function viaProvider<T>(db: Db, connectionId: string, call: Parameters<ReturnType<typeof providerSession>>[0]): Promise<T> {
  try {
    return (await providerSession(db, connectionId)(call)) as T;
  } catch (error) {
    throw failureOf(error);
  }
}

function destinationOf(connection: Connection, destinationId: string): PushDestination {
  const destination = findDestination(connection.provider, destinationId);
  if (!destination) {
    const offered = destinationsOf(findProvider(connection.provider)).map((d) => d.id);
    throw new HttpError(
      'validation_failed',
      offered.length
        ? `destination: "${destinationId.slice(0, 64)}" is not offered by this connection (offered: ${offered.join(', ')})`
        : 'destination: this connection cannot receive pushes',
      { issues: [{ path: ['destination'], message: 'unknown destination' }] },
    );
  }
  return destination;
}

function fieldView(field: PushField): PushFieldView {
  return {
    name: field.name,
    label: field.label,
    type: field.type,
    required: field.required ?? false,
    matchable: field.matchable ?? false,
    ...(field.values ? { values: [...field.values] } : {}),
  };
}

// ── destinations and fields ────────────────────────────────────────────────────────────────

export async function listDestinations(db: Db, user: SessionUser, scope: Scope): Promise<PushDestinationView[]> {
  const connection = await inWorkspace(db, user, scope.workspaceId, 'viewer', ({ tx }) => connectionInWorkspace(tx, scope.workspaceId, scope.connectionId));
  const destinations = destinationsOf(findProvider(connection.provider));
  const views: PushDestinationView[] = [];
  for (const destination of destinations) {
    const targets = await viaProvider<Awaited<ReturnType<PushDestination['targets']>>>(db, connection.id, (client) => destination.targets(client));
    views.push({
      id: destination.id,
      label: destination.label,
      models: [...destination.models],
      matchKey: destination.matchKey,
      deletionPolicies: deletionPoliciesOf(destination),
      batchSize: destination.batchSize,
      requestsPerSecond: destination.rateLimit.requestsPerSecond,
      targets: targets.map((t) => ({ id: t.id, label: t.label, ...(t.group ? { group: t.group } : {}) })),
    });
  }
  return views;
}

async function targetFields(db: Db, connection: Connection, destination: PushDestination, targetId: string): Promise<PushField[]> {
  try {
    return await viaProvider<PushField[]>(db, connection.id, (client) => destination.fields(client, targetId));
  } catch (error) {
    if (error instanceof HttpError && error.code === 'provider_error' && /answered 404/.test(error.message)) {
      throw new HttpError('validation_failed', `targetId: "${targetId.slice(0, 100)}" is not among this connection's targets for ${destination.label}`, {
        issues: [{ path: ['targetId'], message: 'unknown target' }],
      });
    }
    throw error;
  }
}

export async function listTargetFields(db: Db, user: SessionUser, scope: Scope & { destinationId: string; targetId: string }): Promise<PushFieldView[]> {
  const connection = await inWorkspace(db, user, scope.workspaceId, 'viewer', ({ tx }) => connectionInWorkspace(tx, scope.workspaceId, scope.connectionId));
  const destination = findDestination(connection.provider, scope.destinationId);
  if (!destination) throw notFound('This connection offers no such push destination.');
  return (await targetFields(db, connection, destination, scope.targetId)).map(fieldView);
}

// ── checking a configuration ───────────────────────────────────────────────────────────────

interface Checked {
  config: PushConfig;
  destination: PushDestination;
  fields: PushField[];
  mapping: Mapping;
}

const invalid = (path: string, message: string) => new HttpError('validation_failed', `${path}: ${message}`, { issues: [{ path: [path], message }] });

/**
 * What the schema cannot check alone, in the database (the destination, the sources, the filters):
 * inside the caller's transaction. The provider is asked nothing here.
 */
async function checkLocal(tx: Tx, connection: Connection, config: PushConfig): Promise<void> {
  const destination = destinationOf(connection, config.destination);
  if (!destination.models.includes(config.sourceModel)) {
    throw invalid('sourceModel', `${destination.label} accepts ${destination.models.join(', ')} records, not ${config.sourceModel}`);
  }
  const policies = deletionPoliciesOf(destination);
  if (!policies.includes(config.deletionPolicy)) throw invalid('deletionPolicy', `must be one of ${policies.join(', ')} for ${destination.label}`);
  const unique = [...new Set(config.sourceConnectionIds)];
  const found = await tx
    .select({ id: connections.id })
    .from(connections)
    .where(and(eq(connections.workspaceId, connection.workspaceId), inArray(connections.id, unique)));
  const missing = unique.filter((id) => !found.some((f) => f.id === id));
  if (missing.length) throw invalid('sourceConnectionIds', `${missing.join(', ')} ${missing.length === 1 ? 'is not a connection' : 'are not connections'} of this workspace`);
  const model = modelFields(config.sourceModel);
  config.filters.forEach((filter, i) => {
    if (!model.some((f) => f.name === filter.field)) throw invalid(`filters.${i}.field`, `"${filter.field}" is not a ${config.sourceModel} field (fields: ${model.map((f) => f.name).join(', ')})`);
    const needsValue = filter.op === 'equals' || filter.op === 'not_equals' || filter.op === 'in';
    if (needsValue && filter.value === undefined) throw invalid(`filters.${i}.value`, `"${filter.op}" needs a value`);
    if (filter.op === 'in' && !Array.isArray(filter.value)) throw invalid(`filters.${i}.value`, '"in" needs a list of values');
  });
}

/**
 * The rest, against the target's real schema (read from the provider, outside any transaction: a
 * slow provider must not hold a database connection): the match field and the mapping.
 */
async function checkRemote(db: Db, connection: Connection, config: PushConfig): Promise<Checked> {
  const destination = destinationOf(connection, config.destination);
  const fields = await targetFields(db, connection, destination, config.targetId);
  if (destination.matchKey.kind === 'fixed') {
    if (config.matchField !== destination.matchKey.field) throw invalid('matchField', `${destination.label} matches records on ${destination.matchKey.field}`);
  } else {
    const field = fields.find((f) => f.name === config.matchField);
    if (!field?.matchable) {
      const matchable = fields.filter((f) => f.matchable).map((f) => f.name);
      throw invalid('matchField', `"${config.matchField.slice(0, 100)}" is not a field records can be matched on (choose one of: ${matchable.join(', ') || 'none'})`);
    }
  }
  const parsed = parseMapping(config.mapping, mappingTargetsOf(fields, `the target ${config.targetId}`));
  const mappingIssues = parsed.ok ? [] : parsed.issues;
  if (parsed.ok && parsed.mapping.model !== config.sourceModel) {
    mappingIssues.push({ path: 'model', message: `the mapping reads ${parsed.mapping.model} but the push sends ${config.sourceModel} records` });
  }
  if (parsed.ok && !parsed.mapping.rows.some((row) => row.target === config.matchField)) {
    mappingIssues.push({ path: 'rows', message: `map a value to the match field ${config.matchField}` });
  }
  if (!parsed.ok || mappingIssues.length) {
    const first = mappingIssues[0];
    const more = mappingIssues.length > 1 ? ` (and ${mappingIssues.length - 1} more)` : '';
    throw new HttpError('invalid_mapping', `The mapping is not valid: ${first.path ? `${first.path}: ` : ''}${first.message}${more}`, { issues: mappingIssues });
  }
  return { config, destination, fields, mapping: parsed.mapping };
}

// ── views ──────────────────────────────────────────────────────────────────────────────────

function configOf(row: PushConfigurationRow): PushConfig {
  return {
    name: row.name,
    destination: row.destination,
    targetId: row.targetId,
    matchField: row.matchField,
    sourceModel: row.sourceModel as PushConfig['sourceModel'],
    sourceConnectionIds: row.sourceConnectionIds,
    filters: row.filters as PushConfig['filters'],
    mapping: row.mapping,
    deletionPolicy: row.deletionPolicy,
    schedule: row.schedule,
    pushOnSourceChange: row.pushOnSourceChange,
  };
}

async function viewsOf(tx: Tx, rows: PushConfigurationRow[]): Promise<PushView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const counts = await tx
    .select({
      pushId: pushRecords.pushId,
      pushed: sql<number>`count(*) filter (where ${pushRecords.status} = 'pushed')`.mapWith(Number),
      failing: sql<number>`count(*) filter (where ${pushRecords.lastError} is not null)`.mapWith(Number),
    })
    .from(pushRecords)
    .where(inArray(pushRecords.pushId, ids))
    .groupBy(pushRecords.pushId);
  const lastRuns = await tx
    .selectDistinctOn([syncRuns.pushId])
    .from(syncRuns)
    .where(inArray(syncRuns.pushId, ids))
    .orderBy(syncRuns.pushId, desc(syncRuns.queuedAt), desc(syncRuns.id));
  return rows.map((row) => {
    const c = counts.find((x) => x.pushId === row.id);
    const run = lastRuns.find((r) => r.pushId === row.id);
    const lastRun: PushRunSummary | null = run
      ? {
          id: run.id,
          status: run.status,
          trigger: run.trigger,
          queuedAt: run.queuedAt.toISOString(),
          finishedAt: run.finishedAt?.toISOString() ?? null,
          recordsSent: run.recordsCreated + run.recordsUpdated,
          recordsUnchanged: run.recordsUnchanged,
          recordsFailed: run.recordsFailed,
          recordsRemoved: run.recordsDeleted,
          requests: run.requests,
        }
      : null;
    return {
      id: row.id,
      connectionId: row.connectionId,
      config: configOf(row),
      enabled: row.enabled,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
      lastRun,
      counts: { pushed: c?.pushed ?? 0, failing: c?.failing ?? 0 },
    };
  });
}

async function pushRow(tx: Tx, scope: Scope, pushId: string): Promise<PushConfigurationRow> {
  const [row] = await tx
    .select()
    .from(pushConfigurations)
    .where(and(eq(pushConfigurations.id, pushId), eq(pushConfigurations.workspaceId, scope.workspaceId), eq(pushConfigurations.connectionId, scope.connectionId)));
  if (!row) throw notFound('That push does not exist on this connection.');
  return row;
}

export async function listPushes(db: Db, user: SessionUser, scope: Scope): Promise<PushView[]> {
  return inWorkspace(db, user, scope.workspaceId, 'viewer', async ({ tx }) => {
    await connectionInWorkspace(tx, scope.workspaceId, scope.connectionId);
    const rows = await tx
      .select()
      .from(pushConfigurations)
      .where(and(eq(pushConfigurations.workspaceId, scope.workspaceId), eq(pushConfigurations.connectionId, scope.connectionId)))
      .orderBy(pushConfigurations.createdAt, pushConfigurations.id);
    return viewsOf(tx, rows);
  });
}

export async function getPush(db: Db, user: SessionUser, scope: Scope, pushId: string): Promise<PushView> {
  return inWorkspace(db, user, scope.workspaceId, 'viewer', async ({ tx }) => (await viewsOf(tx, [await pushRow(tx, scope, pushId)]))[0]);
}

// ── writes ─────────────────────────────────────────────────────────────────────────────────

const nextRunSql = (schedule: PushConfig['schedule'], enabled: boolean) =>
  !enabled || schedule === 'manual' ? null : schedule === 'hourly' ? sql`now() + interval '1 hour'` : sql`now() + interval '1 day'`;

async function activityOf(tx: Tx, user: SessionUser, workspaceId: string, action: string, pushId: string, details: Record<string, unknown>) {
  await recordActivity(tx, { workspaceId, actorId: user.userId, actorEmail: user.email, action, targetType: 'push', targetId: pushId, details });
}

export async function createPush(db: Db, user: SessionUser, scope: Scope, input: unknown): Promise<PushView> {
  const config = parseWith(pushConfigInputSchema, input);
  const connection = await inWorkspace(db, user, scope.workspaceId, 'admin', async ({ tx }) => {
    const connection = await connectionInWorkspace(tx, scope.workspaceId, scope.connectionId);
    await checkLocal(tx, connection, config);
    return connection;
  });
  const checked = await checkRemote(db, connection, config);
  const id = await asService(db, async (tx) => {
    const [row] = await tx
      .insert(pushConfigurations)
      .values({
        workspaceId: scope.workspaceId,
        connectionId: scope.connectionId,
        ...config,
        mapping: checked.mapping,
        targetFields: checked.fields,
        mappingHash: contentHash(checked.mapping),
        nextRunAt: nextRunSql(config.schedule, true),
        createdBy: user.userId,
      })
      .returning({ id: pushConfigurations.id });
    await activityOf(tx, user, scope.workspaceId, 'push.created', row.id, { provider: connection.provider, name: config.name, destination: config.destination, target: config.targetId });
    return row.id;
  });
  return getPush(db, user, scope, id);
}

export async function updatePush(db: Db, user: SessionUser, scope: Scope, pushId: string, input: unknown): Promise<PushView> {
  const patch = parseWith(pushUpdateSchema, input);
  const sent = new Set(Object.keys(patch).filter((key) => patch[key as keyof PushUpdate] !== undefined));
  const { row, merged, connection } = await inWorkspace(db, user, scope.workspaceId, 'admin', async ({ tx }) => {
    const row = await pushRow(tx, scope, pushId);
    const connection = await connectionInWorkspace(tx, scope.workspaceId, scope.connectionId);
    const merged: PushConfig = { ...configOf(row) };
    for (const key of Object.keys(merged) as (keyof PushConfig)[]) {
      if (sent.has(key)) (merged as Record<string, unknown>)[key] = patch[key];
    }
    await checkLocal(tx, connection, merged);
    return { row, connection, merged };
  });
  const checked = await checkRemote(db, connection, merged);
  const enabled = patch.enabled ?? row.enabled;
  const mappingHash = contentHash(checked.mapping);
  const retargeted = checked.config.destination !== row.destination || checked.config.targetId !== row.targetId || checked.config.matchField !== row.matchField;
  await asService(db, async (tx) => {
    await tx
      .update(pushConfigurations)
      .set({
        ...checked.config,
        mapping: checked.mapping,
        targetFields: checked.fields,
        mappingHash,
        mappingVersion: mappingHash === row.mappingHash ? row.mappingVersion : row.mappingVersion + 1,
        enabled,
        nextRunAt: checked.config.schedule !== row.schedule || enabled !== row.enabled ? nextRunSql(checked.config.schedule, enabled) : row.nextRunAt,
      })
      .where(and(eq(pushConfigurations.id, pushId), eq(pushConfigurations.workspaceId, scope.workspaceId)));
    // What was pushed to another target or matched on another field says nothing about the new one.
    if (retargeted) await tx.delete(pushRecords).where(and(eq(pushRecords.pushId, pushId), eq(pushRecords.workspaceId, scope.workspaceId)));
    await activityOf(tx, user, scope.workspaceId, 'push.updated', pushId, {
      provider: connection.provider,
      name: checked.config.name,
      changed: [...sent].filter((k) => k in pushUpdateSchema.shape),
      ...(mappingHash !== row.mappingHash ? { mappingVersion: row.mappingVersion + 1 } : {}),
    });
  });
  return getPush(db, user, scope, pushId);
}

export async function deletePush(db: Db, user: SessionUser, scope: Scope, pushId: string): Promise<void> {
  const { row, connection } = await inWorkspace(db, user, scope.workspaceId, 'admin', async ({ tx }) => ({
    row: await pushRow(tx, scope, pushId),
    connection: await connectionInWorkspace(tx, scope.workspaceId, scope.connectionId),
  }));
  await asService(db, async (tx) => {
    // A run in flight stops at its next batch (the engine cancels runs of a deleted push).
    await tx
      .update(syncRuns)
      .set({ status: 'cancelled', finishedAt: sql`now()`, error: 'The push was deleted.' })
      .where(and(eq(syncRuns.pushId, pushId), inArray(syncRuns.status, ['queued', 'running'])));
    await tx.delete(pushConfigurations).where(and(eq(pushConfigurations.id, pushId), eq(pushConfigurations.workspaceId, scope.workspaceId)));
    await activityOf(tx, user, scope.workspaceId, 'push.deleted', pushId, { provider: connection.provider, name: row.name });
  });
}

export async function previewPush(db: Db, user: SessionUser, scope: Scope, input: unknown): Promise<PushPreview> {
  const config = parseWith(pushConfigInputSchema, input);
  const connection = await inWorkspace(db, user, scope.workspaceId, 'admin', async ({ tx }) => {
    const connection = await connectionInWorkspace(tx, scope.workspaceId, scope.connectionId);
    await checkLocal(tx, connection, config);
    return connection;
  });
  const checked = await checkRemote(db, connection, config);
  return inWorkspace(db, user, scope.workspaceId, 'admin', async ({ tx }) => {
    const compiled = compileMapping(checked.mapping, mappingTargetsOf(checked.fields, `the target ${config.targetId}`));
    const source = { workspaceId: scope.workspaceId, sourceConnectionIds: config.sourceConnectionIds, sourceModel: config.sourceModel, filters: config.filters };
    const records = await readSourcePage(tx, source, null, PREVIEW_RECORDS);
    return {
      matching: await countSources(tx, source),
      records: records.map((record) => {
        const mapped = mapForPush(compiled, config.matchField, record.mapped);
        return { sourceConnectionId: record.connectionId, sourceExternalId: record.externalId, key: mapped.key, fields: mapped.fields, errors: mapped.errors };
      }),
    };
  });
}

export async function runPushNow(db: Db, user: SessionUser, scope: Scope, pushId: string): Promise<{ runId: string; created: boolean }> {
  const row = await inWorkspace(db, user, scope.workspaceId, 'admin', ({ tx }) => pushRow(tx, scope, pushId));
  if (!row.enabled) throw new HttpError('conflict', 'The push is disabled; enable it to run it.');
  const { runId, created } = await startPush(db, { workspaceId: scope.workspaceId, pushId, trigger: 'manual', requestedBy: user.userId });
  return { runId, created };
}

export async function listPushErrors(
  db: Db,
  user: SessionUser,
  scope: Scope,
  pushId: string,
  cursor: number,
): Promise<{ errors: PushRecordError[]; nextCursor: string | null }> {
  return inWorkspace(db, user, scope.workspaceId, 'viewer', async ({ tx }) => {
    await pushRow(tx, scope, pushId);
    const where = and(eq(pushRecords.pushId, pushId), eq(pushRecords.workspaceId, scope.workspaceId), isNotNull(pushRecords.lastError));
    const rows = await tx
      .select()
      .from(pushRecords)
      .where(where)
      .orderBy(desc(pushRecords.lastErrorAt), pushRecords.sourceConnectionId, pushRecords.sourceResource, pushRecords.sourceExternalId)
      .limit(ERRORS_PAGE + 1)
      .offset(cursor);
    const [{ total }] = await tx.select({ total: count() }).from(pushRecords).where(where);
    const more = rows.length > ERRORS_PAGE && cursor + ERRORS_PAGE < Number(total);
    return {
      errors: rows.slice(0, ERRORS_PAGE).map((r) => ({
        sourceConnectionId: r.sourceConnectionId,
        sourceExternalId: r.sourceExternalId,
        key: r.matchKey,
        error: r.lastError ?? '',
        at: (r.lastErrorAt ?? r.updatedAt).toISOString(),
      })),
      nextCursor: more ? String(cursor + ERRORS_PAGE) : null,
    };
  });
}

// ── route params ───────────────────────────────────────────────────────────────────────────

const uuidParam = (what: string) => z.uuid({ error: `${what} must be a valid id` });
export const pushConnectionParams = z.object({ workspaceId: uuidParam('workspaceId'), connectionId: uuidParam('connectionId') });
export const pushParams = pushConnectionParams.extend({ pushId: uuidParam('pushId') });
export const targetFieldsParams = pushConnectionParams.extend({
  destinationId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'destinationId must be a destination id such as members' }),
  targetId: z.string().min(1, { error: 'targetId must not be empty' }).max(200, { error: 'targetId must be at most 200 characters' }),
});
