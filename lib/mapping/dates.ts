// Dates without a date library. Two kinds of value flow through a mapping as strings:
// a calendar date "2026-05-01" (no zone: it is the same day everywhere) and an instant
// "2026-05-01T09:30:00.000Z" (always UTC). Wall-clock times in a named zone are resolved with
// Intl.DateTimeFormat, whose zone database is the runtime's.
import { LIMITS } from './limits';

export interface DateParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  hasTime: boolean;
  /** Minutes east of UTC when the text carried an offset ("Z" = 0), else null. */
  offset: number | null;
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
const daysIn = (year: number, month: number) => (month === 2 && isLeap(year) ? 29 : DAYS[month - 1]);

/** The number in text[at, at+length) if all are ASCII digits, else -1. */
function digits(text: string, at: number, length: number): number {
  if (at + length > text.length) return -1;
  let value = 0;
  for (let i = at; i < at + length; i++) {
    const code = text.charCodeAt(i) - 48;
    if (code < 0 || code > 9) return -1;
    value = value * 10 + code;
  }
  return value;
}

export function validParts(p: DateParts): boolean {
  return (
    p.year >= 1 &&
    p.year <= 9999 &&
    p.month >= 1 &&
    p.month <= 12 &&
    p.day >= 1 &&
    p.day <= daysIn(p.year, p.month) &&
    p.hour >= 0 &&
    p.hour <= 23 &&
    p.minute >= 0 &&
    p.minute <= 59 &&
    p.second >= 0 &&
    p.second <= 59
  );
}

/**
 * ISO 8601 as providers write it: 2026-05-01, 2026-05-01T09:30, …T09:30:00, …T09:30:00.123,
 * with Z, ±HH:MM, ±HHMM or ±HH (Salesforce writes +0000); a space may replace the T.
 */
export function parseIso(text: string): DateParts | undefined {
  if (text.length < 10 || text.length > 40) return undefined;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  if (year < 0 || month < 0 || day < 0 || text[4] !== '-' || text[7] !== '-') return undefined;
  const parts: DateParts = { year, month, day, hour: 0, minute: 0, second: 0, millisecond: 0, hasTime: false, offset: null };
  if (text.length === 10) return validParts(parts) ? parts : undefined;
  if (text[10] !== 'T' && text[10] !== ' ') return undefined;
  parts.hasTime = true;
  parts.hour = digits(text, 11, 2);
  parts.minute = digits(text, 14, 2);
  if (parts.hour < 0 || parts.minute < 0 || text[13] !== ':') return undefined;
  let at = 16;
  if (text[at] === ':') {
    parts.second = digits(text, at + 1, 2);
    if (parts.second < 0) return undefined;
    at += 3;
    if (text[at] === '.' || text[at] === ',') {
      // Milliseconds: the first three fraction digits; finer precision is dropped.
      let end = at + 1;
      let millisecond = 0;
      while (end < text.length && end - at <= 9 && text.charCodeAt(end) >= 48 && text.charCodeAt(end) <= 57) {
        if (end - at <= 3) millisecond = millisecond * 10 + (text.charCodeAt(end) - 48);
        end++;
      }
      if (end === at + 1) return undefined;
      for (let scale = end - at - 1; scale < 3; scale++) millisecond *= 10;
      parts.millisecond = millisecond;
      at = end;
    }
  }
  if (at < text.length) {
    const sign = text[at];
    if (sign === 'Z' || sign === 'z') {
      parts.offset = 0;
      at++;
    } else if (sign === '+' || sign === '-') {
      const hours = digits(text, at + 1, 2);
      let minutes = 0;
      let end = at + 3;
      if (text[end] === ':') {
        minutes = digits(text, end + 1, 2);
        end += 3;
      } else if (end < text.length) {
        minutes = digits(text, end, 2);
        end += 2;
      }
      if (hours < 0 || hours > 18 || minutes < 0 || minutes > 59) return undefined;
      parts.offset = (sign === '-' ? -1 : 1) * (hours * 60 + minutes);
      at = end;
    }
  }
  if (at !== text.length) return undefined;
  return validParts(parts) ? parts : undefined;
}

