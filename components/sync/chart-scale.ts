// Small helpers for the hand-built SVG chart: round axis maxima and short axis labels.

/** The smallest 1, 2 or 5 × 10ⁿ at or above the value (1 for nothing), so axis labels stay round. */
export function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * magnitude >= value) return step * magnitude;
  return 10 * magnitude;
}

/** 1500 → "1.5k", 2_000_000 → "2M". */
export function shortNumber(value: number): string {
  if (value >= 1_000_000) return `${+(value / 1_000_000).toFixed(1)}M`;
  if (value >= 1_000) return `${+(value / 1_000).toFixed(1)}k`;
  return String(Math.round(value));
}

/** Seconds as "45s", "2m", "1.5h". */
export function shortSeconds(seconds: number): string {
  if (seconds >= 3600) return `${+(seconds / 3600).toFixed(1)}h`;
  if (seconds >= 60) return `${+(seconds / 60).toFixed(1)}m`;
  return `${+seconds.toFixed(1)}s`;
}

/** The x axis ends: "Nov 3", or the time of day when both ends fall on the same day. */
export function axisLabels(firstIso: string, lastIso: string): [string, string] {
  const first = new Date(firstIso);
  const last = new Date(lastIso);
  if (first.toDateString() === last.toDateString()) {
    const time = (d: Date) => d.toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit' });
    return [time(first), time(last)];
  }
  const day = (d: Date) => d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
  return [day(first), day(last)];
}
