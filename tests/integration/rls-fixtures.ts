// One row per public table, for a given workspace. The RLS suite discovers tables from the
// catalog and fails for any table missing here, so a new table cannot ship without being
// probed for isolation.
import crypto from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';

export interface FixtureContext {
  workspaceId: string;
  /** A user who belongs to this workspace only. */
  userId: string;
  connectionId: string;
  runId: string;
}

type Fixture = {
  /** An INSERT of one new row scoped to the context's workspace. */
  insert: (ctx: FixtureContext) => SQL;
  /** The predicate selecting this workspace's rows (default: workspace_id). */
  scope?: (ctx: FixtureContext) => SQL;
  /** Column the update probe sets to itself. */
  column?: string;
};

const id = () => crypto.randomUUID();

export const fixtures: Record<string, Fixture> = {
  profiles: {
    insert: () => sql`insert into public.profiles (id, email) values (${id()}, ${`p-${id()}@example.test`})`,
    scope: (ctx) => sql`id = ${ctx.userId}`,
    column: 'email',
  },
  workspaces: {
    insert: (ctx) => sql`insert into public.workspaces (id, name, created_by) values (${id()}, 'Probe', ${ctx.userId})`,
    scope: (ctx) => sql`id = ${ctx.workspaceId}`,
    column: 'name',
  },
  workspace_members: {
    insert: (ctx) => sql`insert into public.workspace_members (workspace_id, user_id, role)
      values (${ctx.workspaceId}, auth.uid(), 'owner')`,
    // Anyone may delete their own membership (leaving); the probes target everyone else's.
    scope: (ctx) => sql`workspace_id = ${ctx.workspaceId} and user_id is distinct from auth.uid()`,
    column: 'role',
  },
  workspace_invitations: {
    insert: (ctx) => sql`insert into public.workspace_invitations (workspace_id, email, role, invited_by)
      values (${ctx.workspaceId}, ${`i-${id()}@example.test`}, 'admin', ${ctx.userId})`,
    column: 'role',
  },
  activity: {
    insert: (ctx) => sql`insert into public.activity (workspace_id, action) values (${ctx.workspaceId}, 'probe.forged')`,
    column: 'action',
  },
  connections: {
    insert: (ctx) => sql`insert into public.connections (id, workspace_id, provider, display_name, auth_kind)
      values (${id()}, ${ctx.workspaceId}, 'hubspot', 'Probe', 'oauth2')`,
    column: 'status',
  },
  connection_credentials: {
    insert: (ctx) => sql`insert into public.connection_credentials (connection_id, workspace_id, key_id, envelope)
      values (${ctx.connectionId}, ${ctx.workspaceId}, 'k1', 'v1.probe')`,
    column: 'envelope',
  },
  oauth_states: {
    insert: (ctx) => sql`insert into public.oauth_states (state_hash, workspace_id, user_id, provider, environment, redirect_uri, expires_at)
      values (${id()}, ${ctx.workspaceId}, ${ctx.userId}, 'hubspot', 'sandbox', 'http://localhost/cb', now() + interval '10 minutes')`,
    column: 'provider',
  },
  sync_runs: {
    insert: (ctx) => sql`insert into public.sync_runs (id, workspace_id, connection_id, trigger, mode)
      values (${id()}, ${ctx.workspaceId}, ${ctx.connectionId}, 'manual', 'full')`,
    column: 'status',
  },
  sync_cursors: {
    insert: (ctx) => sql`insert into public.sync_cursors (connection_id, resource, workspace_id, cursor)
      values (${ctx.connectionId}, ${`r-${id()}`}, ${ctx.workspaceId}, '{"after": "1"}')`,
    column: 'cursor',
  },
  sync_seen_batches: {
    insert: (ctx) => sql`insert into public.sync_seen_batches (run_id, resource, workspace_id, external_ids)
      values (${ctx.runId}, 'contacts', ${ctx.workspaceId}, array[${id()}])`,
    column: 'resource',
  },
  synced_records: {
    insert: (ctx) => sql`insert into public.synced_records (workspace_id, connection_id, resource, external_id, raw, content_hash)
      values (${ctx.workspaceId}, ${ctx.connectionId}, 'contacts', ${id()}, '{"id": 1}', 'h')`,
    column: 'raw',
  },
  mapping_templates: {
    insert: (ctx) => sql`insert into public.mapping_templates (workspace_id, provider, resource, target_model, name, definition)
      values (${ctx.workspaceId}, 'hubspot', 'contacts', 'Contact', ${`t-${id()}`}, '{"version": 1}')`,
    column: 'definition',
  },
  field_mappings: {
    insert: (ctx) => sql`insert into public.field_mappings (workspace_id, connection_id, resource, target_model, version, definition)
      values (${ctx.workspaceId}, ${ctx.connectionId}, 'contacts', 'Contact',
              (select coalesce(max(version), 0) + 1 from public.field_mappings), '{"version": 1}')`,
    column: 'definition',
  },
  mapping_jobs: {
    insert: (ctx) => sql`with m as (
        insert into public.field_mappings (workspace_id, connection_id, resource, target_model, version, definition)
        values (${ctx.workspaceId}, ${ctx.connectionId}, ${`r-${id()}`}, 'Contact', 1, '{"version": 1}') returning id, resource)
      insert into public.mapping_jobs (workspace_id, connection_id, resource, mapping_id, mapping_version)
      select ${ctx.workspaceId}, ${ctx.connectionId}, m.resource, m.id, 1 from m`,
    column: 'status',
  },
  webhook_events: {
    insert: (ctx) => sql`insert into public.webhook_events (workspace_id, connection_id, provider, dedupe_key, verification)
      values (${ctx.workspaceId}, ${ctx.connectionId}, 'hubspot', ${id()}, 'verified')`,
    column: 'status',
  },
  webhook_channels: {
    insert: (ctx) => sql`insert into public.webhook_channels (id, workspace_id, connection_id, provider, resource, target, address, key_id, token_envelope)
      values (${id()}, ${ctx.workspaceId}, ${ctx.connectionId}, 'google-calendar', 'events', 'primary', 'https://hub.test/api/webhooks/google-calendar', 'k1', 'v1.probe')`,
    column: 'token_envelope',
  },
  webhook_signing_secrets: {
    // Expired, so any number of rows fits beside the one current secret per connection.
    insert: (ctx) => sql`insert into public.webhook_signing_secrets (workspace_id, connection_id, key_id, envelope, expires_at)
      values (${ctx.workspaceId}, ${ctx.connectionId}, 'k1', 'v1.probe', now())`,
    column: 'envelope',
  },
  api_keys: {
    insert: (ctx) => sql`insert into public.api_keys (workspace_id, name, prefix, key_hash, scopes)
      values (${ctx.workspaceId}, 'Probe', 'ihk_probe123', ${`h-${id()}`}, array['actions:read'])`,
    column: 'name',
  },
  idempotency_keys: {
    insert: (ctx) => sql`insert into public.idempotency_keys (workspace_id, key, connection_id, action, request_hash, holder)
      values (${ctx.workspaceId}, ${`k-${id()}`}, ${ctx.connectionId}, 'contacts.create', 'h', ${id()})`,
    column: 'status',
  },
  action_logs: {
    insert: (ctx) => sql`insert into public.action_logs (workspace_id, connection_id, action, status, http_status)
      values (${ctx.workspaceId}, ${ctx.connectionId}, 'contacts.lookup', 'succeeded', 200)`,
    column: 'status',
  },
  health_issues: {
    insert: (ctx) => sql`insert into public.health_issues (workspace_id, connection_id, subject, kind, severity, title, explanation, fix)
      values (${ctx.workspaceId}, ${ctx.connectionId}, ${`s-${id()}`}, 'sync_failing', 'warning', 'Probe', 'Probe', '{"kind": "sync_now", "label": "Sync now", "href": null}')`,
    column: 'title',
  },
  notification_preferences: {
    insert: (ctx) => sql`insert into public.notification_preferences (workspace_id, user_id, min_severity, email)
      values (${ctx.workspaceId}, ${ctx.userId}, 'info', 'daily_digest')`,
    scope: (ctx) => sql`workspace_id = ${ctx.workspaceId} and user_id = ${ctx.userId}`,
    column: 'min_severity',
  },
  notifications: {
    insert: (ctx) => sql`insert into public.notifications (workspace_id, user_id, kind, severity, title)
      values (${ctx.workspaceId}, ${ctx.userId}, 'sync_failing', 'warning', 'Probe')`,
    column: 'read_at',
  },
  // 20261207000300_outbound_webhooks.sql: each statement makes the rows its row refers to.
  workspace_events: {
    insert: (ctx) => sql`insert into public.workspace_events (workspace_id, type, data) values (${ctx.workspaceId}, 'sync.completed', '{}')`,
    column: 'type',
  },
  outbound_endpoints: {
    insert: (ctx) => sql`insert into public.outbound_endpoints (workspace_id, url, event_types)
      values (${ctx.workspaceId}, 'https://probe.example.test/hook', array['sync.completed'])`,
    column: 'url',
  },
  outbound_endpoint_secrets: {
    insert: (ctx) => sql`with endpoint as (
        insert into public.outbound_endpoints (workspace_id, url, event_types)
        values (${ctx.workspaceId}, 'https://probe.example.test/hook', array['sync.completed']) returning id)
      insert into public.outbound_endpoint_secrets (workspace_id, endpoint_id, key_id, envelope)
      select ${ctx.workspaceId}, endpoint.id, 'k1', 'v1.probe' from endpoint`,
    column: 'envelope',
  },
  outbound_deliveries: {
    insert: (ctx) => sql`with endpoint as (
        insert into public.outbound_endpoints (workspace_id, url, event_types)
        values (${ctx.workspaceId}, 'https://probe.example.test/hook', array['sync.completed']) returning id
      ), event as (
        insert into public.workspace_events (workspace_id, type, data) values (${ctx.workspaceId}, 'sync.completed', '{}') returning id)
      insert into public.outbound_deliveries (workspace_id, event_id, endpoint_id)
      select ${ctx.workspaceId}, event.id, endpoint.id from event, endpoint`,
    column: 'status',
  },
  // 20261208000400_push_syncs.sql: a push on the context's connection, and one record's push state.
  push_configurations: {
    insert: (ctx) => sql`insert into public.push_configurations (workspace_id, connection_id, name, destination, target_id,
        match_field, source_model, source_connection_ids, mapping, mapping_hash)
      values (${ctx.workspaceId}, ${ctx.connectionId}, 'Probe', 'members', 'probe', 'email', 'Contact',
        array[${ctx.connectionId}]::uuid[], '{}', 'probe')`,
    column: 'name',
  },
  push_records: {
    insert: (ctx) => sql`with push as (
        insert into public.push_configurations (workspace_id, connection_id, name, destination, target_id,
          match_field, source_model, source_connection_ids, mapping, mapping_hash)
        values (${ctx.workspaceId}, ${ctx.connectionId}, 'Probe', 'members', 'probe', 'email', 'Contact',
          array[${ctx.connectionId}]::uuid[], '{}', 'probe') returning id)
      insert into public.push_records (push_id, workspace_id, source_connection_id, source_resource, source_external_id, status)
      select push.id, ${ctx.workspaceId}, ${ctx.connectionId}, 'contacts', ${id()}, 'pushed' from push`,
    column: 'status',
  },
  // 20261208000800_dashboard_at_volume.sql: a counter row of its own (a resource no record has).
  synced_record_counts: {
    insert: (ctx) => sql`insert into public.synced_record_counts (connection_id, resource, workspace_id, live)
      values (${ctx.connectionId}, ${`probe_${id().slice(0, 8)}`}, ${ctx.workspaceId}, 1)`,
    column: 'live',
  },
  // 20261209000100_overview_counters.sql: counter rows of their own (an hour no run or delivery has).
  sync_run_counts: {
    insert: (ctx) => sql`insert into public.sync_run_counts (workspace_id, hour, status, runs)
      values (${ctx.workspaceId}, timestamptz '2001-01-01' + ${parseInt(id().slice(0, 6), 16)} * interval '1 hour', 'probe', 1)`,
    column: 'runs',
  },
  webhook_event_counts: {
    insert: (ctx) => sql`insert into public.webhook_event_counts (workspace_id, hour, status, deliveries)
      values (${ctx.workspaceId}, timestamptz '2001-01-01' + ${parseInt(id().slice(0, 6), 16)} * interval '1 hour', 'probe', 1)`,
    column: 'deliveries',
  },
};

