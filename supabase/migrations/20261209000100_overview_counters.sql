-- The overview at full scale (issue 15): sync runs and webhook deliveries counted per workspace,
-- UTC hour and status by statement-level triggers, so the overview reads at most a few hundred
-- counter rows where it grouped 23,000 runs and 33,000 deliveries of a 1,000-connection workspace
-- on every refresh (bench:dashboard).
--
-- Decisions:
-- * Hourly buckets, because the overview's windows are made of them: the run charts start at a
--   UTC hour or day boundary (lib/overview/aggregate.ts bucketStarts), so summing the hours is
--   exact. The webhook window is "the last 24 hours" to the microsecond: the whole hours inside it
--   come from the counters, the partial hour at its start from the rows themselves (an index range
--   of at most one hour), so that total is exact too.
-- * One grouped upsert per statement, from the transition tables, as synced_record_counts does
--   (20261208000800): the deltas of old and new rows are netted first, so the many updates that
--   change no counted column (a run's progress, a delivery's claim bookkeeping) write nothing.
--   Increments are `n = n + delta` on the row, never a read-modify-write, so concurrent writers
--   queue on the row lock and none is lost; rows are upserted in key order so two statements lock
--   them in the same order.
-- * A DELETE only subtracts from rows that exist: a workspace's cascade may have removed its
--   counters first, and re-creating them would break the foreign key. INSERT and UPDATE upsert.
-- * Transition tables cannot be combined with a column list (UPDATE OF status), so the UPDATE
--   trigger sees every update and the netting above keeps the no-op ones cheap.
-- * Rows of deliveries no workspace owns (unrouted, workspace_id null) are not counted: the
--   overview is per workspace.
-- * The trigger functions are SECURITY DEFINER: a member may cancel a run (an UPDATE under RLS),
--   and the counters it moves are written on the table owner's behalf, never granted to members.
--   They write only what the transition tables of the statement say.
-- * Counter rows are never removed when they reach zero (at most 24 × statuses rows per workspace
--   per day; the overview reads only its window).

create table public.sync_run_counts (
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  hour timestamptz not null,
  status text not null,
  runs bigint not null default 0,
  primary key (workspace_id, hour, status)
);

create table public.webhook_event_counts (
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  hour timestamptz not null,
  status text not null,
  deliveries bigint not null default 0,
  duplicates bigint not null default 0,
  primary key (workspace_id, hour, status)
);

create or replace function public.count_sync_runs() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
begin
  if tg_op = 'DELETE' then
    update public.sync_run_counts c
       set runs = c.runs - gone.runs
      from (select workspace_id, date_trunc('hour', created_at, 'UTC') as hour, status, count(*) as runs
              from old_runs group by 1, 2, 3) gone
     where c.workspace_id = gone.workspace_id and c.hour = gone.hour and c.status = gone.status;
    return null;
  end if;
  insert into public.sync_run_counts as c (workspace_id, hour, status, runs)
  select workspace_id, hour, status, sum(delta)
    from (select workspace_id, date_trunc('hour', created_at, 'UTC') as hour, status, 1 as delta from new_runs
          union all
          select workspace_id, date_trunc('hour', created_at, 'UTC'), status, -1 from old_runs) d
   group by workspace_id, hour, status
  having sum(delta) <> 0
   order by workspace_id, hour, status
  on conflict (workspace_id, hour, status) do update set runs = c.runs + excluded.runs;
  return null;
end
$$;

-- An INSERT trigger has no old table to name, so inserts get a function of their own.
create or replace function public.count_sync_runs_inserted() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
begin
  insert into public.sync_run_counts as c (workspace_id, hour, status, runs)
  select workspace_id, date_trunc('hour', created_at, 'UTC'), status, count(*)
    from new_runs group by 1, 2, 3
   order by 1, 2, 3
  on conflict (workspace_id, hour, status) do update set runs = c.runs + excluded.runs;
  return null;
end
$$;

create trigger sync_runs_count_insert after insert on public.sync_runs
  referencing new table as new_runs for each statement execute function public.count_sync_runs_inserted();
create trigger sync_runs_count_update after update on public.sync_runs
  referencing old table as old_runs new table as new_runs for each statement execute function public.count_sync_runs();
