// When a failed delivery is tried again: exponential-ish steps spanning about a day (the schedule
// Standard Webhooks senders commonly use), each with ±20 % jitter so an endpoint coming back is
// not hit by every queued delivery in the same second. After the last step the delivery fails.
export const RETRY_SCHEDULE_MS = [
  5_000, // 5 s
  5 * 60_000, // 5 min
  30 * 60_000, // 30 min
  2 * 3_600_000, // 2 h
  5 * 3_600_000, // 5 h
  10 * 3_600_000, // 10 h
  10 * 3_600_000, // 10 h
] as const;

/** Attempts a delivery gets in all: the first and one per step. */
export const MAX_ATTEMPTS = RETRY_SCHEDULE_MS.length + 1;

export const JITTER = 0.2;

/**
 * The wait after the `attempts`-th failed attempt (1-based), or null when none is left.
 * `random` in [0, 1) picks the jitter (injectable for tests).
 */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number | null {
  if (attempts < 1 || attempts > RETRY_SCHEDULE_MS.length) return null;
  const base = RETRY_SCHEDULE_MS[attempts - 1];
  return Math.round(base * (1 - JITTER + 2 * JITTER * random()));
}

/**
 * An endpoint whose every attempt has failed for this long is disabled and raises a health issue.
 * Longer than the retry schedule (about 33 h) so one outage over a weekend is not enough on its own,
 * short enough that nobody keeps queueing a week of deliveries for a receiver that is gone.
 */
export const DISABLE_AFTER_FAILING_MS = 5 * 24 * 3_600_000;
