// The whitelist of transforms. Each compiles once, from arguments the schema already checked,
// into a pure step (value, record) → value | Failure. Empty values pass through every step but
// default and coalesce, so a missing field stays missing instead of failing.
import * as dates from './dates';
import { compileDatePattern } from './dates';
import type { Scalar, Source, Transform } from './language';
import { LIMITS } from './limits';
import { compileGetter, getterFor, parsePath, type Getter } from './paths';
import * as phones from './phones';
import type { CountryCode } from './phones';
import { compileSafeRegex } from './safe-regex';
import * as values from './values';

// Per-record code uses local bindings: transpiled module interop (tsx's CommonJS output, bundlers'
// live bindings) turns every access to an imported name into a getter call, which was measurable.
const { Failure, isEmpty, parseNumeric, preview } = values;
const { toE164 } = phones;
const { dateOf, instantOf, inRange, isoInstant, parseIso, readDate, readWithPattern, isoDate, zonedToInstant, zonedString } = dates;
const REGEX_INPUT = LIMITS.regexInput;

export type Step = (value: unknown, record: unknown) => unknown;

/** Applies `fn` to a string, or to each string of a list; anything else passes through. */
function onStrings(fn: (text: string) => unknown): Step {
  return (value) => {
    if (typeof value === 'string') return fn(value);
    if (!Array.isArray(value)) return value;
    const out: unknown[] = [];
    for (const item of value) {
      const mapped = typeof item === 'string' ? fn(item) : item;
      if (mapped instanceof Failure) return mapped;
      out.push(mapped);
    }
    return out;
  };
}

const isScalar = (value: unknown): value is string | number | boolean =>
  typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));

/** A part of a joined value: scalars as text, trimmed (stray spaces would double up); else undefined. */
function part(value: unknown): string | undefined {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return trimmed === '' ? undefined : trimmed;
  }
  return isScalar(value) ? String(value) : undefined;
}

function joinScalars(values: readonly unknown[], separator: string): string | undefined {
  let out: string | undefined;
  for (const value of values) {
    const text = part(value);
    if (text !== undefined) out = out === undefined ? text : out + separator + text;
  }
  return out;
}

function splitName(part: 'first' | 'last'): Step {
  return onStrings((text) => {
    const name = text.trim().replace(/\s+/g, ' ');
    if (name === '') return undefined;
    const comma = name.indexOf(',');
    // "Lovelace, Ada" is the family name first.
    const [first, last] = comma >= 0 ? [name.slice(comma + 1).trim(), name.slice(0, comma).trim()] : splitAtFirstSpace(name);
    const chosen = part === 'first' ? first : last;
    return chosen === '' ? undefined : chosen;
  });
}

function splitAtFirstSpace(name: string): [string, string] {
  const space = name.indexOf(' ');
  return space < 0 ? [name, ''] : [name.slice(0, space), name.slice(space + 1)];
}

function normaliseEmail(text: string): string {
  let email = text.trim();
  if (email.length > 7 && email.slice(0, 7).toLowerCase() === 'mailto:') email = email.slice(7);
  if (email.startsWith('<') && email.endsWith('>')) email = email.slice(1, -1);
  return email.trim().toLowerCase();
}

/** Simple case folding of one character, kept only when it keeps the UTF-16 length (offsets line up). */
function foldChar(ch: string): string {
  if (ch === '\u0131') return ch; // dotless i has no case folding (JavaScript's /iu leaves it alone)
  const upper = ch.toUpperCase();
  const folded = upper.length === ch.length ? upper.toLowerCase() : ch.toLowerCase();
  return folded.length === ch.length ? folded : ch;
}

const ASCII = /^[\x00-\x7f]*$/;
const folds = new Map<string, string>();

/** Text folded character by character, each at its own offset: K/k/\u212a, σ/ς/Σ, s/ſ compare equal. */
function foldText(text: string): string {
  if (ASCII.test(text)) return text.toLowerCase();
  let out = '';
  for (const ch of text) {
    if (ch.charCodeAt(0) < 128) {
      out += ch.toLowerCase();
      continue;
    }
    let folded = folds.get(ch);
    if (folded === undefined) {
      folded = foldChar(ch);
      if (folds.size < 10_000) folds.set(ch, folded);
    }
    out += folded;
  }
  return out;
}

/** A literal found case-insensitively: indexOf on folded text, no pattern compiled at all. */
function replaceIgnoringCase(find: string, replacement: string, all: boolean): (text: string) => string {
  const needle = foldText(find);
  return (text) => {
    const haystack = foldText(text);
    let at = haystack.indexOf(needle);
    if (at < 0) return text;
    let out = '';
    let last = 0;
    while (at >= 0) {
      out += text.slice(last, at) + replacement;
      last = at + needle.length;
      if (!all) break;
      at = haystack.indexOf(needle, last);
    }
    return out + text.slice(last);
  };
}

