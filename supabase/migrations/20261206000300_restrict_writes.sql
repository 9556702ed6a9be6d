-- What the browser roles may do, cut down to what the app does on a user's behalf.
--
-- On Supabase the public anon key plus a user's session reaches PostgREST (and pg_graphql) as
-- role `authenticated`, the same role the app's own RLS transactions use (lib/db/rls.ts asUser).
-- So the privileges of `authenticated` are exactly what a signed-in user can do with a hand-made
-- request, bypassing every check the app makes in TypeScript. Until now it had insert, update and
-- delete on every table: an admin could insert a connection claiming another merchant's account id
-- (webhooks route by provider + account id), change a connection's account id, or set their
-- profile email to someone else's address before that person signed up.
--
-- Decisions:
-- * Exposure. The app reads and writes only through its own server; it never calls PostgREST.
--   Rather than move tables to a private schema (every query, policy and the Drizzle schema would
--   change), tables that no user-facing query touches get no privilege at all for `anon` or
--   `authenticated` (RLS stays on as a second wall), so PostgREST and GraphQL see nothing there.
--   Tables the app reads as the user stay readable (RLS decides which rows). `anon` gets nothing
--   anywhere: the app has no anonymous database access.
-- * Writes. `authenticated` keeps only the statements the app runs inside asUser/inWorkspace,
--   with column-level UPDATE for exactly the columns it sets. Everything else (connecting,
--   credentials, syncs, webhooks, activity, re-apply jobs) goes through the service path.
--   Policies for the revoked statements are dropped so the policies read as the grants do.
-- * Every reference from one workspace's row to another row carries the workspace: composite
--   foreign keys (workspace_id, x_id) → (workspace_id, id), as 20261122000800 did for
--   synced_records. Foreign-key checks ignore RLS, so a single-column key let an admin of A
--   point a field mapping at B's connection or template; now the database refuses it, on every
--   path, service path included.
-- * Functions. Supabase grants EXECUTE on new functions in public to anon and authenticated, and
--   revoking from PUBLIC does not undo that. Every SECURITY DEFINER function is revoked from
--   PUBLIC, anon and authenticated explicitly; only the membership helpers the policies call stay
--   executable by authenticated. Default privileges are cut the same way, so a table or function
--   created by a later migration starts with no browser-role privilege on Supabase, as it already
--   does on plain PostgreSQL, and must grant what it needs.
-- * Emails. profiles.email is a copy of the verified sign-in email (auth.users), kept in step by
--   triggers and never writable by users; the app looks people up by auth.users.email.

-- ── Repairs, so the new constraints hold on existing data ──────────────────────────────────────
-- Rows the app never writes: references from one workspace into another. Provenance links are
-- cleared; rows that claim another workspace's connection or run were forged and are removed.
update public.field_mappings f set template_id = null
where template_id is not null
  and not exists (select 1 from public.mapping_templates t where t.id = f.template_id and t.workspace_id = f.workspace_id);
update public.sync_cursors c set last_run_id = null
where last_run_id is not null
  and not exists (select 1 from public.sync_runs r where r.id = c.last_run_id and r.workspace_id = c.workspace_id);
update public.webhook_events e set sync_run_id = null
where sync_run_id is not null
  and not exists (select 1 from public.sync_runs r where r.id = e.sync_run_id and r.workspace_id is not distinct from e.workspace_id);
update public.webhook_events e set connection_id = null
where connection_id is not null
  and not exists (select 1 from public.connections c where c.id = e.connection_id and c.workspace_id is not distinct from e.workspace_id);
update public.webhook_channels w set replaced_by = null
where replaced_by is not null
  and not exists (select 1 from public.webhook_channels r where r.id = w.replaced_by and r.workspace_id = w.workspace_id);
delete from public.mapping_jobs j
where not exists (select 1 from public.field_mappings f where f.id = j.mapping_id and f.workspace_id = j.workspace_id)
   or not exists (select 1 from public.connections c where c.id = j.connection_id and c.workspace_id = j.workspace_id);
