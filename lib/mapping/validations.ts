// Validations run on the value after coercion to the target field's type, so "min" on a number
// field compares numbers, on a text field lengths and on a date field dates. "required" is not a
// check on a value: the interpreter handles it when a row produces nothing.
import { canCoerce, isEmail } from './coerce';
import { instantOf, readDate } from './dates';
import type { Validation } from './language';
import { LIMITS } from './limits';
import type { FieldType } from './model';
import { toE164, type CountryCode } from './phones';
import { compileSafeRegex } from './safe-regex';
import { Failure, preview } from './values';

export type Check = (value: unknown) => Failure | undefined;

/** Checks each item of a list, or the value itself. */
function each(test: (item: unknown) => boolean, fail: (item: unknown) => Failure): Check {
  return (value) => {
    if (!Array.isArray(value)) return test(value) ? undefined : fail(value);
    for (const item of value) if (!test(item)) return fail(item);
    return undefined;
  };
}

const asText = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;

function measure(type: FieldType | 'unknown'): ((value: unknown) => number) | undefined {
  switch (type) {
    case 'number':
    case 'integer':
      return (value) => (typeof value === 'number' ? value : NaN);
    case 'string':
    case 'email':
    case 'phone':
      return (value) => (typeof value === 'string' ? value.length : NaN);
    case 'string[]':
      return (value) => (Array.isArray(value) ? value.length : NaN);
    case 'date':
    case 'datetime':
      return (value) => {
        const date = readDate(value);
        return date ? instantOf(date) : NaN;
      };
    default:
      return undefined;
  }
}

function boundCheck(v: Extract<Validation, { rule: 'min' | 'max' }>, type: FieldType | 'unknown'): Check {
  const of = measure(type);
  if (!of) throw new Error(`${v.rule} does not apply to ${type}`);
  const limit = typeof v.value === 'number' ? v.value : of(v.value);
  if (Number.isNaN(limit)) throw new Error(`bad ${v.rule} bound`);
  const isLength = type === 'string' || type === 'email' || type === 'phone' || type === 'string[]';
  const what = isLength ? `length ${v.rule === 'min' ? 'at least' : 'at most'} ${limit}` : `${v.rule === 'min' ? 'at least' : 'at most'} ${v.value}`;
  const fail = (value: unknown) => new Failure(v.rule, v.message ?? `${preview(value)} must be ${what}`);
  return v.rule === 'min'
    ? (value) => (of(value) >= limit ? undefined : fail(value))
    : (value) => (of(value) <= limit ? undefined : fail(value));
}

/** The check for one validation on a field of `type`, or undefined for "required". */
export function compileValidation(v: Validation, type: FieldType | 'unknown'): Check | undefined {
  const failure = (code: string, fallback: (value: unknown) => string) => (value: unknown) => new Failure(code, v.message ?? fallback(value));
  switch (v.rule) {
    case 'required':
      return undefined;
    case 'type': {
      const target = v.type as Exclude<FieldType, 'enum'>;
      return (value) => (canCoerce(target, value) ? undefined : new Failure('type', v.message ?? `${preview(value)} is not a valid ${target}`));
    }
    case 'email':
      return each((item) => typeof item === 'string' && isEmail(item), failure('email', (value) => `${preview(value)} is not an email address`));
    case 'phone': {
      const country = v.defaultCountry as CountryCode | undefined;
      return each((item) => typeof item === 'string' && toE164(item, country) !== undefined, failure('phone', (value) => `${preview(value)} is not a phone number`));
    }
    case 'regex': {
      const regex = compileSafeRegex(v.pattern, { ignoreCase: v.ignoreCase });
      const tooLong = new Failure('too_long', `text is longer than ${LIMITS.regexInput} characters, the most a pattern is checked on`);
      return (value) => {
        const items = Array.isArray(value) ? value : [value];
        for (const item of items) {
          const text = asText(item);
          if (text === undefined) return new Failure('regex', v.message ?? `${preview(item)} is not text`);
          if (text.length > LIMITS.regexInput) return tooLong;
          const matched = regex.test(text);
          if (matched instanceof Failure) return matched;
          if (!matched) return new Failure('regex', v.message ?? `${preview(item)} does not match ${v.pattern}`);
        }
        return undefined;
      };
    }
    case 'enum': {
      const allowed = new Set(v.values.map(String));
      return each((item) => asText(item) !== undefined && allowed.has(asText(item) as string), failure('enum', (value) => `${preview(value)} is not an allowed value`));
    }
    case 'min':
    case 'max':
      return boundCheck(v, type);
  }
}
