// Password hashing for local accounts: bcrypt, computed in a small pool of worker threads
// (lib/auth/bcrypt-worker.mjs, bcryptjs) so that no hash ever runs on the event loop that serves
// every tenant, and behind a gate: at most `concurrency` hashes run at once and at most `queue`
// wait; anything beyond is refused at once with 503 and Retry-After rather than queued, so a
// burst of sign-ins or sign-ups costs a bounded amount of CPU and waiting.
//
// Hashes are the format auth.users holds in both modes: `$2a$10$…`, as pgcrypto's
// crypt(…, gen_salt('bf', 10)) and Supabase Auth write them; hashes made either way verify here.
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { HttpError } from '../http/errors';

/** bcrypt's cost (log2 rounds), the same as gen_salt('bf', 10) and Supabase Auth's default. */
export const BCRYPT_COST = 10;

/** A well-formed bcrypt hash (any cost, $2a$/$2b$/$2y$), the only kind compared for real. */
const BCRYPT_HASH = /^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/;

// A bcrypt hash (cost 10) of 32 random bytes nobody kept: compared against when the email has no
// account, or its stored value is no bcrypt hash, so the answer takes as long as a real check.
const TIMING_DUMMY_HASH = '$2a$10$QsJ3.NuvFnYrb55mTSEBaOLHZsnXsdPkQwUkc.GBENbfohKh0tk.S';

export interface HasherLimits {
  /** Hashes computed at once (worker threads). */
  concurrency: number;
  /** Hashes allowed to wait for a worker; past this the gate refuses. */
  queue: number;
}

/** The defaults: one worker per core but one (at most four, at least one), and a short queue. */
export function defaultHasherLimits(env: NodeJS.ProcessEnv = process.env): HasherLimits {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  const concurrency = positiveInt(env.PASSWORD_HASH_CONCURRENCY) ?? Math.max(1, Math.min(4, cores - 1));
  const queue = nonNegativeInt(env.PASSWORD_HASH_QUEUE) ?? 16;
  return { concurrency, queue };
}

function positiveInt(value: string | undefined): number | undefined {
  const n = Number(value);
  return value && Number.isInteger(n) && n > 0 ? n : undefined;
}

function nonNegativeInt(value: string | undefined): number | undefined {
  const n = Number(value);
  return value && Number.isInteger(n) && n >= 0 ? n : undefined;
}

/** The gate is full: 503 with Retry-After, so clients back off instead of piling on. */
export class HashingBusyError extends HttpError {
  readonly retryAfterSeconds = 1;

  constructor() {
    super('unavailable', 'Too many sign-ins are being checked right now. Try again in a moment.');
    this.name = 'HashingBusyError';
  }
}

type HashRequest = { op: 'hash'; password: string; cost: number } | { op: 'compare'; password: string; hash: string };
type Job = HashRequest & { resolve: (value: unknown) => void; reject: (error: Error) => void };

interface Slot {
  worker: Worker;
  job: Job | null;
  id: number;
}

export class PasswordHasher {
  private readonly slots = new Set<Slot>();
  private readonly waiting: Job[] = [];
  private nextId = 0;

  constructor(readonly limits: HasherLimits = defaultHasherLimits()) {}

  /** Hashes computing and waiting right now. */
  get load(): { running: number; queued: number } {
    return { running: [...this.slots].filter((s) => s.job).length, queued: this.waiting.length };
  }

  /** A new `$2a$` hash of the password. Throws HashingBusyError when the gate is full. */
  hash(password: string, cost = BCRYPT_COST): Promise<string> {
    return this.submit({ op: 'hash', password, cost }) as Promise<string>;
  }

  /**
   * Whether the password matches the stored hash. A missing or malformed hash is compared
   * against a dummy (same cost) and answers false, so the time taken says nothing about it.
   */
  async verify(password: string, stored: string | null | undefined): Promise<boolean> {
    const real = typeof stored === 'string' && BCRYPT_HASH.test(stored);
    const matched = (await this.submit({ op: 'compare', password, hash: real ? stored : TIMING_DUMMY_HASH })) as boolean;
    return real && matched;
  }

  /** Ends every worker (tests; a hasher is otherwise kept for the process's life). */
  async close(): Promise<void> {
    for (const job of this.waiting.splice(0)) job.reject(new HashingBusyError());
    await Promise.all([...this.slots].map((slot) => slot.worker.terminate()));
    this.slots.clear();
  }

  private submit(request: HashRequest): Promise<unknown> {
    const busy = this.load;
    if (busy.running >= this.limits.concurrency && busy.queued >= this.limits.queue) {
      return Promise.reject(new HashingBusyError());
    }
    return new Promise((resolve, reject) => {
      this.waiting.push({ ...request, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.waiting.length) {
      const slot = this.freeSlot();
      if (!slot) return;
      const job = this.waiting.shift()!;
      slot.job = job;
      slot.id = ++this.nextId;
      // A worker running a job keeps the process alive until it answers; an idle one does not.
      slot.worker.ref();
      slot.worker.postMessage(
        job.op === 'hash'
          ? { id: slot.id, op: job.op, password: job.password, cost: job.cost }
          : { id: slot.id, op: job.op, password: job.password, hash: job.hash },
      );
    }
  }

  private freeSlot(): Slot | null {
    for (const slot of this.slots) if (!slot.job) return slot;
    if (this.slots.size >= this.limits.concurrency) return null;
    const worker = new Worker(new URL('./bcrypt-worker.mjs', import.meta.url));
    worker.unref();
    const slot: Slot = { worker, job: null, id: 0 };
    worker.on('message', (answer: { id: number; result?: unknown; error?: string }) => {
      if (answer.id !== slot.id || !slot.job) return;
      const job = slot.job;
      slot.job = null;
      worker.unref();
      if (answer.error !== undefined) job.reject(new Error(`Password hashing failed (${answer.error}).`));
      else job.resolve(answer.result);
      this.pump();
    });
    const lost = (why: string) => {
      if (!this.slots.delete(slot)) return;
      slot.job?.reject(new Error(`Password hashing failed (worker ${why}).`));
      slot.job = null;
      this.pump();
    };
    worker.on('error', (error) => lost(error.name));
    worker.on('exit', (code) => lost(`exited with code ${code}`));
    this.slots.add(slot);
    return slot;
  }
}

const globalKey = Symbol.for('integration-hub.password-hasher');
type Holder = { [globalKey]?: PasswordHasher };

/** The process's hasher (kept across Next's hot reloads, like the database). */
export function passwordHasher(): PasswordHasher {
  const holder = globalThis as Holder;
  holder[globalKey] ??= new PasswordHasher();
  return holder[globalKey];
}

/** Replaces the process's hasher (tests: other limits); returns the previous one. */
export function setPasswordHasher(hasher: PasswordHasher): PasswordHasher | undefined {
  const holder = globalThis as Holder;
  const previous = holder[globalKey];
  holder[globalKey] = hasher;
  return previous;
}