delete from public.field_mappings f
where not exists (select 1 from public.connections c where c.id = f.connection_id and c.workspace_id = f.workspace_id);
delete from public.sync_seen_batches b
where not exists (select 1 from public.sync_runs r where r.id = b.run_id and r.workspace_id = b.workspace_id);
delete from public.sync_runs r
where not exists (select 1 from public.connections c where c.id = r.connection_id and c.workspace_id = r.workspace_id);
delete from public.sync_cursors s
where not exists (select 1 from public.connections c where c.id = s.connection_id and c.workspace_id = s.workspace_id);
delete from public.connection_credentials s
where not exists (select 1 from public.connections c where c.id = s.connection_id and c.workspace_id = s.workspace_id);
delete from public.oauth_states s
where connection_id is not null
  and not exists (select 1 from public.connections c where c.id = s.connection_id and c.workspace_id = s.workspace_id);
delete from public.webhook_channels s
where not exists (select 1 from public.connections c where c.id = s.connection_id and c.workspace_id = s.workspace_id);
delete from public.webhook_signing_secrets s
where not exists (select 1 from public.connections c where c.id = s.connection_id and c.workspace_id = s.workspace_id);

-- Profiles whose email was edited through the API get the sign-in email back (in two steps, so
-- two rows that swapped addresses do not trip the unique index half way).
update public.profiles p set email = p.id::text
from auth.users u where u.id = p.id and p.email is distinct from lower(coalesce(u.email, ''));
update public.profiles p set email = lower(coalesce(u.email, ''))
from auth.users u where u.id = p.id and p.email = p.id::text;

-- ── Composite keys: every cross-table reference carries the workspace ──────────────────────────
alter table public.sync_runs add constraint sync_runs_workspace_id_id_key unique (workspace_id, id);
alter table public.mapping_templates add constraint mapping_templates_workspace_id_id_key unique (workspace_id, id);
alter table public.field_mappings add constraint field_mappings_workspace_id_id_key unique (workspace_id, id);
alter table public.webhook_channels add constraint webhook_channels_workspace_id_id_key unique (workspace_id, id);

alter table public.connection_credentials
  drop constraint connection_credentials_connection_id_fkey,
  add constraint connection_credentials_connection_fkey foreign key (workspace_id, connection_id)
    references public.connections (workspace_id, id) on delete cascade;

alter table public.oauth_states
  drop constraint oauth_states_connection_id_fkey,
  add constraint oauth_states_connection_fkey foreign key (workspace_id, connection_id)
    references public.connections (workspace_id, id) on delete cascade;

alter table public.sync_runs
  drop constraint sync_runs_connection_id_fkey,
  add constraint sync_runs_connection_fkey foreign key (workspace_id, connection_id)
    references public.connections (workspace_id, id) on delete cascade;

-- SET NULL with a column list (PostgreSQL 15+) clears the reference and keeps the workspace.
alter table public.sync_cursors
  drop constraint sync_cursors_connection_id_fkey,
  drop constraint sync_cursors_last_run_id_fkey,
  add constraint sync_cursors_connection_fkey foreign key (workspace_id, connection_id)
    references public.connections (workspace_id, id) on delete cascade,
  add constraint sync_cursors_last_run_fkey foreign key (workspace_id, last_run_id)
    references public.sync_runs (workspace_id, id) on delete set null (last_run_id);

alter table public.sync_seen_batches
  drop constraint sync_seen_batches_run_id_fkey,
  add constraint sync_seen_batches_run_fkey foreign key (workspace_id, run_id)
    references public.sync_runs (workspace_id, id) on delete cascade;

alter table public.field_mappings
  drop constraint field_mappings_connection_id_fkey,
  drop constraint field_mappings_template_id_fkey,
  add constraint field_mappings_connection_fkey foreign key (workspace_id, connection_id)
    references public.connections (workspace_id, id) on delete cascade,
  add constraint field_mappings_template_fkey foreign key (workspace_id, template_id)
    references public.mapping_templates (workspace_id, id) on delete set null (template_id);

alter table public.mapping_jobs
  drop constraint mapping_jobs_connection_id_fkey,
  drop constraint mapping_jobs_mapping_id_fkey,
  add constraint mapping_jobs_connection_fkey foreign key (workspace_id, connection_id)
    references public.connections (workspace_id, id) on delete cascade,
  add constraint mapping_jobs_mapping_fkey foreign key (workspace_id, mapping_id)
    references public.field_mappings (workspace_id, id) on delete cascade;

