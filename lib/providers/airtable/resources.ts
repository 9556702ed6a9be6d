// Airtable records: every record of every table of every base the token can see (Airtable tables
// are arbitrary, so one resource carries them all; each record keeps its base and table).
// Full listings page each table with `offset` (pageSize 100 ✔). Incremental listings follow each
// base's webhook from the payload cursor stored after the last listing: the payloads name the
// records created, changed and destroyed ✔ (payloads.ts); changed ones are read again in batches
// (filterByFormula on RECORD_ID() ✔ https://airtable.com/developers/web/api/list-records),
// destroyed ones become tombstones. A base with no webhook of ours (none could be opened, or it is
// new) is listed again in full instead; its deletions show at the next full listing.
// Record ids are unique across Airtable ("rec…"), so they are the external ids. Which tables: the
// connection's selection (`<baseId>/<tableId>`, ProviderDefinition.selection) when the admin chose
// some, else every table the token can see.
import { z } from 'zod';
import type { FetchedRecord, PageRequest, PageResult, ProviderClient, SyncResource } from '../types';
import { airtable, listBases, listTables, PAGE_SIZE, recordPage, type AirtableRecord } from './api';
import { ourWebhooks, readChanges } from './payloads';

/** Ids read back per request: keeps the formula (and the URL) short. */
const IDS_PER_READ = 50;

const tableRef = z.object({ baseId: z.string(), baseName: z.string(), tableId: z.string(), tableName: z.string() });
type TableRef = z.infer<typeof tableRef>;
const cursorSchema = z.object({
  webhooks: z.record(z.string(), z.object({ id: z.string(), cursor: z.number().int() })),
  /** The tables (`<baseId>/<tableId>`) the listings cover: one newly chosen is listed in full. */
  tables: z.array(z.string()).optional(),
});
type Cursor = z.infer<typeof cursorSchema>;
const work = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('list'), table: tableRef, offset: z.string().optional() }),
  z.object({ kind: z.literal('read'), table: tableRef, ids: z.array(z.string()) }),
]);
type Work = z.infer<typeof work>;
const pageState = z.object({ work: z.array(work), cursor: cursorSchema });
type PageState = z.infer<typeof pageState>;

/** What a stored record holds: Airtable's record, with the base and table it lives in. */
export function storedRecord(record: AirtableRecord, table: TableRef) {
  return { ...record, base: { id: table.baseId, name: table.baseName }, table: { id: table.tableId, name: table.tableName } };
}

const tombstone = (id: string, baseId: string, tableId: string): FetchedRecord => ({ externalId: id, data: { id, base: { id: baseId }, table: { id: tableId } }, deleted: true });

const chunks = <T>(items: T[], size: number): T[][] => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, i * size + size));

/** Reads the bases, their tables and webhooks, and (incremental) the payloads since the cursor. */
async function plan(client: ProviderClient, request: PageRequest): Promise<{ state: PageState; records: FetchedRecord[] }> {
  const previous: Cursor = request.listing === 'incremental' ? cursorSchema.parse(request.cursor) : { webhooks: {} };
  const state: PageState = { work: [], cursor: { webhooks: {}, tables: [] } };
  const known = new Set(previous.tables ?? []);
  const records: FetchedRecord[] = [];
  const chosen = new Set(client.selection ?? []);
  for (const base of await listBases(client)) {
    if (chosen.size > 0 && ![...chosen].some((id) => id.startsWith(`${base.id}/`))) continue;
    const tables: TableRef[] = (await listTables(client, base.id))
      .map((t) => ({ baseId: base.id, baseName: base.name, tableId: t.id, tableName: t.name }))
      .filter((t) => chosen.size === 0 || chosen.has(`${t.baseId}/${t.tableId}`));
    const hooks = await ourWebhooks(client, base.id);
    state.cursor.tables?.push(...tables.map((t) => `${t.baseId}/${t.tableId}`));
    const tracked = previous.webhooks[base.id];
    const followed = tracked ? hooks.find((hook) => hook.id === tracked.id) : undefined;
    if (request.listing === 'incremental' && tracked && followed) {
      const changes = await readChanges(client, base.id, followed.id, tracked.cursor);
      state.cursor.webhooks[base.id] = { id: followed.id, cursor: changes.cursor };
      // Only the synced tables' deletions (payloads cover every table of the base).
      for (const [tableId, ids] of changes.destroyed) if (tables.some((t) => t.tableId === tableId)) for (const id of ids) records.push(tombstone(id, base.id, tableId));
      // A table chosen since the last listing has no history here: it is listed in full.
      const fresh = previous.tables ? tables.filter((t) => !known.has(`${t.baseId}/${t.tableId}`)) : [];
      for (const table of fresh) state.work.push({ kind: 'list', table });
      for (const [tableId, ids] of changes.touched) {
        const table = tables.find((t) => t.tableId === tableId);
        if (fresh.includes(table as TableRef)) continue;
        const gone = changes.destroyed.get(tableId);
        const live = [...ids].filter((id) => !gone?.has(id));
        // A table created and gone again before we looked: nothing left to read.
        if (!table) continue;
        for (const batch of chunks(live, IDS_PER_READ)) state.work.push({ kind: 'read', table, ids: batch });
      }
      continue;
    }
    // Full listing (or no webhook to follow): the payload cursor is taken before listing, so a
    // change made while the listing runs is read again next time rather than missed.
    const hook = followed ?? hooks[0];
    if (hook) state.cursor.webhooks[base.id] = { id: hook.id, cursor: hook.cursorForNextPayload };
    for (const table of tables) state.work.push({ kind: 'list', table });
  }
  return { state, records };
}

async function step(client: ProviderClient, item: Work): Promise<{ records: FetchedRecord[]; rest: Work | null }> {
  const { table } = item;
  const query = new URLSearchParams({ pageSize: String(PAGE_SIZE) });
  if (item.kind === 'list' && item.offset) query.set('offset', item.offset);
  if (item.kind === 'read') query.set('filterByFormula', `OR(${item.ids.map((id) => `RECORD_ID()='${id.replace(/[^A-Za-z0-9]/g, '')}'`).join(',')})`);
  const page = recordPage.parse(await airtable(client, `/${encodeURIComponent(table.baseId)}/${encodeURIComponent(table.tableId)}?${query}`));
  const records: FetchedRecord[] = page.records.map((record) => ({ externalId: record.id, data: storedRecord(record, table) }));
  if (item.kind === 'read') {
    // A record changed and then deleted before we read it is a tombstone.
    const found = new Set(page.records.map((r) => r.id));
    for (const id of item.ids) if (!found.has(id)) records.push(tombstone(id, table.baseId, table.tableId));
    return { records, rest: null };
  }
  return { records, rest: page.offset ? { ...item, offset: page.offset } : null };
}

export const airtableRecords: SyncResource = {
  id: 'records',
  label: 'Records',
  requiredScopes: ['data.records:read', 'schema.bases:read'],
  async fetchPage(client, request): Promise<PageResult> {
    let state: PageState;
    let records: FetchedRecord[] = [];
    if (request.page) state = pageState.parse(request.page);
    else ({ state, records } = await plan(client, request));
    const [item, ...others] = state.work;
    if (item) {
      const done = await step(client, item);
      records = [...records, ...done.records];
      state = { ...state, work: done.rest ? [done.rest, ...others] : others };
    }
    if (state.work.length > 0) return { records, next: state };
    return { records, next: null, cursor: state.cursor };
  },
};
