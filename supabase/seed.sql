-- Demo data: an admin account and a workspace, so a newcomer signs in and lands somewhere real.
-- Idempotent. Applied on every embedded start, by `npm run db:seed`, and by `supabase db reset`.
-- The credentials are printed in README.md; never seed them into a production database.

insert into auth.users (email, encrypted_password, raw_user_meta_data)
values ('admin@demo.local', crypt('integration-hub-demo', gen_salt('bf', 10)),
        jsonb_build_object('display_name', 'Demo Admin'))
on conflict (email) do nothing;

insert into public.workspaces (name, created_by)
select 'Demo Workspace', u.id from auth.users u
where u.email = 'admin@demo.local'
  and not exists (
    select 1 from public.workspaces w
    join public.workspace_members m on m.workspace_id = w.id and m.user_id = u.id
    where w.name = 'Demo Workspace'
  );
