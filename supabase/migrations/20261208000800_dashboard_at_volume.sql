-- The dashboard at volume (issue 15, `npm run bench:dashboard`): 1,000 connections, 100,000 sync
-- runs, 1,000,000 records, 1,000,000 webhook deliveries and 100,000 activity rows in one workspace.
--
-- Decisions:
-- * Lists page by keyset (newest first, the row id breaking ties), never by OFFSET: each list's
--   filters and its order are one index, so a page costs the same at row 25 and at row 900,000.
--   The indexes below end in `id desc` for that tie-breaker; the ones they replace did not.
-- * Record search is full-text (the 'simple' configuration: no stemming, no stop words, so names,
--   emails and ids match as written) over the record's string values and its external id, instead
--   of ILIKE over raw::text, which read every record of the connection. A prefix query
--   (`ada:*`) finds "Ada", "ada@example.com" and "ada-7"; a GIN index answers it. The expression
--   is the one lib/sync/history.ts queries with (recordSearchVector), character for character.
--   pg_trgm would also find substrings inside words, but its index over whole JSON documents is
--   several times larger and slower to keep up during a sync; full-text needs no extension.
-- * Under RLS the search index cannot be used: @@ (ts_match_vq) is not LEAKPROOF, so PostgreSQL
--   refuses to evaluate it before the row policy, which rules out any index scan on it (the same
--   holds for pg_trgm's operators and ILIKE) and the search read every record of the connection.
--   search_synced_records() runs the search itself, SECURITY DEFINER like the policy helpers, after
--   the same membership test the policy makes (my_workspace_ids()), filtered by the workspace and
--   connection it was asked for, and answers only ids: the app then reads those rows under RLS.
--   The statement is assembled from fixed fragments; every value travels as a parameter.
-- * The overview's records per connection and resource come from synced_record_counts, kept by
--   statement-level triggers on synced_records (one grouped upsert per statement, from its
--   transition tables), where the overview used to count 1,000,000 rows on every refresh. A
--   statement changes one connection's records at a time (writers take the connection's lock,
--   lib/sync/records.ts), so the counter rows see no more contention than the records themselves.
--   Deletions only subtract from rows that exist: a connection's cascade may remove its counts
--   first. last_seen_at only grows, as max(last_seen_at) over the records did.
-- * The activity log's read policy moves onto my_workspace_ids() like the other large tables
--   (20261207000400): is_workspace_member() ran once per row.

-- Sync runs: the history's order (queued_at desc, id desc), alone, per connection and per status.
create index sync_runs_history_idx on public.sync_runs (workspace_id, queued_at desc, id desc);
create index sync_runs_connection_history_idx on public.sync_runs (connection_id, queued_at desc, id desc);
create index sync_runs_status_history_idx on public.sync_runs (workspace_id, status, queued_at desc, id desc);

-- Records: the browser's order (last_seen_at desc, id desc) per connection, per resource, and the
-- few deleted ones on their own (a plain scan would walk every live record to find them).
drop index public.synced_records_browse_idx;
create index synced_records_browse_idx on public.synced_records (connection_id, resource, last_seen_at desc, id desc);
create index synced_records_connection_browse_idx on public.synced_records (connection_id, last_seen_at desc, id desc);
create index synced_records_deleted_browse_idx on public.synced_records (connection_id, last_seen_at desc, id desc)
  where deleted_at is not null;
create index synced_records_search_idx on public.synced_records using gin (
  (to_tsvector('simple'::regconfig, external_id) || jsonb_to_tsvector('simple'::regconfig, raw, '["string"]'::jsonb))
);

-- Webhook deliveries: (received_at desc, id desc) workspace-wide, per connection, per status.
drop index public.webhook_events_workspace_idx;
create index webhook_events_workspace_idx on public.webhook_events (workspace_id, received_at desc, id desc);
drop index public.webhook_events_connection_idx;
create index webhook_events_connection_idx on public.webhook_events (connection_id, received_at desc, id desc);
drop index public.webhook_events_status_idx;
create index webhook_events_status_idx on public.webhook_events (workspace_id, status, received_at desc, id desc);
create index webhook_events_connection_status_idx on public.webhook_events (connection_id, status, received_at desc, id desc);

-- Activity: each filter's index carries the tie-breaker too.
drop index public.activity_workspace_action_idx;
create index activity_workspace_action_idx on public.activity (workspace_id, action, created_at desc, id desc);
drop index public.activity_workspace_actor_idx;
create index activity_workspace_actor_idx on public.activity (workspace_id, actor_id, created_at desc, id desc);

drop policy activity_select on public.activity;
create policy activity_select on public.activity for select to authenticated
  using (workspace_id = any ((select public.my_workspace_ids())::uuid[]));

