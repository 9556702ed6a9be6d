-- Tenancy: workspaces, their members and roles, pending invitations, user profiles,
-- the activity log, and the helper functions every policy in the schema uses.

create or replace function public.set_updated_at() returns trigger
language plpgsql as $$
begin
  new.updated_at := now();
  return new;
end
$$;

create table public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  email text not null,
  display_name text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index profiles_email_key on public.profiles (lower(email));

create table public.workspaces (
  id uuid primary key default gen_random_uuid(),
  name text not null check (length(btrim(name)) between 1 and 80),
  created_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table public.workspace_members (
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  role text not null check (role in ('owner', 'admin', 'member', 'viewer')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (workspace_id, user_id)
);
create index workspace_members_user_idx on public.workspace_members (user_id);

create table public.workspace_invitations (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  email text not null check (email = lower(email) and position('@' in email) > 1),
  role text not null check (role in ('owner', 'admin', 'member', 'viewer')),
  invited_by uuid references auth.users (id) on delete set null,
  accepted_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index workspace_invitations_pending_key
  on public.workspace_invitations (workspace_id, email) where accepted_at is null;
create index workspace_invitations_email_idx on public.workspace_invitations (email) where accepted_at is null;

create table public.activity (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  actor_id uuid references auth.users (id) on delete set null,
  actor_email text,
  action text not null,
  target_type text,
  target_id text,
  details jsonb not null default '{}'::jsonb,
  -- clock_timestamp, not now(): entries written by one transaction keep their order.
  created_at timestamptz not null default clock_timestamp()
);
create index activity_workspace_created_idx on public.activity (workspace_id, created_at desc, id desc);
create index activity_workspace_action_idx on public.activity (workspace_id, action, created_at desc);
create index activity_workspace_actor_idx on public.activity (workspace_id, actor_id, created_at desc);

create trigger profiles_updated_at before update on public.profiles
  for each row execute function public.set_updated_at();
create trigger workspaces_updated_at before update on public.workspaces
  for each row execute function public.set_updated_at();
create trigger workspace_members_updated_at before update on public.workspace_members
  for each row execute function public.set_updated_at();
create trigger workspace_invitations_updated_at before update on public.workspace_invitations
  for each row execute function public.set_updated_at();

-- Membership checks are SECURITY DEFINER so that policies on workspace_members itself do not recurse.
create or replace function public.workspace_role(ws uuid) returns text
language sql stable security definer set search_path = public, pg_temp as $$
  select role from public.workspace_members where workspace_id = ws and user_id = auth.uid()
$$;

create or replace function public.is_workspace_member(ws uuid) returns boolean
language sql stable security definer set search_path = public, pg_temp as $$
  select exists (select 1 from public.workspace_members where workspace_id = ws and user_id = auth.uid())
$$;

create or replace function public.has_workspace_role(ws uuid, roles text[]) returns boolean
language sql stable security definer set search_path = public, pg_temp as $$
  select coalesce(public.workspace_role(ws) = any (roles), false)
$$;

create or replace function public.shares_workspace_with(other uuid) returns boolean
language sql stable security definer set search_path = public, pg_temp as $$
  select exists (
    select 1 from public.workspace_members mine
    join public.workspace_members theirs on theirs.workspace_id = mine.workspace_id
    where mine.user_id = auth.uid() and theirs.user_id = other
  )
$$;

revoke all on function public.workspace_role(uuid), public.is_workspace_member(uuid),
  public.has_workspace_role(uuid, text[]), public.shares_workspace_with(uuid) from public;
grant execute on function public.workspace_role(uuid), public.is_workspace_member(uuid),
  public.has_workspace_role(uuid, text[]), public.shares_workspace_with(uuid)
  to authenticated, service_role;

-- Activity rows are written by triggers and by the service path only; nobody edits the log.
create or replace function public.record_activity(
  ws uuid, action text, target_type text, target_id text, details jsonb
) returns void
language sql security definer set search_path = public, pg_temp as $$
  insert into public.activity (workspace_id, actor_id, actor_email, action, target_type, target_id, details)
  values (ws, auth.uid(), auth.jwt() ->> 'email', action, target_type, target_id, coalesce(details, '{}'::jsonb))
$$;
revoke all on function public.record_activity(uuid, text, text, text, jsonb) from public;

-- A profile for every account, whichever auth system created it (Supabase Auth or local accounts).
create or replace function public.handle_new_user() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
begin
  insert into public.profiles (id, email, display_name)
  values (new.id, lower(coalesce(new.email, '')), nullif(new.raw_user_meta_data ->> 'display_name', ''))
  on conflict (id) do nothing;
  -- Invitations waiting for this email become memberships as soon as the account exists.
  insert into public.workspace_members (workspace_id, user_id, role)
  select i.workspace_id, new.id, i.role from public.workspace_invitations i
  where i.email = lower(new.email) and i.accepted_at is null
  on conflict do nothing;
  update public.workspace_invitations set accepted_at = now()
  where email = lower(new.email) and accepted_at is null;
  return new;
end
$$;
create trigger on_auth_user_created after insert on auth.users
  for each row execute function public.handle_new_user();

-- The creator of a workspace becomes its first owner.
create or replace function public.handle_new_workspace() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
begin
  perform public.record_activity(new.id, 'workspace.created', 'workspace', new.id::text,
    jsonb_build_object('name', new.name));
  if new.created_by is not null then
    insert into public.workspace_members (workspace_id, user_id, role) values (new.id, new.created_by, 'owner')
    on conflict do nothing;
  end if;
  return new;
end
$$;
create trigger on_workspace_created after insert on public.workspaces
  for each row execute function public.handle_new_workspace();

create or replace function public.log_workspace_renamed() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
begin
  if new.name is distinct from old.name then
    perform public.record_activity(new.id, 'workspace.renamed', 'workspace', new.id::text,
      jsonb_build_object('from', old.name, 'to', new.name));
  end if;
  return new;
end
$$;
create trigger on_workspace_renamed after update on public.workspaces
  for each row execute function public.log_workspace_renamed();

-- A workspace never loses its last owner, whichever path (API, SQL console, cascade) tries.
create or replace function public.protect_last_owner() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
begin
  if old.role = 'owner' and (tg_op = 'DELETE' or new.role <> 'owner')
     and exists (select 1 from public.workspaces where id = old.workspace_id)
     and not exists (
       select 1 from public.workspace_members
       where workspace_id = old.workspace_id and role = 'owner' and user_id <> old.user_id
     ) then
    raise exception 'A workspace needs at least one owner: promote another member to owner first'
      using errcode = 'P0001', hint = 'last_owner';
  end if;
  return coalesce(new, old);
end
$$;
create trigger workspace_members_keep_owner before update or delete on public.workspace_members
  for each row execute function public.protect_last_owner();

create or replace function public.log_member_change() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
declare
  member_email text;
begin
  select email into member_email from public.profiles where id = coalesce(new.user_id, old.user_id);
  if tg_op = 'INSERT' then
    perform public.record_activity(new.workspace_id, 'member.added', 'user', new.user_id::text,
      jsonb_build_object('email', member_email, 'role', new.role));
  elsif tg_op = 'UPDATE' and new.role is distinct from old.role then
    perform public.record_activity(new.workspace_id, 'member.role_changed', 'user', new.user_id::text,
      jsonb_build_object('email', member_email, 'from', old.role, 'to', new.role));
  elsif tg_op = 'DELETE' and exists (select 1 from public.workspaces where id = old.workspace_id) then
    perform public.record_activity(old.workspace_id, 'member.removed', 'user', old.user_id::text,
      jsonb_build_object('email', member_email, 'role', old.role));
  end if;
  return coalesce(new, old);
end
$$;
create trigger workspace_members_activity after insert or update or delete on public.workspace_members
  for each row execute function public.log_member_change();

create or replace function public.log_invitation_created() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
begin
  perform public.record_activity(new.workspace_id, 'member.invited', 'invitation', new.id::text,
    jsonb_build_object('email', new.email, 'role', new.role));
  return new;
end
$$;
create trigger workspace_invitations_activity after insert on public.workspace_invitations
  for each row execute function public.log_invitation_created();

-- Failed sign-in attempts for local accounts, counted per email and per client address.
create table app_private.login_attempts (
  id uuid primary key default gen_random_uuid(),
  key text not null,
  attempted_at timestamptz not null default now()
);
create index login_attempts_key_idx on app_private.login_attempts (key, attempted_at desc);
