// Free slots from busy time: pure arithmetic, no I/O. Working hours are wall-clock times in an IANA
// zone, turned into instants per local day with Temporal (temporal-polyfill), so DST is the
// library's business, not ours. Within a working period slots step in real time from the period's
// start, which makes DST days come out right by construction:
//  - spring forward: 09:00–17:00 is 8 real hours; a period spanning the gap (00:00–04:00 in London
//    on 2027-03-28) is 3 real hours, and no slot can start at a wall-clock time that does not exist;
//    a working-hours bound inside the gap (01:30) moves forward by the gap (to 02:30), as Temporal's
//    'compatible' disambiguation does;
//  - fall back: every instant is stepped once, so 01:00 BST and 01:00 GMT are two distinct slots
//    (neither duplicated nor missing); an ambiguous period start takes the earlier instant and an
//    ambiguous end the later one, so the period covers everything its wall-clock bounds say.
import { Temporal } from 'temporal-polyfill';

const MINUTE_MS = 60_000;

export interface WorkingHours {
  /** ISO weekdays: 1 Monday … 7 Sunday, of the local day a period starts on. */
  days: readonly number[];
  /** HH:MM local; an end at or before the start ends on the next day (overnight hours). */
  start: string;
  end: string;
}

/** An interval between two instants (ISO 8601 with Z or an offset); the end is exclusive. */
export interface TimeRange {
  start: string;
  end: string;
}

export interface SlotQuery {
  /** The window: slots start at or after `start` and end at or before `end`. */
  start: string;
  end: string;
  durationMinutes: number;
  /** Slots start on multiples of this from the start of each working period; default the duration. */
  stepMinutes?: number;
  timeZone: string;
  /** Absent: the whole window is one working period. */
  workingHours?: WorkingHours;
  /** Free time a slot needs before its start and after its end. */
  bufferBeforeMinutes?: number;
  bufferAfterMinutes?: number;
  /** No slot starts sooner than this after `now`. */
  minimumNoticeMinutes?: number;
  now: Date;
  /** Busy time in any order, overlapping or not. */
  busy: readonly TimeRange[];
}

/** An interval in epoch milliseconds; the end is exclusive. */
export interface Span {
  start: number;
  end: number;
}

const toMs = (iso: string) => Temporal.Instant.from(iso).epochMilliseconds;
/** UTC formatting is no zone arithmetic, and Date does it fast ("2027-03-28T08:00:00Z"). */
const toIso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/** Sorted, disjoint spans; overlapping and touching ones are joined. Empty spans are dropped. */
export function mergeSpans(spans: readonly Span[]): Span[] {
  const sorted = spans.filter((span) => span.end > span.start).sort((a, b) => a.start - b.start);
  const merged: Span[] = [];
  for (const span of sorted) {
    const last = merged.at(-1);
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ ...span });
  }
  return merged;
}

/** The stretch whose busy time decides the window's slots: the window widened by the buffers. */
export function busyWindow(query: Pick<SlotQuery, 'start' | 'end' | 'bufferBeforeMinutes' | 'bufferAfterMinutes'>): TimeRange {
  return {
    start: toIso(toMs(query.start) - (query.bufferBeforeMinutes ?? 0) * MINUTE_MS),
    end: toIso(toMs(query.end) + (query.bufferAfterMinutes ?? 0) * MINUTE_MS),
  };
}

/** Whether [start, end) meets any of the sorted disjoint spans. */
function overlaps(spans: readonly Span[], start: number, end: number): boolean {
  // The first span ending after `start`; it overlaps when it begins before `end`.
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (spans[mid].end <= start) lo = mid + 1;
    else hi = mid;
  }
  return lo < spans.length && spans[lo].start < end;
}

/** Whether [start, end) is free of the busy time (unmerged is fine). */
export function isFree(busy: readonly TimeRange[], range: TimeRange): boolean {
  const spans = mergeSpans(busy.map((b) => ({ start: toMs(b.start), end: toMs(b.end) })));
  return !overlaps(spans, toMs(range.start), toMs(range.end));
}

/** The working periods (instants) that can reach into [windowStart, windowEnd). */
function workingPeriods(hours: WorkingHours, timeZone: string, windowStart: number, windowEnd: number): Span[] {
  const days = new Set(hours.days);
  const startTime = Temporal.PlainTime.from(hours.start);
  const endTime = Temporal.PlainTime.from(hours.end);
  const overnight = Temporal.PlainTime.compare(endTime, startTime) <= 0;
  const localDate = (ms: number) => Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(timeZone).toPlainDate();
  // From the day before: an overnight period that began then may still be running.
  const last = localDate(windowEnd);
  const periods: Span[] = [];
  for (let date = localDate(windowStart).subtract({ days: 1 }); Temporal.PlainDate.compare(date, last) <= 0; date = date.add({ days: 1 })) {
    if (!days.has(date.dayOfWeek)) continue;
    const start = date.toPlainDateTime(startTime).toZonedDateTime(timeZone, { disambiguation: 'compatible' });
    const endDate = overnight ? date.add({ days: 1 }) : date;
    const end = endDate.toPlainDateTime(endTime).toZonedDateTime(timeZone, { disambiguation: 'later' });
    const period = { start: start.epochMilliseconds, end: end.epochMilliseconds };
    if (period.end > windowStart && period.start < windowEnd && period.end > period.start) periods.push(period);
  }
  return periods;
}

