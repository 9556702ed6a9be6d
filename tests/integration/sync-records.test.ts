// Page storage: one statement per kind of change, content hashes, tombstones, full-run deletes.
import crypto from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { rowsOf } from '@/lib/db/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asService } from '@/lib/db/rls';
import { connections, syncedRecords, syncRuns } from '@/lib/db/schema';
import { compileMapping } from '@/lib/mapping/interpreter';
import type { MappingDefinition } from '@/lib/mapping/language';
import { markUnseenDeleted, refreshRecordStatistics, storePage, type FetchedRecord } from '@/lib/sync/records';
import { createWorkspace } from '@/lib/workspaces/workspaces';
import { createTestDatabase, createUser, testEngine, type TestDatabase } from '../support/database';

let database: TestDatabase;
let workspaceId: string;
let connectionId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  const user = await createUser(database);
  workspaceId = (await createWorkspace(database.db, user, 'Records')).id;
  connectionId = crypto.randomUUID();
  await asService(database.db, (tx) =>
    tx.insert(connections).values({ id: connectionId, workspaceId, provider: 'hubspot', displayName: 'HubSpot', authKind: 'oauth2' }),
  );
});
afterAll(() => database.drop());

async function newRun(mode: 'full' | 'incremental') {
  const id = crypto.randomUUID();
  await asService(database.db, (tx) => tx.insert(syncRuns).values({ id, workspaceId, connectionId, trigger: 'manual', mode }));
  return { workspaceId, connectionId, resource: 'contacts', runId: id, mode };
}
const contact = (id: number, name = `Contact ${id}`): FetchedRecord => ({ externalId: String(id), data: { id: String(id), properties: { name } } });
const store = async (target: Awaited<ReturnType<typeof newRun>>, records: FetchedRecord[]) =>
  asService(database.db, (tx) => storePage(tx, target, records));
const stored = () =>
  asService(database.db, (tx) =>
    tx.select().from(syncedRecords).where(and(eq(syncedRecords.connectionId, connectionId), eq(syncedRecords.resource, 'contacts'))),
  );