create trigger sync_runs_count_delete after delete on public.sync_runs
  referencing old table as old_runs for each statement execute function public.count_sync_runs();

create or replace function public.count_webhook_events() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
begin
  if tg_op = 'DELETE' then
    update public.webhook_event_counts c
       set deliveries = c.deliveries - gone.deliveries, duplicates = c.duplicates - gone.duplicates
      from (select workspace_id, date_trunc('hour', received_at, 'UTC') as hour, status,
                   count(*) as deliveries, sum(duplicate_count) as duplicates
              from old_events where workspace_id is not null group by 1, 2, 3) gone
     where c.workspace_id = gone.workspace_id and c.hour = gone.hour and c.status = gone.status;
    -- Retention empties whole hours: their rows go, so the webhook list's per-status sums read
    -- only the hours still held (about 30 days), not every hour since the workspace began.
    delete from public.webhook_event_counts c
     using (select distinct workspace_id, date_trunc('hour', received_at, 'UTC') as hour, status
              from old_events where workspace_id is not null) gone
     where c.workspace_id = gone.workspace_id and c.hour = gone.hour and c.status = gone.status
       and c.deliveries = 0 and c.duplicates = 0;
    return null;
  end if;
  insert into public.webhook_event_counts as c (workspace_id, hour, status, deliveries, duplicates)
  select workspace_id, hour, status, sum(delta), sum(duplicates)
    from (select workspace_id, date_trunc('hour', received_at, 'UTC') as hour, status, 1 as delta, duplicate_count::bigint as duplicates
            from new_events where workspace_id is not null
          union all
          select workspace_id, date_trunc('hour', received_at, 'UTC'), status, -1, -duplicate_count::bigint
            from old_events where workspace_id is not null) d
   group by workspace_id, hour, status
  having sum(delta) <> 0 or sum(duplicates) <> 0
   order by workspace_id, hour, status
  on conflict (workspace_id, hour, status) do update
    set deliveries = c.deliveries + excluded.deliveries, duplicates = c.duplicates + excluded.duplicates;
  return null;
end
$$;

create or replace function public.count_webhook_events_inserted() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
begin
  insert into public.webhook_event_counts as c (workspace_id, hour, status, deliveries, duplicates)
  select workspace_id, date_trunc('hour', received_at, 'UTC'), status, count(*), sum(duplicate_count)
    from new_events where workspace_id is not null group by 1, 2, 3
   order by 1, 2, 3
  on conflict (workspace_id, hour, status) do update
    set deliveries = c.deliveries + excluded.deliveries, duplicates = c.duplicates + excluded.duplicates;
  return null;
end
$$;

create trigger webhook_events_count_insert after insert on public.webhook_events
  referencing new table as new_events for each statement execute function public.count_webhook_events_inserted();
create trigger webhook_events_count_update after update on public.webhook_events
  referencing old table as old_events new table as new_events for each statement execute function public.count_webhook_events();
create trigger webhook_events_count_delete after delete on public.webhook_events
  referencing old table as old_events for each statement execute function public.count_webhook_events();

-- Rows stored before this migration.
insert into public.sync_run_counts (workspace_id, hour, status, runs)
select workspace_id, date_trunc('hour', created_at, 'UTC'), status, count(*)
  from public.sync_runs group by 1, 2, 3;
insert into public.webhook_event_counts (workspace_id, hour, status, deliveries, duplicates)
select workspace_id, date_trunc('hour', received_at, 'UTC'), status, count(*), sum(duplicate_count)
  from public.webhook_events where workspace_id is not null group by 1, 2, 3;

alter table public.sync_run_counts enable row level security;
create policy sync_run_counts_select on public.sync_run_counts for select to authenticated
  using (workspace_id = any ((select public.my_workspace_ids())::uuid[]));
alter table public.webhook_event_counts enable row level security;
create policy webhook_event_counts_select on public.webhook_event_counts for select to authenticated
  using (workspace_id = any ((select public.my_workspace_ids())::uuid[]));