-- A delivery's workspace is null only while it is unrouted; with a null workspace the composite
-- keys would not be checked (MATCH SIMPLE), so a null workspace means no connection and no run.
alter table public.webhook_events
  drop constraint webhook_events_connection_id_fkey,
  drop constraint webhook_events_sync_run_id_fkey,
  add constraint webhook_events_connection_fkey foreign key (workspace_id, connection_id)
    references public.connections (workspace_id, id) on delete set null (connection_id),
  add constraint webhook_events_sync_run_fkey foreign key (workspace_id, sync_run_id)
    references public.sync_runs (workspace_id, id) on delete set null (sync_run_id),
  add constraint webhook_events_routed_check
    check (workspace_id is not null or (connection_id is null and sync_run_id is null));

alter table public.webhook_channels
  drop constraint webhook_channels_connection_id_fkey,
  drop constraint webhook_channels_replaced_by_fkey,
  add constraint webhook_channels_connection_fkey foreign key (workspace_id, connection_id)
    references public.connections (workspace_id, id) on delete cascade,
  add constraint webhook_channels_replaced_by_fkey foreign key (workspace_id, replaced_by)
    references public.webhook_channels (workspace_id, id) on delete set null (replaced_by);

alter table public.webhook_signing_secrets
  drop constraint webhook_signing_secrets_connection_id_fkey,
  add constraint webhook_signing_secrets_connection_fkey foreign key (workspace_id, connection_id)
    references public.connections (workspace_id, id) on delete cascade;

-- ── Table privileges ───────────────────────────────────────────────────────────────────────────
-- `anon`: nothing, on any table or sequence in public (including tables added by other migrations).
revoke all on all tables in schema public from anon;
revoke all on all sequences in schema public from anon;
grant select, insert, update, delete on all tables in schema public to service_role;

revoke all on public.profiles, public.workspaces, public.workspace_members, public.workspace_invitations,
  public.activity, public.connections, public.connection_credentials, public.oauth_states,
  public.sync_runs, public.sync_cursors, public.synced_records, public.sync_seen_batches,
  public.mapping_templates, public.field_mappings, public.mapping_jobs, public.webhook_events,
  public.webhook_channels, public.webhook_signing_secrets
  from authenticated;
revoke all on sequence public.sync_seen_batches_id_seq from authenticated;

-- The grant matrix (tests/integration/supabase-grants.test.ts holds the same table):
--   profiles               select                      (emails come from auth.users, by trigger)
--   workspaces             select, insert, update(name)
--   workspace_members      select, update(role), delete   (joining is accepting an invitation: service path)
--   workspace_invitations  select, insert, delete
--   activity               select
--   connections            select, update(display_name, schedule, next_sync_at, resources, status, paused_at)
--   sync_runs              select, update(status, finished_at, error)   (cancelling only)
--   synced_records         select
--   mapping_templates      select, insert
--   field_mappings         select, insert, update(is_active)
--   mapping_jobs           select
--   webhook_events         select
--   connection_credentials, oauth_states, sync_cursors, sync_seen_batches, webhook_channels,
--   webhook_signing_secrets: nothing (service path only).
grant select on public.profiles to authenticated;
grant select, insert on public.workspaces to authenticated;
grant update (name) on public.workspaces to authenticated;
grant select, delete on public.workspace_members to authenticated;
grant update (role) on public.workspace_members to authenticated;
grant select, insert, delete on public.workspace_invitations to authenticated;
grant select on public.activity to authenticated;
grant select on public.connections to authenticated;
grant update (display_name, schedule, next_sync_at, resources, status, paused_at) on public.connections to authenticated;
grant select on public.sync_runs to authenticated;
grant update (status, finished_at, error) on public.sync_runs to authenticated;
grant select on public.synced_records to authenticated;
grant select, insert on public.mapping_templates to authenticated;
grant select, insert on public.field_mappings to authenticated;
grant update (is_active) on public.field_mappings to authenticated;
grant select on public.mapping_jobs to authenticated;
grant select on public.webhook_events to authenticated;