/** "2026-05-01T09:30:00.000Z" exactly (what toISOString writes), checked without allocating. */
export function isCanonicalInstant(text: string): boolean {
  if (text.length !== 24 || text.charCodeAt(23) !== 90 || text[4] !== '-' || text[7] !== '-' || text[10] !== 'T') return false;
  if (text[13] !== ':' || text[16] !== ':' || text[19] !== '.' || digits(text, 20, 3) < 0) return false;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month) && hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 59;
}

/** Milliseconds since the epoch of a wall-clock reading taken as UTC. */
export function wallMs(p: Pick<DateParts, 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'millisecond'>): number {
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999.
  date.setUTCFullYear(p.year, p.month - 1, p.day);
  date.setUTCHours(p.hour, p.minute, p.second, p.millisecond);
  return date.getTime();
}

const formatters = new Map<string, Intl.DateTimeFormat>();

export function isTimeZone(name: unknown): boolean {
  if (typeof name !== 'string' || name.length === 0 || name.length > 64) return false;
  try {
    zoneFormatter(name);
    return true;
  } catch {
    return false;
  }
}

function zoneFormatter(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall-clock reading in `zone` at instant `ms`. */
export function wallIn(zone: string, ms: number): Wall {
  const wall: Wall = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of zoneFormatter(zone).formatToParts(ms)) {
    if (part.type in wall) wall[part.type as keyof Wall] = Number(part.value);
  }
  wall.hour %= 24;
  return wall;
}

/** Minutes east of UTC in `zone` at instant `ms`. */
export function offsetIn(zone: string, ms: number): number {
  const whole = ms - (((ms % 1000) + 1000) % 1000);
  return Math.round((wallMs({ ...wallIn(zone, whole), millisecond: 0 }) - whole) / 60_000);
}

/** The instant a wall-clock reading denotes in `zone` (UTC when no zone is given). */
export function zonedToInstant(parts: DateParts, zone: string | undefined): number {
  const wall = wallMs(parts);
  if (parts.offset !== null) return wall - parts.offset * 60_000;
  if (!zone) return wall;
  // Two passes settle the offset around DST changes (a skipped hour resolves forwards).
  const first = wall - offsetIn(zone, wall) * 60_000;
  return wall - offsetIn(zone, first) * 60_000;
}

const MIN_MS = wallMs({ year: 1, month: 1, day: 1, hour: 0, minute: 0, second: 0, millisecond: 0 });
const MAX_MS = wallMs({ year: 9999, month: 12, day: 31, hour: 23, minute: 59, second: 59, millisecond: 999 });

export const inRange = (ms: number) => Number.isFinite(ms) && ms >= MIN_MS && ms <= MAX_MS;

export const isoInstant = (ms: number) => new Date(ms).toISOString();

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export const isoDate = (year: number, month: number, day: number) => `${pad(year, 4)}-${pad(month)}-${pad(day)}`;

/** A value read as a date: a calendar date, or an instant in milliseconds. */
export type DateValue = { kind: 'date'; year: number; month: number; day: number } | { kind: 'instant'; ms: number };

/**
 * What coercion and the date transforms accept: an ISO string (no offset = UTC) or epoch
 * milliseconds. Anything else is not a date.
 */
export function readDate(value: unknown, zone?: string): DateValue | undefined {
  if (typeof value === 'number') return inRange(value) ? { kind: 'instant', ms: value } : undefined;
  if (typeof value !== 'string') return undefined;
  const parts = parseIso(value.length > 0 && (value.charCodeAt(0) <= 32 || value.charCodeAt(value.length - 1) <= 32) ? value.trim() : value);
  if (!parts) return undefined;
  if (!parts.hasTime) return { kind: 'date', year: parts.year, month: parts.month, day: parts.day };
  const ms = zonedToInstant(parts, zone);
  return inRange(ms) ? { kind: 'instant', ms } : undefined;
}

/** Instant of a date value: a calendar date is its midnight in `zone` (UTC by default). */
export function instantOf(value: DateValue, zone?: string): number {
  if (value.kind === 'instant') return value.ms;
  const parts: DateParts = { ...value, hour: 0, minute: 0, second: 0, millisecond: 0, hasTime: true, offset: null };
  return zonedToInstant(parts, zone);
}

/** The calendar date of a date value in `zone` (UTC by default). */
export function dateOf(value: DateValue, zone?: string): string {
  if (value.kind === 'date') return isoDate(value.year, value.month, value.day);
  if (!zone) return isoInstant(value.ms).slice(0, 10);
  const wall = wallIn(zone, value.ms);
  return isoDate(wall.year, wall.month, wall.day);
}

