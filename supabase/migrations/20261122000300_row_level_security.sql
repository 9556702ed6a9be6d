-- Row Level Security for every table in public. Reading needs membership of the row's workspace;
-- writing integration settings needs owner/admin; credentials, OAuth state and the activity log
-- are written only by the service path. Grants mirror Supabase's defaults, minus what no API role needs.

grant usage on schema public to anon, authenticated, service_role;
grant select, insert, update, delete on all tables in schema public to authenticated, service_role;
revoke all on all tables in schema public from anon;
revoke all on public.connection_credentials, public.oauth_states from anon, authenticated;
grant execute on function public.set_updated_at() to authenticated, service_role;

alter table public.profiles enable row level security;
alter table public.workspaces enable row level security;
alter table public.workspace_members enable row level security;
alter table public.workspace_invitations enable row level security;
alter table public.activity enable row level security;
alter table public.connections enable row level security;
alter table public.connection_credentials enable row level security;
alter table public.oauth_states enable row level security;
alter table public.sync_runs enable row level security;
alter table public.sync_cursors enable row level security;
alter table public.synced_records enable row level security;
alter table public.mapping_templates enable row level security;
alter table public.field_mappings enable row level security;
alter table public.webhook_events enable row level security;

-- profiles: yourself, and people you share a workspace with.
create policy profiles_select on public.profiles for select to authenticated
  using (id = auth.uid() or public.shares_workspace_with(id));
create policy profiles_update on public.profiles for update to authenticated
  using (id = auth.uid()) with check (id = auth.uid());

-- workspaces: anyone signed in may create one for themselves (the trigger makes them owner).
create policy workspaces_select on public.workspaces for select to authenticated
  using (public.is_workspace_member(id));
create policy workspaces_insert on public.workspaces for insert to authenticated
  with check (created_by = auth.uid());
create policy workspaces_update on public.workspaces for update to authenticated
  using (public.has_workspace_role(id, array['owner', 'admin']))
  with check (public.has_workspace_role(id, array['owner', 'admin']));
create policy workspaces_delete on public.workspaces for delete to authenticated
  using (public.has_workspace_role(id, array['owner']));

-- members: admins manage members and roles, but only owners create, change or remove owners.
create policy workspace_members_select on public.workspace_members for select to authenticated
  using (public.is_workspace_member(workspace_id));
create policy workspace_members_insert on public.workspace_members for insert to authenticated
  with check (
    public.has_workspace_role(workspace_id, array['owner'])
    or (public.has_workspace_role(workspace_id, array['admin']) and role <> 'owner')
  );
create policy workspace_members_update on public.workspace_members for update to authenticated
  using (
    public.has_workspace_role(workspace_id, array['owner'])
    or (public.has_workspace_role(workspace_id, array['admin']) and role <> 'owner')
  )
  with check (
    public.has_workspace_role(workspace_id, array['owner'])
    or (public.has_workspace_role(workspace_id, array['admin']) and role <> 'owner')
  );
create policy workspace_members_delete on public.workspace_members for delete to authenticated
  using (
    user_id = auth.uid()
    or public.has_workspace_role(workspace_id, array['owner'])
    or (public.has_workspace_role(workspace_id, array['admin']) and role <> 'owner')
  );

create policy workspace_invitations_select on public.workspace_invitations for select to authenticated
  using (public.is_workspace_member(workspace_id));
create policy workspace_invitations_write on public.workspace_invitations for all to authenticated
  using (
    public.has_workspace_role(workspace_id, array['owner'])
    or (public.has_workspace_role(workspace_id, array['admin']) and role <> 'owner')
  )
  with check (
    public.has_workspace_role(workspace_id, array['owner'])
    or (public.has_workspace_role(workspace_id, array['admin']) and role <> 'owner')
  );

-- activity: an audit log members read and nobody edits.
create policy activity_select on public.activity for select to authenticated
  using (public.is_workspace_member(workspace_id));

-- Integration settings: members read, owners and admins write.
create policy connections_select on public.connections for select to authenticated
  using (public.is_workspace_member(workspace_id));
create policy connections_write on public.connections for all to authenticated
  using (public.has_workspace_role(workspace_id, array['owner', 'admin']))
  with check (public.has_workspace_role(workspace_id, array['owner', 'admin']));

create policy field_mappings_select on public.field_mappings for select to authenticated
  using (public.is_workspace_member(workspace_id));
create policy field_mappings_write on public.field_mappings for all to authenticated
  using (public.has_workspace_role(workspace_id, array['owner', 'admin']))
  with check (public.has_workspace_role(workspace_id, array['owner', 'admin']));

create policy mapping_templates_select on public.mapping_templates for select to authenticated
  using (public.is_workspace_member(workspace_id));
create policy mapping_templates_write on public.mapping_templates for all to authenticated
  using (public.has_workspace_role(workspace_id, array['owner', 'admin']))
  with check (public.has_workspace_role(workspace_id, array['owner', 'admin']));

-- Admins start and cancel syncs; the sync engine (service path) does the rest.
create policy sync_runs_select on public.sync_runs for select to authenticated
  using (public.is_workspace_member(workspace_id));
create policy sync_runs_insert on public.sync_runs for insert to authenticated
  with check (public.has_workspace_role(workspace_id, array['owner', 'admin']));
create policy sync_runs_update on public.sync_runs for update to authenticated
  using (public.has_workspace_role(workspace_id, array['owner', 'admin']))
  with check (public.has_workspace_role(workspace_id, array['owner', 'admin']));

-- Data written only by syncs and webhooks: members read it.
create policy sync_cursors_select on public.sync_cursors for select to authenticated
  using (public.is_workspace_member(workspace_id));
create policy synced_records_select on public.synced_records for select to authenticated
  using (public.is_workspace_member(workspace_id));
create policy webhook_events_select on public.webhook_events for select to authenticated
  using (workspace_id is not null and public.is_workspace_member(workspace_id));

-- connection_credentials and oauth_states: RLS on, no policy, no grant. Service path only.

alter default privileges in schema public revoke all on tables from anon;
