// Stores deliveries before they are acknowledged, with group commit: requests that arrive while a
// transaction is writing wait for the next one, which writes all of them with one routing query
// and one INSERT … ON CONFLICT. Each request still answers only after its own rows committed; a
// single-connection engine (PGlite) then stores thousands of deliveries a second instead of the
// few hundred that one transaction each would allow.
import { sql } from 'drizzle-orm';
import { rowsOf, type Db, type Tx } from '../db/engine';
import { asService } from '../db/rls';
import type { Environment } from '../providers/environment';
import { QUIET_MS } from './debounce';
import type { WebhookChange } from './types';

export type ChangeKind = WebhookChange['kind'];

export type Route =
  /** The connection is known from the endpoint or the channel (generic endpoint, Google). */
  | { connectionId: string }
  /** The provider account the delivery names (HubSpot portal, Square merchant). */
  | { accountId: string }
  | null;

export interface IncomingEvent {
  provider: string;
  scheme: string;
  /** The provider's event id, or a hash of the body where it sends none: the deduplication key. */
  eventKey: string;
  eventId: string | null;
  eventType: string | null;
  verification: 'verified' | 'failed';
  verificationReason: string | null;
  /** Whose secret verified it (app-level schemes); null when the route fixes the connection. */
  environment: Environment | null;
  route: Route;
  accountId: string | null;
  resource: string | null;
  change: ChangeKind | null;
  headers: Record<string, string>;
  payload: unknown;
  url: string;
  method: string;
  receivedAt: Date;
  occurredAt: string | null;
  /** Store it as ignored, with this as the outcome (a notification on a stopped channel). */
  ignore?: string;
}

export interface StoredEvent {
  id: string;
  connectionId: string | null;
  status: string;
  duplicate: boolean;
}

interface RoutedConnection {
  id: string;
  workspace_id: string;
  provider: string;
  account_id: string | null;
  status: string;
  environment: Environment;
}

interface Row {
  key: string;
  event: IncomingEvent;
  connection: RoutedConnection | null;
  status: 'received' | 'ignored' | 'unrouted' | 'rejected';
  outcome: string | null;
}

/** Largest number of deliveries written by one transaction. */
const MAX_BATCH = 500;

type Waiting = { events: IncomingEvent[]; resolve: (stored: StoredEvent[][]) => void; reject: (error: unknown) => void };

class IngestQueue {
  private waiting: Waiting[] = [];
  private writing = false;

  constructor(private readonly db: Db) {}

