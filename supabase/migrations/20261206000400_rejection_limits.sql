-- Bounding what unauthenticated requests can make the database keep.
--
-- * Deliveries that fail verification are aggregated: the app stores at most one row per
--   provider, claimed connection (or none), verification scheme and hour, counting every further
--   rejection in duplicate_count (lib/webhooks/ingest.ts, store.ts). last_received_at says when
--   the latest delivery with a row's key arrived — the latest rejection of an hourly row, or the
--   latest retry of a verified delivery (a provider still retrying keeps its row, see below).
--   Null on rows stored before this migration: read it as received_at.
-- * A retention job (lib/retention) deletes, daily: rejected rows after
--   WEBHOOK_REJECTION_RETENTION_DAYS, settled deliveries after WEBHOOK_RETENTION_DAYS, deliveries
--   no workspace can see after a week, and failed sign-in attempts once they are older than the
--   sign-in throttle's window. The indexes below let those deletes find their rows without
--   scanning the tables.
alter table public.webhook_events add column last_received_at timestamptz;

create index webhook_events_retention_idx on public.webhook_events (status, received_at);

create index login_attempts_attempted_at_idx on app_private.login_attempts (attempted_at);
