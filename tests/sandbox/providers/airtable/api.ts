// Airtable's meta and records API in the sandbox (api.airtable.com/v0):
//  - GET /meta/bases (paged by offset ✔), GET /meta/bases/{baseId}/tables (fields with types ✔).
//  - GET /{baseId}/{tableIdOrName}: pageSize ≤ 100, offset, filterByFormula ✔ — of formulas, only
//    RECORD_ID()='rec…' and {Field}='value', alone or inside OR(…), which is what the app sends.
//  - PATCH /{baseId}/{tableIdOrName}: up to 10 records ✔; with performUpsert.fieldsToMergeOn (1–3
//    fields) a record without id is matched on those fields: none creates, one updates, several
//    fail the request ✔; the answer adds createdRecords/updatedRecords ✔. Every value is checked
//    first and one bad value refuses the whole request with 422: INVALID_VALUE_FOR_COLUMN (a value
//    the field's type cannot take, a computed field), UNKNOWN_FIELD_NAME, or
//    INVALID_MULTIPLE_CHOICE_OPTIONS (a select value that is not a choice) ~.
//  - DELETE /{baseId}/{tableIdOrName}?records[]=… up to 10 ✔; an unknown or deleted id → 404.
//  - Writes are limited to 5 requests per second per base ✔: past it 429 and the base refuses
//    writes for 30 s ✔ (webhooks-overview, "Rate limits"). Reads are not limited here, so syncs in
//    tests (whose runner does not wait) never trip it.
import { getDataset, type Dataset } from '../../data';
import { pageGate, type FaultReplies } from '../../data-faults';
import { bindingOf, pageFrom, startListing } from '../../data-view';
import { json, readJson, type Reply, type RequestContext, type Route } from '../../http';
import type { SandboxState } from '../../state';
import { accountOfBase, API_HOST, FIELDS, fieldByName, PROFILE, STATUS_CHOICES, type AirtableAccount } from './accounts';
import { bookOf, recordsWith, reindex } from './book';
import { recordsSpec, render } from './data';
import { apiError, authorize, notFound } from './oauth';

export const WRITES_PER_SECOND = 5;
export const RATE_LIMIT_PENALTY_MS = 30_000;
const MAX_RECORDS_PER_WRITE = 10;

export const faults: FaultReplies = {
  failed: (status) => apiError(status, status === 422 ? 'INVALID_REQUEST_UNKNOWN' : 'SERVER_ERROR', `Failure forced by the sandbox (HTTP ${status}).`),
  rateLimited: () => json(429, { errors: [{ error: 'RATE_LIMIT_REACHED', message: 'Rate limit exceeded. Please try again later' }] }),
};

/** Counts one write against the base; the 429 to answer when over the limit (or still penalised). */
export function rateLimit(state: SandboxState, baseId: string, now = Date.now()): Reply | null {
  const rate = bookOf(state).rate;
  const window = rate.get(baseId) ?? { times: [], blockedUntil: 0 };
  rate.set(baseId, window);
  if (now < window.blockedUntil) return faults.rateLimited(30);
  window.times = window.times.filter((t) => t > now - 1000);
  if (window.times.length >= WRITES_PER_SECOND) {
    window.blockedUntil = now + RATE_LIMIT_PENALTY_MS;
    return faults.rateLimited(30);
  }
  window.times.push(now);
  return null;
}

export const datasetOf = (state: SandboxState, account: AirtableAccount) => getDataset(state, recordsSpec, account.id);

/** The bearer's base and table named by the path, or the error to answer. */
function resolveTable(ctx: RequestContext, scope: string): { ok: true; account: AirtableAccount; dataset: Dataset } | { ok: false; reply: Reply } {
  const auth = authorize(ctx, scope);
  if (!auth.ok) return auth;
  const owner = accountOfBase(ctx.params.baseId ?? '');
  const table = ctx.params.table ?? '';
  if (!owner || owner.id !== auth.account.id || (table !== owner.table.id && table !== owner.table.name)) {
    return { ok: false, reply: apiError(404, 'NOT_FOUND', 'Could not find what you are looking for') };
  }
  return { ok: true, account: owner, dataset: datasetOf(ctx.state, owner) };
}