function replace(t: Extract<Transform, { op: 'replace' }>): Step {
  if (!t.regex) {
    if (t.ignoreCase) return onStrings(replaceIgnoringCase(t.find, t.with, t.all));
    return onStrings(t.all ? (text) => text.split(t.find).join(t.with) : (text) => text.replace(t.find, () => t.with));
  }
  // A user pattern runs on RE2 (linear time), on text up to the cap, within the record's budget.
  const regex = compileSafeRegex(t.find, { ignoreCase: t.ignoreCase });
  return onStrings((text) => {
    if (text.length > REGEX_INPUT) {
      return new Failure('too_long', `replace: text is longer than ${REGEX_INPUT} characters, the most a pattern runs on`);
    }
    return regex.replace(text, t.with, t.all);
  });
}

function mapValues(t: Extract<Transform, { op: 'mapValues' }>): Step {
  const table = new Map<string, Scalar>();
  for (const [key, value] of Object.entries(t.table)) table.set(t.ignoreCase ? key.toLowerCase() : key, value);
  const lookup = (value: unknown): unknown => {
    if (!isScalar(value)) return value;
    const key = t.ignoreCase ? String(value).toLowerCase() : String(value);
    const mapped = table.get(key);
    if (mapped !== undefined) return mapped;
    return t.fallback !== undefined ? t.fallback : value;
  };
  return (value) => {
    if (isEmpty(value)) return value;
    return Array.isArray(value) ? value.map(lookup) : lookup(value);
  };
}

function toNumber(decimal: '.' | ','): Step {
  const grouping = decimal === '.' ? /[,\s'_]/g : /[.\s'_]/g;
  return (value) => {
    if (typeof value !== 'string' || value === '') {
      if (typeof value === 'boolean') return new Failure('number', `toNumber: ${preview(value)} is not a number`);
      return value;
    }
    let number = parseNumeric(value);
    if (Number.isNaN(number)) {
      let cleaned = value.trim().replace(grouping, '');
      if (decimal === ',') cleaned = cleaned.replace(',', '.');
      number = parseNumeric(cleaned);
    }
    return Number.isNaN(number) ? new Failure('number', `toNumber: ${preview(value)} is not a number`) : number;
  };
}

const TRUTHY = ['true', 'yes', 'y', '1', 'on'];
const FALSY = ['false', 'no', 'n', '0', 'off'];

function toBoolean(t: Extract<Transform, { op: 'toBoolean' }>): Step {
  const truthy = new Set((t.truthy ?? TRUTHY).map((word) => word.trim().toLowerCase()));
  const falsy = new Set((t.falsy ?? FALSY).map((word) => word.trim().toLowerCase()));
  return (value) => {
    if (typeof value === 'boolean' || isEmpty(value)) return value;
    if (isScalar(value)) {
      const word = String(value).trim().toLowerCase();
      if (truthy.has(word)) return true;
      if (falsy.has(word)) return false;
    }
    return new Failure('boolean', `toBoolean: ${preview(value)} is neither true nor false`);
  };
}

function epochStep(unit: number): Step {
  return (value) => {
    if (isEmpty(value)) return value;
    const number = typeof value === 'number' ? value : typeof value === 'string' ? parseNumeric(value.trim()) : NaN;
    const ms = number * unit;
    return inRange(ms) ? isoInstant(Math.round(ms)) : new Failure('date', `parseDate: ${preview(value)} is not an epoch ${unit === 1 ? 'millisecond' : 'second'} time`);
  };
}

function parseDate(t: Extract<Transform, { op: 'parseDate' }>): Step {
  if (t.format === 'epochMs') return epochStep(1);
  if (t.format === 'epochSeconds') return epochStep(1000);
  const pattern = t.format === 'iso' ? undefined : compileDatePattern(t.format);
  if (pattern && !pattern.ok) throw new Error(pattern.message);
  const fail = (value: unknown) => new Failure('date', `parseDate: ${preview(value)} does not match ${t.format}`);
  return (value) => {
    if (isEmpty(value)) return value;
    if (typeof value !== 'string') return fail(value);
    const text = value.trim();
    const parts = pattern ? readWithPattern(text, pattern.parts) : parseIso(text);
    if (!parts) return fail(value);
    if (!parts.hasTime) return isoDate(parts.year, parts.month, parts.day);
    const ms = zonedToInstant(parts, t.timeZone);
    return inRange(ms) ? isoInstant(ms) : fail(value);
  };
}

function formatDate(t: Extract<Transform, { op: 'formatDate' }>): Step {
  const zone = t.timeZone;
  return (value) => {
    if (isEmpty(value)) return value;
    const date = readDate(value);
    if (!date) return new Failure('date', `formatDate: ${preview(value)} is not a date`);
    if (t.style === 'date') return dateOf(date, zone);
    const ms = instantOf(date, zone);
    if (!inRange(ms)) return new Failure('date', `formatDate: ${preview(value)} is out of range`);
    return t.style === 'zoned' ? zonedString(ms, zone as string) : isoInstant(ms);
  };
}