describe(`storing pages of records (${testEngine})`, () => {
  it('creates, leaves unchanged records alone, updates changed ones and applies tombstones', async () => {
    const first = await newRun('full');
    expect(await store(first, [contact(1), contact(2), contact(3)])).toEqual({ created: 3, updated: 0, unchanged: 0, deleted: 0, failed: 0 });

    const second = await newRun('incremental');
    const before = (await stored()).find((r) => r.externalId === '2')!;
    expect(await store(second, [contact(1), contact(2, 'Renamed'), { externalId: '3', data: { id: '3' }, deleted: true }])).toEqual({
      created: 0,
      updated: 1,
      unchanged: 1,
      deleted: 1,
      failed: 0,
    });
    const rows = await stored();
    const two = rows.find((r) => r.externalId === '2')!;
    expect(two.raw).toEqual({ id: '2', properties: { name: 'Renamed' } });
    expect(two.contentHash).not.toBe(before.contentHash);
    expect(rows.find((r) => r.externalId === '1')!.lastSeenRunId).toBe(first.runId);
    expect(rows.find((r) => r.externalId === '3')!.deletedAt).not.toBeNull();
  });

  it('writes nothing for an incremental page with no changes', async () => {
    const run = await newRun('incremental');
    const before = await stored();
    expect(await store(run, [contact(1), contact(2, 'Renamed')])).toEqual({ created: 0, updated: 0, unchanged: 2, deleted: 0, failed: 0 });
    const after = await stored();
    expect(after.map((r) => r.updatedAt.getTime()).sort()).toEqual(before.map((r) => r.updatedAt.getTime()).sort());
  });

  it('revives a record that comes back after a deletion', async () => {
    const run = await newRun('incremental');
    expect(await store(run, [contact(3)])).toMatchObject({ updated: 1 });
    expect((await stored()).find((r) => r.externalId === '3')!.deletedAt).toBeNull();
  });

  it('marks what a complete full run did not see as deleted', async () => {
    const run = await newRun('full');
    await store(run, [contact(1), contact(2, 'Renamed')]);
    expect(await asService(database.db, (tx) => markUnseenDeleted(tx, run))).toBe(1);
    const rows = await stored();
    expect(rows.filter((r) => r.deletedAt === null).map((r) => r.externalId).sort()).toEqual(['1', '2']);
  });

  it('counts the ids of every page of the seen-list as seen, and a record deleted before not again', async () => {
    // Record 3 was marked deleted by the previous run; 1 and 2 arrive on two pages (two batches).
    const run = await newRun('full');
    await store(run, [contact(1)]);
    await store(run, [contact(2, 'Renamed')]);
    expect(await asService(database.db, (tx) => markUnseenDeleted(tx, run))).toBe(0);
    const rows = await stored();
    expect(rows.filter((r) => r.deletedAt === null).map((r) => r.externalId).sort()).toEqual(['1', '2']);
    const left = await asService(database.db, (tx) => tx.execute(sql`select count(*)::int as n from public.sync_seen_batches where run_id = ${run.runId}::uuid`));
    expect(rowsOf<{ n: number }>(left)[0].n).toBe(0);
  });

  it('stores the mapped output of new and changed records, and counts the ones that fail validation', async () => {
    const definition: MappingDefinition = {
      version: 1,
      model: 'Company',
      rows: [{ id: 'name', target: 'name', source: 'properties.name', transforms: [{ op: 'upper' }], validations: [{ rule: 'required' }] }],
    };
    const mapping = { id: crypto.randomUUID(), version: 7, compiled: compileMapping(definition) };
    const run = { ...(await newRun('incremental')), mapping };
    const nameless: FetchedRecord = { externalId: '5', data: { id: '5', properties: {} } };
    expect(await store(run, [contact(4, 'Acme'), nameless])).toMatchObject({ created: 2, failed: 1 });
    const rows = await stored();
    const acme = rows.find((r) => r.externalId === '4')!;
    expect(acme).toMatchObject({ mapped: { name: 'ACME' }, mappingErrors: null, mappingVersion: 7 });
    const failedRow = rows.find((r) => r.externalId === '5')!;
    expect(failedRow.raw).toEqual({ id: '5', properties: {} });
    expect(failedRow.mappingErrors).toEqual([expect.objectContaining({ target: 'name', code: 'required' })]);
  });

  it('lets two writers store the same new records at once without a conflict, each counting what it did', async () => {
    const [a, b] = [await newRun('incremental'), await newRun('incremental')];
    const records = Array.from({ length: 50 }, (_, i) => contact(5_000 + i));
    // The first writer keeps its transaction open a moment, so the second one probes meanwhile.
    const [first, second] = await Promise.all([
      asService(database.db, async (tx) => {
        const counts = await storePage(tx, a, records);
        await new Promise((resolve) => setTimeout(resolve, 300));
        return counts;
      }),
      new Promise((resolve) => setTimeout(resolve, 50)).then(() => store(b, records)),
    ]);
    expect(first.created + second.created).toBe(50);
    expect(first.unchanged + second.unchanged).toBe(50);
    expect((await stored()).filter((r) => Number(r.externalId) >= 5_000 && Number(r.externalId) < 5_050)).toHaveLength(50);
  });

  it('refreshes the planner statistics when a run writes past a power of ten, and only then', async () => {
    // Manual ANALYZE runs only: autovacuum, on a server, may analyze the table on its own.
    const analyses = async () =>
      rowsOf<{ count: number }>(
        await database.db.execute(sql`select analyze_count::integer as count from pg_stat_user_tables where relid = 'public.synced_records'::regclass`),
      )[0].count;
    const estimate = async () =>
      rowsOf<{ rows: number }>(await database.db.execute(sql`select reltuples::integer as rows from pg_class where oid = 'public.synced_records'::regclass`))[0].rows;
    const run = await newRun('incremental');
    const many = Array.from({ length: 1_500 }, (_, i) => contact(10_000 + i));
    expect(await store(run, many)).toMatchObject({ created: 1_500 });

    const before = await analyses();
    await refreshRecordStatistics(database.db, { before: 1_000, after: 1_500 });
    await refreshRecordStatistics(database.db, { before: 0, after: 999 });
    expect(await analyses()).toBe(before);
    await refreshRecordStatistics(database.db, { before: 900, after: 1_500 });
    expect(await analyses()).toBe(before + 1);
    expect(await estimate()).toBeGreaterThanOrEqual(1_500);
  });
});
