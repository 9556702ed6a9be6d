// How many failed verifications a client may cost us. Each rejected delivery is counted in the
// database (store.ts aggregates them per hour), which is a write an unauthenticated sender can
// cause at will; past these limits the endpoint answers 429 with Retry-After and writes nothing.
// Only rejections take tokens: a delivery that verifies is never throttled here, whoever sends it.
//
// Two token buckets, both in memory (per process; limits are per app instance):
// - per client address (lib/http/client-address.ts), so one noisy sender cannot crowd out another;
// - one for everybody, so a sender who can vary its apparent address (a forged X-Forwarded-For
//   when no proxy overwrites it) still cannot make the database write more than this.

export interface RateLimit {
  /** Tokens a full bucket holds: the burst allowed after a quiet period. */
  capacity: number;
  /** Tokens added per second, up to the capacity. */
  refillPerSecond: number;
}

/** A sender with a wrong secret retries with backoff, far below this; a flood does not. */
export const REJECTIONS_PER_CLIENT: RateLimit = { capacity: 60, refillPerSecond: 1 };
export const REJECTIONS_OVERALL: RateLimit = { capacity: 600, refillPerSecond: 20 };
/** Client buckets kept at most; beyond it full buckets (the same as none) and then the oldest go. */
const MAX_CLIENTS = 10_000;

export type Take = { ok: true } | { ok: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  at: number;
}

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly limit: RateLimit,
    private readonly maxKeys = MAX_CLIENTS,
  ) {}

  /** Takes one token from the key's bucket, or says how long until one is there. */
  take(key: string, now: number): Take {
    const bucket = this.current(key, now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      this.remember(key, bucket);
      return { ok: true };
    }
    this.remember(key, bucket);
    const seconds = (1 - bucket.tokens) / this.limit.refillPerSecond;
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(seconds)) };
  }

  /** Gives back a token taken by mistake (the other limit refused). */
  giveBack(key: string): void {
    const bucket = this.buckets.get(key);
    if (bucket) bucket.tokens = Math.min(this.limit.capacity, bucket.tokens + 1);
  }

  get size(): number {
    return this.buckets.size;
  }

  private current(key: string, now: number): Bucket {
    const bucket = this.buckets.get(key);
    if (!bucket) return { tokens: this.limit.capacity, at: now };
    const elapsed = Math.max(0, now - bucket.at) / 1000;
    return { tokens: Math.min(this.limit.capacity, bucket.tokens + elapsed * this.limit.refillPerSecond), at: now };
  }

  /** Re-inserts, so the map's order is least recently used first. */
  private remember(key: string, bucket: Bucket): void {
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    if (this.buckets.size <= this.maxKeys) return;
    const now = bucket.at;
    for (const [other, b] of this.buckets) {
      if (b.tokens + ((now - b.at) / 1000) * this.limit.refillPerSecond >= this.limit.capacity) this.buckets.delete(other);
    }
    // Still too many: forget the least recently seen (they start again with a full bucket).
    const excess = this.buckets.size - Math.floor(this.maxKeys * 0.9);
    if (excess > 0) {
      let dropped = 0;
      for (const other of this.buckets.keys()) {
        if (dropped++ >= excess) break;
        this.buckets.delete(other);
      }
    }
  }
}

export class RejectionLimiter {
  private readonly perClient: TokenBuckets;
  private readonly overall: TokenBuckets;
  private readonly clock: () => number;

  constructor(options: { perClient?: RateLimit; overall?: RateLimit; now?: () => number; maxClients?: number } = {}) {
    this.perClient = new TokenBuckets(options.perClient ?? REJECTIONS_PER_CLIENT, options.maxClients);
    this.overall = new TokenBuckets(options.overall ?? REJECTIONS_OVERALL, 1);
    this.clock = options.now ?? Date.now;
  }

  /** Counts one rejected delivery from this client: ok while both limits allow it. */
  take(client: string): Take {
    const now = this.clock();
    const mine = this.perClient.take(client, now);
    if (!mine.ok) return mine;
    const everyone = this.overall.take('*', now);
    if (!everyone.ok) this.perClient.giveBack(client);
    return everyone;
  }

  /** Client buckets held (tests). */
  get clients(): number {
    return this.perClient.size;
  }
}

const limitersKey = Symbol.for('integration-hub.webhook-rejection-limiters');
type Holder = { [limitersKey]?: WeakMap<object, RejectionLimiter> };

/**
 * The process's limiter for one database (tests open one database per file, and so get their
 * own). Kept on globalThis: both webhook routes and Next's hot reloads see the same buckets.
 */
export function rejectionLimiter(scope: object): RejectionLimiter {
  const holder = globalThis as Holder;
  const limiters = (holder[limitersKey] ??= new WeakMap());
  let limiter = limiters.get(scope);
  if (!limiter) limiters.set(scope, (limiter = new RejectionLimiter()));
  return limiter;
}
