// Drizzle mirror of supabase/migrations: the single source of row types for the app.
// tests/integration/schema-drift.test.ts fails when this and the migrations disagree.
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  customType,
  integer,
  jsonb,
  pgSchema,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

const tz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
/** A full-text vector, as PostgreSQL prints it; the app only ever matches against it in SQL. */
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });
const createdAt = () => tz('created_at').notNull().defaultNow();
const updatedAt = () => tz('updated_at').notNull().defaultNow();

export const authSchema = pgSchema('auth');
export const authUsers = authSchema.table('users', {
  id: uuid('id').primaryKey().defaultRandom(),
  email: text('email'),
  encryptedPassword: text('encrypted_password'),
  rawUserMetaData: jsonb('raw_user_meta_data').notNull().default({}),
  /** Set once the address is proven (Supabase's confirmation, or a local verification link). */
  emailConfirmedAt: tz('email_confirmed_at'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const ROLES = ['owner', 'admin', 'member', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const profiles = pgTable('profiles', {
  id: uuid('id').primaryKey(),
  email: text('email').notNull(),
  displayName: text('display_name'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const workspaces = pgTable('workspaces', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  createdBy: uuid('created_by'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const workspaceMembers = pgTable(
  'workspace_members',
  {
    workspaceId: uuid('workspace_id').notNull(),
    userId: uuid('user_id').notNull(),
    role: text('role', { enum: ROLES }).notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.userId] })],
);

export const workspaceInvitations = pgTable('workspace_invitations', {
  id: uuid('id').primaryKey().defaultRandom(),
  workspaceId: uuid('workspace_id').notNull(),
  email: text('email').notNull(),
  role: text('role', { enum: ROLES }).notNull(),
  invitedBy: uuid('invited_by'),
  acceptedAt: tz('accepted_at'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const activity = pgTable('activity', {
  id: uuid('id').primaryKey().defaultRandom(),
  workspaceId: uuid('workspace_id').notNull(),
  actorId: uuid('actor_id'),
  actorEmail: text('actor_email'),
  action: text('action').notNull(),
  targetType: text('target_type'),
  targetId: text('target_id'),
  details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
  createdAt: tz('created_at').notNull().default(sql`clock_timestamp()`),
});

export const CONNECTION_STATUSES = ['pending', 'active', 'paused', 'error', 'needs_reauth', 'disconnected'] as const;
export const SCHEDULES = ['manual', 'every_15_minutes', 'hourly', 'daily'] as const;

export const connections = pgTable('connections', {
  id: uuid('id').primaryKey().defaultRandom(),
  workspaceId: uuid('workspace_id').notNull(),
  provider: text('provider').notNull(),
  displayName: text('display_name').notNull(),
  authKind: text('auth_kind', { enum: ['oauth2', 'api_key', 'token', 'none'] }).notNull(),
  status: text('status', { enum: CONNECTION_STATUSES }).notNull().default('pending'),
  statusReason: text('status_reason'),
  accountId: text('account_id'),
  accountLabel: text('account_label'),
  scopes: text('scopes').array().notNull().default(sql`'{}'`),
  settings: jsonb('settings').$type<Record<string, unknown>>().notNull().default({}),
  resources: jsonb('resources').$type<string[]>().notNull().default([]),
  schedule: text('schedule', { enum: SCHEDULES }).notNull().default('hourly'),
  nextSyncAt: tz('next_sync_at'),
  lastSyncAt: tz('last_sync_at'),
  lastSuccessAt: tz('last_success_at'),
  lastError: text('last_error'),
  consecutiveFailures: integer('consecutive_failures').notNull().default(0),
  connectedAt: tz('connected_at'),
  pausedAt: tz('paused_at'),
  disconnectedAt: tz('disconnected_at'),
  createdBy: uuid('created_by'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const connectionCredentials = pgTable('connection_credentials', {
  connectionId: uuid('connection_id').primaryKey(),
  workspaceId: uuid('workspace_id').notNull(),
  keyId: text('key_id').notNull(),
  envelope: text('envelope').notNull(),
  expiresAt: tz('expires_at'),
  refreshedAt: tz('refreshed_at'),
  refreshFailures: integer('refresh_failures').notNull().default(0),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const oauthStates = pgTable('oauth_states', {
  id: uuid('id').primaryKey().defaultRandom(),
  stateHash: text('state_hash').notNull().unique(),
  workspaceId: uuid('workspace_id').notNull(),
  userId: uuid('user_id').notNull(),
  provider: text('provider').notNull(),
  connectionId: uuid('connection_id'),
  codeVerifierEnvelope: text('code_verifier_envelope'),
  environment: text('environment', { enum: ['live', 'sandbox'] }).notNull(),
  redirectUri: text('redirect_uri').notNull(),
  returnTo: text('return_to'),
  expiresAt: tz('expires_at').notNull(),
  consumedAt: tz('consumed_at'),
  createdAt: createdAt(),
});

export const SYNC_TRIGGERS = ['initial', 'manual', 'schedule', 'webhook', 'retry', 'source_change'] as const;
export const SYNC_STATUSES = ['queued', 'running', 'succeeded', 'partial', 'failed', 'cancelled'] as const;

export const syncRuns = pgTable('sync_runs', {
  id: uuid('id').primaryKey().defaultRandom(),
  workspaceId: uuid('workspace_id').notNull(),
  connectionId: uuid('connection_id').notNull(),
  resource: text('resource'),
  trigger: text('trigger', { enum: SYNC_TRIGGERS }).notNull(),
  mode: text('mode', { enum: ['full', 'incremental'] }).notNull(),
  status: text('status', { enum: SYNC_STATUSES }).notNull().default('queued'),
  requestedBy: uuid('requested_by'),
  attempt: integer('attempt').notNull().default(1),
  pagesDone: integer('pages_done').notNull().default(0),
  recordsFetched: integer('records_fetched').notNull().default(0),
  recordsCreated: integer('records_created').notNull().default(0),
  recordsUpdated: integer('records_updated').notNull().default(0),
  recordsUnchanged: integer('records_unchanged').notNull().default(0),
  recordsDeleted: integer('records_deleted').notNull().default(0),
  recordsFailed: integer('records_failed').notNull().default(0),
  checkpoint: jsonb('checkpoint'),
  steps: jsonb('steps').$type<unknown[]>().notNull().default([]),
  error: text('error'),
  errorDetails: jsonb('error_details'),
  queuedAt: tz('queued_at').notNull().defaultNow(),
  startedAt: tz('started_at'),
  finishedAt: tz('finished_at'),
  heartbeatAt: tz('heartbeat_at'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
  // 20261208000400_push_syncs.sql: push runs are sync runs on the destination connection.
  direction: text('direction', { enum: ['pull', 'push'] }).notNull().default('pull'),
  pushId: uuid('push_id'),
  requests: integer('requests').notNull().default(0),
});

export const syncCursors = pgTable(
  'sync_cursors',
  {
    connectionId: uuid('connection_id').notNull(),
    resource: text('resource').notNull(),
    workspaceId: uuid('workspace_id').notNull(),
    cursor: jsonb('cursor'),
    lastRunId: uuid('last_run_id'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.connectionId, t.resource] })],
);

export const syncSeenBatches = pgTable('sync_seen_batches', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  runId: uuid('run_id').notNull(),
  resource: text('resource').notNull(),
  workspaceId: uuid('workspace_id').notNull(),
  externalIds: text('external_ids').array().notNull(),
});

export const syncedRecords = pgTable('synced_records', {
  id: uuid('id').primaryKey().defaultRandom(),
  workspaceId: uuid('workspace_id').notNull(),
  connectionId: uuid('connection_id').notNull(),
  resource: text('resource').notNull(),
  externalId: text('external_id').notNull(),
  raw: jsonb('raw').notNull(),
  contentHash: text('content_hash').notNull(),
  mapped: jsonb('mapped'),
  mappingErrors: jsonb('mapping_errors'),
  mappingVersion: integer('mapping_version'),
  firstSeenAt: tz('first_seen_at').notNull().defaultNow(),
  lastSeenAt: tz('last_seen_at').notNull().defaultNow(),
  lastSeenRunId: uuid('last_seen_run_id'),
  deletedAt: tz('deleted_at'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
  // 20261209000100_overview_counters.sql: what record search matches (generated; never written).
  searchVector: tsvector('search_vector').generatedAlwaysAs(
    sql`to_tsvector('simple'::regconfig, external_id) || jsonb_to_tsvector('simple'::regconfig, raw, '["string"]'::jsonb)`,
  ),
});

export const mappingTemplates = pgTable('mapping_templates', {
  id: uuid('id').primaryKey().defaultRandom(),
  workspaceId: uuid('workspace_id').notNull(),
  provider: text('provider').notNull(),
  resource: text('resource').notNull(),
  targetModel: text('target_model').notNull(),
  name: text('name').notNull(),
  definition: jsonb('definition').notNull(),
  createdBy: uuid('created_by'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const fieldMappings = pgTable('field_mappings', {
  id: uuid('id').primaryKey().defaultRandom(),
  workspaceId: uuid('workspace_id').notNull(),
  connectionId: uuid('connection_id').notNull(),
  resource: text('resource').notNull(),
  targetModel: text('target_model').notNull(),
  version: integer('version').notNull(),
  definition: jsonb('definition').notNull(),
  isActive: boolean('is_active').notNull().default(false),
  templateId: uuid('template_id'),
  createdBy: uuid('created_by'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const mappingJobs = pgTable('mapping_jobs', {
  id: uuid('id').primaryKey().defaultRandom(),
  workspaceId: uuid('workspace_id').notNull(),
  connectionId: uuid('connection_id').notNull(),
  resource: text('resource').notNull(),
  mappingId: uuid('mapping_id').notNull(),
  mappingVersion: integer('mapping_version').notNull(),
  status: text('status', { enum: ['queued', 'running', 'succeeded', 'failed', 'cancelled'] }).notNull().default('queued'),
  total: integer('total').notNull().default(0),
  processed: integer('processed').notNull().default(0),
  failed: integer('failed').notNull().default(0),
  cursor: uuid('cursor'),
  error: text('error'),
  createdBy: uuid('created_by'),
  createdAt: createdAt(),
  startedAt: tz('started_at'),
  finishedAt: tz('finished_at'),
  updatedAt: updatedAt(),
});

export const webhookEvents = pgTable('webhook_events', {
  id: uuid('id').primaryKey().defaultRandom(),
  workspaceId: uuid('workspace_id'),
  connectionId: uuid('connection_id'),
  provider: text('provider').notNull(),
  eventId: text('event_id'),
  dedupeKey: text('dedupe_key').notNull(),
  eventType: text('event_type'),
  verification: text('verification', { enum: ['verified', 'failed'] }).notNull(),
  verificationReason: text('verification_reason'),
  status: text('status', {
    enum: ['received', 'processing', 'processed', 'failed', 'ignored', 'unrouted', 'rejected'],
  })
    .notNull()
    .default('received'),
  duplicateCount: integer('duplicate_count').notNull().default(0),
  headers: jsonb('headers').$type<Record<string, string>>().notNull().default({}),
  payload: jsonb('payload'),
  syncRunId: uuid('sync_run_id'),
  error: text('error'),
  receivedAt: tz('received_at').notNull().defaultNow(),
  processedAt: tz('processed_at'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
  // Added by 20261122000700_webhooks.sql.
  scheme: text('scheme'),
  method: text('method'),
  url: text('url'),
  environment: text('environment', { enum: ['live', 'sandbox'] }),
  accountId: text('account_id'),
  resource: text('resource'),
  change: text('change', { enum: ['upsert', 'delete', 'sync', 'none', 'renew'] }),
  outcome: text('outcome'),
  occurredAt: tz('occurred_at'),
  attempts: integer('attempts').notNull().default(0),
  nextAttemptAt: tz('next_attempt_at'),
  claimedAt: tz('claimed_at'),
  replayCount: integer('replay_count').notNull().default(0),
  // Added by 20261206000400_rejection_limits.sql: when the latest delivery with this key arrived.
  lastReceivedAt: tz('last_received_at'),
});

// Webhooks (20261122000700_webhooks.sql): Google push channels and Standard Webhooks signing
// secrets. Both hold secret material and are service-only.
export const webhookChannels = pgTable('webhook_channels', {
  id: uuid('id').primaryKey(),
  workspaceId: uuid('workspace_id').notNull(),
  connectionId: uuid('connection_id').notNull(),
  provider: text('provider').notNull(),
  resource: text('resource').notNull(),
  target: text('target').notNull(),
  resourceId: text('resource_id'),
  address: text('address').notNull(),
  keyId: text('key_id').notNull(),
  tokenEnvelope: text('token_envelope').notNull(),
  status: text('status', { enum: ['active', 'stopped', 'failed'] }).notNull().default('active'),
  error: text('error'),
  expiresAt: tz('expires_at'),
  replacedBy: uuid('replaced_by'),
  stoppedAt: tz('stopped_at'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const webhookSigningSecrets = pgTable('webhook_signing_secrets', {
  id: uuid('id').primaryKey().defaultRandom(),
  workspaceId: uuid('workspace_id').notNull(),
  connectionId: uuid('connection_id').notNull(),
  keyId: text('key_id').notNull(),
  envelope: text('envelope').notNull(),
  expiresAt: tz('expires_at'),
  createdBy: uuid('created_by'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** Tables in `public`, keyed by SQL name: the drift test walks this list. */
export const publicTables = {
  profiles,
  workspaces,
  workspace_members: workspaceMembers,
  workspace_invitations: workspaceInvitations,
  activity,
  connections,
  connection_credentials: connectionCredentials,
  oauth_states: oauthStates,
  sync_runs: syncRuns,
  sync_cursors: syncCursors,
  synced_records: syncedRecords,
  sync_seen_batches: syncSeenBatches,
  mapping_templates: mappingTemplates,
  field_mappings: fieldMappings,
  mapping_jobs: mappingJobs,
  webhook_events: webhookEvents,
  webhook_channels: webhookChannels,
  webhook_signing_secrets: webhookSigningSecrets,
};

export type Workspace = typeof workspaces.$inferSelect;
export type WorkspaceMember = typeof workspaceMembers.$inferSelect;
export type ActivityEntry = typeof activity.$inferSelect;
export type Connection = typeof connections.$inferSelect;

// app_private: state no API role may reach (supabase/migrations/20261206000100_email_verification.sql).
export const appPrivateSchema = pgSchema('app_private');

export const emailVerificationTokens = appPrivateSchema.table('email_verification_tokens', {
  tokenHash: text('token_hash').primaryKey(),
  userId: uuid('user_id').notNull(),
  email: text('email').notNull(),
  expiresAt: tz('expires_at').notNull(),
  usedAt: tz('used_at'),
  createdAt: createdAt(),
});

export const invitationTokens = appPrivateSchema.table('invitation_tokens', {
  invitationId: uuid('invitation_id').primaryKey(),
  tokenHash: text('token_hash').notNull(),
  expiresAt: tz('expires_at').notNull(),
  createdAt: createdAt(),
});

export const mailOutbox = appPrivateSchema.table('mail_outbox', {
  id: uuid('id').primaryKey().defaultRandom(),
  recipient: text('recipient').notNull(),
  kind: text('kind').notNull(),
  subject: text('subject').notNull(),
  textBody: text('text_body').notNull(),
  htmlBody: text('html_body'),
  createdAt: createdAt(),
});

export const mailThrottle = appPrivateSchema.table('mail_throttle', {
  id: uuid('id').primaryKey().defaultRandom(),
  key: text('key').notNull(),
  sentAt: tz('sent_at').notNull().defaultNow(),
});

// The public API (20261206000500_actions.sql): workspace API keys, Idempotency-Key records and the
// action log. Registered in publicTables below, for the drift test.
export const apiKeys = pgTable('api_keys', {
  id: uuid('id').primaryKey().defaultRandom(),
  workspaceId: uuid('workspace_id').notNull(),
  name: text('name').notNull(),
  prefix: text('prefix').notNull(),
  /** SHA-256 of the secret; no API role may read this column. */
  keyHash: text('key_hash').notNull().unique(),
  scopes: text('scopes').array().notNull(),
  createdBy: uuid('created_by'),
  createdAt: createdAt(),
  lastUsedAt: tz('last_used_at'),
  revokedAt: tz('revoked_at'),
  revokedBy: uuid('revoked_by'),
});

export const IDEMPOTENCY_STATUSES = ['running', 'completed', 'released'] as const;

export const idempotencyKeys = pgTable('idempotency_keys', {
  id: uuid('id').primaryKey().defaultRandom(),
  workspaceId: uuid('workspace_id').notNull(),
  key: text('key').notNull(),
  connectionId: uuid('connection_id').notNull(),
  action: text('action').notNull(),
  requestHash: text('request_hash').notNull(),
  status: text('status', { enum: IDEMPOTENCY_STATUSES }).notNull().default('running'),
  holder: uuid('holder').notNull(),
  lockedAt: tz('locked_at').notNull().defaultNow(),
  attempts: integer('attempts').notNull().default(1),
  responseStatus: integer('response_status'),
  responseBody: jsonb('response_body'),
  createdAt: createdAt(),
  expiresAt: tz('expires_at').notNull().default(sql`now() + interval '24 hours'`),
  completedAt: tz('completed_at'),
});

export const actionLogs = pgTable('action_logs', {
  id: uuid('id').primaryKey().defaultRandom(),
  workspaceId: uuid('workspace_id').notNull(),
  connectionId: uuid('connection_id'),
  provider: text('provider'),
  apiKeyId: uuid('api_key_id'),
  userId: uuid('user_id'),
  action: text('action').notNull(),
  status: text('status', { enum: ['succeeded', 'failed'] }).notNull(),
  httpStatus: integer('http_status').notNull(),
  errorCode: text('error_code'),
  error: text('error'),
  latencyMs: integer('latency_ms').notNull().default(0),
  providerRequests: integer('provider_requests').notNull().default(0),
  idempotencyKey: text('idempotency_key'),
  replayed: boolean('replayed').notNull().default(false),
  retried: boolean('retried').notNull().default(false),
  input: jsonb('input'),
  output: jsonb('output'),
  createdAt: createdAt(),
});

Object.assign(publicTables, { api_keys: apiKeys, idempotency_keys: idempotencyKeys, action_logs: actionLogs });

export type ApiKeyRow = typeof apiKeys.$inferSelect;
export type IdempotencyKeyRow = typeof idempotencyKeys.$inferSelect;
export type ActionLogRow = typeof actionLogs.$inferSelect;

// Server-side sessions of local accounts (supabase/migrations/20261206000600_sessions.sql,
// lib/auth/sessions.ts): the cookie's random token is stored only as its SHA-256.
export const userSessions = appPrivateSchema.table('sessions', {
  id: uuid('id').primaryKey().defaultRandom(),
  tokenHash: text('token_hash').notNull().unique(),
  userId: uuid('user_id').notNull(),
  createdAt: createdAt(),
  lastSeenAt: tz('last_seen_at').notNull().defaultNow(),
  expiresAt: tz('expires_at').notNull(),
  revokedAt: tz('revoked_at'),
  userAgent: text('user_agent'),
  ipAddress: text('ip_address'),
});

export type UserSessionRow = typeof userSessions.$inferSelect;

// Connection health issues (20261207000100_health_issues.sql, lib/health): one open row per
// (workspace, connection, kind, subject); members read, only the service path writes.
export const healthIssues = pgTable('health_issues', {
  id: uuid('id').primaryKey().defaultRandom(),
  workspaceId: uuid('workspace_id').notNull(),
  connectionId: uuid('connection_id'),
  subject: text('subject').notNull().default(''),
  kind: text('kind').notNull(),
  severity: text('severity').notNull(),
  status: text('status', { enum: ['open', 'resolved'] }).notNull().default('open'),
  title: text('title').notNull(),
  explanation: text('explanation').notNull(),
  fix: jsonb('fix').$type<{ kind: string; label: string; href: string | null }>().notNull(),
  count: integer('count').notNull().default(1),
  details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
  firstSeenAt: tz('first_seen_at').notNull().defaultNow(),
  lastSeenAt: tz('last_seen_at').notNull().defaultNow(),
  resolvedAt: tz('resolved_at'),
});

Object.assign(publicTables, { health_issues: healthIssues });

export type HealthIssueRow = typeof healthIssues.$inferSelect;

// Notifications (supabase/migrations/20261207000200_notifications.sql, lib/notifications): one
// row per member per issue opening, and each member's own preferences.
export const NOTIFICATION_SEVERITIES = ['critical', 'warning', 'info'] as const;
export const NOTIFICATION_EMAIL_MODES = ['immediately', 'daily_digest', 'off'] as const;

export const notificationPreferences = pgTable(
  'notification_preferences',
  {
    workspaceId: uuid('workspace_id').notNull(),
    userId: uuid('user_id').notNull(),
    minSeverity: text('min_severity', { enum: NOTIFICATION_SEVERITIES }).notNull().default('warning'),
    email: text('email', { enum: NOTIFICATION_EMAIL_MODES }).notNull().default('immediately'),
    lastDigestAt: tz('last_digest_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.userId] })],
);

export const notifications = pgTable('notifications', {
  id: uuid('id').primaryKey().defaultRandom(),
  workspaceId: uuid('workspace_id').notNull(),
  userId: uuid('user_id').notNull(),
  issueId: uuid('issue_id'),
  kind: text('kind').notNull(),
  severity: text('severity', { enum: NOTIFICATION_SEVERITIES }).notNull(),
  title: text('title').notNull(),
  body: text('body').notNull().default(''),
  href: text('href'),
  email: text('email', { enum: ['none', 'immediately', 'daily_digest'] }).notNull().default('none'),
  emailedAt: tz('emailed_at'),
  createdAt: createdAt(),
  readAt: tz('read_at'),
});

Object.assign(publicTables, { notification_preferences: notificationPreferences, notifications });

export type NotificationRow = typeof notifications.$inferSelect;
export type NotificationPreferencesRow = typeof notificationPreferences.$inferSelect;

// Outbound webhooks (20261207000300_outbound_webhooks.sql, lib/outbound): the workspace events
// outbox, the workspace's endpoints, their signing secrets (service path only) and deliveries.
export const workspaceEvents = pgTable('workspace_events', {
  id: uuid('id').primaryKey().defaultRandom(),
  workspaceId: uuid('workspace_id').notNull(),
  type: text('type').notNull(),
  data: jsonb('data').notNull(),
  createdAt: createdAt(),
});

export const outboundEndpoints = pgTable('outbound_endpoints', {
  id: uuid('id').primaryKey().defaultRandom(),
  workspaceId: uuid('workspace_id').notNull(),
  url: text('url').notNull(),
  description: text('description').notNull().default(''),
  eventTypes: text('event_types').array().notNull(),
  enabled: boolean('enabled').notNull().default(true),
  disabledReason: text('disabled_reason'),
  disabledAt: tz('disabled_at'),
  failingSince: tz('failing_since'),
  createdBy: uuid('created_by'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const outboundEndpointSecrets = pgTable('outbound_endpoint_secrets', {
  id: uuid('id').primaryKey().defaultRandom(),
  workspaceId: uuid('workspace_id').notNull(),
  endpointId: uuid('endpoint_id').notNull(),
  keyId: text('key_id').notNull(),
  envelope: text('envelope').notNull(),
  expiresAt: tz('expires_at'),
  createdBy: uuid('created_by'),
  createdAt: createdAt(),
});

export const OUTBOUND_DELIVERY_STATUSES = ['pending', 'succeeded', 'failed', 'retrying'] as const;

export const outboundDeliveries = pgTable('outbound_deliveries', {
  id: uuid('id').primaryKey().defaultRandom(),
  workspaceId: uuid('workspace_id').notNull(),
  eventId: uuid('event_id').notNull(),
  endpointId: uuid('endpoint_id').notNull(),
  status: text('status', { enum: OUTBOUND_DELIVERY_STATUSES }).notNull().default('pending'),
  attempts: integer('attempts').notNull().default(0),
  nextAttemptAt: tz('next_attempt_at').notNull().defaultNow(),
  claimedAt: tz('claimed_at'),
  lastStatusCode: integer('last_status_code'),
  latencyMs: integer('latency_ms'),
  responseExcerpt: text('response_excerpt'),
  firstAttemptAt: tz('first_attempt_at'),
  lastAttemptAt: tz('last_attempt_at'),
  deliveredAt: tz('delivered_at'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

Object.assign(publicTables, {
  workspace_events: workspaceEvents,
  outbound_endpoints: outboundEndpoints,
  outbound_endpoint_secrets: outboundEndpointSecrets,
  outbound_deliveries: outboundDeliveries,
});

export type OutboundEndpointRow = typeof outboundEndpoints.$inferSelect;
export type OutboundDeliveryRow = typeof outboundDeliveries.$inferSelect;

// Push syncs (20261208000400_push_syncs.sql, lib/push): a push's configuration on its destination
// connection, and the destination's side of each pushed source record.
export const pushConfigurations = pgTable('push_configurations', {
  id: uuid('id').primaryKey().defaultRandom(),
  workspaceId: uuid('workspace_id').notNull(),
  connectionId: uuid('connection_id').notNull(),
  name: text('name').notNull(),
  destination: text('destination').notNull(),
  targetId: text('target_id').notNull(),
  matchField: text('match_field').notNull(),
  sourceModel: text('source_model').notNull(),
  sourceConnectionIds: uuid('source_connection_ids').array().notNull(),
  filters: jsonb('filters').$type<unknown[]>().notNull().default([]),
  mapping: jsonb('mapping').notNull(),
  targetFields: jsonb('target_fields').$type<unknown[]>().notNull().default([]),
  mappingVersion: integer('mapping_version').notNull().default(1),
  mappingHash: text('mapping_hash').notNull(),
  deletionPolicy: text('deletion_policy', { enum: ['keep', 'archive', 'delete'] }).notNull().default('keep'),
  schedule: text('schedule', { enum: ['manual', 'hourly', 'daily'] }).notNull().default('manual'),
  pushOnSourceChange: boolean('push_on_source_change').notNull().default(true),
  enabled: boolean('enabled').notNull().default(true),
  nextRunAt: tz('next_run_at'),
  createdBy: uuid('created_by'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const PUSH_RECORD_STATUSES = ['pushed', 'failed', 'removed', 'kept', 'duplicate'] as const;

export const pushRecords = pgTable(
  'push_records',
  {
    pushId: uuid('push_id').notNull(),
    workspaceId: uuid('workspace_id').notNull(),
    sourceConnectionId: uuid('source_connection_id').notNull(),
    sourceResource: text('source_resource').notNull(),
    sourceExternalId: text('source_external_id').notNull(),
    matchKey: text('match_key'),
    externalId: text('external_id'),
    status: text('status', { enum: PUSH_RECORD_STATUSES }).notNull(),
    outputHash: text('output_hash'),
    lastPushedAt: tz('last_pushed_at'),
    lastError: text('last_error'),
    lastErrorAt: tz('last_error_at'),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.pushId, t.sourceConnectionId, t.sourceResource, t.sourceExternalId] })],
);

Object.assign(publicTables, { push_configurations: pushConfigurations, push_records: pushRecords });

export type PushConfigurationRow = typeof pushConfigurations.$inferSelect;
export type PushRecordRow = typeof pushRecords.$inferSelect;

// The dashboard at volume (20261208000800_dashboard_at_volume.sql): live and deleted records per
// connection and resource, kept by statement triggers on synced_records; the overview reads it.
export const syncedRecordCounts = pgTable(
  'synced_record_counts',
  {
    connectionId: uuid('connection_id').notNull(),
    resource: text('resource').notNull(),
    workspaceId: uuid('workspace_id').notNull(),
    live: bigint('live', { mode: 'number' }).notNull().default(0),
    deleted: bigint('deleted', { mode: 'number' }).notNull().default(0),
    lastSeenAt: tz('last_seen_at'),
  },
  (t) => [primaryKey({ columns: [t.connectionId, t.resource] })],
);

Object.assign(publicTables, { synced_record_counts: syncedRecordCounts });

// 20261209000100_overview_counters.sql: runs and deliveries per workspace, UTC hour and status,
// kept by triggers on sync_runs and webhook_events (the overview reads these).
export const syncRunCounts = pgTable(
  'sync_run_counts',
  {
    workspaceId: uuid('workspace_id').notNull(),
    hour: tz('hour').notNull(),
    status: text('status').notNull(),
    runs: bigint('runs', { mode: 'number' }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.hour, t.status] })],
);

export const webhookEventCounts = pgTable(
  'webhook_event_counts',
  {
    workspaceId: uuid('workspace_id').notNull(),
    hour: tz('hour').notNull(),
    status: text('status').notNull(),
    deliveries: bigint('deliveries', { mode: 'number' }).notNull().default(0),
    duplicates: bigint('duplicates', { mode: 'number' }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.hour, t.status] })],
);

Object.assign(publicTables, { sync_run_counts: syncRunCounts, webhook_event_counts: webhookEventCounts });
