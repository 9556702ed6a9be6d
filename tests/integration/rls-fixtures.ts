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
    insert: (ctx) => sql`insert into public.workspace_invitations (workspace_id, email, role)
      values (${ctx.workspaceId}, ${`i-${id()}@example.test`}, 'admin')`,
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
};

/** Tables that no API role may read or write at all: RLS on, no policy, no privilege. */
export const SERVICE_ONLY_TABLES = ['connection_credentials', 'oauth_states', 'sync_seen_batches', 'webhook_channels', 'webhook_signing_secrets'];

/** Tables owners/admins write through the API (positive control for the viewer probes). */
export const ADMIN_WRITABLE_TABLES = [
  'workspaces',
  'workspace_members',
  'workspace_invitations',
  'connections',
  'sync_runs',
  'mapping_templates',
  'field_mappings',
];
