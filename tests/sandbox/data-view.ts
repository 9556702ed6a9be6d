// Ordered, filtered views over a dataset, paged by position, and the opaque page tokens that carry
// a listing's snapshot from page to page. See data.ts for the ordering model.
import { z } from 'zod';
import type { Dataset } from './data';
import { tag } from './data-fake';

export type Membership = 'live' | 'deleted' | 'all';

export interface ViewQuery {
  /** 'id' = index (and creation) order; 'modified' = modification time, then index. */
  order: 'id' | 'modified';
  /** Tick the listing started at: records created later are not part of it. */
  snapshot: number;
  /** Judged on the record's current state. */
  include: Membership;
  /** Modification-time bounds (ms): as of the snapshot in modified order, current in id order. */
  min?: { value: number; inclusive: boolean };
  /** Inclusive upper bound. */
  max?: number;
  where?: (index: number) => boolean;
}

/** Where a view resumes: part 0 walks indices, part 1 (modified order only) the change log. */
export interface Position {
  part: 0 | 1;
  at: number;
}

/** First k in [0, length) with values[k] > value (or >= when inclusive); values must not decrease. */
export function lowerBound(values: ArrayLike<number>, length: number, value: number, inclusive: boolean): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (inclusive ? values[mid] < value : values[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function admits(dataset: Dataset, query: ViewQuery, index: number): boolean {
  if (query.include === 'live' && dataset.isDeleted(index)) return false;
  if (query.include === 'deleted' && !dataset.isDeleted(index)) return false;
  return !query.where || query.where(index);
}

function aboveMin(query: ViewQuery, stamp: number): boolean {
  if (!query.min) return true;
  return query.min.inclusive ? stamp >= query.min.value : stamp > query.min.value;
}

/**
 * Visits the view's records in order from `start`. `visit` returns false to stop *before*
 * consuming that record; scan then returns its position (where the next page starts), or
 * undefined when the view is exhausted.
 */
export function scan(dataset: Dataset, query: ViewQuery, start: Position | undefined, visit: (index: number) => boolean): Position | undefined {
  const { snapshot } = query;
  const max = query.max ?? Infinity;
  if (query.order === 'id') {
    for (let i = start?.at ?? 0; i < dataset.count; i++) {
      // Created records take increasing ticks, so the first one past the snapshot ends the view.
      if (dataset.createdAt[i] > snapshot) break;
      const stamp = dataset.updatedAt[i];
      if (!aboveMin(query, stamp) || stamp > max || !admits(dataset, query, i)) continue;
      if (!visit(i)) return { part: 0, at: i };
    }
    return undefined;
  }

  if (!start || start.part === 0) {
    const from = start?.at ?? (query.min ? lowerBound(dataset.baseUpdatedAt, dataset.initialCount, query.min.value, query.min.inclusive) : 0);
    for (let i = from; i < dataset.initialCount; i++) {
      // Every change-log tick is later than every initial stamp, so past `max` nothing is left.
      if (dataset.baseUpdatedAt[i] > max) return undefined;
      // Changed by the snapshot: it sits in the change log instead.
      if (dataset.firstChange[i] <= snapshot || !admits(dataset, query, i)) continue;
      if (!visit(i)) return { part: 0, at: i };
    }
  }
  const ticks = dataset.logTick;
  const from = start?.part === 1 ? start.at : query.min ? lowerBound(ticks, ticks.length, query.min.value, query.min.inclusive) : 0;
  for (let p = from; p < ticks.length; p++) {
    const tick = ticks[p];
    if (tick > snapshot || tick > max) break;
    // Only the record's last change by the snapshot places it.
    if (dataset.logNext[p] <= snapshot || !aboveMin(query, tick)) continue;
    const index = dataset.logIndex[p];
    if (!admits(dataset, query, index)) continue;
    if (!visit(index)) return { part: 1, at: p };
  }
  return undefined;
}

export interface Page {
  indices: number[];
  /** Where the next page starts; absent on the last page (so a last page is never empty-followed). */
  next?: Position;
}

export function readPage(dataset: Dataset, query: ViewQuery, start: Position | undefined, limit: number): Page {
  const indices: number[] = [];
  const next = scan(dataset, query, start, (index) => {
    if (indices.length === limit) return false;
    indices.push(index);
    return true;
  });
  return { indices, next };
}

/** The whole view as of now, for providers that keep a result set server-side. */
export function collect(dataset: Dataset, query: ViewQuery): Int32Array {
  const indices: number[] = [];
  scan(dataset, query, undefined, (index) => {
    indices.push(index);
    return true;
  });
  return Int32Array.from(indices);
}

const cursorSchema = z.object({
  /** Binds the token to one dataset and listing shape. */
  b: z.string(),
  t: z.number(),
  p: z.union([z.literal(0), z.literal(1)]),
  a: z.number().int().min(0),
  /** 1-based number of the page this token fetches. */
  n: z.number().int().min(1),
  /** Listing parameters fixed on the first page. */
  q: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).default({}),
});
export type ListingParams = Record<string, string | number | boolean | null>;

export interface ListingCursor {
  snapshot: number;
  position: Position;
  page: number;
  params: ListingParams;
}

/** A short tag naming what a token belongs to (dataset, account, endpoint...). */
export const bindingOf = (...parts: string[]) => tag(parts.join('|'));

export function encodeCursor(binding: string, cursor: ListingCursor): string {
  const value = { b: binding, t: cursor.snapshot, p: cursor.position.part, a: cursor.position.at, n: cursor.page, q: cursor.params };
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** The cursor, or undefined when the token is malformed or belongs to another listing. */
export function decodeCursor(binding: string, token: string): ListingCursor | undefined {
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(token, 'base64url').toString('utf8')));
    if (!parsed.success || parsed.data.b !== binding) return undefined;
    const { t, p, a, n, q } = parsed.data;
    return { snapshot: t, position: { part: p, at: a }, page: n, params: q };
  } catch {
    return undefined;
  }
}

/** The first page's cursor, or the decoded one: what every stateless-token provider starts with. */
export function startListing(
  snapshot: () => number,
  binding: string,
  token: string | null | undefined,
  params: ListingParams,
): { ok: true; cursor: ListingCursor; first: boolean } | { ok: false } {
  if (!token) return { ok: true, first: true, cursor: { snapshot: snapshot(), position: { part: 0, at: -1 }, page: 1, params } };
  const cursor = decodeCursor(binding, token);
  return cursor ? { ok: true, first: false, cursor } : { ok: false };
}

/** readPage from a cursor (position at -1 means "from the start"); returns the next token if any. */
export function pageFrom(dataset: Dataset, query: ViewQuery, cursor: ListingCursor, limit: number, binding: string) {
  const start = cursor.position.at < 0 ? undefined : cursor.position;
  const page = readPage(dataset, query, start, limit);
  const nextToken = page.next
    ? encodeCursor(binding, { ...cursor, position: page.next, page: cursor.page + 1 })
    : undefined;
  return { indices: page.indices, nextToken };
}
