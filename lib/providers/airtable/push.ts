// Pushing the workspace's records into an Airtable table (the `records` destination).
//  - Targets: every table of every base the token can see, grouped by base (meta API, api.ts).
//  - Fields: the table's schema; types map onto the model's (text, email, phone, number,
//    checkbox, dates, single select with its choices). Computed fields (formula, rollup, lookup,
//    created/modified time, autonumber, …) cannot be written and are left out. Match keys may be
//    single-line text, email, phone, URL or number fields.
//  - Upsert: PATCH /v0/{baseId}/{tableId} {performUpsert: {fieldsToMergeOn: [field]}, records} with
//    at most 10 records ✔ (https://airtable.com/developers/web/api/update-multiple-records): no
//    match creates, one match updates, several fail the request; the answer lists every record
//    with its id plus createdRecords/updatedRecords ✔. Records are matched on the field alone (never
//    on a remembered id: an id Airtable no longer has fails the whole request ✔).
//  - Airtable refuses a whole request for one bad value (422, e.g. INVALID_VALUE_FOR_COLUMN), so a
//    refused batch is split in halves until the bad records stand alone: they are reported with
//    Airtable's reason, the rest are written. One request per batch when nothing is refused.
//  - Removal: DELETE /v0/{baseId}/{tableId}?records[]=… (up to 10 ✔
//    https://airtable.com/developers/web/api/delete-multiple-records). Airtable has no archive. An
//    id Airtable no longer has fails the request (404): one read finds which are gone (deleted
//    already, so ok) and one more request deletes the rest.
//  - Rate: 5 requests/s per base; a 429 asks for 30 s (api.ts).
import { z } from 'zod';
import { ProviderHttpError } from '../errors';
import type { FieldType } from '../../mapping/model';
import type { ProviderClient, PushDestination, PushField, PushOutcome, PushRecord, PushRemoval, PushTarget, PushTargetRef } from '../types';
import { airtable, listBases, listTables, recordPage, REQUESTS_PER_SECOND, type AirtableField } from './api';

/** Records per write request ✔. */
export const BATCH_SIZE = 10;
/** Between the extra requests of a split batch: one request's share of the base's rate. */
const SPACING_MS = Math.ceil(1000 / REQUESTS_PER_SECOND) + 10;
const spacing = () => new Promise<void>((resolve) => setTimeout(resolve, SPACING_MS));

/** Airtable field types we can write, as the model's closest type; anything else is not offered. */
const WRITABLE: Record<string, FieldType | 'unknown'> = {
  singleLineText: 'string',
  multilineText: 'string',
  richText: 'string',
  email: 'email',
  url: 'string',
  phoneNumber: 'phone',
  number: 'number',
  currency: 'number',
  percent: 'number',
  rating: 'integer',
  duration: 'integer',
  checkbox: 'boolean',
  date: 'date',
  dateTime: 'datetime',
  singleSelect: 'enum',
  multipleSelects: 'string[]',
};
const MATCHABLE = new Set(['singleLineText', 'email', 'phoneNumber', 'url', 'number']);

const choices = z.object({ choices: z.array(z.object({ name: z.string() }).passthrough()) });

export function pushFieldOf(field: AirtableField): PushField | null {
  const type = WRITABLE[field.type];
  if (!type) return null;
  const values = field.type === 'singleSelect' || field.type === 'multipleSelects' ? choices.safeParse(field.options).data?.choices.map((c) => c.name) : undefined;
  return { name: field.name, label: field.name, type, ...(MATCHABLE.has(field.type) ? { matchable: true } : {}), ...(values ? { values } : {}) };
}

/** Target ids are `<baseId>/<tableId>`. */
export function parseTarget(id: string): { baseId: string; tableId: string } {
  const match = /^(app[A-Za-z0-9]+)\/(tbl[A-Za-z0-9]+)$/.exec(id);
  if (!match) throw new ProviderHttpError(404, `not an Airtable table: ${id}`);
  return { baseId: match[1], tableId: match[2] };
}
const tablePath = (target: { baseId: string; tableId: string }) => `/${encodeURIComponent(target.baseId)}/${encodeURIComponent(target.tableId)}`;

const upserted = z.object({
  records: z.array(z.object({ id: z.string().min(1), fields: z.record(z.string(), z.unknown()) }).passthrough()),
  createdRecords: z.array(z.string()).optional(),
  updatedRecords: z.array(z.string()).optional(),
});

/** The value Airtable merged on, as our key: text as is, numbers as written. */
const keyOf = (value: unknown) => (value === undefined || value === null ? '' : String(value));

