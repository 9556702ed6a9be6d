-- The public API's own state (DESIGN.md §8): workspace API keys, Idempotency-Key records of write
-- actions, and the action log.
--
-- Decisions, in the style of 20261206000300_restrict_writes.sql:
-- * api_keys. A key's secret is shown once and stored only as its SHA-256 (key_hash) beside a
--   visible prefix. Owners and admins list their workspace's keys through RLS; `authenticated` may
--   select every column except key_hash (a column-level grant), so no browser-reachable query can
--   read a hash even for a workspace it administers. Creating, revoking and last_used_at are the
--   service path's (after the app checked the admin role): no write grant at all.
-- * idempotency_keys. Stored answers of write actions (they may hold personal data) and the lease
--   that serialises retries: service path only, like credentials (RLS on, no policy, no grant).
--   Kept 24 hours (expires_at); the retention job deletes expired rows.
-- * action_logs. One row per action call, inputs and outputs redacted by the app before they are
--   written. Members read their workspace's rows; only the service path writes.
-- * Every reference to another workspace-scoped row carries the workspace (composite keys).

create table public.api_keys (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  name text not null check (char_length(name) between 1 and 80),
  -- The first characters of the secret ("ihk_AbCdEfGh"), shown so people can tell keys apart.
  prefix text not null,
  -- SHA-256 of the whole secret, hex. Never granted to an API role.
  key_hash text not null unique,
  scopes text[] not null
    check (cardinality(scopes) > 0 and scopes <@ array['actions:read', 'actions:write', 'records:read']::text[]),
  created_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  -- Written at most once a minute per key.
  last_used_at timestamptz,
  revoked_at timestamptz,
  revoked_by uuid references auth.users (id) on delete set null,
  constraint api_keys_workspace_id_id_key unique (workspace_id, id)
);
create index api_keys_workspace_idx on public.api_keys (workspace_id, created_at desc);

create table public.idempotency_keys (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  -- The client's Idempotency-Key, unique per workspace.
  key text not null check (char_length(key) between 1 and 255),
  connection_id uuid not null,
  action text not null,
  -- SHA-256 of action, connection and the canonical JSON of the validated input.
  request_hash text not null,
  -- running: an attempt holds the lease; completed: the answer below is replayed; released: the
  -- last attempt failed in a way worth retrying, and the next request with the same body runs again.
  status text not null default 'running' check (status in ('running', 'completed', 'released')),
  -- The attempt holding the key: only it may complete or release it.
  holder uuid not null,
  locked_at timestamptz not null default now(),
  attempts integer not null default 1 check (attempts > 0),
  response_status integer,
  response_body jsonb,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null default now() + interval '24 hours',
  completed_at timestamptz,
  constraint idempotency_keys_workspace_key_key unique (workspace_id, key),
  constraint idempotency_keys_connection_fkey foreign key (workspace_id, connection_id)
    references public.connections (workspace_id, id) on delete cascade
);
create index idempotency_keys_expires_idx on public.idempotency_keys (expires_at);

create table public.action_logs (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  -- Null when the call named no connection of this workspace (or the connection was deleted).
  connection_id uuid,
  provider text,
  -- Who called: an API key, or a signed-in admin (the in-app console).
  api_key_id uuid,
  user_id uuid references auth.users (id) on delete set null,
  action text not null,
  status text not null check (status in ('succeeded', 'failed')),
  http_status integer not null,
  error_code text,
  error text,
  latency_ms integer not null default 0 check (latency_ms >= 0),
  provider_requests integer not null default 0 check (provider_requests >= 0),
  idempotency_key text,
  -- The answer came from the stored result of an earlier call with the same key.
  replayed boolean not null default false,
  -- The call took over a key whose earlier attempt never recorded its outcome.
  retried boolean not null default false,
  input jsonb,
  output jsonb,
  created_at timestamptz not null default now(),
  constraint action_logs_connection_fkey foreign key (workspace_id, connection_id)
    references public.connections (workspace_id, id) on delete set null (connection_id),
  constraint action_logs_api_key_fkey foreign key (workspace_id, api_key_id)
    references public.api_keys (workspace_id, id) on delete set null (api_key_id)
);
-- The log's listing (newest first, keyset on created_at, id) and its filters; retention by age.
create index action_logs_workspace_idx on public.action_logs (workspace_id, created_at desc, id desc);
create index action_logs_connection_idx on public.action_logs (workspace_id, connection_id, created_at desc, id desc);
create index action_logs_action_idx on public.action_logs (workspace_id, action, created_at desc, id desc);
create index action_logs_status_idx on public.action_logs (workspace_id, status, created_at desc, id desc);
create index action_logs_created_idx on public.action_logs (created_at);

alter table public.api_keys enable row level security;
alter table public.idempotency_keys enable row level security;
alter table public.action_logs enable row level security;

create policy api_keys_select on public.api_keys for select to authenticated
  using (public.has_workspace_role(workspace_id, array['owner', 'admin']));
create policy action_logs_select on public.action_logs for select to authenticated
  using (public.is_workspace_member(workspace_id));

-- Grants (tests/integration/rls-fixtures.ts AUTHENTICATED_GRANTS holds the same):
--   api_keys          select on every column but key_hash   (owners and admins, by policy)
--   action_logs       select
--   idempotency_keys  nothing (service path only)
revoke all on public.api_keys, public.idempotency_keys, public.action_logs from anon, authenticated;
grant select (id, workspace_id, name, prefix, scopes, created_by, created_at, last_used_at, revoked_at, revoked_by)
  on public.api_keys to authenticated;
grant select on public.action_logs to authenticated;
grant select, insert, update, delete on public.api_keys, public.idempotency_keys, public.action_logs to service_role;