-- One page of a connection's records matching a search (ids only, in the browser's order), for a
-- member of the workspace; nothing for anyone else. `newer` reads upwards from the cursor; null
-- leaves the order out (counting: the index's matches, and no walk in browse order).
-- `common` says the words match more than the app counts (COUNT_CAP): then walking the browse
-- index and testing each record finds a page within a few thousand records. Otherwise the matches
-- are taken from the search index first (a materialized CTE, at most COUNT_CAP rows) and sorted:
-- left to itself, the planner walks the browse index for a rare word too, because it cannot
-- estimate a prefix match, and tests every record of the connection to find one.
create or replace function public.search_synced_records(
  ws uuid, connection uuid, words text, only_resource text, deleted text,
  cursor_at timestamptz, cursor_id uuid, newer boolean, common boolean, max_rows integer
) returns table (id uuid)
language plpgsql stable security definer set search_path = public, pg_temp as $$
declare
  matching text := 'select r.id, r.last_seen_at from public.synced_records r
      where r.workspace_id = $1 and r.connection_id = $2
        and (to_tsvector(''simple''::regconfig, r.external_id) || jsonb_to_tsvector(''simple''::regconfig, r.raw, ''["string"]''::jsonb))
            @@ to_tsquery(''simple''::regconfig, $3)'
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
revoke all on function public.search_synced_records(uuid, uuid, text, text, text, timestamptz, uuid, boolean, boolean, integer) from public, anon;
grant execute on function public.search_synced_records(uuid, uuid, text, text, text, timestamptz, uuid, boolean, boolean, integer) to authenticated, service_role;

-- Live and deleted records per connection and resource (the overview reads these).
create table public.synced_record_counts (
  connection_id uuid not null,
  resource text not null,
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  live bigint not null default 0,
  deleted bigint not null default 0,
  last_seen_at timestamptz,
  primary key (connection_id, resource),
  -- The workspace travels in the key, as on every workspace-scoped table (20261206000300).
  foreign key (workspace_id, connection_id) references public.connections (workspace_id, id) on delete cascade
);
create index synced_record_counts_workspace_idx on public.synced_record_counts (workspace_id);

create or replace function public.count_synced_records() returns trigger
language plpgsql set search_path = public, pg_temp as $$
begin
  if tg_op in ('DELETE', 'UPDATE') then
    update public.synced_record_counts c
       set live = c.live - gone.live, deleted = c.deleted - gone.deleted
      from (select connection_id, resource,
                   count(*) filter (where deleted_at is null) as live,
                   count(*) filter (where deleted_at is not null) as deleted
              from old_records group by connection_id, resource) gone
     where c.connection_id = gone.connection_id and c.resource = gone.resource;
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    insert into public.synced_record_counts as c (connection_id, resource, workspace_id, live, deleted, last_seen_at)
    select connection_id, resource, workspace_id,
           count(*) filter (where deleted_at is null), count(*) filter (where deleted_at is not null), max(last_seen_at)
      from new_records group by connection_id, resource, workspace_id
    on conflict (connection_id, resource) do update
      set live = c.live + excluded.live, deleted = c.deleted + excluded.deleted,
          last_seen_at = greatest(c.last_seen_at, excluded.last_seen_at);
  end if;
  return null;
end
$$;

create trigger synced_records_count_insert after insert on public.synced_records
  referencing new table as new_records for each statement execute function public.count_synced_records();
create trigger synced_records_count_update after update on public.synced_records
  referencing old table as old_records new table as new_records for each statement execute function public.count_synced_records();
create trigger synced_records_count_delete after delete on public.synced_records
  referencing old table as old_records for each statement execute function public.count_synced_records();

-- Records stored before this migration.
insert into public.synced_record_counts (connection_id, resource, workspace_id, live, deleted, last_seen_at)
select connection_id, resource, min(workspace_id::text)::uuid,
       count(*) filter (where deleted_at is null), count(*) filter (where deleted_at is not null), max(last_seen_at)
  from public.synced_records group by connection_id, resource;

alter table public.synced_record_counts enable row level security;
create policy synced_record_counts_select on public.synced_record_counts for select to authenticated
  using (workspace_id = any ((select public.my_workspace_ids())::uuid[]));

-- Grants (tests/integration/rls-fixtures.ts AUTHENTICATED_GRANTS holds the same):
--   synced_record_counts  select (members, by policy); the triggers write on the writer's behalf
revoke all on public.synced_record_counts from anon, authenticated;
grant select on public.synced_record_counts to authenticated;
grant select, insert, update, delete on public.synced_record_counts to service_role;
