-- Re-applying a saved mapping to a connection's stored records is a tracked job: the editor shows
-- its progress, and a restarted server picks up where it stopped (the cursor is the last record
-- id done). Members read jobs; only the service path writes them.
create table public.mapping_jobs (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  connection_id uuid not null references public.connections (id) on delete cascade,
  resource text not null,
  mapping_id uuid not null references public.field_mappings (id) on delete cascade,
  mapping_version integer not null,
  status text not null default 'queued'
    check (status in ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  total integer not null default 0,
  processed integer not null default 0,
  failed integer not null default 0,
  cursor uuid,
  error text,
  created_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz,
  updated_at timestamptz not null default now()
);
create index mapping_jobs_connection_idx on public.mapping_jobs (connection_id, resource, created_at desc);
create index mapping_jobs_workspace_idx on public.mapping_jobs (workspace_id);
create trigger mapping_jobs_updated_at before update on public.mapping_jobs
  for each row execute function public.set_updated_at();

-- The re-apply job walks a connection's records in id order.
create index synced_records_connection_resource_id_idx on public.synced_records (connection_id, resource, id);

alter table public.mapping_jobs enable row level security;
revoke all on public.mapping_jobs from anon;
grant select on public.mapping_jobs to authenticated;
grant select, insert, update, delete on public.mapping_jobs to service_role;
create policy mapping_jobs_select on public.mapping_jobs for select to authenticated
  using (public.is_workspace_member(workspace_id));