/** Tables that no API role may read or write at all: RLS on, no policy, no privilege. */
export const SERVICE_ONLY_TABLES = [
  'connection_credentials',
  'oauth_states',
  'sync_cursors',
  'sync_seen_batches',
  'webhook_channels',
  'webhook_signing_secrets',
  'idempotency_keys',
  'outbound_endpoint_secrets',
];

/** Tables only owners and admins of the workspace may read (members and viewers see no rows). */
export const ADMIN_READ_TABLES = ['api_keys'];

/**
 * The writes owners/admins make through the app, one per table they write (the positive control
 * for the refusal probes): exactly the statements the grants and policies must still allow.
 */
export const ADMIN_WRITES: Record<string, (ctx: FixtureContext) => SQL> = {
  workspaces: (ctx) => sql`update public.workspaces set name = name where id = ${ctx.workspaceId} returning 1`,
  workspace_members: (ctx) => sql`update public.workspace_members set role = role
    where workspace_id = ${ctx.workspaceId} and user_id is distinct from auth.uid() returning 1`,
  workspace_invitations: (ctx) => sql`${fixtures.workspace_invitations.insert(ctx)} returning 1`,
  connections: (ctx) => sql`update public.connections set display_name = display_name, schedule = schedule
    where workspace_id = ${ctx.workspaceId} returning 1`,
  sync_runs: (ctx) => sql`update public.sync_runs set status = 'cancelled', finished_at = now(), error = 'Cancelled'
    where workspace_id = ${ctx.workspaceId} and status in ('queued', 'running') returning 1`,
  mapping_templates: (ctx) => sql`${fixtures.mapping_templates.insert(ctx)} returning 1`,
  field_mappings: (ctx) => sql`update public.field_mappings set is_active = is_active where workspace_id = ${ctx.workspaceId} returning 1`,
  notifications: (ctx) => sql`update public.notifications set read_at = now()
    where workspace_id = ${ctx.workspaceId} and user_id = auth.uid() returning 1`,
  notification_preferences: (ctx) => sql`update public.notification_preferences set email = 'off'
    where workspace_id = ${ctx.workspaceId} and user_id = auth.uid() returning 1`,
};

