// What the Airtable sandbox remembers besides the records (forgotten on reset): the webhooks the
// app created, per-base request times for the rate limit, and an index of each table's match-key
// values so upserts of large tables stay fast.
import type { Dataset } from '../../data';
import type { SandboxState } from '../../state';

export interface Hook {
  id: string;
  baseId: string;
  accountId: string;
  clientId: string;
  notificationUrl: string | null;
  macSecretBase64: string;
  specification: unknown;
  /** The logical-clock tick at creation: payloads are the table's changes after it. */
  createdTick: number;
  createdTime: string;
  expiresAt: number;
  enabled: boolean;
}

export interface RateWindow {
  times: number[];
  blockedUntil: number;
}

interface Book {
  generation: unknown;
  hooks: Map<string, Hook>;
  rate: Map<string, RateWindow>;
  indexes: WeakMap<Dataset, { field: string; count: number; byValue: Map<string, Set<number>> }[]>;
}
const BOOKS = new WeakMap<SandboxState, Book>();

export function bookOf(state: SandboxState): Book {
  let book = BOOKS.get(state);
  // reset() replaces stats: a new generation starts with nothing remembered.
  if (!book || book.generation !== state.stats) {
    book = { generation: state.stats, hooks: new Map(), rate: new Map(), indexes: new WeakMap() };
    BOOKS.set(state, book);
  }
  return book;
}

const keyOf = (value: unknown) => (value === undefined || value === null ? '' : String(value));

/** The live records whose `field` equals `value` (as text), via an index kept current on writes. */
export function recordsWith(state: SandboxState, dataset: Dataset, field: string, value: unknown): number[] {
  const book = bookOf(state);
  let indexes = book.indexes.get(dataset);
  if (!indexes) book.indexes.set(dataset, (indexes = []));
  let index = indexes.find((i) => i.field === field);
  if (!index) indexes.push((index = { field, count: 0, byValue: new Map() }));
  // Records created since (by the data control API, or other writes) join the index first.
  for (; index.count < dataset.count; index.count++) addTo(index.byValue, keyOf(dataset.fields(index.count)[field]), index.count);
  const found = [...(index.byValue.get(keyOf(value)) ?? [])];
  // Entries are checked against the record as it is now (edits by the data control API never
  // touch matchable fields, but deletions happen).
  return found.filter((i) => !dataset.isDeleted(i) && keyOf(dataset.fields(i)[field]) === keyOf(value));
}

function addTo(map: Map<string, Set<number>>, key: string, index: number) {
  const set = map.get(key) ?? new Set<number>();
  set.add(index);
  map.set(key, set);
}

/** Keeps the indexes current after a write changed a record's fields. */
export function reindex(state: SandboxState, dataset: Dataset, index: number): void {
  for (const entry of bookOf(state).indexes.get(dataset) ?? []) {
    if (index >= entry.count) continue;
    addTo(entry.byValue, keyOf(dataset.fields(index)[entry.field]), index);
  }
}
