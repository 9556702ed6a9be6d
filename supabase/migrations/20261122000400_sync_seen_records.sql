-- Which records a full listing has seen so far, so that when the listing completes, what it did
-- not see can be marked deleted without rewriting every unchanged record to stamp it as seen.
-- Written and read by the sync engine (service path) only; rows live as long as their run.
create table public.sync_seen_records (
  run_id uuid not null references public.sync_runs (id) on delete cascade,
  resource text not null,
  external_id text not null,
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  primary key (run_id, resource, external_id)
);

alter table public.sync_seen_records enable row level security;
revoke all on public.sync_seen_records from anon, authenticated;