async function upsertBatch(client: ProviderClient, ref: PushTargetRef, records: PushRecord[]): Promise<PushOutcome[]> {
  const target = parseTarget(ref.id);
  let body: unknown;
  try {
    body = await airtable(client, tablePath(target), {
      method: 'PATCH',
      json: { performUpsert: { fieldsToMergeOn: [ref.matchField] }, records: records.map((record) => ({ fields: record.fields })) },
    });
  } catch (error) {
    if (!(error instanceof ProviderHttpError) || error.status !== 422) throw error;
    // One bad record refuses them all: find it by halves (one request per half), each request
    // spaced to the base's rate, since the engine paces one request per batch.
    if (records.length === 1) return [{ key: records[0].key, ok: false, error: error.providerMessage || 'refused by Airtable' }];
    const middle = Math.ceil(records.length / 2);
    await spacing();
    const first = await upsertBatch(client, ref, records.slice(0, middle));
    await spacing();
    return [...first, ...(await upsertBatch(client, ref, records.slice(middle)))];
  }
  const answer = upserted.parse(body);
  // Airtable answers the records in request order; the merge field confirms which is which.
  return records.map((record, index): PushOutcome => {
    const written = answer.records.find((r) => keyOf(r.fields[ref.matchField]) === record.key) ?? answer.records[index];
    return written ? { key: record.key, ok: true, externalId: written.id } : { key: record.key, ok: false, error: 'Airtable did not return this record' };
  });
}

const deleted = z.object({ records: z.array(z.object({ id: z.string(), deleted: z.boolean() }).passthrough()) });

async function deleteBatch(client: ProviderClient, ref: PushTargetRef, records: (PushRemoval & { externalId: string })[]): Promise<PushOutcome[]> {
  const target = parseTarget(ref.id);
  const query = new URLSearchParams();
  for (const record of records) query.append('records[]', record.externalId);
  try {
    const answer = deleted.parse(await airtable(client, `${tablePath(target)}?${query}`, { method: 'DELETE' }));
    const gone = new Set(answer.records.filter((r) => r.deleted).map((r) => r.id));
    return records.map((r) => (gone.has(r.externalId) ? { key: r.key, ok: true, externalId: r.externalId } : { key: r.key, ok: false, error: 'Airtable did not delete this record' }));
  } catch (error) {
    if (!(error instanceof ProviderHttpError) || error.status !== 404) throw error;
    // A record already gone refuses the whole request: ask which still exist (one read), count the
    // others as deleted, and delete the rest in one more request.
    await spacing();
    const formula = `OR(${records.map((r) => `RECORD_ID()='${r.externalId.replace(/[^A-Za-z0-9]/g, '')}'`).join(',')})`;
    const page = recordPage.parse(await airtable(client, `${tablePath(target)}?${new URLSearchParams({ filterByFormula: formula, pageSize: '100' })}`));
    const present = new Set(page.records.map((r) => r.id));
    const already: PushOutcome[] = records.filter((r) => !present.has(r.externalId)).map((r) => ({ key: r.key, ok: true, externalId: r.externalId }));
    const rest = records.filter((r) => present.has(r.externalId));
    if (rest.length === 0) return already;
    await spacing();
    return [...already, ...(await deleteBatch(client, ref, rest))];
  }
}

export const airtableRecordsDestination: PushDestination = {
  id: 'records',
  label: 'Table records',
  models: ['Contact'],
  matchKey: { kind: 'chosen' },
  deletionPolicies: ['delete'],
  batchSize: BATCH_SIZE,
  rateLimit: { requestsPerSecond: REQUESTS_PER_SECOND },
  async targets(client): Promise<PushTarget[]> {
    const targets: PushTarget[] = [];
    for (const base of await listBases(client)) {
      for (const table of await listTables(client, base.id)) targets.push({ id: `${base.id}/${table.id}`, label: table.name, group: base.name });
    }
    return targets;
  },
  async fields(client, targetId) {
    const { baseId, tableId } = parseTarget(targetId);
    const table = (await listTables(client, baseId)).find((t) => t.id === tableId);
    if (!table) throw new ProviderHttpError(404, `Airtable has no table ${tableId} in base ${baseId}`);
    return table.fields.map(pushFieldOf).filter((field): field is PushField => field !== null);
  },
  async upsert(client, target, records) {
    if (records.length > BATCH_SIZE) throw new RangeError(`at most ${BATCH_SIZE} records per Airtable request`);
    return records.length === 0 ? [] : upsertBatch(client, target, records);
  },
  async remove(client, target, records) {
    // Never written (no id known): nothing to delete at Airtable.
    const known = records.filter((r): r is PushRemoval & { externalId: string } => r.externalId !== null);
    const unknown: PushOutcome[] = records.filter((r) => r.externalId === null).map((r) => ({ key: r.key, ok: true, externalId: '' }));
    return [...unknown, ...(known.length > 0 ? await deleteBatch(client, target, known) : [])];
  },
};
