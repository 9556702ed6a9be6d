-- Demo data: an admin account and a workspace, so a newcomer signs in and lands somewhere real.
-- Idempotent. Applied on every embedded start, by `npm run db:seed`, and by `supabase db reset`.
-- The credentials are printed in README.md; never seed them into a production database.

-- The demo address is no real mailbox, so it starts out verified (invitations and member adds
-- need a verified address; see 20261206000100_email_verification.sql).
insert into auth.users (email, encrypted_password, raw_user_meta_data, email_confirmed_at)
values ('admin@demo.local', crypt('integration-hub-demo', gen_salt('bf', 10)),
        jsonb_build_object('display_name', 'Demo Admin'), now())
on conflict (email) do nothing;
update auth.users set email_confirmed_at = now()
where email = 'admin@demo.local' and email_confirmed_at is null;

insert into public.workspaces (name, created_by)
select 'Demo Workspace', u.id from auth.users u
where u.email = 'admin@demo.local'
  and not exists (
    select 1 from public.workspaces w
    join public.workspace_members m on m.workspace_id = w.id and m.user_id = u.id
    where w.name = 'Demo Workspace'
  );
