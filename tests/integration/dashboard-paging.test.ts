// The dashboard's lists at volume (issue 15): keyset paging (every row exactly once across pages,
// also while newer rows arrive; back again with prevCursor), record search by name, email and id
// through search_synced_records (members only, their own workspace only), and totals that stop
// counting at COUNT_CAP. Rows are inserted directly on the service path; reads run as members.
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionUser } from '@/lib/auth/session-token';
import { listActivity } from '@/lib/activity/activity';
import { rowsOf } from '@/lib/db/engine';
import { COUNT_CAP } from '@/lib/db/keyset';
import { asService, asUser } from '@/lib/db/rls';
import { HttpError } from '@/lib/http/errors';
import { providers } from '@/lib/providers/registry';
import { listRecords, listRuns, SEARCH_COUNT_CAP } from '@/lib/sync/history';
import { getOverview } from '@/lib/overview/queries';
import { listWebhookEvents } from '@/lib/webhooks/history';
import { claimsOf } from '@/lib/workspaces/access';
import { createWorkspace } from '@/lib/workspaces/workspaces';
import { createTestDatabase, createUser, testEngine, type TestDatabase } from '../support/database';

let database: TestDatabase;
let member: SessionUser;
let outsider: SessionUser;
let workspaceId: string;
let otherWorkspaceId: string;
let connectionId: string;
let otherConnectionId: string;
const provider = providers[0].id;

async function service(statement: ReturnType<typeof sql>) {
  return asService(database.db, async (tx) => rowsOf<Record<string, unknown>>(await tx.execute(statement)));
}

async function addConnection(ws: string): Promise<string> {
  const id = crypto.randomUUID();
  await service(sql`insert into public.connections (id, workspace_id, provider, display_name, auth_kind, status)
    values (${id}::uuid, ${ws}::uuid, ${provider}, 'Paging test', 'oauth2', 'active')`);
  return id;
}

/** `count` records named after people, several sharing one last_seen_at (ties the id must break). */
async function addRecords(ws: string, connection: string, count: number, prefix: string) {
  await service(sql`
    insert into public.synced_records (workspace_id, connection_id, resource, external_id, raw, content_hash, last_seen_at)
    select ${ws}::uuid, ${connection}::uuid, case when g % 4 = 0 then 'deals' else 'contacts' end, ${prefix} || '-' || g,
           jsonb_build_object('id', ${prefix} || '-' || g, 'name', (array['Ada Lovelace', 'Grace Hopper', 'Alan Turing'])[1 + g % 3],
                              'email', 'person' || g || '@' || ${prefix} || '.example'),
           md5(g::text), timestamptz '2026-12-01T00:00:00Z' - (g / 3) * interval '1 minute'
    from generate_series(1, ${count}) g`);
}

/** Walks a list from the first page to the last with nextCursor; answers every page's ids. */
async function walk(fetchPage: (after: string | undefined) => Promise<{ ids: string[]; nextCursor: string | null }>, between?: () => Promise<void>) {
  const pages: string[][] = [];
  let after: string | undefined;
  for (;;) {
    const page = await fetchPage(after);
    pages.push(page.ids);
    if (!page.nextCursor) return pages;
    after = page.nextCursor;
    await between?.();
  }
}

function expectEachOnce(pages: string[][], expected: string[]) {
  const seen = pages.flat();
  expect(new Set(seen).size).toBe(seen.length);
  expect([...seen].sort()).toEqual([...expected].sort());
}

beforeAll(async () => {
  database = await createTestDatabase();
  member = await createUser(database, 'paging-member');
  outsider = await createUser(database, 'paging-outsider');
  workspaceId = (await createWorkspace(database.db, member, 'Paging')).id;
  otherWorkspaceId = (await createWorkspace(database.db, outsider, 'Elsewhere')).id;
  connectionId = await addConnection(workspaceId);
  otherConnectionId = await addConnection(otherWorkspaceId);
  await addRecords(workspaceId, connectionId, 53, 'mine');
  await addRecords(otherWorkspaceId, otherConnectionId, 20, 'theirs');
});
afterAll(() => database.drop());

