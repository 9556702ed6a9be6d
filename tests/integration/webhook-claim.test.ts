// The worker's claim under a burst: thousands of sync requests waiting for their connection's
// deliveries to pause must neither hold up another connection's deliveries nor be walked one by
// one on every claim (lib/webhooks/process.ts, claim()). Rows are written directly: what matters
// here is which of them a claim takes, not how they arrived.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '@/lib/db/engine';
import { asService } from '@/lib/db/rls';
import { MAX_DEBOUNCE_MS } from '@/lib/webhooks/debounce';
import { processWebhookEvents } from '@/lib/webhooks/process';
import { createWorkspace } from '@/lib/workspaces/workspaces';
import { createTestDatabase, createUser, testEngine, type TestDatabase } from '../support/database';
import { exampleProvider } from '../support/providers';

/** More than one claim's window of the oldest events per connection. */
const WAITING = 1_500;

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

const run = async (query: ReturnType<typeof sql>) => rowsOf<Record<string, unknown>>(await asService(database.db, (tx) => tx.execute(query)));

async function connection(workspaceId: string, provider: string, accountId: string): Promise<string> {
  const [row] = await run(sql`
    insert into public.connections (workspace_id, provider, account_id, status, display_name, resources, auth_kind)
    values (${workspaceId}::uuid, ${provider}, ${accountId}, 'active', ${accountId}, '[]'::jsonb, 'oauth2') returning id`);
  return row.id as string;
}

/** `count` verified events of one connection, the newest received `newestAgoMs` ago, 1 ms apart. */
async function events(workspaceId: string, connectionId: string, provider: string, options: { count: number; change: string; newestAgoMs: number; tag: string }) {
  await run(sql`
    insert into public.webhook_events (workspace_id, connection_id, provider, event_id, dedupe_key, event_type, verification, status,
                                       headers, payload, received_at, scheme, method, url, change, resource)
    select ${workspaceId}::uuid, ${connectionId}::uuid, ${provider}, ${options.tag}::text || g, ${options.tag}::text || g, 'bench.event', 'verified', 'received',
           '{}'::jsonb, '{}'::jsonb, now() - make_interval(secs => (${options.newestAgoMs}::int + ${options.count}::int - g) / 1000.0),
           'test', 'POST', 'https://hub.test/', ${options.change}, null
    from generate_series(1, ${options.count}::int) g`);
}

const stillReceived = async (connectionId: string) =>
  Number((await run(sql`select count(*)::int as n from public.webhook_events where connection_id = ${connectionId}::uuid and status = 'received'`))[0].n);

describe(`webhook claims under a burst (${testEngine})`, () => {
  it('takes other connections’ deliveries past a busy connection’s waiting sync requests, and those once they waited long enough', async () => {
    const user = await createUser(database, 'claims');
    const { id: workspaceId } = await createWorkspace(database.db, user, 'Claims');
    const provider = exampleProvider({ webhooks: 'app-signed' }).id;
    const busy = await connection(workspaceId, provider, 'busy-account');
    const other = await connection(workspaceId, provider, 'other-account');
    // The busy connection: a burst of sync requests still arriving (the newest just now), all due.
    await events(workspaceId, busy, provider, { count: WAITING, change: 'sync', newestAgoMs: 0, tag: 'busy-' });
    // Another connection's deliveries arrived after all of them.
    await events(workspaceId, other, provider, { count: 3, change: 'upsert', newestAgoMs: 0, tag: 'other-' });

    const first = await processWebhookEvents(database.db, { limit: 25 });
    expect(first.claimed).toBe(3);
    expect(await stillReceived(other)).toBe(0);
    // The debounce holds: nothing of the busy connection was claimed while its deliveries keep coming.
    expect(await stillReceived(busy)).toBe(WAITING);

    // However busy the stream, a sync request waits no longer than MAX_DEBOUNCE_MS.
    await run(sql`update public.webhook_events set received_at = received_at - make_interval(secs => ${MAX_DEBOUNCE_MS / 1000 + 1})
                  where connection_id = ${busy}::uuid and event_id in ('busy-1', 'busy-2')`);
    await events(workspaceId, busy, provider, { count: 1, change: 'sync', newestAgoMs: 0, tag: 'busy-latest-' });
    const second = await processWebhookEvents(database.db, { limit: 25 });
    expect(second.claimed).toBe(2);
    expect(await stillReceived(busy)).toBe(WAITING - 1);
  });

  it('still settles events whose connection was deleted since', async () => {
    const user = await createUser(database, 'claims');
    const { id: workspaceId } = await createWorkspace(database.db, user, 'Claims');
    const provider = exampleProvider({ webhooks: 'app-signed' }).id;
    const gone = await connection(workspaceId, provider, 'gone-account');
    await events(workspaceId, gone, provider, { count: 2, change: 'upsert', newestAgoMs: 0, tag: 'gone-' });
    await run(sql`delete from public.connections where id = ${gone}::uuid`);
    const orphans = sql`select status from public.webhook_events where event_id like 'gone-%' order by event_id`;
    expect(await run(orphans)).toEqual([{ status: 'received' }, { status: 'received' }]);
    await processWebhookEvents(database.db);
    expect(await run(orphans)).toEqual([{ status: 'unrouted' }, { status: 'unrouted' }]);
  });
});