/** `select(columns)`: a column-level SELECT that leaves some columns out (api_keys.key_hash). */
type Privilege = 'select' | 'select(columns)' | 'insert' | 'delete';

/**
 * What `authenticated` (a signed-in user, through the app or straight through PostgREST) may do
 * on each table in public: table-level privileges, and the columns it may update. Must match
 * supabase/migrations/20261206000300_restrict_writes.sql (and the grants of later migrations);
 * every table must be listed.
 */
export const AUTHENTICATED_GRANTS: Record<string, { table: Privilege[]; update: string[] }> = {
  profiles: { table: ['select'], update: [] },
  workspaces: { table: ['select', 'insert'], update: ['name'] },
  workspace_members: { table: ['select', 'delete'], update: ['role'] },
  workspace_invitations: { table: ['select', 'insert', 'delete'], update: [] },
  activity: { table: ['select'], update: [] },
  connections: { table: ['select'], update: ['display_name', 'next_sync_at', 'paused_at', 'resources', 'schedule', 'status'] },
  connection_credentials: { table: [], update: [] },
  oauth_states: { table: [], update: [] },
  sync_runs: { table: ['select'], update: ['error', 'finished_at', 'status'] },
  sync_cursors: { table: [], update: [] },
  sync_seen_batches: { table: [], update: [] },
  synced_records: { table: ['select'], update: [] },
  mapping_templates: { table: ['select', 'insert'], update: [] },
  field_mappings: { table: ['select', 'insert'], update: ['is_active'] },
  mapping_jobs: { table: ['select'], update: [] },
  webhook_events: { table: ['select'], update: [] },
  webhook_channels: { table: [], update: [] },
  webhook_signing_secrets: { table: [], update: [] },
  // 20261206000500_actions.sql: every api_keys column but key_hash; the log read-only; keys none.
  api_keys: { table: ['select(columns)'], update: [] },
  idempotency_keys: { table: [], update: [] },
  action_logs: { table: ['select'], update: [] },
  // 20261207000300_outbound_webhooks.sql: members read events, endpoints and deliveries; secrets none.
  workspace_events: { table: ['select'], update: [] },
  outbound_endpoints: { table: ['select'], update: [] },
  outbound_endpoint_secrets: { table: [], update: [] },
  outbound_deliveries: { table: ['select'], update: [] },
  // 20261207000100_health_issues.sql: members read; the rules write on the service path.
  health_issues: { table: ['select'], update: [] },
  // 20261207000200_notifications.sql: each member's own rows (policies); marking read, own preferences.
  notification_preferences: { table: ['select', 'insert'], update: ['email', 'min_severity'] },
  notifications: { table: ['select'], update: ['read_at'] },
  // 20261208000400_push_syncs.sql: members read pushes and their per-record state; the service path writes.
  push_configurations: { table: ['select'], update: [] },
  push_records: { table: ['select'], update: [] },
  // 20261208000800_dashboard_at_volume.sql: members read the record counts; triggers write them.
  synced_record_counts: { table: ['select'], update: [] },
  // 20261209000100_overview_counters.sql: members read the run and delivery counts; triggers write them.
  sync_run_counts: { table: ['select'], update: [] },
  webhook_event_counts: { table: ['select'], update: [] },
};