describe(`dashboard lists at volume (${testEngine})`, () => {
  it('pages records by keyset: every record exactly once, also while newer ones arrive', async () => {
    const before = (await service(sql`select id from public.synced_records where connection_id = ${connectionId}::uuid`)).map((r) => String(r.id));
    let added = 0;
    const pages = await walk(
      async (after) => {
        const page = await listRecords(database.db, member, workspaceId, connectionId, { deleted: 'include', pageSize: 10, after });
        return { ids: page.records.map((r) => r.id), nextCursor: page.nextCursor };
      },
      // A sync storing newer records between two clicks on Next: they sort above the cursor.
      async () => {
        added += 1;
        await service(sql`insert into public.synced_records (workspace_id, connection_id, resource, external_id, raw, content_hash, last_seen_at)
          values (${workspaceId}::uuid, ${connectionId}::uuid, 'contacts', ${`late-${added}`}, '{}'::jsonb, 'h', now())`);
      },
    );
    expect(pages).toHaveLength(6);
    expectEachOnce(pages, before);
  });

  it('goes back with prevCursor to exactly the page before, and from the top to the first page', async () => {
    const first = await listRecords(database.db, member, workspaceId, connectionId, { deleted: 'include', pageSize: 7 });
    expect(first.prevCursor).toBeNull();
    const second = await listRecords(database.db, member, workspaceId, connectionId, { deleted: 'include', pageSize: 7, after: first.nextCursor! });
    const third = await listRecords(database.db, member, workspaceId, connectionId, { deleted: 'include', pageSize: 7, after: second.nextCursor! });
    const back = await listRecords(database.db, member, workspaceId, connectionId, { deleted: 'include', pageSize: 7, before: third.prevCursor! });
    expect(back.records.map((r) => r.id)).toEqual(second.records.map((r) => r.id));
    expect(back.nextCursor).toBe(second.nextCursor);
    const top = await listRecords(database.db, member, workspaceId, connectionId, { deleted: 'include', pageSize: 7, before: second.prevCursor! });
    expect(top.records.map((r) => r.id)).toEqual(first.records.map((r) => r.id));
    expect(top.prevCursor).toBeNull();
  });

  it('pages runs, webhook deliveries and activity exactly once each', async () => {
    const runs = await service(sql`
      insert into public.sync_runs (workspace_id, connection_id, trigger, mode, status, queued_at)
      select ${workspaceId}::uuid, ${connectionId}::uuid, 'schedule', 'incremental', 'succeeded', timestamptz '2026-11-01' + (g / 2) * interval '1 hour'
      from generate_series(1, 31) g returning id`);
    const events = await service(sql`
      insert into public.webhook_events (workspace_id, connection_id, provider, dedupe_key, verification, status, received_at)
      select ${workspaceId}::uuid, ${connectionId}::uuid, ${provider}, 'paging-' || g, 'verified',
             case when g % 3 = 0 then 'failed' else 'processed' end, timestamptz '2026-11-01' + (g / 2) * interval '1 second'
      from generate_series(1, 29) g returning id, status`);
    await service(sql`
      insert into public.activity (workspace_id, action, created_at)
      select ${workspaceId}::uuid, 'sync.completed', timestamptz '2026-11-01' + (g / 2) * interval '1 second' from generate_series(1, 23) g`);
    const activityIds = (await service(sql`select id from public.activity where workspace_id = ${workspaceId}::uuid`)).map((r) => String(r.id));

    const runPages = await walk(async (after) => {
      const page = await listRuns(database.db, member, workspaceId, { pageSize: 8, after });
      return { ids: page.runs.map((r) => r.id), nextCursor: page.nextCursor };
    });
    expectEachOnce(runPages, runs.map((r) => String(r.id)));

    const failedPages = await walk(async (after) => {
      const page = await listWebhookEvents(database.db, member, workspaceId, { status: 'failed', pageSize: 4, after });
      return { ids: page.events.map((e) => e.id), nextCursor: page.nextCursor };
    });
    expectEachOnce(failedPages, events.filter((e) => e.status === 'failed').map((e) => String(e.id)));

    const activityPages = await walk(async (after) => {
      const page = await listActivity(database.db, member, workspaceId, { pageSize: 5, after });
      return { ids: page.entries.map((e) => e.id), nextCursor: page.nextCursor };
    });
    expectEachOnce(activityPages, activityIds);
  });

  it('refuses a cursor it did not give out', async () => {
    await expect(listRuns(database.db, member, workspaceId, { pageSize: 5, after: 'not-a-cursor' })).rejects.toMatchObject({ status: 400 });
    const forged = Buffer.from(JSON.stringify([1, "x' or 1=1"])).toString('base64url');
    await expect(listRecords(database.db, member, workspaceId, connectionId, { deleted: 'include', pageSize: 5, before: forged })).rejects.toBeInstanceOf(HttpError);
  });

  it('finds records by name, email and id, with every word required', async () => {
    const search = async (q: string) =>
      (await listRecords(database.db, member, workspaceId, connectionId, { deleted: 'include', pageSize: 100, q })).records.map((r) => r.externalId);
    expect(await search('mine-17')).toEqual(['mine-17']);
    expect(await search('person42@mine.example')).toEqual(['mine-42']);
    const hoppers = await search('grace hop');
    expect(hoppers.length).toBe(18);
    expect(hoppers.every((id) => Number(id.split('-')[1]) % 3 === 1)).toBe(true);
    expect(await search('Lovelace nobody')).toEqual([]);
    // Characters of the tsquery syntax are never operators: alone they are no word at all.
    expect(await search("ada | ! ' & :*")).toEqual(await search('ada'));
    expect(await search("| ! & ' <->")).toEqual([]);
    // Searches pages like the list: by cursor, exactly once.
    const pages = await walk(async (after) => {
      const page = await listRecords(database.db, member, workspaceId, connectionId, { deleted: 'include', pageSize: 5, q: 'alan', after });
      return { ids: page.records.map((r) => r.externalId), nextCursor: page.nextCursor };
    });
    expect(pages.flat().sort()).toEqual(
      Array.from({ length: 53 }, (_, i) => i + 1)
        .filter((g) => g % 3 === 2)
        .map((g) => `mine-${g}`)
        .sort(),
    );
  });

  it('searches only the member’s own workspace, even through the database function', async () => {
    expect(
      (await listRecords(database.db, member, workspaceId, connectionId, { deleted: 'include', pageSize: 100, q: 'theirs-3' })).records,
    ).toEqual([]);
    await expect(listRecords(database.db, member, otherWorkspaceId, otherConnectionId, { deleted: 'include', pageSize: 10, q: 'ada' })).rejects.toMatchObject({
      status: 404,
    });
    // Called directly by someone who is not a member, the function answers nothing.
    const leaked = await asUser(database.db, claimsOf(member), async (tx) =>
      rowsOf(await tx.execute(sql`select id from public.search_synced_records(${otherWorkspaceId}::uuid, ${otherConnectionId}::uuid,
        ${"'ada':*"}, null, 'include', null, null, false, false, 100)`)),
    );
    expect(leaked).toEqual([]);
    const own = await asUser(database.db, claimsOf(outsider), async (tx) =>
      rowsOf(await tx.execute(sql`select id from public.search_synced_records(${otherWorkspaceId}::uuid, ${otherConnectionId}::uuid,
        ${"'ada':*"}, null, 'include', null, null, false, false, 100)`)),
    );
    expect(own.length).toBeGreaterThan(0);
  });

  it('keeps the per-resource record counts the overview reads in step with inserts, upserts, deletions and deletes', async () => {
    const connection = await addConnection(workspaceId);
    const counts = async () =>
      (
        await service(sql`select resource, live::int as live, deleted::int as deleted from public.synced_record_counts
          where connection_id = ${connection}::uuid order by resource`)
      ).map((r) => ({ resource: r.resource, live: Number(r.live), deleted: Number(r.deleted) }));
    const actual = async () =>
      (
        await service(sql`select resource, (count(*) filter (where deleted_at is null))::int as live,
            (count(*) filter (where deleted_at is not null))::int as deleted
          from public.synced_records where connection_id = ${connection}::uuid group by resource order by resource`)
      ).map((r) => ({ resource: r.resource, live: Number(r.live), deleted: Number(r.deleted) }));
    await addRecords(workspaceId, connection, 40, 'counted');
    expect(await counts()).toEqual([
      { resource: 'contacts', live: 30, deleted: 0 },
      { resource: 'deals', live: 10, deleted: 0 },
    ]);
    // Tombstones, an upsert that revives one, and a hard delete (retention, a cascade).
    await service(sql`update public.synced_records set deleted_at = now() where connection_id = ${connection}::uuid and external_id like 'counted-1%'`);
    await service(sql`insert into public.synced_records (workspace_id, connection_id, resource, external_id, raw, content_hash)
      values (${workspaceId}::uuid, ${connection}::uuid, 'contacts', 'counted-11', '{}', 'h2'), (${workspaceId}::uuid, ${connection}::uuid, 'contacts', 'counted-new', '{}', 'h')
      on conflict (connection_id, resource, external_id) do update set deleted_at = null, content_hash = excluded.content_hash`);
    await service(sql`delete from public.synced_records where connection_id = ${connection}::uuid and external_id in ('counted-2', 'counted-4', 'counted-10')`);
    expect(await counts()).toEqual(await actual());
    const overview = await getOverview(database.db, member, workspaceId);
    const tile = overview.connections.find((c) => c.id === connection);
    expect(tile?.records).toBe((await actual()).reduce((sum, r) => sum + r.live, 0));
  });

  it(`counts records exactly from the counters, and a search no further than ${SEARCH_COUNT_CAP.toLocaleString('en')}`, async () => {
    const big = await addConnection(workspaceId);
    // Lean rows (no JSON to index): only the count matters here.
    await service(sql`
      insert into public.synced_records (workspace_id, connection_id, resource, external_id, raw, content_hash)
      select ${workspaceId}::uuid, ${big}::uuid, case when g % 4 = 0 then 'deals' else 'contacts' end, 'bulk' || g, '{}'::jsonb, 'h'
      from generate_series(1, ${COUNT_CAP + 5}) g`);
    const all = await listRecords(database.db, member, workspaceId, big, { deleted: 'include', pageSize: 25 });
    // Past COUNT_CAP, where counting rows would stop: the counters know the exact number.
    expect(all).toMatchObject({ total: COUNT_CAP + 5, totalCapped: false });
    expect(all.records).toHaveLength(25);
    const contacts = all.resources.find((r) => r.resource === 'contacts');
    const deals = all.resources.find((r) => r.resource === 'deals');
    expect(contacts).toMatchObject({ total: 7_504, totalCapped: false });
    expect(deals).toMatchObject({ total: 2_501, totalCapped: false });
    const exact = await listRecords(database.db, member, workspaceId, big, { resource: 'deals', deleted: 'include', pageSize: 25 });
    expect(exact).toMatchObject({ total: 2_501, totalCapped: false });
    await asService(database.db, (tx) => tx.execute(sql`update public.synced_records set deleted_at = now() where connection_id = ${big}::uuid and external_id in ('bulk4', 'bulk5', 'bulk8')`));
    expect(await listRecords(database.db, member, workspaceId, big, { resource: 'deals', deleted: 'only', pageSize: 25 })).toMatchObject({ total: 2, totalCapped: false });
    expect(await listRecords(database.db, member, workspaceId, big, { deleted: 'exclude', pageSize: 25 })).toMatchObject({ total: COUNT_CAP + 2, totalCapped: false });
    // A search counts no further than SEARCH_COUNT_CAP, and still pages from the newest match.
    const searched = await listRecords(database.db, member, workspaceId, big, { deleted: 'include', pageSize: 25, q: 'bulk' });
    expect(searched).toMatchObject({ total: SEARCH_COUNT_CAP, totalCapped: true });
    expect(searched.records).toHaveLength(25);
  });
});