/** "2026-05-01T10:30:00+01:00": the instant as read on a clock in `zone`. */
export function zonedString(ms: number, zone: string): string {
  const wall = wallIn(zone, ms);
  const offset = offsetIn(zone, ms);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${isoDate(wall.year, wall.month, wall.day)}T${pad(wall.hour)}:${pad(wall.minute)}:${pad(wall.second)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

// Explicit patterns ("dd.MM.yyyy HH:mm"): a small fixed vocabulary, compiled to a scanner.

type Field = 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'millisecond';
type PatternPart = { field: Field; min: number; max: number } | { literal: string };

const TOKENS: [string, Field, number, number][] = [
  ['yyyy', 'year', 4, 4],
  ['SSS', 'millisecond', 3, 3],
  ['MM', 'month', 2, 2],
  ['dd', 'day', 2, 2],
  ['HH', 'hour', 2, 2],
  ['mm', 'minute', 2, 2],
  ['ss', 'second', 2, 2],
  ['M', 'month', 1, 2],
  ['d', 'day', 1, 2],
  ['H', 'hour', 1, 2],
];
const LITERALS = new Set([' ', '-', '/', '.', ':', ',', 'T']);
export const NAMED_DATE_FORMATS = ['iso', 'epochMs', 'epochSeconds'] as const;

export type DatePattern = { ok: true; parts: PatternPart[]; hasTime: boolean } | { ok: false; message: string };

export function compileDatePattern(pattern: string): DatePattern {
  if (pattern.length === 0 || pattern.length > LIMITS.datePattern) return { ok: false, message: `date pattern must be 1–${LIMITS.datePattern} characters` };
  const parts: PatternPart[] = [];
  const seen = new Set<Field>();
  let i = 0;
  while (i < pattern.length) {
    const token = TOKENS.find(([text]) => pattern.startsWith(text, i));
    if (token) {
      const [text, field, min, max] = token;
      if (seen.has(field)) return { ok: false, message: `date pattern "${pattern}" names the ${field} twice` };
      seen.add(field);
      parts.push({ field, min, max });
      i += text.length;
    } else if (LITERALS.has(pattern[i])) {
      parts.push({ literal: pattern[i] });
      i++;
    } else {
      return {
        ok: false,
        message: `date pattern "${pattern}" has unsupported "${pattern[i]}" (use yyyy MM M dd d HH H mm ss SSS and the separators - / . : , T space, or iso, epochMs, epochSeconds)`,
      };
    }
  }
  const has = (field: Field) => seen.has(field);
  if (!has('year') || !has('month') || !has('day')) return { ok: false, message: `date pattern "${pattern}" needs yyyy, MM (or M) and dd (or d)` };
  if ((has('minute') && !has('hour')) || (has('second') && !has('minute')) || (has('millisecond') && !has('second'))) {
    return { ok: false, message: `date pattern "${pattern}" skips a time unit (minutes need hours, seconds need minutes, SSS needs seconds)` };
  }
  // Two variable-width numbers side by side ("Md") cannot be told apart.
  for (let k = 1; k < parts.length; k++) {
    const [a, b] = [parts[k - 1], parts[k]];
    if ('field' in a && 'field' in b && (a.min !== a.max || b.min !== b.max)) {
      return { ok: false, message: `date pattern "${pattern}" needs a separator between variable-width fields` };
    }
  }
  return { ok: true, parts, hasTime: has('hour') };
}

/** Reads `text` with a compiled pattern; undefined when it does not fit or is not a real date. */
export function readWithPattern(text: string, parts: PatternPart[]): DateParts | undefined {
  const out: DateParts = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, millisecond: 0, hasTime: false, offset: null };
  let at = 0;
  for (const part of parts) {
    if ('literal' in part) {
      if (text[at] !== part.literal) return undefined;
      at++;
      continue;
    }
    let length = 0;
    while (length < part.max && at + length < text.length && text.charCodeAt(at + length) >= 48 && text.charCodeAt(at + length) <= 57) length++;
    if (length < part.min) return undefined;
    out[part.field] = digits(text, at, length);
    if (part.field === 'hour') out.hasTime = true;
    at += length;
  }
  if (at !== text.length) return undefined;
  return validParts(out) ? out : undefined;
}
