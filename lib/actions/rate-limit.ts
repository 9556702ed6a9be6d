// Per-principal rate limit of the public API: a token bucket per API key (or per signed-in user
// on the in-app console), in memory, so limits are per app instance. Every answer carries the
// IETF httpapi draft's fields (draft-ietf-httpapi-ratelimit-headers, the widely deployed -07 form):
//   RateLimit-Limit      the bucket's capacity (the burst a quiet key may send)
//   RateLimit-Remaining  whole tokens left after this request
//   RateLimit-Reset      seconds until the bucket is full again (0 when it is)
//   RateLimit-Policy     `<capacity>;w=<seconds to refill from empty>`
// and a refused request answers 429 rate_limited with Retry-After (seconds until one token).
//
// API_RATE_LIMIT_PER_MINUTE (default 120) sets both the capacity and the refill (that many per minute).

export interface ApiRateLimit {
  capacity: number;
  refillPerSecond: number;
}

export const DEFAULT_API_RATE_LIMIT_PER_MINUTE = 120;
/** Buckets kept at most; full ones (the same as none) go first, then the least recently used. */
const MAX_BUCKETS = 10_000;

export function apiRateLimitFromEnv(env: Record<string, string | undefined> = process.env): ApiRateLimit {
  const raw = env.API_RATE_LIMIT_PER_MINUTE?.trim();
  let perMinute = DEFAULT_API_RATE_LIMIT_PER_MINUTE;
  if (raw) {
    const parsed = Number(raw);
    if (/^\d+$/.test(raw) && parsed >= 1 && parsed <= 1_000_000) perMinute = parsed;
    else console.warn(`API_RATE_LIMIT_PER_MINUTE=${raw.slice(0, 20)} is not a whole number from 1; keeping ${perMinute}.`);
  }
  return { capacity: perMinute, refillPerSecond: perMinute / 60 };
}

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the bucket is full again. */
  resetSeconds: number;
  /** When refused: seconds until one request is allowed. */
  retryAfterSeconds?: number;
  /** Seconds a full refill takes (the policy's window). */
  windowSeconds: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class ApiRateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    readonly limit: ApiRateLimit = apiRateLimitFromEnv(),
    private readonly maxBuckets = MAX_BUCKETS,
  ) {}

  /** Takes one token for `key` when there is one; says where the bucket stands either way. */
  take(key: string, now = Date.now()): RateDecision {
    const { capacity, refillPerSecond } = this.limit;
    const previous = this.buckets.get(key);
    const tokens = previous ? Math.min(capacity, previous.tokens + (Math.max(0, now - previous.at) / 1000) * refillPerSecond) : capacity;
    const allowed = tokens >= 1;
    const left = allowed ? tokens - 1 : tokens;
    this.buckets.delete(key);
    this.buckets.set(key, { tokens: left, at: now });
    this.evict(now);
    const windowSeconds = Math.ceil(capacity / refillPerSecond);
    return {
      allowed,
      limit: capacity,
      remaining: Math.max(0, Math.floor(left)),
      resetSeconds: Math.max(0, Math.ceil((capacity - left) / refillPerSecond)),
      windowSeconds,
      ...(allowed ? {} : { retryAfterSeconds: Math.max(1, Math.ceil((1 - left) / refillPerSecond)) }),
    };
  }

  get size(): number {
    return this.buckets.size;
  }

  private evict(now: number): void {
    if (this.buckets.size <= this.maxBuckets) return;
    const { capacity, refillPerSecond } = this.limit;
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.at) / 1000) * refillPerSecond >= capacity) this.buckets.delete(key);
    }
    let excess = this.buckets.size - Math.floor(this.maxBuckets * 0.9);
    for (const key of this.buckets.keys()) {
      if (excess-- <= 0) break;
      this.buckets.delete(key);
    }
  }
}

export function rateLimitHeaders(decision: RateDecision): Record<string, string> {
  return {
    'RateLimit-Limit': String(decision.limit),
    'RateLimit-Remaining': String(decision.remaining),
    'RateLimit-Reset': String(decision.resetSeconds),
    'RateLimit-Policy': `${decision.limit};w=${decision.windowSeconds}`,
    ...(decision.retryAfterSeconds !== undefined ? { 'Retry-After': String(decision.retryAfterSeconds) } : {}),
  };
}
