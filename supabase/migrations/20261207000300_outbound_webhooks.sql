-- Outbound webhooks (DESIGN.md §9, lib/outbound): what happened in a workspace, written once to an
-- outbox, and delivered to the workspace's own endpoints signed to the Standard Webhooks spec.
--
-- * workspace_events. The outbox: one row per event (lib/events/types.ts is the payload contract),
--   written in the same transaction as the change it describes, so an event exists if and only if
--   the change committed. Written only when some enabled endpoint subscribes to its type.
-- * outbound_endpoints. A workspace's receivers. Members read them (the Webhooks page shows them to
--   everyone); creating, editing, rotating and disabling are the service path's after the app
--   checked the admin role, like api_keys. failing_since is the start of the current run of failed
--   attempts; an endpoint failing for days is disabled (disabled_reason says why).
-- * outbound_endpoint_secrets. "whsec_…" secrets, AES-256-GCM envelopes bound to the row id, in a
--   table no API role may read. expires_at null marks the current secret; a rotated-out secret
--   keeps signing (a second signature) until its expires_at.
-- * outbound_deliveries. One row per (event, endpoint): its state, the next attempt, and what the
--   last attempt saw (status code, latency, a capped response excerpt). Members read the log; only
--   the service path writes. claimed_at marks a row a sender holds; a stale claim is taken over.
-- * Every reference to another workspace-scoped row carries the workspace (composite keys).

create table public.workspace_events (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  type text not null check (char_length(type) between 1 and 100),
  data jsonb not null,
  created_at timestamptz not null default now(),
  constraint workspace_events_workspace_id_id_key unique (workspace_id, id)
);
create index workspace_events_workspace_idx on public.workspace_events (workspace_id, created_at desc);
create index workspace_events_created_idx on public.workspace_events (created_at);

create table public.outbound_endpoints (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  url text not null check (char_length(url) between 1 and 2048),
  description text not null default '' check (char_length(description) <= 500),
  event_types text[] not null check (cardinality(event_types) > 0),
  enabled boolean not null default true,
  disabled_reason text,
  disabled_at timestamptz,
  -- First failed attempt since the last success; null while the endpoint answers.
  failing_since timestamptz,
  created_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint outbound_endpoints_workspace_id_id_key unique (workspace_id, id)
);
create index outbound_endpoints_workspace_idx on public.outbound_endpoints (workspace_id, created_at desc);

create table public.outbound_endpoint_secrets (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null,
  endpoint_id uuid not null,
  key_id text not null,
  -- "whsec_…", AES-256-GCM, bound to this row's id.
  envelope text not null,
  -- Null for the current secret; a rotated-out secret keeps signing until then.
  expires_at timestamptz,
  created_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  constraint outbound_endpoint_secrets_endpoint_fkey foreign key (workspace_id, endpoint_id)
    references public.outbound_endpoints (workspace_id, id) on delete cascade
);
create unique index outbound_endpoint_secrets_current_key on public.outbound_endpoint_secrets (endpoint_id) where expires_at is null;
create index outbound_endpoint_secrets_workspace_idx on public.outbound_endpoint_secrets (workspace_id);

create table public.outbound_deliveries (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null,
  event_id uuid not null,
  endpoint_id uuid not null,
  status text not null default 'pending' check (status in ('pending', 'succeeded', 'failed', 'retrying')),
  attempts integer not null default 0 check (attempts >= 0),
  next_attempt_at timestamptz not null default now(),
  claimed_at timestamptz,
  last_status_code integer,
  latency_ms integer check (latency_ms >= 0),
  -- The start of the receiver's answer (capped by the app) or why there was none.
  response_excerpt text check (char_length(response_excerpt) <= 2000),
  first_attempt_at timestamptz,
  last_attempt_at timestamptz,
  delivered_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint outbound_deliveries_event_endpoint_key unique (event_id, endpoint_id),
  constraint outbound_deliveries_event_fkey foreign key (workspace_id, event_id)
    references public.workspace_events (workspace_id, id) on delete cascade,
  constraint outbound_deliveries_endpoint_fkey foreign key (workspace_id, endpoint_id)
    references public.outbound_endpoints (workspace_id, id) on delete cascade
) with (fillfactor = 80);  -- room for the claim's update to stay on its page (HOT: claimed_at is in no index)
-- The senders' queue (due rows only) and the per-endpoint log (newest first; its status filter
-- reads the same index: every index is one more write per attempt recorded).
create index outbound_deliveries_due_idx on public.outbound_deliveries (next_attempt_at)
  where status in ('pending', 'retrying');
create index outbound_deliveries_endpoint_idx on public.outbound_deliveries (endpoint_id, created_at desc, id desc);

create trigger outbound_endpoints_updated_at before update on public.outbound_endpoints
  for each row execute function public.set_updated_at();
create trigger outbound_deliveries_updated_at before update on public.outbound_deliveries
  for each row execute function public.set_updated_at();

alter table public.workspace_events enable row level security;
alter table public.outbound_endpoints enable row level security;
alter table public.outbound_endpoint_secrets enable row level security;
alter table public.outbound_deliveries enable row level security;

create policy workspace_events_select on public.workspace_events for select to authenticated
  using (public.is_workspace_member(workspace_id));
create policy outbound_endpoints_select on public.outbound_endpoints for select to authenticated
  using (public.is_workspace_member(workspace_id));
create policy outbound_deliveries_select on public.outbound_deliveries for select to authenticated
  using (public.is_workspace_member(workspace_id));

-- Grants (tests/integration/rls-fixtures.ts AUTHENTICATED_GRANTS holds the same):
--   workspace_events, outbound_endpoints, outbound_deliveries  select (members, by policy)
--   outbound_endpoint_secrets                                  nothing (service path only)
revoke all on public.workspace_events, public.outbound_endpoints, public.outbound_endpoint_secrets, public.outbound_deliveries
  from anon, authenticated;
grant select on public.workspace_events, public.outbound_endpoints, public.outbound_deliveries to authenticated;
grant select, insert, update, delete
  on public.workspace_events, public.outbound_endpoints, public.outbound_endpoint_secrets, public.outbound_deliveries
  to service_role;

-- connection.status_changed is written here, by the database, so every path that changes a
-- connection's status (the app's many, a user's update through PostgREST) emits it, in the same
-- transaction. Definer rights: the writer may be `authenticated`, which has no grant on the outbox.
-- Nothing is written when no enabled endpoint of the workspace subscribes to the type.
create or replace function public.emit_connection_status_changed() returns trigger
  language plpgsql security definer set search_path = public, pg_temp as $$
declare
  new_event_id uuid;
begin
  if new.status is distinct from old.status and exists (
    select 1 from public.outbound_endpoints
    where workspace_id = new.workspace_id and enabled and 'connection.status_changed' = any(event_types)
  ) then
    insert into public.workspace_events (workspace_id, type, data)
    values (new.workspace_id, 'connection.status_changed', jsonb_build_object(
      'connectionId', new.id, 'provider', new.provider, 'displayName', new.display_name,
      'from', old.status, 'to', new.status, 'reason', new.status_reason))
    returning id into new_event_id;
    insert into public.outbound_deliveries (workspace_id, event_id, endpoint_id)
    select new.workspace_id, new_event_id, id from public.outbound_endpoints
    where workspace_id = new.workspace_id and enabled and 'connection.status_changed' = any(event_types);
  end if;
  return null;
end $$;
revoke all on function public.emit_connection_status_changed() from public, anon, authenticated;

create trigger connections_status_event after update of status on public.connections
  for each row execute function public.emit_connection_status_changed();
