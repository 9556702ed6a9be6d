-- Push syncs (lib/push): the workspace's stored records of one model written out to a destination
-- connection (a Mailchimp audience, an Airtable table).
--
-- * push_configurations. One per configured push, on its destination connection: the PushConfig
--   fields (lib/push/schemas.ts), whether it is enabled, and its mapping's version and hash (a
--   saved mapping change bumps the version; the hash tells a run's checkpoint its mapping moved).
--   Members read them; creating, editing and deleting are the service path's after the app checked
--   the admin role (like outbound_endpoints), so the checks in lib/push are the one rule.
-- * push_records. The destination's side of each pushed source record: its match key value, the
--   destination's id for it, the hash of the mapped output last written (an unchanged hash costs
--   no request), when, and the last error. Written by the engine only; members read (errors list).
-- * sync_runs.direction / push_id / requests. A push run is a sync run on the destination
--   connection with direction 'push' (sync history shows both); `requests` counts the provider
--   requests a push run made (the benchmark holds it to the batch-size minimum).
-- * Every reference to another workspace-scoped row carries the workspace (composite keys).

create table public.push_configurations (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  connection_id uuid not null,
  name text not null check (char_length(name) between 1 and 200),
  destination text not null check (char_length(destination) between 1 and 64),
  target_id text not null check (char_length(target_id) between 1 and 200),
  match_field text not null check (char_length(match_field) between 1 and 200),
  source_model text not null,
  source_connection_ids uuid[] not null check (cardinality(source_connection_ids) between 1 and 50),
  filters jsonb not null default '[]'::jsonb,
  mapping jsonb not null,
  -- The target's fields as read from the provider when the push was saved: runs compile the
  -- mapping against them without asking the provider again (an unchanged re-push costs no request).
  target_fields jsonb not null default '[]'::jsonb,
  mapping_version integer not null default 1 check (mapping_version > 0),
  mapping_hash text not null,
  deletion_policy text not null default 'keep' check (deletion_policy in ('keep', 'archive', 'delete')),
  schedule text not null default 'manual' check (schedule in ('manual', 'hourly', 'daily')),
  push_on_source_change boolean not null default true,
  enabled boolean not null default true,
  -- When the schedule next runs it (null: manual or disabled).
  next_run_at timestamptz,
  created_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint push_configurations_workspace_id_id_key unique (workspace_id, id),
  constraint push_configurations_connection_fkey foreign key (workspace_id, connection_id)
    references public.connections (workspace_id, id) on delete cascade
);
create index push_configurations_connection_idx on public.push_configurations (workspace_id, connection_id, created_at);
create index push_configurations_due_idx on public.push_configurations (next_run_at) where enabled and next_run_at is not null;
-- "Which pushes read this source connection" after its sync changed records.
create index push_configurations_sources_idx on public.push_configurations using gin (source_connection_ids);

create table public.push_records (
  push_id uuid not null,
  workspace_id uuid not null,
  source_connection_id uuid not null,
  source_resource text not null,
  source_external_id text not null,
  -- The match key's value as last decided (null: the record had none, so it failed).
  match_key text,
  external_id text,
  -- pushed: in the destination as output_hash says; failed: the last attempt failed (last_error);
  -- removed: archived/deleted there after its source went; kept: source gone, policy keep;
  -- duplicate: another source record holds the same match key.
  status text not null check (status in ('pushed', 'failed', 'removed', 'kept', 'duplicate')),
  output_hash text,
  last_pushed_at timestamptz,
  last_error text check (char_length(last_error) <= 2000),
  last_error_at timestamptz,
  updated_at timestamptz not null default now(),
  primary key (push_id, source_connection_id, source_resource, source_external_id),
  constraint push_records_push_fkey foreign key (workspace_id, push_id)
    references public.push_configurations (workspace_id, id) on delete cascade
);
create index push_records_key_idx on public.push_records (push_id, match_key) where status = 'pushed';
create index push_records_errors_idx on public.push_records (push_id, last_error_at desc) where status = 'failed';

alter table public.sync_runs
  add column direction text not null default 'pull' check (direction in ('pull', 'push')),
  add column push_id uuid,
  add column requests integer not null default 0 check (requests >= 0),
  add constraint sync_runs_push_fkey foreign key (workspace_id, push_id)
    references public.push_configurations (workspace_id, id) on delete set null (push_id),
  add constraint sync_runs_push_direction_check check (push_id is null or direction = 'push');
-- A push's last run, and "is a run of this push queued or running".
create index sync_runs_push_idx on public.sync_runs (push_id, created_at desc) where push_id is not null;

-- Push runs start after a source sync changed records: a trigger of their own.
alter table public.sync_runs drop constraint sync_runs_trigger_check;
alter table public.sync_runs add constraint sync_runs_trigger_check
  check (trigger in ('initial', 'manual', 'schedule', 'webhook', 'retry', 'source_change'));

create trigger push_configurations_updated_at before update on public.push_configurations
  for each row execute function public.set_updated_at();
create trigger push_records_updated_at before update on public.push_records
  for each row execute function public.set_updated_at();

alter table public.push_configurations enable row level security;
alter table public.push_records enable row level security;

create policy push_configurations_select on public.push_configurations for select to authenticated
  using (public.is_workspace_member(workspace_id));
create policy push_records_select on public.push_records for select to authenticated
  using (public.is_workspace_member(workspace_id));

-- Grants (tests/integration/rls-fixtures.ts AUTHENTICATED_GRANTS holds the same):
--   push_configurations, push_records  select (members, by policy); writes are the service path's
revoke all on public.push_configurations, public.push_records from anon, authenticated;
grant select on public.push_configurations, public.push_records to authenticated;
grant select, insert, update, delete on public.push_configurations, public.push_records to service_role;
