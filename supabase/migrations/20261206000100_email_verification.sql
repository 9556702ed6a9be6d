-- Email addresses are proven before they grant anything.
--
-- * auth.users.email_confirmed_at is the one rule for "this address is verified", in both modes:
--   Supabase Auth sets it when its confirmation link is followed; local accounts set it when the
--   app's own verification link is followed. Supabase already has the column; the bootstrap table
--   of plain PostgreSQL and PGlite gets it here.
-- * Accounts no longer inherit invitations when they are created: handle_new_user only makes the
--   profile. An invitation becomes a membership only when its invitee, signed in with a verified
--   address equal to the invitation's, accepts it through the link mailed to that address.
-- * Tokens (verification links, invitation links) are stored only as SHA-256 hashes, in
--   app_private, which no API role can reach. So is the embedded outbox (mail kept instead of
--   sent when no SMTP server is configured) and the counter that throttles mail.

do $$
begin
  if not exists (
    select 1 from pg_attribute
    where attrelid = 'auth.users'::regclass and attname = 'email_confirmed_at' and not attisdropped
  ) then
    alter table auth.users add column email_confirmed_at timestamptz;
  end if;
end
$$;

-- A profile for every account, and nothing else: no membership is granted on an address nobody
-- has proven they own (the previous version turned pending invitations into memberships here).
create or replace function public.handle_new_user() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
begin
  insert into public.profiles (id, email, display_name)
  values (new.id, lower(coalesce(new.email, '')), nullif(new.raw_user_meta_data ->> 'display_name', ''))
  on conflict (id) do nothing;
  return new;
end
$$;

-- Verification links for local accounts: single use, 24 hours, bound to the account and to the
-- address it had when the link was made.
create table app_private.email_verification_tokens (
  token_hash text primary key check (token_hash ~ '^[0-9a-f]{64}$'),
  user_id uuid not null references auth.users (id) on delete cascade,
  email text not null,
  expires_at timestamptz not null,
  used_at timestamptz,
  created_at timestamptz not null default now()
);
create index email_verification_tokens_user_idx on app_private.email_verification_tokens (user_id, created_at desc);

-- One live link per pending invitation (resending replaces it); accepting or revoking the
-- invitation removes it.
create table app_private.invitation_tokens (
  invitation_id uuid primary key references public.workspace_invitations (id) on delete cascade,
  token_hash text not null unique check (token_hash ~ '^[0-9a-f]{64}$'),
  expires_at timestamptz not null,
  created_at timestamptz not null default now()
);

-- Mail kept instead of sent (no SMTP_URL): the embedded Outbox page shows each signed-in person
-- the mail addressed to their own address.
create table app_private.mail_outbox (
  id uuid primary key default gen_random_uuid(),
  recipient text not null check (recipient = lower(recipient)),
  kind text not null,
  subject text not null,
  text_body text not null,
  html_body text,
  created_at timestamptz not null default clock_timestamp()
);
create index mail_outbox_recipient_idx on app_private.mail_outbox (recipient, created_at desc);

-- Mail sent per key (an address, an account, an invitation), to cap how often anyone can make the
-- app write to a given inbox.
create table app_private.mail_throttle (
  id uuid primary key default gen_random_uuid(),
  key text not null,
  sent_at timestamptz not null default now()
);
create index mail_throttle_key_idx on app_private.mail_throttle (key, sent_at desc);

revoke all on app_private.email_verification_tokens, app_private.invitation_tokens,
  app_private.mail_outbox, app_private.mail_throttle from public, anon, authenticated;
