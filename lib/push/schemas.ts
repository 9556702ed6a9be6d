// The push API's shapes: one source for the route validation (server) and the browser's types
// (lib/client derives from these). Written before the engine and the screens were built in
// parallel, so both code against one definition.
//
// Routes (workspace-scoped, admin to change, any member to read):
//   GET    /api/workspaces/{w}/connections/{c}/push/destinations            → { destinations: PushDestinationView[] }
//   GET    /api/workspaces/{w}/connections/{c}/push/destinations/{d}/targets/{t}/fields → { fields: PushFieldView[] }
//   GET    /api/workspaces/{w}/connections/{c}/pushes                       → { pushes: PushView[] }   (c = the destination)
//   POST   /api/workspaces/{w}/connections/{c}/pushes         PushConfigInput → PushView (201)
//   GET    /api/workspaces/{w}/connections/{c}/pushes/{p}                   → PushView
//   PATCH  /api/workspaces/{w}/connections/{c}/pushes/{p}     Partial<PushConfigInput> + { enabled } → PushView
//   DELETE /api/workspaces/{w}/connections/{c}/pushes/{p}                   → 204
//   POST   /api/workspaces/{w}/connections/{c}/pushes/preview PushConfigInput → PushPreview
//   POST   /api/workspaces/{w}/connections/{c}/pushes/{p}/run               → { runId } (202)
//   GET    /api/workspaces/{w}/connections/{c}/pushes/{p}/errors?cursor=    → { errors: PushRecordError[], nextCursor }
// Push runs are sync runs with direction 'push' (sync history and the run page show them).
import { z } from 'zod';
import { mappingSchema } from '../mapping/language';
import { MODEL_NAMES } from '../mapping/model';

export const PUSH_DIRECTIONS = ['pull', 'push'] as const;
export type SyncDirection = (typeof PUSH_DIRECTIONS)[number];

export const PUSH_DELETION_POLICIES = ['keep', 'archive', 'delete'] as const;
export const PUSH_SCHEDULES = ['manual', 'hourly', 'daily'] as const;

/** A condition on the source record's mapped (model) fields; all conditions must hold. */
export const pushFilterSchema = z.strictObject({
  field: z.string().min(1).max(100),
  op: z.enum(['equals', 'not_equals', 'in', 'is_set', 'is_not_set']),
  value: z.union([z.string().max(500), z.array(z.string().max(500)).max(50), z.number(), z.boolean()]).optional(),
});
export type PushFilter = z.infer<typeof pushFilterSchema>;

/**
 * What an admin configures. The mapping reads the source model's fields (`email`, `firstName`) and
 * writes the destination target's fields (`FNAME`, an Airtable column): the same mapping language
 * as pulls, with the destination's schema as the target list instead of a model.
 */
export const pushConfigInputSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  destination: z.string().min(1).max(64),
  targetId: z.string().min(1).max(200),
  /** The destination's fixed match field, or the admin's choice among matchable fields. */
  matchField: z.string().min(1).max(200),
  sourceModel: z.enum(MODEL_NAMES),
  /** Connections of this workspace whose stored records of `sourceModel` are pushed. */
  sourceConnectionIds: z.array(z.uuid()).min(1).max(50),
  filters: z.array(pushFilterSchema).max(20).default([]),
  /** `rows` target destination fields; `model` names the source model (checked against sourceModel). */
  mapping: z.unknown(),
  deletionPolicy: z.enum(PUSH_DELETION_POLICIES).default('keep'),
  schedule: z.enum(PUSH_SCHEDULES).default('manual'),
  /** Also push shortly after a source sync changes matching records. */
  pushOnSourceChange: z.boolean().default(true),
});
export type PushConfigInput = z.input<typeof pushConfigInputSchema>;
export type PushConfig = z.output<typeof pushConfigInputSchema>;

/** Re-exported so callers validate the mapping part with the language's own schema. */
export { mappingSchema as pushMappingBaseSchema };

export interface PushDestinationView {
  id: string;
  label: string;
  models: string[];
  matchKey: { kind: 'fixed'; field: string } | { kind: 'chosen' };
  deletionPolicies: string[];
  batchSize: number;
  requestsPerSecond: number;
  targets: { id: string; label: string; group?: string }[];
}

export interface PushFieldView {
  name: string;
  label: string;
  type: string;
  required: boolean;
  matchable: boolean;
  values?: string[];
}

export interface PushRunSummary {
  id: string;
  status: string;
  trigger: string;
  queuedAt: string;
  finishedAt: string | null;
  recordsSent: number;
  recordsUnchanged: number;
  recordsFailed: number;
  recordsRemoved: number;
  requests: number;
}

export interface PushView {
  id: string;
  connectionId: string;
  config: PushConfig;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
  lastRun: PushRunSummary | null;
  /** Records currently in the destination through this push, and those whose last attempt failed. */
  counts: { pushed: number; failing: number };
}

export interface PushPreviewRecord {
  sourceConnectionId: string;
  sourceExternalId: string;
  key: string | null;
  fields: Record<string, unknown>;
  /** Mapping or validation problems that would keep the record from being sent. */
  errors: { field: string; message: string }[];
}

export interface PushPreview {
  /** Source records that match the filters (all of them, counted). */
  matching: number;
  records: PushPreviewRecord[];
}

export interface PushRecordError {
  sourceConnectionId: string;
  sourceExternalId: string;
  key: string | null;
  error: string;
  at: string;
}
