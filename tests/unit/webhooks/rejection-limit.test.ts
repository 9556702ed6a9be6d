// The allowance of rejected webhook deliveries: token buckets per client and for everybody,
// Retry-After from the refill rate, bounded memory, and the hourly rejection buckets.
import { describe, expect, it } from 'vitest';
import { REJECTION_BUCKET_MS, rejectionBucket } from '@/lib/webhooks/ingest';
import { RejectionLimiter, TokenBuckets } from '@/lib/webhooks/rejection-limit';

describe('TokenBuckets', () => {
  it('allows a burst of its capacity, then refuses with the wait until the next token', () => {
    const buckets = new TokenBuckets({ capacity: 3, refillPerSecond: 0.25 });
    const t = 1_000_000;
    expect([1, 2, 3].map(() => buckets.take('a', t).ok)).toEqual([true, true, true]);
    expect(buckets.take('a', t)).toEqual({ ok: false, retryAfterSeconds: 4 });
    expect(buckets.take('a', t + 3_000)).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(buckets.take('a', t + 4_000)).toEqual({ ok: true });
    // Refilling stops at the capacity.
    expect([1, 2, 3, 4].map(() => buckets.take('a', t + 3_600_000).ok)).toEqual([true, true, true, false]);
  });

  it('keeps one bucket per key', () => {
    const buckets = new TokenBuckets({ capacity: 1, refillPerSecond: 0.01 });
    expect(buckets.take('a', 0).ok).toBe(true);
    expect(buckets.take('a', 0).ok).toBe(false);
    expect(buckets.take('b', 0).ok).toBe(true);
  });

  it('holds a bounded number of keys however many clients appear', () => {
    const buckets = new TokenBuckets({ capacity: 2, refillPerSecond: 1 }, 100);
    for (let i = 0; i < 10_000; i++) buckets.take(`client-${i}`, i);
    expect(buckets.size).toBeLessThanOrEqual(100);
    // A client just refused stays remembered (the least recently seen go first).
    const busy = new TokenBuckets({ capacity: 1, refillPerSecond: 0.001 }, 100);
    busy.take('noisy', 0);
    for (let i = 0; i < 1_000; i++) {
      busy.take(`client-${i}`, 0);
      expect(busy.take('noisy', 0).ok).toBe(false);
    }
  });
});

describe('RejectionLimiter', () => {
  it('counts a rejection against the client and against everybody', () => {
    let now = 0;
    const limiter = new RejectionLimiter({ perClient: { capacity: 2, refillPerSecond: 1 }, overall: { capacity: 3, refillPerSecond: 1 }, now: () => now });
    expect(limiter.take('a').ok).toBe(true);
    expect(limiter.take('a').ok).toBe(true);
    expect(limiter.take('a')).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(limiter.take('b').ok).toBe(true);
    // Everybody's allowance is spent: b is refused although its own bucket has a token left...
    expect(limiter.take('b').ok).toBe(false);
    now += 1_000;
    // ...which it kept: one more second gave everybody one token, and b uses it.
    expect(limiter.take('b').ok).toBe(true);
    expect(limiter.take('c').ok).toBe(false);
  });
});

describe('rejectionBucket', () => {
  it('names the scheme and the hour a rejection falls in', () => {
    expect(REJECTION_BUCKET_MS).toBe(3_600_000);
    const a = rejectionBucket('hubspot-v3', new Date('2026-12-06T21:00:00.000Z'));
    expect(a).toBe('hubspot-v3:2026-12-06T21:00:00.000Z');
    expect(rejectionBucket('hubspot-v3', new Date('2026-12-06T21:59:59.999Z'))).toBe(a);
    expect(rejectionBucket('hubspot-v3', new Date('2026-12-06T22:00:00.000Z'))).not.toBe(a);
    expect(rejectionBucket('square', new Date('2026-12-06T21:30:00.000Z'))).not.toBe(a);
  });
});