function addMinutes(t: Extract<Transform, { op: 'addMinutes' }>): Step {
  const minutesFrom: Getter | undefined = t.path === undefined ? undefined : getterFor(t.path);
  return (value, record) => {
    if (isEmpty(value)) return value;
    const date = readDate(value);
    if (!date) return new Failure('date', `addMinutes: ${preview(value)} is not a date`);
    let minutes = t.minutes;
    if (minutesFrom) {
      const raw = minutesFrom(record);
      minutes = typeof raw === 'number' ? raw : typeof raw === 'string' ? parseNumeric(raw.trim()) : NaN;
      // Without a duration the end is unknown: leave the field empty rather than guess.
      if (!Number.isFinite(minutes)) return undefined;
    }
    const ms = instantOf(date) + (minutes as number) * 60_000;
    return inRange(ms) ? isoInstant(ms) : new Failure('date', 'addMinutes: the result is out of range');
  };
}

function phoneE164(country: CountryCode | undefined): Step {
  return (value) => {
    if (isEmpty(value)) return value;
    const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
    if (typeof text !== 'string') return new Failure('phone', `phoneE164: ${preview(value)} is not a phone number`);
    return toE164(text, country) ?? new Failure('phone', `phoneE164: ${preview(value)} is not a phone number${country ? ` (default country ${country})` : ''}`);
  };
}

const matches = (actual: unknown, expected: Scalar) => actual === expected || (isScalar(actual) && String(actual) === String(expected));

function pick(t: Extract<Transform, { op: 'pick' }>): Step {
  if (t.where) {
    const field = getterFor(t.where.path);
    const expected = t.where.equals;
    return (value) => {
      if (!Array.isArray(value)) return undefined;
      for (const item of value) if (matches(field(item), expected)) return item;
      return undefined;
    };
  }
  const item = t.item as 'first' | 'last' | number;
  const index = item === 'first' ? 0 : item === 'last' ? -1 : item;
  return (value) => {
    if (!Array.isArray(value)) return index === 0 || index === -1 ? value : undefined;
    return value[index < 0 ? value.length + index : index];
  };
}

function pluck(path: string): Step {
  const get = getterFor(path);
  return (value) => {
    if (!Array.isArray(value)) return isEmpty(value) ? value : get(value);
    const out: unknown[] = [];
    for (const item of value) {
      const got = get(item);
      if (got !== undefined) out.push(got);
    }
    return out;
  };
}

function coalesce(paths: readonly string[]): Step {
  const getters = paths.map(getterFor);
  return (value, record) => {
    if (!isEmpty(value)) return value;
    for (const get of getters) {
      const candidate = get(record);
      if (!isEmpty(candidate)) return candidate;
    }
    return value;
  };
}

function concat(paths: readonly string[], separator: string): Step {
  const getters = paths.map(getterFor);
  return (value, record) => {
    let out = part(value);
    for (const get of getters) {
      const text = part(get(record));
      if (text !== undefined) out = out === undefined ? text : out + separator + text;
    }
    return out;
  };
}

export function compileTransform(t: Transform): Step {
  switch (t.op) {
    case 'trim':
      return onStrings((text) => text.trim());
    case 'lower':
      return onStrings((text) => text.toLowerCase());
    case 'upper':
      return onStrings((text) => text.toUpperCase());
    case 'normaliseEmail':
      return onStrings(normaliseEmail);
    case 'splitName':
      return splitName(t.part);
    case 'join':
      return (value) => (Array.isArray(value) ? joinScalars(value, t.separator) : value);
    case 'concat':
      return concat(t.paths, t.separator);
    case 'replace':
      return replace(t);
    case 'default': {
      const fallback = t.value;
      return (value) => (isEmpty(value) ? fallback : value);
    }
    case 'mapValues':
      return mapValues(t);
    case 'toNumber':
      return toNumber(t.decimalSeparator);
    case 'toBoolean':
      return toBoolean(t);
    case 'parseDate':
      return parseDate(t);
    case 'formatDate':
      return formatDate(t);
    case 'addMinutes':
      return addMinutes(t);
    case 'phoneE164':
      return phoneE164(t.defaultCountry as CountryCode | undefined);
    case 'pick':
      return pick(t);
    case 'get': {
      const get = getterFor(t.path);
      return (value) => get(value);
    }
    case 'pluck':
      return pluck(t.path);
    case 'coalesce':
      return coalesce(t.paths);
  }
}

/** Source values: a path, the first non-empty of several, several joined, or a constant. */
export function compileSource(source: Source): (record: unknown) => unknown {
  if (typeof source === 'string') {
    const parsed = parsePath(source);
    if (!parsed.ok) throw new Error(parsed.message);
    return compileGetter(parsed.segments);
  }
  if ('const' in source) {
    const value = source.const;
    return () => value;
  }
  if ('coalesce' in source) {
    const first = coalesce(source.coalesce);
    return (record) => first(undefined, record);
  }
  const join = concat(source.concat.slice(1), source.separator);
  const head = getterFor(source.concat[0]);
  return (record) => join(head(record), record);
}