/** The free slots of the query, in order, as UTC instants. */
export function freeSlots(query: SlotQuery): TimeRange[] {
  const windowStart = toMs(query.start);
  const windowEnd = toMs(query.end);
  const duration = query.durationMinutes * MINUTE_MS;
  const step = (query.stepMinutes ?? query.durationMinutes) * MINUTE_MS;
  if (!(duration > 0) || !(step > 0) || windowEnd <= windowStart) return [];
  const before = (query.bufferBeforeMinutes ?? 0) * MINUTE_MS;
  const after = (query.bufferAfterMinutes ?? 0) * MINUTE_MS;
  const earliest = Math.max(windowStart, query.now.getTime() + (query.minimumNoticeMinutes ?? 0) * MINUTE_MS);
  const busy = mergeSpans(query.busy.map((b) => ({ start: toMs(b.start), end: toMs(b.end) })));
  const periods = query.workingHours
    ? workingPeriods(query.workingHours, query.timeZone, windowStart, windowEnd)
    : [{ start: windowStart, end: windowEnd }];

  const starts = new Set<number>();
  for (const period of periods) {
    const last = Math.min(period.end, windowEnd) - duration;
    // Slots keep to the period's grid: skip whole steps to the first one not too early.
    const skip = earliest > period.start ? Math.ceil((earliest - period.start) / step) : 0;
    for (let start = period.start + skip * step; start <= last; start += step) {
      if (!overlaps(busy, start - before, start + duration + after)) starts.add(start);
    }
  }
  return [...starts].sort((a, b) => a - b).map((start) => ({ start: toIso(start), end: toIso(start + duration) }));
}

/** The time within [from, to) outside the spans: what is busy for someone free only during them. */
export function busyOutside(spans: readonly Span[], from: number, to: number): TimeRange[] {
  const busy: TimeRange[] = [];
  let cursor = from;
  for (const span of mergeSpans(spans)) {
    if (span.start > cursor) busy.push({ start: toIso(cursor), end: toIso(Math.min(span.start, to)) });
    cursor = Math.max(cursor, span.end);
    if (cursor >= to) break;
  }
  if (cursor < to) busy.push({ start: toIso(cursor), end: toIso(to) });
  return busy.filter((b) => Date.parse(b.end) > Date.parse(b.start));
}

/**
 * Slots any one of several people can take, each free only within their own spans (booking
 * systems answer with staff members' free windows rather than busy time): the union of each one's
 * slots, in order, a slot offered once however many can take it.
 */
export function slotsInAnyFreeSpans(query: Omit<SlotQuery, 'busy'>, freeSpansByPerson: Iterable<readonly Span[]>, from: number, to: number): TimeRange[] {
  const starts = new Map<number, TimeRange>();
  for (const spans of freeSpansByPerson) {
    for (const slot of freeSlots({ ...query, busy: busyOutside(spans, from, to) })) starts.set(Date.parse(slot.start), slot);
  }
  return [...starts.entries()].sort(([a], [b]) => a - b).map(([, slot]) => slot);
}

/**
 * Slots at starts a provider's own booking grid chose (epoch ms), in order and each once, kept
 * only where the request's own constraints (working hours, minimum notice) would offer exactly
 * that slot. The provider decides the starts; checking each one alone with a one-minute step only
 * asks "does this one fit?".
 */
export function slotsAtOfferedStarts(
  query: Pick<SlotQuery, 'durationMinutes' | 'timeZone' | 'workingHours' | 'minimumNoticeMinutes' | 'now'>,
  starts: Iterable<number>,
): TimeRange[] {
  const duration = query.durationMinutes * MINUTE_MS;
  const { durationMinutes, timeZone, workingHours, minimumNoticeMinutes, now } = query;
  return [...new Set(starts)]
    .sort((a, b) => a - b)
    .map((start) => ({ start: toIso(start), end: toIso(start + duration) }))
    .filter((slot) => freeSlots({ ...slot, durationMinutes, stepMinutes: 1, timeZone, workingHours, minimumNoticeMinutes, now, busy: [] }).length > 0);
}
