-- Cheaper read policies on the large, append-mostly tables the overview aggregates (issue 14).
--
-- Decisions:
-- * is_workspace_member(workspace_id) runs once per ROW: a SECURITY DEFINER function with its own
--   search_path is never inlined, so every call pays a function call, a GUC save/restore and a
--   membership lookup, about 20 µs. Counting 200,000 records of one workspace spent 4.5 s in it
--   (PostgreSQL 15, EXPLAIN ANALYZE); the overview's aggregates took 15 s in all.
-- * my_workspace_ids() returns the caller's workspaces once per statement: in the policy it sits in
--   an uncorrelated sub-select, which the planner runs once (an InitPlan), and each row is then a
--   `= any(array)` test; the comparison can also use the tables' workspace_id indexes.
-- * Same rule as before (the caller is a member of the row's workspace), same helper shape as the
--   other policy helpers: SECURITY DEFINER so it reads workspace_members without recursing into
--   that table's policies; executable by authenticated (policies run as the caller), not by anon.
-- * Only the tables that grow without bound and that members read in bulk change; the others keep
--   is_workspace_member, whose per-row cost does not matter at their size.

create or replace function public.my_workspace_ids() returns uuid[]
language sql stable security definer set search_path = public, pg_temp as $$
  select coalesce(array_agg(workspace_id), '{}') from public.workspace_members where user_id = auth.uid()
$$;
revoke all on function public.my_workspace_ids() from public, anon;
grant execute on function public.my_workspace_ids() to authenticated, service_role;

drop policy synced_records_select on public.synced_records;
create policy synced_records_select on public.synced_records for select to authenticated
  using (workspace_id = any ((select public.my_workspace_ids())::uuid[]));

drop policy sync_runs_select on public.sync_runs;
create policy sync_runs_select on public.sync_runs for select to authenticated
  using (workspace_id = any ((select public.my_workspace_ids())::uuid[]));

drop policy webhook_events_select on public.webhook_events;
create policy webhook_events_select on public.webhook_events for select to authenticated
  using (workspace_id is not null and workspace_id = any ((select public.my_workspace_ids())::uuid[]));

drop policy action_logs_select on public.action_logs;
create policy action_logs_select on public.action_logs for select to authenticated
  using (workspace_id = any ((select public.my_workspace_ids())::uuid[]));