/** Tables whose rows belong to one member: the workspace's other members (even owners) see none. */
export const OWN_ROW_TABLES = ['notification_preferences', 'notifications'];

/** The privileges a role holds on every table in public, in the shape of AUTHENTICATED_GRANTS. */
export function grantsQuery(role: string) {
  return sql`
    select c.relname as table,
           array_remove(array[
             case when has_table_privilege(${role}, c.oid, 'select') then 'select' end,
             case when has_table_privilege(${role}, c.oid, 'insert') then 'insert' end,
             case when has_table_privilege(${role}, c.oid, 'update') then 'update' end,
             case when has_table_privilege(${role}, c.oid, 'delete') then 'delete' end,
             case when has_table_privilege(${role}, c.oid, 'truncate') then 'truncate' end,
             case when has_table_privilege(${role}, c.oid, 'references') then 'references' end,
             case when has_table_privilege(${role}, c.oid, 'trigger') then 'trigger' end,
             -- A column-level SELECT or INSERT would not show above.
             case when has_any_column_privilege(${role}, c.oid, 'select') and not has_table_privilege(${role}, c.oid, 'select')
               then 'select(columns)' end,
             case when has_any_column_privilege(${role}, c.oid, 'insert') and not has_table_privilege(${role}, c.oid, 'insert')
               then 'insert(columns)' end,
             case when has_any_column_privilege(${role}, c.oid, 'references') and not has_table_privilege(${role}, c.oid, 'references')
               then 'references(columns)' end
           ], null) as table_privileges,
           array(select a.attname::text from pg_attribute a
                 where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
                   and has_column_privilege(${role}, c.oid, a.attnum, 'update')
                 order by a.attname) as update_columns
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm')
    order by 1`;
}
