// Keyset paging and capped counts for the dashboard's lists (issue 15). A list is ordered newest
// first by a timestamp with the row id breaking ties, and one index covers each list's filters and
// that order, so any page costs one index descent plus the page's rows — where OFFSET walked every
// row before the page. A cursor is the (timestamp, id) of a row the client saw: `after` continues
// past the last row of a page (older rows), `before` goes back from its first row (newer rows).
// Totals stop counting at COUNT_CAP: "10,000+" tells a person as much as 1,000,000 would, and
// counting every matching row was most of each list's time at volume.
import { asc, count, desc, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import { HttpError } from '../http/errors';
import type { Queryable } from './engine';

/** Totals above this are reported as "COUNT_CAP+" (`totalCapped: true`). */
export const COUNT_CAP = 10_000;

/** A row's place in a newest-first list: its timestamp in microseconds since the epoch (exact) and its id. */
export interface KeysetPosition {
  micros: number;
  id: string;
}

/** Query-string fields of a keyset-paged list (spread into the route's zod schema). */
export function cursorQuery() {
  const cursor = z.string().max(200, { error: 'cursor is too long' });
  return { after: cursor.optional(), before: cursor.optional() };
}

export function encodeCursor(position: KeysetPosition): string {
  return Buffer.from(JSON.stringify([position.micros, position.id])).toString('base64url');
}

export function decodeCursor(cursor: string, name = 'cursor'): KeysetPosition {
  try {
    const [micros, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof micros === 'number' && Number.isSafeInteger(micros) && typeof id === 'string' && z.uuid().safeParse(id).success) return { micros, id };
  } catch {
    // fall through: anything unreadable is the same 400
  }
  throw new HttpError('validation_failed', `${name} is not a cursor this list gave out; start again from the first page.`);
}

/** A cursor's instant as SQL (exact to the microsecond). */
export const instantOf = (position: KeysetPosition) => sql`timestamptz 'epoch' + ${position.micros}::bigint * interval '1 microsecond'`;

/** The column's value in exact microseconds, to select beside each row (it becomes the cursor). */
export const microsOf = (column: AnyColumn) => sql<number>`(extract(epoch from ${column}) * 1000000)::bigint`.mapWith(Number);

export interface Keyset {
  time: PgColumn;
  id: PgColumn;
}

/** Which way a page reads: `after` a cursor (or from the top) walks older rows, `before` newer ones. */
export type Direction = 'after' | 'before';

export interface PageRequest {
  after?: string;
  before?: string;
  pageSize: number;
}

/**
 * The condition, order and limit of the requested page. `before` reads ascending from the cursor
 * (so the index still yields exactly the page) and finishPage turns those rows back round.
 */
export interface KeysetWindow {
  where: SQL | undefined;
  orderBy: SQL[];
  limit: number;
  direction: Direction;
  /** The cursor the window starts from, decoded (none on the first page). */
  cursor: KeysetPosition | null;
}

export function keysetWindow(keys: Keyset, request: PageRequest): KeysetWindow {
  const direction: Direction = request.before && !request.after ? 'before' : 'after';
  const cursor = direction === 'before' ? request.before : request.after;
  let where: SQL | undefined;
  const at = cursor ? decodeCursor(cursor, direction) : null;
  if (at) {
    const instant = instantOf(at);
    where =
      direction === 'after'
        ? sql`(${keys.time}, ${keys.id}) < (${instant}, ${at.id}::uuid)`
        : sql`(${keys.time}, ${keys.id}) > (${instant}, ${at.id}::uuid)`;
  }
  const orderBy = direction === 'after' ? [desc(keys.time), desc(keys.id)] : [asc(keys.time), asc(keys.id)];
  return { where, orderBy, limit: request.pageSize + 1, direction, cursor: at };
}

export interface Page<T> {
  rows: T[];
  /** Continues with older rows; null on the last page. */
  nextCursor: string | null;
  /** Goes back to newer rows; null on the first page. */
  prevCursor: string | null;
}

/**
 * Cuts the fetched rows (pageSize + 1, in the window's order) to the page, newest first, with the
 * cursors either side. Each row carries `cursorMicros` (microsOf the time column) and `id`.
 */
export function finishPage<T extends { cursorMicros: number; id: string }>(rows: T[], request: PageRequest, direction: Direction): Page<Omit<T, 'cursorMicros'>> {
  const more = rows.length > request.pageSize;
  const taken = rows.slice(0, request.pageSize);
  const page = direction === 'before' ? taken.reverse() : taken;
  const cursorOf = (row: T | undefined) => (row ? encodeCursor({ micros: row.cursorMicros, id: row.id }) : null);
  const olderExist = direction === 'after' ? more : true;
  const newerExist = direction === 'after' ? Boolean(request.after) : more;
  return {
    rows: page.map(({ cursorMicros: _, ...row }) => row),
    nextCursor: olderExist && page.length > 0 ? cursorOf(page.at(-1)) : null,
    prevCursor: newerExist && page.length > 0 ? cursorOf(page[0]) : null,
  };
}

/**
 * One page of a list: `fetch` runs the list's query with the window's extra condition, order and
 * limit. Going back past the newest row gives the first page itself, full, rather than a short one.
 */
export async function keysetPage<T extends { cursorMicros: number; id: string }>(
  keys: Keyset,
  request: PageRequest,
  fetch: (window: KeysetWindow) => Promise<T[]>,
): Promise<Page<Omit<T, 'cursorMicros'>>> {
  const window = keysetWindow(keys, request);
  const rows = await fetch(window);
  if (window.direction === 'before' && rows.length <= request.pageSize) {
    const top = { pageSize: request.pageSize };
    return finishPage(await fetch(keysetWindow(keys, top)), top, 'after');
  }
  return finishPage(rows, request, window.direction);
}

/** How many rows match, counting no further than COUNT_CAP + 1 (the query stops there). */
export async function cappedCount(tx: Queryable, table: PgTable, where: SQL | undefined): Promise<{ total: number; totalCapped: boolean }> {
  const matching = tx.select({ one: sql`1` }).from(table).where(where).limit(COUNT_CAP + 1).as('matching');
  const [{ total }] = await tx.select({ total: count() }).from(matching);
  const counted = Number(total);
  return { total: Math.min(counted, COUNT_CAP), totalCapped: counted > COUNT_CAP };
}

