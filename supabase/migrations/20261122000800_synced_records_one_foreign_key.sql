-- synced_records is written a thousand rows at a time, and each row paid three foreign-key
-- checks (workspace, connection, last run), about a third of the insert. One composite key to
-- the connection keeps the cascades and also guarantees a record's workspace is its
-- connection's, which the two separate keys never did. last_seen_run_id becomes a plain
-- reference: a record outlives the history of the runs that saw it.
alter table public.connections add constraint connections_workspace_id_id_key unique (workspace_id, id);

alter table public.synced_records
  drop constraint synced_records_workspace_id_fkey,
  drop constraint synced_records_connection_id_fkey,
  drop constraint synced_records_last_seen_run_id_fkey,
  add constraint synced_records_connection_fkey foreign key (workspace_id, connection_id)
    references public.connections (workspace_id, id) on delete cascade;
