// The last step of every row: the value becomes the target field's type, or a type error.
// Coercion only converts representations ("42" → 42, epoch ms → ISO); it never guesses (a
// national phone number needs phoneE164 with a default country, a label needs mapValues).
import { z } from 'zod';
import * as dates from './dates';
import { OUTPUT_LIMITS } from './limits';
import type { FieldType, ModelField } from './model';
import * as phones from './phones';
import * as values from './values';

// Per-record code uses local bindings: transpiled module interop (tsx's CommonJS output, bundlers'
// live bindings) turns every access to an imported name into a getter call, which was measurable.
const { Failure, parseNumeric, preview } = values;
type Failure = values.Failure;
const { dateOf, isCanonicalInstant, isoInstant, parseIso, readDate } = dates;
const { toE164 } = phones;
const MAX_TEXT = OUTPUT_LIMITS.string;
const MAX_ITEMS = OUTPUT_LIMITS.arrayItems;

export type Coercer = (value: unknown) => unknown;

const EMAIL = z.regexes.email;

export function isEmail(value: string): boolean {
  return value.length <= 254 && EMAIL.test(value);
}

const typeError = (value: unknown, what: string) => new Failure('type', `${preview(value)} is not ${what}`);

function toText(value: unknown): string | Failure {
  if (typeof value === 'string') {
    return value.length <= MAX_TEXT ? value : new Failure('too_long', `text is longer than ${MAX_TEXT} characters`);
  }
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : typeError(value, 'text');
  if (typeof value === 'boolean') return String(value);
  return typeError(value, 'text');
}

function toNumber(value: unknown): number | Failure {
  if (typeof value === 'number') return Number.isFinite(value) ? value : typeError(value, 'a number');
  if (typeof value === 'string') {
    const parsed = parseNumeric(value.trim());
    return Number.isNaN(parsed) ? typeError(value, 'a number') : parsed;
  }
  return typeError(value, 'a number');
}

function toInteger(value: unknown): number | Failure {
  const number = toNumber(value);
  if (number instanceof Failure) return typeError(value, 'a whole number');
  return Number.isSafeInteger(number) ? number : typeError(value, 'a whole number');
}

function toBoolean(value: unknown): boolean | Failure {
  if (typeof value === 'boolean') return value;
  if (value === 1 || value === 0) return value === 1;
  if (typeof value === 'string') {
    const lower = value.trim().toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
  }
  return typeError(value, 'true or false');
}

function toDatetime(value: unknown): string | Failure {
  if (typeof value === 'string' && isCanonicalInstant(value)) return value;
  const date = readDate(value);
  if (!date) return typeError(value, 'a date and time');
  return date.kind === 'instant' ? isoInstant(date.ms) : `${dateOf(date)}T00:00:00.000Z`;
}

/** An instant's calendar date is its UTC date; formatDate with a timeZone picks another zone's day. */
function toDate(value: unknown): string | Failure {
  if (typeof value === 'string' && value.length === 10 && parseIso(value)) return value;
  const date = readDate(value);
  return date ? dateOf(date) : typeError(value, 'a date');
}

function toPhone(value: unknown): string | Failure {
  if (typeof value !== 'string') return typeError(value, 'a phone number');
  return toE164(value) ?? typeError(value, 'an international phone number (add phoneE164 with a default country for national numbers)');
}

function toEmail(value: unknown): string | Failure {
  return typeof value === 'string' && isEmail(value) ? value : typeError(value, 'an email address');
}

function toTextList(value: unknown): string[] | Failure {
  if (!Array.isArray(value)) {
    // An empty text is no item at all, as inside a list: [""] would not be a valid list of names.
    if (value === '') return [];
    const single = toText(value);
    return single instanceof Failure ? single : [single];
  }
  if (value.length > MAX_ITEMS) return new Failure('too_long', `list has more than ${MAX_ITEMS} items`);
  const out: string[] = [];
  for (const item of value) {
    if (item === undefined || item === null || item === '') continue;
    const text = toText(item);
    if (text instanceof Failure) return typeError(item, 'text (in a list)');
    out.push(text);
  }
  return out;
}

function enumCoercer(values: readonly string[]): Coercer {
  const allowed = new Set(values);
  const listed = values.length > 12 ? `${values.slice(0, 12).join(', ')}, …` : values.join(', ');
  return (value) => {
    const text = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
    return text !== undefined && allowed.has(text) ? text : new Failure('type', `${preview(value)} is not one of: ${listed}`);
  };
}

const COERCERS: Record<Exclude<FieldType, 'enum'>, Coercer> = {
  string: toText,
  email: toEmail,
  phone: toPhone,
  number: toNumber,
  integer: toInteger,
  boolean: toBoolean,
  datetime: toDatetime,
  date: toDate,
  'string[]': toTextList,
};

export function coercerFor(field: Pick<ModelField, 'type' | 'values'>): Coercer {
  return field.type === 'enum' ? enumCoercer(field.values ?? []) : COERCERS[field.type];
}

/** Whether `value` can become `type` (the "type" validation). */
export function canCoerce(type: Exclude<FieldType, 'enum'>, value: unknown): boolean {
  return !(COERCERS[type](value) instanceof Failure);
}
