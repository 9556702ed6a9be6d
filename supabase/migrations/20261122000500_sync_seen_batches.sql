-- A full listing's seen-list, one row per committed batch of pages instead of one row per record:
-- inserting one id array costs a fraction of a hundred index entries, and the seen-list is only
-- ever read whole, once, when the listing completes. Service path only, as before.
drop table public.sync_seen_records;

create table public.sync_seen_batches (
  id bigint generated always as identity primary key,
  run_id uuid not null references public.sync_runs (id) on delete cascade,
  resource text not null,
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  external_ids text[] not null
);
create index sync_seen_batches_run_idx on public.sync_seen_batches (run_id, resource);

alter table public.sync_seen_batches enable row level security;
revoke all on public.sync_seen_batches from anon, authenticated;
