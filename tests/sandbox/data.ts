// Provider-side records for the data endpoints: one lazily built dataset per (provider, account,
// resource), a logical clock, a change log, and views that page through them stably.
//
// Model. Record i of a dataset has index i; its id sorts in index order. The initial records
// were created and last modified over the past 90 days in index order, so id order, creation order
// and initial modification order coincide. Every later change (create, update, delete) takes a
// tick of the state's logical clock (milliseconds, strictly increasing) and is appended to the
// change log, so "ordered by modification time" is: initial records never changed since, in
// index order, then the change log. A listing pins a snapshot tick T: it sees each record at its
// position as of T (never twice, never skipped however the data changes while it pages) and
// serves its current content, as real providers approximately do.
import { rngFor, type Rng } from './data-fake';
import type { SandboxState } from './state';

export const DAY_MS = 24 * 60 * 60 * 1000;
const HISTORY_MS = 90 * DAY_MS;
export const DEFAULT_DATASET_SIZE = 120;

export type Fields = Record<string, unknown>;

/** A mutation or count the sandbox cannot apply (unknown dataset, account or id, too few records). */
export class DataControlError extends Error {}

/** A change at the provider, as POST /_sandbox/data takes it (data-control.ts validates it). */
export interface MutationRequest {
  provider: string;
  /** Defaults to the provider's first sandbox account. */
  account?: string;
  resource: string;
  create?: number;
  /** A count takes "the first N live records in id order"; ids name records exactly. */
  update?: number | string[];
  delete?: number | string[];
}

export interface DataMutationResult {
  created: string[];
  updated: string[];
  deleted: string[];
}

export interface GenContext {
  account: string;
  index: number;
  createdAt: number;
  /** Size of another resource of the same account, for references (a booking's customer). */
  sizeOf(resource: string): number;
}

/** What a provider's data file tells the store about one resource. */
export interface ResourceSpec {
  /** '<provider>.<resource>': names the dataset in knobs and stats, and seeds its records. */
  key: string;
  provider: string;
  resource: string;
  /** The external id of record `index`; ids must sort (as strings) in index order. */
  idOf(index: number, account: string): string;
  generate(rng: Rng, ctx: GenContext): Fields;
  /** A user's edit: changes at least one field the provider shows. */
  update(fields: Fields, rng: Rng, ctx: GenContext): void;
  /** When the record happens (bookings), kept in a column so time windows scan fast. */
  startAt?(rng: Rng, ctx: GenContext): number;
}

function grown(array: Float64Array, size: number): Float64Array {
  if (array.length >= size) return array;
  const next = new Float64Array(Math.max(size, array.length * 2));
  next.set(array);
  return next;
}

export class Dataset {
  readonly initialCount: number;
  count: number;
  live: number;
  /** Columns by index. deletedAt is 0 for a live record; firstChange is Infinity until it changes. */
  createdAt: Float64Array;
  /** Modification time as initially generated: increasing in index. */
  readonly baseUpdatedAt: Float64Array;
  updatedAt: Float64Array;
  deletedAt: Float64Array;
  firstChange: Float64Array;
  startAt: Float64Array;
  readonly version: number[] = [];
  /** Position of the record's newest change-log entry, -1 if none. */
  readonly lastLog: number[] = [];
  private readonly fieldCache: (Fields | undefined)[] = [];
  /** The change log: record index, tick, and the tick of that record's next change (Infinity if none yet). */
  readonly logIndex: number[] = [];
  readonly logTick: number[] = [];
  readonly logNext: number[] = [];
  private idMap?: Map<string, number>;

  constructor(
    readonly spec: ResourceSpec,
    readonly account: string,
    size: number,
    readonly sizeOf: (resource: string) => number,
  ) {
    const anchor = Date.now();
    this.initialCount = this.count = this.live = size;
    this.createdAt = new Float64Array(size);
    this.baseUpdatedAt = new Float64Array(size);
    this.deletedAt = new Float64Array(size);
    this.firstChange = new Float64Array(size).fill(Infinity);
    this.startAt = new Float64Array(spec.startAt ? size : 0);
    // createdAt(i) and updatedAt(i) both fall in [i, i + 0.75) steps, so both increase with i.
    const step = HISTORY_MS / Math.max(size, 1);
    const base = anchor - HISTORY_MS;
    for (let i = 0; i < size; i++) {
      const rng = rngFor(spec.key, account, i, 'time');
      const created = base + Math.floor((i + 0.25 * rng()) * step);
      this.createdAt[i] = created;
      this.baseUpdatedAt[i] = created + Math.floor(0.5 * rng() * step);
      if (spec.startAt) this.startAt[i] = spec.startAt(rng, this.context(i));
      this.version.push(1);
      this.lastLog.push(-1);
    }
    this.updatedAt = Float64Array.from(this.baseUpdatedAt);
  }