  store(events: IncomingEvent[]): Promise<StoredEvent[][]> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ events, resolve, reject });
      if (!this.writing) {
        this.writing = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  /**
   * PGlite answers within the microtasks that follow a request's callback, before the next
   * request's callback runs, so writing at once would always write one request. Each write
   * starts from setImmediate instead: after the I/O phase, with everything it delivered.
   */
  private async drain(): Promise<void> {
    try {
      while (this.waiting.length > 0) {
        const batch: Waiting[] = [];
        let size = 0;
        while (this.waiting.length > 0 && (batch.length === 0 || size + this.waiting[0].events.length <= MAX_BATCH)) {
          const next = this.waiting.shift()!;
          batch.push(next);
          size += next.events.length;
        }
        try {
          const stored = await writeEvents(this.db, batch.flatMap((w) => w.events));
          let offset = 0;
          for (const waiting of batch) {
            waiting.resolve(stored.slice(offset, offset + waiting.events.length));
            offset += waiting.events.length;
          }
        } catch (error) {
          // One request's rows must not fail everyone else's: alone, each succeeds or fails on its own.
          if (batch.length === 1) batch[0].reject(error);
          else for (const waiting of batch) await writeEvents(this.db, waiting.events).then(waiting.resolve, waiting.reject);
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      this.writing = false;
    }
  }
}

const queues = new WeakMap<Db, IngestQueue>();

/** Stores the events (in one transaction with whatever else is waiting); per event, the rows written. */
export function storeEvents(db: Db, events: IncomingEvent[]): Promise<StoredEvent[][]> {
  let queue = queues.get(db);
  if (!queue) {
    queue = new IngestQueue(db);
    queues.set(db, queue);
  }
  return queue.store(events);
}

export async function writeEvents(db: Db, events: IncomingEvent[]): Promise<StoredEvent[][]> {
  if (events.length === 0) return [];
  lastWrite.set(db, Date.now());
  return asService(db, async (tx) => {
    const connections = await routeConnections(db, tx, events);
    const perEvent = events.map((event) => rowsFor(event, connections));
    const written = await insertRows(tx, perEvent.flat());
    // A repeat within the batch answers as a duplicate of its first occurrence.
    const answered = new Set<string>();
    return perEvent.map((rows) =>
      rows.map((row) => {
        const id = `${row.event.provider}\u0000${row.key}`;
        const stored = written.get(id)!;
        if (answered.has(id)) return { ...stored, duplicate: true };
        answered.add(id);
        return stored;
      }),
    );
  });
}

const lastWrite = new WeakMap<Db, number>();

/** When deliveries were last stored (the in-process worker gives way to a busy endpoint). */
export function lastIngestAt(db: Db): number {
  return lastWrite.get(db) ?? 0;
}

/**
 * Which connections an account's deliveries go to, remembered for a second: a burst for one
 * account looks it up once, not once per batch. Only found connections are remembered, so a
 * newly connected account is routed at once. Connect and disconnect clear it here; another app
 * process sees such a change within the second (processing re-reads the connection, and a new
 * connection's initial sync covers that second).
 */
const ROUTE_CACHE_MS = 1_000;
const routeCache = new WeakMap<Db, Map<string, { at: number; connections: RoutedConnection[] }>>();

/** Connecting or disconnecting changes where deliveries go: this process stops remembering at once. */
export function forgetRoutes(db: Db): void {
  routeCache.delete(db);
}

async function routeConnections(db: Db, tx: Tx, events: IncomingEvent[]): Promise<RoutedConnection[]> {
  let cache = routeCache.get(db);
  if (!cache) routeCache.set(db, (cache = new Map()));
  const now = Date.now();
  const found: RoutedConnection[] = [];
  const ids = new Set<string>();
  const claims = new Map<string, { provider: string; account_id: string }>();
  for (const event of events) {
    if (!event.route) continue;
    if ('connectionId' in event.route) {
      ids.add(event.route.connectionId);
      continue;
    }
    const key = `${event.provider}\u0000${event.route.accountId}`;
    const cached = cache.get(key);
    if (cached && now - cached.at < ROUTE_CACHE_MS) found.push(...cached.connections);
    else claims.set(key, { provider: event.provider, account_id: event.route.accountId });
  }
  if (ids.size === 0 && claims.size === 0) return dedupe(found);
  const rows = rowsOf<RoutedConnection>(
    await tx.execute(sql`
      select c.id, c.workspace_id, c.provider, c.account_id, c.status,
             case when c.settings ->> 'environment' = 'live' then 'live' else 'sandbox' end as environment
      from public.connections c
      where c.id in (select value::uuid from jsonb_array_elements_text(${JSON.stringify([...ids])}::jsonb))
         or (c.provider, c.account_id) in (select k.provider, k.account_id
                                           from jsonb_to_recordset(${JSON.stringify([...claims.values()])}::jsonb) as k(provider text, account_id text))
      order by c.created_at`),
  );
  for (const [key, claim] of claims) {
    const matched = rows.filter((c) => c.provider === claim.provider && c.account_id === claim.account_id);
    if (matched.length > 0) cache.set(key, { at: now, connections: matched });
  }
  return dedupe([...found, ...rows]);
}

function dedupe(connections: RoutedConnection[]): RoutedConnection[] {
  return [...new Map(connections.map((c) => [c.id, c])).values()];
}

function rowsFor(event: IncomingEvent, connections: RoutedConnection[]): Row[] {
  const route = event.route;
  let matches: RoutedConnection[] = [];
  if (route && 'connectionId' in route) matches = connections.filter((c) => c.id === route.connectionId);
  else if (route) {
    matches = connections.filter((c) => c.provider === event.provider && c.account_id === route.accountId);
    // A delivery vouched for by the sandbox's public secret never reaches a live connection.
    if (event.verification === 'verified' && event.environment) matches = matches.filter((c) => c.environment === event.environment);
  }
  if (event.verification === 'failed') {
    // Shown to the workspaces it claims to be for: one row each per rejection bucket (the event
    // key names the scheme and the hour, see ingest.ts), however many forgeries arrive in it.
    if (matches.length === 0) return [{ key: `rejected:-:${event.eventKey}`, event, connection: null, status: 'rejected', outcome: null }];
    return matches.map((connection) => ({ key: `rejected:${connection.id}:${event.eventKey}`, event, connection, status: 'rejected', outcome: null }));
  }
  if (matches.length === 0) {
    const account = event.accountId ? ` for account ${event.accountId}` : '';
    return [{ key: `-:${event.eventKey}`, event, connection: null, status: 'unrouted', outcome: `No connection${account}.` }];
  }
  // The same account may be connected in several workspaces: each gets its own copy.
  return matches.map((connection) => {
    const key = `${connection.id}:${event.eventKey}`;
    if (connection.status === 'disconnected') return { key, event, connection, status: 'unrouted', outcome: 'The connection is disconnected.' };
    if (event.ignore) return { key, event, connection, status: 'ignored', outcome: event.ignore };
    if (event.change === 'none') return { key, event, connection, status: 'ignored', outcome: 'Nothing to do for this event.' };
    return { key, event, connection, status: 'received', outcome: null };
  });
}

async function insertRows(tx: Tx, rows: Row[]): Promise<Map<string, StoredEvent>> {
  // One statement may not touch a row twice: repeats within the batch are counted on the first.
  const unique = new Map<string, { row: Row; repeats: number; latest: IncomingEvent }>();
  for (const row of rows) {
    const id = `${row.event.provider}\u0000${row.key}`;
    const seen = unique.get(id);
    if (!seen) unique.set(id, { row, repeats: 0, latest: row.event });
    else {
      seen.repeats += 1;
      if (row.event.receivedAt >= seen.latest.receivedAt) seen.latest = row.event;
    }
  }
  const values = [...unique.values()].map(({ row, repeats, latest }) => {
    // A rejection row stands for every rejected delivery of its hour and shows the latest one.
    const e = row.status === 'rejected' ? { ...latest, receivedAt: row.event.receivedAt } : row.event;
    const settled = row.status !== 'received';
    // A sync waits for the deliveries to pause anyway: no worker needs to look before then.
    const due = row.status === 'received' && e.change === 'sync' ? new Date(e.receivedAt.getTime() + QUIET_MS).toISOString() : null;
    return {
      workspace_id: row.connection?.workspace_id ?? null,
      connection_id: row.connection?.id ?? null,
      provider: e.provider,
      event_id: e.eventId,
      dedupe_key: row.key,
      event_type: e.eventType,
      verification: e.verification,
      verification_reason: e.verificationReason,
      status: row.status,
      duplicate_count: repeats,
      headers: e.headers,
      payload: e.verification === 'verified' ? e.payload : null,
      received_at: e.receivedAt.toISOString(),
      processed_at: settled ? e.receivedAt.toISOString() : null,
      scheme: e.scheme,
      method: e.method,
      url: e.url,
      environment: e.environment ?? row.connection?.environment ?? null,
      account_id: e.accountId,
      resource: e.resource,
      change: e.change,
      outcome: row.outcome,
      occurred_at: e.occurredAt,
      next_attempt_at: due,
      last_received_at: latest.receivedAt.toISOString(),
    };
  });
  const written = rowsOf<{ id: string; provider: string; dedupe_key: string; connection_id: string | null; status: string; inserted: boolean }>(
    await tx.execute(sql`
      insert into public.webhook_events
        (workspace_id, connection_id, provider, event_id, dedupe_key, event_type, verification, verification_reason,
         status, duplicate_count, headers, payload, received_at, processed_at, scheme, method, url, environment,
         account_id, resource, change, outcome, occurred_at, next_attempt_at, last_received_at)
      select r.workspace_id, r.connection_id, r.provider, r.event_id, r.dedupe_key, r.event_type, r.verification,
             r.verification_reason, r.status, r.duplicate_count, r.headers, r.payload, r.received_at, r.processed_at,
             r.scheme, r.method, r.url, r.environment, r.account_id, r.resource, r.change, r.outcome, r.occurred_at,
             r.next_attempt_at, r.last_received_at
      from jsonb_to_recordset(${JSON.stringify(values)}::jsonb) as r(
        workspace_id uuid, connection_id uuid, provider text, event_id text, dedupe_key text, event_type text,
        verification text, verification_reason text, status text, duplicate_count integer, headers jsonb, payload jsonb,
        received_at timestamptz, processed_at timestamptz, scheme text, method text, url text, environment text,
        account_id text, resource text, change text, outcome text, occurred_at timestamptz, next_attempt_at timestamptz,
        last_received_at timestamptz)
      on conflict (provider, dedupe_key) do update
        set duplicate_count = public.webhook_events.duplicate_count + 1 + excluded.duplicate_count,
            last_received_at = greatest(public.webhook_events.last_received_at, public.webhook_events.received_at, excluded.last_received_at),
            -- A rejection row shows the latest rejected request (a verified row keeps the request it stored).
            verification_reason = case when public.webhook_events.status = 'rejected' then excluded.verification_reason
                                       else public.webhook_events.verification_reason end,
            headers = case when public.webhook_events.status = 'rejected' then excluded.headers else public.webhook_events.headers end,
            method = case when public.webhook_events.status = 'rejected' then excluded.method else public.webhook_events.method end,
            url = case when public.webhook_events.status = 'rejected' then excluded.url else public.webhook_events.url end,
            account_id = case when public.webhook_events.status = 'rejected' then excluded.account_id else public.webhook_events.account_id end
      returning id, provider, dedupe_key, connection_id, status, (xmax = 0) as inserted`),
  );
  const result = new Map<string, StoredEvent>();
  for (const w of written) {
    result.set(`${w.provider}\u0000${w.dedupe_key}`, { id: w.id, connectionId: w.connection_id, status: w.status, duplicate: !w.inserted });
  }
  return result;
}