type Formula = { ids: string[] } | { field: string; value: string };

/** The few formulas the sandbox understands, or null. */
export function parseFormula(formula: string): Formula[] | null {
  const inner = /^OR\((.*)\)$/s.exec(formula.trim())?.[1] ?? formula.trim();
  const parts = inner.split(/,(?=\s*(?:RECORD_ID\(\)|\{))/).map((p) => p.trim());
  const out: Formula[] = [];
  for (const part of parts) {
    const id = /^RECORD_ID\(\)\s*=\s*'(rec[A-Za-z0-9]+)'$/.exec(part);
    if (id) {
      out.push({ ids: [id[1]] });
      continue;
    }
    const field = /^\{([^}]+)\}\s*=\s*'((?:[^'\\]|\\.)*)'$/.exec(part);
    if (!field) return null;
    out.push({ field: field[1], value: field[2].replace(/\\(.)/g, '$1') });
  }
  return out;
}

function listRecords(ctx: RequestContext): Reply {
  const resolved = resolveTable(ctx, 'data.records:read');
  if (!resolved.ok) return resolved.reply;
  const { account, dataset } = resolved;
  const pageSize = Number(ctx.query.get('pageSize') ?? 100);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) return apiError(422, 'INVALID_PAGE_SIZE', 'pageSize must be between 1 and 100');
  const formula = ctx.query.get('filterByFormula') ?? '';
  const parsed = formula ? parseFormula(formula) : [];
  if (parsed === null) return apiError(422, 'INVALID_FILTER_BY_FORMULA', 'The formula for filtering records is invalid');
  const binding = bindingOf(recordsSpec.key, account.id, formula);
  const started = startListing(() => ctx.state.data.snapshot(), binding, ctx.query.get('offset'), { formula });
  if (!started.ok) return apiError(422, 'LIST_RECORDS_ITERATOR_NOT_AVAILABLE', 'The offset is no longer valid; start the listing again.');
  const refused = pageGate(ctx.state, recordsSpec.key, started.cursor.page, faults);
  if (refused) return refused;
  const ids = new Set(parsed.flatMap((f) => ('ids' in f ? f.ids : [])));
  const byField = parsed.filter((f): f is { field: string; value: string } => 'field' in f);
  const where = parsed.length === 0 ? undefined : (index: number) => ids.has(dataset.idOf(index)) || byField.some((f) => String(dataset.fields(index)[f.field] ?? '') === f.value);
  const page = pageFrom(dataset, { order: 'id', snapshot: started.cursor.snapshot, include: 'live', where }, started.cursor, pageSize, binding);
  return json(200, { records: page.indices.map((i) => render(dataset, i)), ...(page.nextToken ? { offset: page.nextToken } : {}) });
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** Why `value` cannot go into `name`, or null when it can (null clears a cell). */
function refusal(name: string, value: unknown): { type: string; message: string } | null {
  const field = fieldByName(name);
  if (!field) return { type: 'UNKNOWN_FIELD_NAME', message: `Unknown field name: "${name}"` };
  if (field.type === 'createdTime') return { type: 'INVALID_VALUE_FOR_COLUMN', message: `Field "${name}" cannot accept a value because the field is computed` };
  if (value === null) return null;
  const bad = { type: 'INVALID_VALUE_FOR_COLUMN', message: `Field "${name}" cannot accept the provided value` };
  switch (field.type) {
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? null : bad;
    case 'email':
      return typeof value === 'string' && (value === '' || EMAIL.test(value)) ? null : bad;
    case 'singleSelect':
      if (typeof value !== 'string') return bad;
      return (STATUS_CHOICES as readonly string[]).includes(value) ? null : { type: 'INVALID_MULTIPLE_CHOICE_OPTIONS', message: `Insufficient permissions to create new select option ""${value}""` };
    default:
      return typeof value === 'string' ? null : bad;
  }
}