-- Later migrations start from nothing on Supabase too (Supabase's default privileges grant all).
alter default privileges in schema public revoke all on tables from anon, authenticated;
alter default privileges in schema public revoke all on sequences from anon, authenticated;
alter default privileges in schema public revoke all on functions from anon, authenticated;

-- ── Policies, matching the grants ──────────────────────────────────────────────────────────────
drop policy profiles_update on public.profiles;
drop policy workspaces_delete on public.workspaces;
-- Nobody is added to a workspace by an admin writing a row: an invitation is accepted, by the
-- invitee, with a verified address (20261206000100). Only the service path inserts members.
drop policy workspace_members_insert on public.workspace_members;

drop policy workspace_invitations_write on public.workspace_invitations;
create policy workspace_invitations_insert on public.workspace_invitations for insert to authenticated
  with check (
    invited_by = auth.uid()
    and (
      public.has_workspace_role(workspace_id, array['owner'])
      or (public.has_workspace_role(workspace_id, array['admin']) and role <> 'owner')
    )
  );
create policy workspace_invitations_delete on public.workspace_invitations for delete to authenticated
  using (
    public.has_workspace_role(workspace_id, array['owner'])
    or (public.has_workspace_role(workspace_id, array['admin']) and role <> 'owner')
  );

drop policy connections_write on public.connections;
create policy connections_update on public.connections for update to authenticated
  using (public.has_workspace_role(workspace_id, array['owner', 'admin']))
  with check (public.has_workspace_role(workspace_id, array['owner', 'admin']));

drop policy field_mappings_write on public.field_mappings;
create policy field_mappings_insert on public.field_mappings for insert to authenticated
  with check (public.has_workspace_role(workspace_id, array['owner', 'admin']));
create policy field_mappings_update on public.field_mappings for update to authenticated
  using (public.has_workspace_role(workspace_id, array['owner', 'admin']))
  with check (public.has_workspace_role(workspace_id, array['owner', 'admin']));

drop policy mapping_templates_write on public.mapping_templates;
create policy mapping_templates_insert on public.mapping_templates for insert to authenticated
  with check (public.has_workspace_role(workspace_id, array['owner', 'admin']));

-- Admins cancel queued or running runs; the sync engine (service path) writes everything else.
drop policy sync_runs_insert on public.sync_runs;
drop policy sync_runs_update on public.sync_runs;
create policy sync_runs_cancel on public.sync_runs for update to authenticated
  using (public.has_workspace_role(workspace_id, array['owner', 'admin']) and status in ('queued', 'running'))
  with check (public.has_workspace_role(workspace_id, array['owner', 'admin']) and status = 'cancelled');

-- Sync cursors are the engine's bookkeeping; no page shows them.
drop policy sync_cursors_select on public.sync_cursors;

-- A user changes a connection's status only the ways the app does: pause it (unless it is
-- disconnected) or resume a paused one. Connecting, errors and disconnecting are the service path's.
create or replace function public.guard_connection_status() returns trigger
language plpgsql set search_path = public, pg_temp as $$
begin
  if current_user = 'authenticated' and new.status is distinct from old.status
     and not ((new.status = 'paused' and old.status <> 'disconnected') or (old.status = 'paused' and new.status = 'active')) then
    raise exception 'A connection''s status can only be paused or resumed here'
      using errcode = '42501';
  end if;
  return new;
end
$$;
create trigger connections_guard_status before update of status on public.connections
  for each row execute function public.guard_connection_status();

-- ── profiles.email follows the sign-in email ───────────────────────────────────────────────────
create or replace function public.handle_user_email_changed() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
begin
  update public.profiles set email = lower(coalesce(new.email, '')) where id = new.id;
  return new;
end
$$;
create trigger on_auth_user_email_changed after update of email on auth.users
  for each row when (old.email is distinct from new.email) execute function public.handle_user_email_changed();

-- ── Functions ──────────────────────────────────────────────────────────────────────────────────
-- Trigger functions fire whatever EXECUTE says; nobody needs to call them directly.
revoke all on function
  public.record_activity(uuid, text, text, text, jsonb),
  public.handle_new_user(),
  public.handle_new_workspace(),
  public.log_workspace_renamed(),
  public.protect_last_owner(),
  public.log_member_change(),
  public.log_invitation_created(),
  public.handle_user_email_changed(),
  public.guard_connection_status()
  from public, anon, authenticated;
-- The membership helpers the policies call: authenticated (policies run as the caller) only.
revoke all on function public.workspace_role(uuid), public.is_workspace_member(uuid),
  public.has_workspace_role(uuid, text[]), public.shares_workspace_with(uuid) from public, anon;
grant execute on function public.workspace_role(uuid), public.is_workspace_member(uuid),
  public.has_workspace_role(uuid, text[]), public.shares_workspace_with(uuid) to authenticated, service_role;
revoke all on function public.set_updated_at() from anon;
