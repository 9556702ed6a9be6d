-- Server-side sessions for local accounts (embedded mode; lib/auth/sessions.ts).
--
-- The session cookie carries 32 random bytes; only their SHA-256 is stored here, so a database
-- leak reveals no usable cookie. A session is valid while its row says so: not revoked, not past
-- its absolute expiry (expires_at, 30 days after sign-in) and not idle for longer than the idle
-- limit (last_seen_at, refreshed at most once a minute). Signing out revokes the row, "sign out
-- everywhere" revokes every row of the account, signing in makes a new row (and revokes the one
-- the browser had), and privilege changes made by someone else (a role change, a removal from a
-- workspace) revoke the person's rows. user_agent and ip_address (the client address a trusted
-- proxy vouched for, or null) let the person recognise their sessions.
--
-- app_private: no API role can reach it. With Supabase Auth these rows are unused: Supabase keeps
-- its own sessions (auth.sessions) and refresh tokens.
create table app_private.sessions (
  id uuid primary key default gen_random_uuid(),
  token_hash text not null unique check (token_hash ~ '^[0-9a-f]{64}$'),
  user_id uuid not null references auth.users (id) on delete cascade,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null,
  revoked_at timestamptz,
  user_agent text check (char_length(user_agent) <= 200),
  ip_address text check (char_length(ip_address) <= 64)
);
create index sessions_user_idx on app_private.sessions (user_id, created_at desc);