interface WriteRecord {
  id?: string;
  fields: Record<string, unknown>;
}

function readWrite(ctx: RequestContext): { ok: true; records: WriteRecord[]; mergeOn: string[] | null } | { ok: false; reply: Reply } {
  const body = readJson(ctx);
  if (!body.ok) return { ok: false, reply: apiError(422, 'INVALID_REQUEST_UNKNOWN', body.reason) };
  const { records, performUpsert } = body.value as { records?: unknown; performUpsert?: { fieldsToMergeOn?: unknown } };
  if (!Array.isArray(records) || records.length === 0) return { ok: false, reply: apiError(422, 'INVALID_RECORDS', 'records must be a non-empty array') };
  if (records.length > MAX_RECORDS_PER_WRITE) return { ok: false, reply: apiError(422, 'INVALID_RECORDS', `You can update at most ${MAX_RECORDS_PER_WRITE} records per request`) };
  let mergeOn: string[] | null = null;
  if (performUpsert !== undefined) {
    const fields = performUpsert?.fieldsToMergeOn;
    if (!Array.isArray(fields) || fields.length < 1 || fields.length > 3 || !fields.every((f) => typeof f === 'string' && fieldByName(f))) {
      return { ok: false, reply: apiError(422, 'INVALID_REQUEST_UNKNOWN', 'performUpsert.fieldsToMergeOn must name 1 to 3 fields of the table') };
    }
    mergeOn = fields as string[];
  }
  const parsed: WriteRecord[] = [];
  for (const record of records as unknown[]) {
    const { id, fields } = (record ?? {}) as { id?: unknown; fields?: unknown };
    if (!fields || typeof fields !== 'object' || Array.isArray(fields)) return { ok: false, reply: apiError(422, 'INVALID_RECORDS', 'Each record needs a fields object') };
    if (id !== undefined && typeof id !== 'string') return { ok: false, reply: apiError(422, 'INVALID_RECORDS', 'A record id must be a string') };
    if (id === undefined && !mergeOn) return { ok: false, reply: apiError(422, 'INVALID_RECORDS', 'Each record needs an id unless performUpsert is set') };
    for (const [name, value] of Object.entries(fields)) {
      const refused = refusal(name, value);
      if (refused) return { ok: false, reply: apiError(422, refused.type, refused.message) };
    }
    parsed.push({ ...(id === undefined ? {} : { id }), fields: fields as Record<string, unknown> });
  }
  return { ok: true, records: parsed, mergeOn };
}

/** Replaces a record's fields with `values` (null clears), keeping the indexes current. */
function setFields(state: SandboxState, dataset: Dataset, index: number, values: Record<string, unknown>) {
  const stored = dataset.fields(index);
  for (const key of Object.keys(stored)) delete stored[key];
  for (const [key, value] of Object.entries(values)) if (value !== null && value !== undefined) stored[key] = value;
  reindex(state, dataset, index);
}