  context(index: number): GenContext {
    return { account: this.account, index, createdAt: this.createdAt[index], sizeOf: this.sizeOf };
  }

  idOf(index: number): string {
    return this.spec.idOf(index, this.account);
  }

  indexOf(id: string): number | undefined {
    if (!this.idMap) {
      this.idMap = new Map();
      for (let i = 0; i < this.count; i++) this.idMap.set(this.idOf(i), i);
    }
    return this.idMap.get(id);
  }

  /** The record's fields, generated on first use and kept (mutations edit them in place). */
  fields(index: number): Fields {
    let fields = this.fieldCache[index];
    if (!fields) {
      fields = this.spec.generate(rngFor(this.spec.key, this.account, index), this.context(index));
      this.fieldCache[index] = fields;
    }
    return fields;
  }

  isDeleted(index: number): boolean {
    return this.deletedAt[index] !== 0;
  }

  private log(index: number, tick: number): void {
    const previous = this.lastLog[index];
    if (previous >= 0) this.logNext[previous] = tick;
    else this.firstChange[index] = tick;
    this.lastLog[index] = this.logTick.length;
    this.logIndex.push(index);
    this.logTick.push(tick);
    this.logNext.push(Infinity);
  }

  create(tick: number): number {
    const index = this.count++;
    for (const column of ['createdAt', 'updatedAt', 'deletedAt', 'firstChange', 'startAt'] as const) {
      if (column !== 'startAt' || this.spec.startAt) this[column] = grown(this[column], this.count);
    }
    this.createdAt[index] = this.updatedAt[index] = tick;
    this.deletedAt[index] = 0;
    this.version.push(1);
    this.lastLog.push(-1);
    if (this.spec.startAt) this.startAt[index] = this.spec.startAt(rngFor(this.spec.key, this.account, index, 'time'), this.context(index));
    this.idMap?.set(this.idOf(index), index);
    this.live += 1;
    this.log(index, tick);
    return index;
  }

  update(index: number, tick: number): void {
    const version = ++this.version[index];
    this.spec.update(this.fields(index), rngFor(this.spec.key, this.account, index, 'v', version), this.context(index));
    this.updatedAt[index] = tick;
    this.log(index, tick);
  }

  remove(index: number, tick: number): void {
    this.version[index] += 1;
    this.deletedAt[index] = this.updatedAt[index] = tick;
    this.live -= 1;
    this.log(index, tick);
  }
}

/** Everything data-related one sandbox state holds; reset() forgets it. */
export class DataStore {
  private clock = 0;
  readonly datasets = new Map<string, Dataset>();
  /** Server-side listing state (query locators, stateful searches), oldest first. */
  readonly listings = new Map<string, unknown>();
  private serial = 0;

  /** The next tick: now, or one past the last tick when several fall in one millisecond. */
  tick(): number {
    this.clock = Math.max(Date.now(), this.clock + 1);
    return this.clock;
  }

  /** The snapshot a listing starts from. Later ticks are greater, earlier ones not. */
  snapshot(): number {
    this.clock = Math.max(Date.now(), this.clock);
    return this.clock;
  }

  nextSerial(): number {
    return ++this.serial;
  }

  /** Keeps at most `limit` listings: the oldest expire as real server-side cursors do. */
  remember(key: string, value: unknown, limit = 64): void {
    this.listings.delete(key);
    this.listings.set(key, value);
    while (this.listings.size > limit) this.listings.delete(this.listings.keys().next().value as string);
  }

  clear(): void {
    this.clock = 0;
    this.serial = 0;
    this.datasets.clear();
    this.listings.clear();
  }
}

export function datasetSize(state: SandboxState, key: string): number {
  return (state.knobs.dataset as Record<string, number> | undefined)?.[key] ?? DEFAULT_DATASET_SIZE;
}

/** The account's dataset, built on first use (or rebuilt when the dataset knob changed its size). */
export function getDataset(state: SandboxState, spec: ResourceSpec, account: string): Dataset {
  const id = `${spec.key}|${account}`;
  const size = datasetSize(state, spec.key);
  let dataset = state.data.datasets.get(id);
  if (!dataset || dataset.initialCount !== size) {
    const provider = spec.provider;
    const sizeOf = (resource: string) => datasetSize(state, `${provider}.${resource}`);
    dataset = new Dataset(spec, account, size, sizeOf);
    state.data.datasets.set(id, dataset);
  }
  return dataset;
}
