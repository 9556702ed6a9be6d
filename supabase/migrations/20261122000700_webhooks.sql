-- Webhooks: what each delivery needs for the Webhooks page and for processing after the 2xx,
-- Google push channels (their tokens encrypted), and per-connection Standard Webhooks signing
-- secrets. Channels and secrets hold secret material: RLS on, no policy, no grant (service only).

alter table public.webhook_events
  -- How it was verified (hubspot-v3, square, google-channel, standard-webhooks).
  add column scheme text,
  add column method text,
  -- The URL the delivery was verified against, with secret-looking query values redacted.
  add column url text,
  -- Which environment's secret verified it; a delivery only routes to connections of that environment.
  add column environment text check (environment in ('live', 'sandbox')),
  add column account_id text,
  add column resource text,
  add column change text check (change in ('upsert', 'delete', 'sync', 'none')),
  -- What processing did, in words for the page ("updated 1 record", "sync queued").
  add column outcome text,
  add column occurred_at timestamptz,
  add column attempts integer not null default 0 check (attempts >= 0),
  -- Retry backoff, or waiting for a running sync to end before queueing the next one.
  add column next_attempt_at timestamptz,
  -- When a worker took it; a row left 'processing' long after this is picked up by the sweeper.
  add column claimed_at timestamptz,
  add column replay_count integer not null default 0 check (replay_count >= 0);

create index webhook_events_status_idx on public.webhook_events (workspace_id, status, received_at desc);

create table public.webhook_channels (
  -- The channel id Google echoes in X-Goog-Channel-ID.
  id uuid primary key,
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  connection_id uuid not null references public.connections (id) on delete cascade,
  provider text not null,
  resource text not null,
  -- What the channel watches at the provider (a calendar id).
  target text not null,
  -- Google's id of the watched collection; needed to stop the channel.
  resource_id text,
  address text not null,
  -- The channel token (the shared secret Google sends back), AES-256-GCM, bound to the channel id.
  key_id text not null,
  token_envelope text not null,
  status text not null default 'active' check (status in ('active', 'stopped', 'failed')),
  error text,
  expires_at timestamptz,
  replaced_by uuid references public.webhook_channels (id) on delete set null,
  stopped_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index webhook_channels_connection_idx on public.webhook_channels (connection_id, status);
create index webhook_channels_expiry_idx on public.webhook_channels (expires_at) where status = 'active';
create index webhook_channels_workspace_idx on public.webhook_channels (workspace_id);

create table public.webhook_signing_secrets (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  connection_id uuid not null references public.connections (id) on delete cascade,
  key_id text not null,
  -- "whsec_…", AES-256-GCM, bound to this row's id.
  envelope text not null,
  -- Null for the current secret; a rotated-out secret keeps verifying until then.
  expires_at timestamptz,
  created_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index webhook_signing_secrets_current_key on public.webhook_signing_secrets (connection_id) where expires_at is null;
create index webhook_signing_secrets_workspace_idx on public.webhook_signing_secrets (workspace_id);

create trigger webhook_channels_updated_at before update on public.webhook_channels
  for each row execute function public.set_updated_at();
create trigger webhook_signing_secrets_updated_at before update on public.webhook_signing_secrets
  for each row execute function public.set_updated_at();

alter table public.webhook_channels enable row level security;
alter table public.webhook_signing_secrets enable row level security;
revoke all on public.webhook_channels, public.webhook_signing_secrets from anon, authenticated;
grant select, insert, update, delete on public.webhook_channels, public.webhook_signing_secrets to service_role;
