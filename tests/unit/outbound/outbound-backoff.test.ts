import { describe, expect, it } from 'vitest';
import { DISABLE_AFTER_FAILING_MS, JITTER, MAX_ATTEMPTS, RETRY_SCHEDULE_MS, retryDelayMs } from '@/lib/outbound/backoff';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('outbound retry schedule', () => {
  it('is 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h', () => {
    expect(RETRY_SCHEDULE_MS).toEqual([5_000, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR, 10 * HOUR]);
    expect(MAX_ATTEMPTS).toBe(8);
  });

  it('spans about a day in all (27.6 h, 22–33 h with jitter)', () => {
    const total = RETRY_SCHEDULE_MS.reduce((sum, ms) => sum + ms, 0);
    expect(total).toBe(27 * HOUR + 35 * MINUTE + 5_000);
    expect(total * (1 - JITTER)).toBeGreaterThan(20 * HOUR);
    expect(total * (1 + JITTER)).toBeLessThan(36 * HOUR);
    // Disabling waits for longer than a whole schedule.
    expect(DISABLE_AFTER_FAILING_MS).toBeGreaterThan(total * (1 + JITTER));
  });

  it('puts the jitter within ±20 % of each step', () => {
    RETRY_SCHEDULE_MS.forEach((base, i) => {
      expect(retryDelayMs(i + 1, () => 0)).toBe(Math.round(base * 0.8));
      expect(retryDelayMs(i + 1, () => 0.5)).toBe(base);
      expect(retryDelayMs(i + 1, () => 0.999999)).toBeLessThanOrEqual(Math.round(base * 1.2));
    });
  });

  it('grows with every attempt', () => {
    for (let attempt = 2; attempt <= RETRY_SCHEDULE_MS.length; attempt++) {
      expect(retryDelayMs(attempt, () => 0.5)!).toBeGreaterThanOrEqual(retryDelayMs(attempt - 1, () => 0.5)!);
    }
  });

  it('has no step after the last one', () => {
    expect(retryDelayMs(RETRY_SCHEDULE_MS.length + 1)).toBeNull();
    expect(retryDelayMs(0)).toBeNull();
  });
});
