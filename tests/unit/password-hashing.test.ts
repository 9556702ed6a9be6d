// Issue 12, finding 7: bcrypt runs in worker threads behind a bounded gate, never on the event loop.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import bcrypt from 'bcryptjs';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultHasherLimits, HashingBusyError, PasswordHasher } from '@/lib/auth/password-hashing';

const hashers: PasswordHasher[] = [];
const hasher = (concurrency: number, queue: number) => {
  const made = new PasswordHasher({ concurrency, queue });
  hashers.push(made);
  return made;
};
afterEach(async () => {
  await Promise.all(hashers.splice(0).map((h) => h.close()));
});

describe('PasswordHasher', () => {
  it('writes $2a$10$ hashes that bcrypt verifies, and verifies them', async () => {
    const h = hasher(1, 4);
    const hash = await h.hash('correct horse battery');
    expect(hash).toMatch(/^\$2a\$10\$[./A-Za-z0-9]{53}$/);
    expect(bcrypt.compareSync('correct horse battery', hash)).toBe(true);
    expect(await h.verify('correct horse battery', hash)).toBe(true);
    expect(await h.verify('wrong horse battery', hash)).toBe(false);
  });

  it('verifies hashes made elsewhere ($2a$, $2b$, other costs) and answers false for a missing or malformed one', async () => {
    const h = hasher(1, 4);
    expect(await h.verify('pässwörd ✓', bcrypt.hashSync('pässwörd ✓', bcrypt.genSaltSync(4)))).toBe(true);
    expect(await h.verify('pässwörd ✓', bcrypt.hashSync('pässwörd ✓', bcrypt.genSaltSync(4).replace('$2b$', '$2a$')))).toBe(true);
    expect(await h.verify('anything', null)).toBe(false);
    expect(await h.verify('anything', 'plain text')).toBe(false);
    expect(await h.verify('anything', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA')).toBe(false);
  });

  it('takes as long for a missing hash as for a real one (the dummy is a full-cost bcrypt)', async () => {
    const h = hasher(1, 4);
    const real = await h.hash('timing password');
    await h.verify('warm up', real);
    const time = async (stored: string | null) => {
      const started = performance.now();
      await h.verify('timing guess', stored);
      return performance.now() - started;
    };
    const [withHash, without] = [await time(real), await time(null)];
    expect(without).toBeGreaterThan(withHash / 3);
  });

  it('refuses beyond its gate at once (503, Retry-After) instead of queueing without bound', async () => {
    const h = hasher(1, 2);
    const started = performance.now();
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => h.hash('burst password')));
    const refused = outcomes.filter((o) => o.status === 'rejected');
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(3);
    expect(refused).toHaveLength(7);
    for (const r of refused) {
      const reason = (r as PromiseRejectedResult).reason as HashingBusyError;
      expect(reason).toBeInstanceOf(HashingBusyError);
      expect(reason.status).toBe(503);
      expect(reason.code).toBe('unavailable');
      expect(reason.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    }
    expect(h.load).toEqual({ running: 0, queued: 0 });
    // Once the burst is through, the gate admits again.
    expect(await h.verify('burst password', await h.hash('burst password'))).toBe(true);
    expect(performance.now() - started).toBeLessThan(30_000);
  });

  it('keeps the event loop responsive while 20 hashes run (p99 delay < 50 ms)', async () => {
    // The default pool for this machine (one worker per core but one), all 20 admitted.
    const h = hasher(defaultHasherLimits().concurrency, 20);
    await Promise.all(Array.from({ length: h.limits.concurrency }, (_, i) => h.hash(`start worker ${i}`)));
    const histogram = monitorEventLoopDelay({ resolution: 5 });
    const started = performance.now();
    histogram.enable();
    const hashes = await Promise.all(Array.from({ length: 20 }, (_, i) => h.hash(`password number ${i}`)));
    // One more turn of the loop, so a stretch it spent blocked up to here is sampled too.
    await new Promise((resolve) => setTimeout(resolve, 25));
    histogram.disable();
    const elapsed = performance.now() - started;
    expect(hashes.every((hash) => hash.startsWith('$2a$10$'))).toBe(true);
    const p99 = histogram.percentile(99) / 1e6;
    const seen = `event-loop delay over ${elapsed.toFixed(0)} ms: ${histogram.count} samples, p99 ${p99.toFixed(1)} ms, max ${(histogram.max / 1e6).toFixed(1)} ms`;
    // The loop kept turning (a blocked loop samples a handful of times in seconds), and promptly.
    expect(histogram.count, seen).toBeGreaterThan(elapsed / 20);
    expect(p99, seen).toBeLessThan(50);
  });
});