function writeRecords(ctx: RequestContext): Reply {
  const resolved = resolveTable(ctx, 'data.records:write');
  if (!resolved.ok) return resolved.reply;
  const { dataset, account } = resolved;
  const limited = rateLimit(ctx.state, account.base.id);
  if (limited) return limited;
  ctx.state.countDataRequest(`${PROFILE.id}.recordWrites`);
  const write = readWrite(ctx);
  if (!write.ok) return write.reply;
  // Resolve every record before changing any: the request succeeds or fails whole.
  const plan: { record: WriteRecord; index: number | null }[] = [];
  for (const record of write.records) {
    if (record.id) {
      const index = dataset.indexOf(record.id);
      if (index === undefined || dataset.isDeleted(index)) return notFound();
      plan.push({ record, index });
      continue;
    }
    const mergeOn = write.mergeOn as string[];
    const candidates = mergeOn
      .map((field) => new Set(recordsWith(ctx.state, dataset, field, record.fields[field])))
      .reduce((a, b) => new Set([...a].filter((i) => b.has(i))));
    if (candidates.size > 1) return apiError(422, 'INVALID_VALUE_FOR_COLUMN', `Cannot upsert: ${candidates.size} records match the fields to merge on`);
    plan.push({ record, index: candidates.size === 1 ? [...candidates][0] : null });
  }
  const created: string[] = [];
  const updated: string[] = [];
  const answered = plan.map(({ record, index }) => {
    if (index === null) {
      // Two records of one request with the same key: the second updates what the first created.
      const again = write.mergeOn ? write.mergeOn.map((f) => recordsWith(ctx.state, dataset, f, record.fields[f])).find((found) => found.length === 1)?.[0] : undefined;
      if (again === undefined) {
        const fresh = dataset.create(ctx.state.data.tick());
        setFields(ctx.state, dataset, fresh, record.fields);
        created.push(dataset.idOf(fresh));
        return render(dataset, fresh);
      }
      index = again;
    }
    const before = { ...dataset.fields(index) };
    // The change is logged (and so shows in webhook payloads); the generated edit is undone.
    dataset.update(index, ctx.state.data.tick());
    setFields(ctx.state, dataset, index, { ...before, ...record.fields });
    updated.push(dataset.idOf(index));
    return render(dataset, index);
  });
  return json(200, { records: answered, ...(write.mergeOn ? { createdRecords: created, updatedRecords: updated } : {}) });
}

function deleteRecords(ctx: RequestContext): Reply {
  const resolved = resolveTable(ctx, 'data.records:write');
  if (!resolved.ok) return resolved.reply;
  const { dataset, account } = resolved;
  const limited = rateLimit(ctx.state, account.base.id);
  if (limited) return limited;
  ctx.state.countDataRequest(`${PROFILE.id}.recordWrites`);
  const ids = ctx.query.getAll('records[]');
  if (ids.length === 0 || ids.length > MAX_RECORDS_PER_WRITE) return apiError(422, 'INVALID_RECORDS', `Give 1 to ${MAX_RECORDS_PER_WRITE} records[] to delete`);
  const indices = ids.map((id) => dataset.indexOf(id));
  if (indices.some((index) => index === undefined || dataset.isDeleted(index))) return notFound();
  for (const index of indices as number[]) dataset.remove(index, ctx.state.data.tick());
  return json(200, { records: ids.map((id) => ({ id, deleted: true })) });
}

const TABLE_PATTERN = /^\/v0\/(?<baseId>app[A-Za-z0-9]+)\/(?<table>[^/]+)$/;

export const apiRoutes: Route[] = [
  {
    method: 'GET',
    hosts: [API_HOST],
    path: '/v0/meta/bases',
    handle(ctx) {
      const auth = authorize(ctx, 'schema.bases:read');
      if (!auth.ok) return auth.reply;
      return json(200, { bases: [{ id: auth.account.base.id, name: auth.account.base.name, permissionLevel: 'create' }] });
    },
  },
  {
    method: 'GET',
    hosts: [API_HOST],
    path: '/v0/meta/bases/{baseId}/tables',
    pattern: /^\/v0\/meta\/bases\/(?<baseId>[^/]+)\/tables$/,
    handle(ctx) {
      const auth = authorize(ctx, 'schema.bases:read');
      if (!auth.ok) return auth.reply;
      if (ctx.params.baseId !== auth.account.base.id) return notFound();
      const { table } = auth.account;
      return json(200, { tables: [{ id: table.id, name: table.name, primaryFieldId: FIELDS[0].id, fields: FIELDS, views: [{ id: 'viwSbxGrid0000001', name: 'Grid view', type: 'grid' }] }] });
    },
  },
  { method: 'GET', hosts: [API_HOST], path: '/v0/{baseId}/{tableIdOrName}', pattern: TABLE_PATTERN, handle: listRecords },
  { method: 'PATCH', hosts: [API_HOST], path: '/v0/{baseId}/{tableIdOrName}', pattern: TABLE_PATTERN, handle: writeRecords },
  { method: 'DELETE', hosts: [API_HOST], path: '/v0/{baseId}/{tableIdOrName}', pattern: TABLE_PATTERN, handle: deleteRecords },
];
