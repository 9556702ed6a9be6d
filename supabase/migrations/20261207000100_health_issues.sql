-- Connection health issues (lib/health): conditions detected by rules, opened once, re-detected
-- (count, last_seen_at) while they hold, and resolved automatically when they clear.
--
-- Decisions:
-- * At most one OPEN issue per (workspace, connection, kind, subject): a partial unique index, so
--   two checks racing on the same connection cannot open the same issue twice. Resolved rows stay
--   as history. Workspace-level issues (an outbound endpoint failing) have connection_id null, so
--   the index coalesces it to a fixed uuid (null would make every such row distinct).
-- * connection_id cascades with the connection through the composite (workspace_id, id) key, like
--   every other workspace-scoped reference; a null connection_id is not checked (MATCH SIMPLE).
-- * Members of the workspace read their issues; only the service path (the rules) writes.

create table public.health_issues (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  connection_id uuid,
  -- What the issue is about beyond the connection: a resource, a channel id, an endpoint id.
  subject text not null default '',
  kind text not null check (kind in ('needs_reauth', 'token_refresh_failing', 'scopes_missing', 'sync_failing',
    'rate_limited', 'webhooks_silent', 'signature_failures', 'channel_expiring', 'mapping_failures',
    'records_stale', 'endpoint_failing')),
  severity text not null check (severity in ('critical', 'warning', 'info')),
  status text not null default 'open' check (status in ('open', 'resolved')),
  title text not null,
  explanation text not null,
  fix jsonb not null,
  count integer not null default 1 check (count > 0),
  details jsonb not null default '{}',
  first_seen_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  resolved_at timestamptz,
  constraint health_issues_resolved_check check ((status = 'resolved') = (resolved_at is not null)),
  constraint health_issues_connection_fkey foreign key (workspace_id, connection_id)
    references public.connections (workspace_id, id) on delete cascade
);
create unique index health_issues_one_open_idx on public.health_issues
  (workspace_id, coalesce(connection_id, '00000000-0000-0000-0000-000000000000'::uuid), kind, subject)
  where status = 'open';
-- The lists: a workspace's or a connection's issues, newest first.
create index health_issues_workspace_idx on public.health_issues (workspace_id, status, last_seen_at desc);
create index health_issues_connection_idx on public.health_issues (workspace_id, connection_id, status);

alter table public.health_issues enable row level security;

create policy health_issues_select on public.health_issues for select to authenticated
  using (public.is_workspace_member(workspace_id));

-- Grants (tests/integration/rls-fixtures.ts AUTHENTICATED_GRANTS holds the same):
--   health_issues  select (members, by policy); writes are the service path's
revoke all on public.health_issues from anon, authenticated;
grant select on public.health_issues to authenticated;
grant select, insert, update, delete on public.health_issues to service_role;
