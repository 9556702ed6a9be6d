-- A delivery may ask for its push channel to be renewed: a provider that ends or questions a
-- subscription says so in a lifecycle notification (Microsoft Graph's reauthorizationRequired and
-- subscriptionRemoved), and processing replaces the channel it names (lib/webhooks/channels.ts).
alter table public.webhook_events drop constraint if exists webhook_events_change_check;
alter table public.webhook_events
  add constraint webhook_events_change_check check (change in ('upsert', 'delete', 'sync', 'none', 'renew'));
