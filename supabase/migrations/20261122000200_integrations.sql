-- Integration data: connections and their secrets, OAuth handshakes, syncs, stored records,
-- field mappings, webhook deliveries. Later capabilities extend these with new migrations.

create table public.connections (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  provider text not null,
  display_name text not null,
  auth_kind text not null check (auth_kind in ('oauth2', 'api_key', 'token', 'none')),
  status text not null default 'pending'
    check (status in ('pending', 'active', 'paused', 'error', 'needs_reauth', 'disconnected')),
  status_reason text,
  account_id text,
  account_label text,
  scopes text[] not null default '{}',
  settings jsonb not null default '{}'::jsonb,
  resources jsonb not null default '[]'::jsonb,
  schedule text not null default 'hourly' check (schedule in ('manual', 'every_15_minutes', 'hourly', 'daily')),
  next_sync_at timestamptz,
  last_sync_at timestamptz,
  last_success_at timestamptz,
  last_error text,
  consecutive_failures integer not null default 0 check (consecutive_failures >= 0),
  connected_at timestamptz,
  paused_at timestamptz,
  disconnected_at timestamptz,
  created_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index connections_account_key on public.connections (workspace_id, provider, account_id)
  where account_id is not null;
create index connections_workspace_idx on public.connections (workspace_id, status);
create index connections_due_idx on public.connections (next_sync_at) where status = 'active';

-- Secrets: AES-256-GCM envelopes only, never plaintext. No API role has any privilege here.
create table public.connection_credentials (
  connection_id uuid primary key references public.connections (id) on delete cascade,
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  key_id text not null,
  envelope text not null,
  expires_at timestamptz,
  refreshed_at timestamptz,
  refresh_failures integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index connection_credentials_expiry_idx on public.connection_credentials (expires_at);
create index connection_credentials_key_idx on public.connection_credentials (key_id);

create table public.oauth_states (
  id uuid primary key default gen_random_uuid(),
  state_hash text not null unique,
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  provider text not null,
  connection_id uuid references public.connections (id) on delete cascade,
  code_verifier_envelope text,
  environment text not null check (environment in ('live', 'sandbox')),
  redirect_uri text not null,
  return_to text,
  expires_at timestamptz not null,
  consumed_at timestamptz,
  created_at timestamptz not null default now()
);
create index oauth_states_expiry_idx on public.oauth_states (expires_at);

create table public.sync_runs (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  connection_id uuid not null references public.connections (id) on delete cascade,
  resource text,
  trigger text not null check (trigger in ('initial', 'manual', 'schedule', 'webhook', 'retry')),
  mode text not null check (mode in ('full', 'incremental')),
  status text not null default 'queued'
    check (status in ('queued', 'running', 'succeeded', 'partial', 'failed', 'cancelled')),
  requested_by uuid references auth.users (id) on delete set null,
  attempt integer not null default 1,
  pages_done integer not null default 0,
  records_fetched integer not null default 0,
  records_created integer not null default 0,
  records_updated integer not null default 0,
  records_unchanged integer not null default 0,
  records_deleted integer not null default 0,
  records_failed integer not null default 0,
  checkpoint jsonb,
  steps jsonb not null default '[]'::jsonb,
  error text,
  error_details jsonb,
  queued_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz,
  heartbeat_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index sync_runs_workspace_idx on public.sync_runs (workspace_id, created_at desc);
create index sync_runs_connection_idx on public.sync_runs (connection_id, created_at desc);
create index sync_runs_active_idx on public.sync_runs (status, heartbeat_at) where status in ('queued', 'running');

create table public.sync_cursors (
  connection_id uuid not null references public.connections (id) on delete cascade,
  resource text not null,
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  cursor jsonb,
  last_run_id uuid references public.sync_runs (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (connection_id, resource)
);
create index sync_cursors_workspace_idx on public.sync_cursors (workspace_id);

create table public.synced_records (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  connection_id uuid not null references public.connections (id) on delete cascade,
  resource text not null,
  external_id text not null,
  raw jsonb not null,
  content_hash text not null,
  mapped jsonb,
  mapping_errors jsonb,
  mapping_version integer,
  first_seen_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  last_seen_run_id uuid references public.sync_runs (id) on delete set null,
  deleted_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (connection_id, resource, external_id)
);
create index synced_records_workspace_idx on public.synced_records (workspace_id);
create index synced_records_browse_idx on public.synced_records (connection_id, resource, last_seen_at desc);

create table public.mapping_templates (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  provider text not null,
  resource text not null,
  target_model text not null,
  name text not null,
  definition jsonb not null,
  created_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (workspace_id, provider, resource, name)
);

create table public.field_mappings (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  connection_id uuid not null references public.connections (id) on delete cascade,
  resource text not null,
  target_model text not null,
  version integer not null check (version > 0),
  definition jsonb not null,
  is_active boolean not null default false,
  template_id uuid references public.mapping_templates (id) on delete set null,
  created_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (connection_id, resource, version)
);
create unique index field_mappings_active_key on public.field_mappings (connection_id, resource) where is_active;
create index field_mappings_workspace_idx on public.field_mappings (workspace_id);

-- Deliveries we cannot route yet (unknown account) have no workspace; only the service path sees them.
create table public.webhook_events (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid references public.workspaces (id) on delete cascade,
  connection_id uuid references public.connections (id) on delete set null,
  provider text not null,
  event_id text,
  dedupe_key text not null,
  event_type text,
  verification text not null check (verification in ('verified', 'failed')),
  verification_reason text,
  status text not null default 'received'
    check (status in ('received', 'processing', 'processed', 'failed', 'ignored', 'unrouted', 'rejected')),
  duplicate_count integer not null default 0,
  headers jsonb not null default '{}'::jsonb,
  payload jsonb,
  sync_run_id uuid references public.sync_runs (id) on delete set null,
  error text,
  received_at timestamptz not null default now(),
  processed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index webhook_events_dedupe_key on public.webhook_events (provider, dedupe_key);
create index webhook_events_workspace_idx on public.webhook_events (workspace_id, received_at desc);
create index webhook_events_connection_idx on public.webhook_events (connection_id, received_at desc);
create index webhook_events_pending_idx on public.webhook_events (status, received_at) where status in ('received', 'processing');

create trigger connections_updated_at before update on public.connections
  for each row execute function public.set_updated_at();
create trigger connection_credentials_updated_at before update on public.connection_credentials
  for each row execute function public.set_updated_at();
create trigger sync_runs_updated_at before update on public.sync_runs
  for each row execute function public.set_updated_at();
create trigger sync_cursors_updated_at before update on public.sync_cursors
  for each row execute function public.set_updated_at();
create trigger synced_records_updated_at before update on public.synced_records
  for each row execute function public.set_updated_at();
create trigger mapping_templates_updated_at before update on public.mapping_templates
  for each row execute function public.set_updated_at();
create trigger field_mappings_updated_at before update on public.field_mappings
  for each row execute function public.set_updated_at();
create trigger webhook_events_updated_at before update on public.webhook_events
  for each row execute function public.set_updated_at();