-- Grants (tests/integration/rls-fixtures.ts AUTHENTICATED_GRANTS holds the same):
--   sync_run_counts, webhook_event_counts  select (members, by policy); the triggers write
revoke all on public.sync_run_counts, public.webhook_event_counts from anon, authenticated;
grant select on public.sync_run_counts, public.webhook_event_counts to authenticated;
grant select, insert, update, delete on public.sync_run_counts, public.webhook_event_counts to service_role;

-- The trigger functions run only as triggers; nobody calls them (a trigger needs no EXECUTE).
revoke all on function public.count_sync_runs(), public.count_sync_runs_inserted(),
  public.count_webhook_events(), public.count_webhook_events_inserted() from public, anon, authenticated;

-- ── Record search: a stored search vector ────────────────────────────────────────────────────
-- The search vector (the external id and every string of the raw JSON as 'simple' words, the
-- expression of 20261208000800) becomes a stored generated column, indexed by GIN as before.
-- Why: a word shared by many records ("ada": 1 in 20 of 1,000,000) is served by walking the
-- browse index newest first and testing each record until a page is full, and that test computed
-- jsonb_to_tsvector over the record's JSON every time — about 5 µs a record against under 1 µs
-- for reading a stored vector (EXPLAIN ANALYZE over 20,000 records, PostgreSQL 15: 114 ms vs 17).
-- The cost is the vector's bytes in each row, computed once per write as the index did already.
-- Semantics are unchanged: the same words, the same prefix and whole-word matching.
alter table public.synced_records add column search_vector tsvector generated always as (
  to_tsvector('simple'::regconfig, external_id) || jsonb_to_tsvector('simple'::regconfig, raw, '["string"]'::jsonb)
) stored;
drop index public.synced_records_search_idx;
create index synced_records_search_idx on public.synced_records using gin (search_vector);

-- Same contract as in 20261208000800 (see there); only the matching reads the stored column.
create or replace function public.search_synced_records(
  ws uuid, connection uuid, words text, only_resource text, deleted text,
  cursor_at timestamptz, cursor_id uuid, newer boolean, common boolean, max_rows integer
) returns table (id uuid)
language plpgsql stable security definer set search_path = public, pg_temp as $$
declare
  matching text := 'select r.id, r.last_seen_at from public.synced_records r
      where r.workspace_id = $1 and r.connection_id = $2 and r.search_vector @@ to_tsquery(''simple''::regconfig, $3)'
    || case when only_resource is null then '' else ' and r.resource = $4' end
    || case deleted when 'only' then ' and r.deleted_at is not null' when 'exclude' then ' and r.deleted_at is null' else '' end;
  after_cursor text := case when cursor_at is null then '' when newer then ' and (r.last_seen_at, r.id) > ($6, $7)' else ' and (r.last_seen_at, r.id) < ($6, $7)' end;
  ordered text := case when newer then ' order by r.last_seen_at, r.id' else ' order by r.last_seen_at desc, r.id desc' end;
begin
  if ws is null or not (ws = any (public.my_workspace_ids())) then
    return;
  end if;
  if newer is null then
    return query execute 'select r.id from (' || matching || ') r limit $9'
      using ws, connection, words, only_resource, deleted, cursor_at, cursor_id, newer, max_rows;
  elsif common then
    return query execute 'select r.id from (' || matching || after_cursor || ') r' || ordered || ' limit $9'
      using ws, connection, words, only_resource, deleted, cursor_at, cursor_id, newer, max_rows;
  else
    return query execute 'with found as materialized (' || matching || ') select r.id from found r where true'
        || after_cursor || ordered || ' limit $9'
      using ws, connection, words, only_resource, deleted, cursor_at, cursor_id, newer, max_rows;
  end if;
end
$$;

-- ── Read policies evaluated once per statement ───────────────────────────────────────────────
-- connections and health_issues are read whole by the overview (1,000 connections) and the
-- connection list; is_workspace_member() ran once per row there (about 20 µs each, 20 ms of the
-- overview). Same rule through my_workspace_ids(), as 20261207000400 did for the large tables.
drop policy connections_select on public.connections;
create policy connections_select on public.connections for select to authenticated
  using (workspace_id = any ((select public.my_workspace_ids())::uuid[]));
drop policy health_issues_select on public.health_issues;
create policy health_issues_select on public.health_issues for select to authenticated
  using (workspace_id = any ((select public.my_workspace_ids())::uuid[]));
