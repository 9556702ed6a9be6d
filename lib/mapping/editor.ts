// The field-mapping editor as users reach it: read the active mapping with what the editor needs
// around it (model fields, fields seen in stored records, warnings, versions, templates, the
// re-apply job), preview a draft on real records, and save, roll back or apply templates. Every
// save is a new version, logged in Activity, and re-applied to stored records as a tracked job.
import { and, desc, eq, max, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { SessionUser } from '../auth/session-token';
import { recordActivity } from '../activity/activity';
import { connectionInWorkspace } from '../connections/connections';
import type { Db, Tx } from '../db/engine';
import { asService } from '../db/rls';
import { fieldMappings, mappingJobs, mappingTemplates, profiles, syncedRecords, type Connection } from '../db/schema';
import { pgErrorCode, PG } from '../db/errors';
import { HttpError, notFound } from '../http/errors';
import { findProvider } from '../providers/registry';
import { inWorkspace, roleAtLeast } from '../workspaces/access';
import { analyzeMapping } from './analysis';
import { sourceFieldsOf } from './fields';
import { applyMapping, compileMapping } from './interpreter';
import { startReapply } from './jobs';
import { parseMapping, TRANSFORM_OPS, VALIDATION_RULES, type Mapping, type MappingDefinition } from './language';
import { modelFields, type ModelName } from './model';
import { createReapplyJob } from './reapply';

/** Recent records the source picker and the warnings look at. */
const SAMPLE_SIZE = 200;
const PREVIEW_SIZE = 5;

export const saveMappingSchema = z.object({ definition: z.unknown(), templateId: z.uuid({ error: 'templateId must be a template id' }).optional() });
export const previewMappingSchema = z.object({ definition: z.unknown() });
// Versions are int4 in the database: a larger number is no version rather than a query error.
export const rollbackSchema = z.object({ version: z.number({ error: 'version must be a number' }).int().positive().max(2_147_483_647) });
export const templateNameSchema = z.object({ name: z.string().trim().min(1, { error: 'Name the template' }).max(80, { error: 'Keep the name under 80 characters' }) });
export const applyTemplateSchema = z.object({
  templateId: z.union([z.literal('default'), z.uuid()], { error: 'templateId must be "default" or a template id' }),
});

interface Target {
  workspaceId: string;
  connectionId: string;
  resource: string;
}

/** Bad mappings are caught here, at save time, with every problem at its path. */
function parsedOrReject(definition: unknown): Mapping {
  const parsed = parseMapping(definition);
  if (parsed.ok) return parsed.mapping;
  const first = parsed.issues[0];
  const more = parsed.issues.length > 1 ? ` (and ${parsed.issues.length - 1} more)` : '';
  throw new HttpError('invalid_mapping', `The mapping is not valid: ${first.path ? `${first.path}: ` : ''}${first.message}${more}`, { issues: parsed.issues });
}

function resourceOf(connection: Connection, resource: string) {
  const provider = findProvider(connection.provider);
  const summary = provider?.resources.find((r) => r.id === resource);
  if (!provider || !summary) throw notFound(`${provider?.name ?? connection.provider} has no resource "${resource}".`);
  return { provider, summary, fallback: provider.defaultMappings?.[resource] ?? null };
}

async function sampleRecords(tx: Tx, target: Target, limit: number) {
  return tx
    .select({ externalId: syncedRecords.externalId, raw: syncedRecords.raw })
    .from(syncedRecords)
    .where(
      and(
        eq(syncedRecords.workspaceId, target.workspaceId),
        eq(syncedRecords.connectionId, target.connectionId),
        eq(syncedRecords.resource, target.resource),
        sql`${syncedRecords.deletedAt} is null`,
      ),
    )
    // Records of one sync share last_seen_at: the id keeps the sample the same from one call to the next.
    .orderBy(desc(syncedRecords.lastSeenAt), syncedRecords.externalId)
    .limit(limit);
}

export async function getMappingEditor(db: Db, user: SessionUser, target: Target) {
  return inWorkspace(db, user, target.workspaceId, 'viewer', async ({ tx, role }) =>
    describeMappingEditor({ ...(await readMappingEditorState(tx, target)), canEdit: roleAtLeast(role, 'admin') }),
  );
}

/** Everything the editor is built from, as read from the database. */
export interface MappingEditorState {
  connection: Pick<Connection, 'id' | 'provider' | 'displayName' | 'status'>;
  provider: { name: string };
  resource: { id: string; label: string };
  /** The provider's default mapping for the resource, if it has one. */
  fallback: MappingDefinition | null;
  /** The latest versions, newest first. */
  versions: {
    id: string;
    version: number;
    isActive: boolean;
    definition: unknown;
    templateId: string | null;
    createdAt: Date;
    createdByEmail: string | null;
  }[];
  /** Recent stored records' raw payloads. */
  sample: unknown[];
  templates: { id: string; name: string; createdAt: Date }[];
  /** The latest re-apply job. */
  job:
    | Pick<
        typeof mappingJobs.$inferSelect,
        'id' | 'status' | 'total' | 'processed' | 'failed' | 'mappingVersion' | 'createdAt' | 'finishedAt' | 'error'
      >
    | undefined;
  canEdit: boolean;
}

async function readMappingEditorState(tx: Tx, target: Target): Promise<Omit<MappingEditorState, 'canEdit'>> {
  const connection = await connectionInWorkspace(tx, target.workspaceId, target.connectionId);
  const { provider, summary, fallback } = resourceOf(connection, target.resource);
  const versions = await tx
    .select({
      id: fieldMappings.id,
      version: fieldMappings.version,
      isActive: fieldMappings.isActive,
      definition: fieldMappings.definition,
      templateId: fieldMappings.templateId,
      createdAt: fieldMappings.createdAt,
      createdByEmail: profiles.email,
    })
    .from(fieldMappings)
    .leftJoin(profiles, eq(profiles.id, fieldMappings.createdBy))
    .where(and(eq(fieldMappings.connectionId, target.connectionId), eq(fieldMappings.resource, target.resource)))
    .orderBy(desc(fieldMappings.version))
    .limit(50);
  const sample = await sampleRecords(tx, target, SAMPLE_SIZE);
  const templates = await tx
    .select({ id: mappingTemplates.id, name: mappingTemplates.name, createdAt: mappingTemplates.createdAt })
    .from(mappingTemplates)
    .where(
      and(
        eq(mappingTemplates.workspaceId, target.workspaceId),
        eq(mappingTemplates.provider, connection.provider),
        eq(mappingTemplates.resource, target.resource),
      ),
    )
    .orderBy(mappingTemplates.name);
  const [job] = await tx
    .select()
    .from(mappingJobs)
    .where(and(eq(mappingJobs.connectionId, target.connectionId), eq(mappingJobs.resource, target.resource)))
    .orderBy(desc(mappingJobs.createdAt))
    .limit(1);
  return { connection, provider, resource: summary, fallback, versions, sample: sample.map((r) => r.raw), templates, job };
}

/**
 * The editor as the browser gets it: the active mapping and its model (the provider's default
 * model, or Contact, when there is none), the fields seen in the sample with the warnings they
 * raise, the version list, the templates on offer and the latest re-apply job.
 */
export function describeMappingEditor(state: MappingEditorState) {
  const { connection, provider, resource, fallback, versions, sample, templates, job } = state;
  const activeRow = versions.find((v) => v.isActive) ?? null;
  const active = activeRow ? parseMapping(activeRow.definition) : null;
  const model: ModelName = (active?.ok ? active.mapping.model : fallback?.model) ?? 'Contact';
  const sourceFields = sourceFieldsOf(sample);
  return {
    connection: { id: connection.id, provider: connection.provider, providerName: provider.name, displayName: connection.displayName, status: connection.status },
    resource: { id: resource.id, label: resource.label },
    model,
    modelFields: modelFields(model),
    canEdit: state.canEdit,
    active: activeRow && {
      id: activeRow.id,
      version: activeRow.version,
      definition: activeRow.definition as Mapping,
      templateId: activeRow.templateId,
      createdAt: activeRow.createdAt,
      createdByEmail: activeRow.createdByEmail,
    },
    versions: versions.map(({ id, version, isActive, createdAt, createdByEmail }) => ({ id, version, isActive, createdAt, createdByEmail })),
    sourceFields,
    sampleSize: sample.length,
    warnings: active?.ok ? analyzeMapping(active.mapping, sourceFields) : [],
    templates: [
      ...(fallback ? [{ id: 'default', name: `${provider.name} default`, kind: 'default' as const, createdAt: null }] : []),
      ...templates.map((t) => ({ ...t, kind: 'workspace' as const })),
    ],
    job: job
      ? {
          id: job.id,
          status: job.status,
          total: job.total,
          processed: job.processed,
          failed: job.failed,
          mappingVersion: job.mappingVersion,
          createdAt: job.createdAt,
          finishedAt: job.finishedAt,
          error: job.error,
        }
      : null,
    transformOps: TRANSFORM_OPS,
    validationRules: VALIDATION_RULES,
  };
}

/** Runs a draft on a few real stored records, without saving anything. */
export async function previewMapping(db: Db, user: SessionUser, target: Target, definition: unknown) {
  const mapping = parsedOrReject(definition);
  const compiled = compileMapping(mapping);
  return inWorkspace(db, user, target.workspaceId, 'viewer', async ({ tx }) => {
    resourceOf(await connectionInWorkspace(tx, target.workspaceId, target.connectionId), target.resource);
    const sample = await sampleRecords(tx, target, SAMPLE_SIZE);
    const results = sample.slice(0, PREVIEW_SIZE).map((record) => ({ externalId: record.externalId, raw: record.raw, ...applyMapping(compiled, record.raw) }));
    return { results, warnings: analyzeMapping(mapping, sourceFieldsOf(sample.map((r) => r.raw))) };
  });
}

interface VersionChange {
  action: 'mapping.saved' | 'mapping.rolled_back' | 'mapping.template_applied';
  details?: Record<string, unknown>;
  templateId?: string | null;
}

/** A template a version names must be this workspace's, for this provider and resource. */
async function assertTemplateFits(tx: Tx, target: Target, provider: string, templateId: string) {
  const [template] = await tx
    .select({ id: mappingTemplates.id })
    .from(mappingTemplates)
    .where(
      and(
        eq(mappingTemplates.id, templateId),
        eq(mappingTemplates.workspaceId, target.workspaceId),
        eq(mappingTemplates.provider, provider),
        eq(mappingTemplates.resource, target.resource),
      ),
    );
  if (!template) throw notFound('That template does not exist for this provider and resource.');
}

/** Saves a mapping as the next version, makes it active, logs it and starts re-applying it. */
async function saveVersion(db: Db, user: SessionUser, target: Target, mapping: Mapping, change: VersionChange) {
  const saved = await inWorkspace(db, user, target.workspaceId, 'admin', async ({ tx }) => {
    const connection = await connectionInWorkspace(tx, target.workspaceId, target.connectionId);
    const { provider } = resourceOf(connection, target.resource);
    if (change.templateId) await assertTemplateFits(tx, target, connection.provider, change.templateId);
    const scope = and(eq(fieldMappings.connectionId, target.connectionId), eq(fieldMappings.resource, target.resource));
    const [{ latest }] = await tx.select({ latest: max(fieldMappings.version) }).from(fieldMappings).where(scope);
    await tx.update(fieldMappings).set({ isActive: false }).where(and(scope, eq(fieldMappings.isActive, true)));
    const [row] = await tx
      .insert(fieldMappings)
      .values({
        workspaceId: target.workspaceId,
        connectionId: target.connectionId,
        resource: target.resource,
        targetModel: mapping.model,
        version: (latest ?? 0) + 1,
        definition: mapping,
        isActive: true,
        templateId: change.templateId ?? null,
        createdBy: user.userId,
      })
      .returning({ id: fieldMappings.id, version: fieldMappings.version });
    return { ...row, provider: provider.id };
  });
  const jobId = await asService(db, async (tx) => {
    await recordActivity(tx, {
      workspaceId: target.workspaceId,
      actorId: user.userId,
      actorEmail: user.email,
      action: change.action,
      targetType: 'connection',
      targetId: target.connectionId,
      details: { provider: saved.provider, resource: target.resource, version: saved.version, ...change.details },
    });
    return createReapplyJob(tx, { ...target, mappingId: saved.id, mappingVersion: saved.version, createdBy: user.userId });
  });
  await startReapply(db, { jobId, connectionId: target.connectionId });
  return { version: saved.version, jobId };
}

export async function saveMapping(db: Db, user: SessionUser, target: Target, body: z.infer<typeof saveMappingSchema>) {
  return saveVersion(db, user, target, parsedOrReject(body.definition), { action: 'mapping.saved', templateId: body.templateId });
}

/** Rolling back saves the old version's mapping again as the newest version: history only grows. */
export async function rollbackMapping(db: Db, user: SessionUser, target: Target, version: number) {
  const [old] = await inWorkspace(db, user, target.workspaceId, 'admin', ({ tx }) =>
    tx
      .select({ definition: fieldMappings.definition })
      .from(fieldMappings)
      .where(and(eq(fieldMappings.connectionId, target.connectionId), eq(fieldMappings.resource, target.resource), eq(fieldMappings.version, version))),
  );
  if (!old) throw notFound(`There is no version ${version} of this mapping.`);
  return saveVersion(db, user, target, parsedOrReject(old.definition), { action: 'mapping.rolled_back', details: { restored: version } });
}

export async function applyTemplate(db: Db, user: SessionUser, target: Target, templateId: string) {
  const template = await inWorkspace(db, user, target.workspaceId, 'admin', async ({ tx }) => {
    const connection = await connectionInWorkspace(tx, target.workspaceId, target.connectionId);
    const { fallback, provider } = resourceOf(connection, target.resource);
    if (templateId === 'default') {
      if (!fallback) throw notFound(`${provider.name} has no default mapping for ${target.resource}.`);
      return { id: null, name: `${provider.name} default`, definition: fallback as unknown };
    }
    const [row] = await tx
      .select({ id: mappingTemplates.id, name: mappingTemplates.name, definition: mappingTemplates.definition })
      .from(mappingTemplates)
      .where(
        and(
          eq(mappingTemplates.id, templateId),
          eq(mappingTemplates.workspaceId, target.workspaceId),
          eq(mappingTemplates.provider, connection.provider),
          eq(mappingTemplates.resource, target.resource),
        ),
      );
    if (!row) throw notFound('That template does not exist for this provider and resource.');
    return row;
  });
  return saveVersion(db, user, target, parsedOrReject(template.definition), {
    action: 'mapping.template_applied',
    templateId: template.id,
    details: { template: template.name },
  });
}

/** Saves the active mapping as a workspace template other connections of the provider can use. */
export async function saveTemplate(db: Db, user: SessionUser, target: Target, name: string) {
  const template = await inWorkspace(db, user, target.workspaceId, 'admin', async ({ tx }) => {
    const connection = await connectionInWorkspace(tx, target.workspaceId, target.connectionId);
    resourceOf(connection, target.resource);
    const [active] = await tx
      .select({ definition: fieldMappings.definition, targetModel: fieldMappings.targetModel })
      .from(fieldMappings)
      .where(and(eq(fieldMappings.connectionId, target.connectionId), eq(fieldMappings.resource, target.resource), eq(fieldMappings.isActive, true)));
    if (!active) throw new HttpError('conflict', 'This resource has no saved mapping to make a template of.');
    const [row] = await tx
      .insert(mappingTemplates)
      .values({
        workspaceId: target.workspaceId,
        provider: connection.provider,
        resource: target.resource,
        targetModel: active.targetModel,
        name,
        definition: active.definition,
        createdBy: user.userId,
      })
      .returning({ id: mappingTemplates.id, name: mappingTemplates.name, createdAt: mappingTemplates.createdAt });
    return { ...row, provider: connection.provider };
  }).catch((error: unknown) => {
    if (pgErrorCode(error) === PG.uniqueViolation) throw new HttpError('already_exists', `A template named "${name}" already exists for this resource.`);
    throw error;
  });
  await asService(db, (tx) =>
    recordActivity(tx, {
      workspaceId: target.workspaceId,
      actorId: user.userId,
      actorEmail: user.email,
      action: 'mapping.template_saved',
      targetType: 'connection',
      targetId: target.connectionId,
      details: { provider: template.provider, resource: target.resource, template: name },
    }),
  );
  return { template: { id: template.id, name: template.name, kind: 'workspace' as const, createdAt: template.createdAt } };
}
