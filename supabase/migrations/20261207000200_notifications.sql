-- Notifications (issue 14): one in-app message per member per health issue opening, and each
-- member's own preferences for which severities reach them and how mail is sent.
--
-- Decisions:
-- * Per recipient. A notification row belongs to one member of one workspace; nobody else reads
--   it, not even an owner. The only write a user makes is marking their own rows read
--   (column-level UPDATE of read_at). Rows are created on the service path (lib/notifications),
--   after the health rules opened an issue.
-- * Once per issue and member: unique (workspace_id, user_id, issue_id). A repeated call for the
--   same opening inserts nothing and so mails nothing. issue_id is not a foreign key: a
--   notification outlives the issue it announced (and may announce something that is no issue).
-- * Mail bookkeeping lives on the row: `email` says how this row is mailed (decided from the
--   preferences when it was created, so a later preference change does not re-mail old rows) and
--   emailed_at when it was. The daily digest collects a member's daily_digest rows not yet mailed.
-- * Both tables reference the membership (composite key), so leaving a workspace or being
--   removed deletes the person's notifications and preferences there.
-- * Preferences: no row means the defaults (warning and above, mail immediately). A member
--   inserts and updates only their own row; last_digest_at is the digest job's (service path).

create table public.notification_preferences (
  workspace_id uuid not null,
  user_id uuid not null,
  min_severity text not null default 'warning' check (min_severity in ('critical', 'warning', 'info')),
  email text not null default 'immediately' check (email in ('immediately', 'daily_digest', 'off')),
  -- When the last digest mail went out (null: never); the job sends at most one a day.
  last_digest_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (workspace_id, user_id),
  constraint notification_preferences_member_fkey foreign key (workspace_id, user_id)
    references public.workspace_members (workspace_id, user_id) on delete cascade
);
create trigger notification_preferences_updated_at before update on public.notification_preferences
  for each row execute function public.set_updated_at();

create table public.notifications (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null,
  user_id uuid not null,
  issue_id uuid,
  kind text not null check (char_length(kind) between 1 and 64),
  severity text not null check (severity in ('critical', 'warning', 'info')),
  title text not null check (char_length(title) between 1 and 300),
  body text not null default '' check (char_length(body) <= 4000),
  -- Where clicking it leads, an app path ("/workspaces/…/connections/…"); null when nowhere.
  href text check (href is null or (char_length(href) <= 2000 and href like '/%' and href not like '//%')),
  -- How this row is mailed: not at all, at once, or in the next daily digest.
  email text not null default 'none' check (email in ('none', 'immediately', 'daily_digest')),
  emailed_at timestamptz,
  created_at timestamptz not null default now(),
  read_at timestamptz,
  constraint notifications_member_fkey foreign key (workspace_id, user_id)
    references public.workspace_members (workspace_id, user_id) on delete cascade,
  constraint notifications_issue_user_key unique (workspace_id, user_id, issue_id)
);
-- The bell's listing (newest first, keyset on created_at, id) and its unread count.
create index notifications_recipient_idx on public.notifications (workspace_id, user_id, created_at desc, id desc);
create index notifications_unread_idx on public.notifications (workspace_id, user_id) where read_at is null;
-- The digest job's work list.
create index notifications_digest_idx on public.notifications (workspace_id, user_id, created_at)
  where email = 'daily_digest' and emailed_at is null;

alter table public.notification_preferences enable row level security;
alter table public.notifications enable row level security;

create policy notification_preferences_select on public.notification_preferences for select to authenticated
  using (user_id = auth.uid() and public.is_workspace_member(workspace_id));
create policy notification_preferences_insert on public.notification_preferences for insert to authenticated
  with check (user_id = auth.uid() and public.is_workspace_member(workspace_id));
create policy notification_preferences_update on public.notification_preferences for update to authenticated
  using (user_id = auth.uid() and public.is_workspace_member(workspace_id))
  with check (user_id = auth.uid() and public.is_workspace_member(workspace_id));
create policy notifications_select on public.notifications for select to authenticated
  using (user_id = auth.uid() and public.is_workspace_member(workspace_id));
create policy notifications_update on public.notifications for update to authenticated
  using (user_id = auth.uid() and public.is_workspace_member(workspace_id))
  with check (user_id = auth.uid() and public.is_workspace_member(workspace_id));

-- Grants (tests/integration/rls-fixtures.ts AUTHENTICATED_GRANTS holds the same):
--   notification_preferences  select, insert; update (min_severity, email)   (own row, by policy)
--   notifications             select; update (read_at)                       (own rows, by policy)
revoke all on public.notification_preferences, public.notifications from anon, authenticated;
grant select, insert on public.notification_preferences to authenticated;
grant update (min_severity, email) on public.notification_preferences to authenticated;
grant select on public.notifications to authenticated;
grant update (read_at) on public.notifications to authenticated;
grant select, insert, update, delete on public.notification_preferences, public.notifications to service_role;
