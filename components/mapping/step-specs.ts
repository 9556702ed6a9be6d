// What the editor knows about each transform and validation: a label, a sentence, the arguments
// it takes (mirroring the zod schemas in lib/mapping/language.ts) and what a new one starts as.
// The server lists the ops it accepts; an op missing here is still shown, just without arguments.
import type { DraftTransform, DraftValidation } from '@/lib/client/mapping';

export type ArgSpec =
  | { kind: 'choice'; name: string; label: string; options: { value: string; label: string }[]; optional?: boolean }
  | { kind: 'text'; name: string; label: string; placeholder?: string; optional?: boolean; suggestions?: readonly string[]; code?: boolean }
  | { kind: 'number'; name: string; label: string; optional?: boolean }
  | { kind: 'flag'; name: string; label: string; initial: boolean }
  | { kind: 'scalar'; name: string; label: string; optional?: boolean }
  | { kind: 'path'; name: string; label: string }
  | { kind: 'paths'; name: string; label: string }
  | { kind: 'words'; name: string; label: string; placeholder?: string; optional?: boolean }
  | { kind: 'table'; name: string; label: string };

export interface StepSpec {
  label: string;
  help: string;
  args: ArgSpec[];
  /** What the step looks like when added (required arguments filled with something sensible). */
  initial: Record<string, unknown>;
}

export const TIME_ZONES = ['UTC', 'Europe/London', 'Europe/Berlin', 'America/New_York', 'America/Chicago', 'America/Los_Angeles', 'Asia/Tokyo', 'Australia/Sydney'];
const country = (name: string): ArgSpec => ({ kind: 'text', name, label: 'Default country', placeholder: 'e.g. GB', optional: true, code: true });
const separator: ArgSpec = { kind: 'text', name: 'separator', label: 'Separator', placeholder: 'a space', code: true };
const message: ArgSpec = { kind: 'text', name: 'message', label: 'Error message', placeholder: 'The default message', optional: true };

export const TRANSFORM_SPECS: Record<string, StepSpec> = {
  trim: { label: 'Trim spaces', help: 'Removes spaces at both ends.', args: [], initial: {} },
  lower: { label: 'Lower case', help: 'Turns text into lower case.', args: [], initial: {} },
  upper: { label: 'Upper case', help: 'Turns text into upper case.', args: [], initial: {} },
  normaliseEmail: { label: 'Normalise email', help: 'Trims, strips "mailto:" and <>, lower-cases.', args: [], initial: {} },
  splitName: {
    label: 'Split name',
    help: 'Takes the first or last part of a full name ("Lovelace, Ada" is read family name first).',
    args: [{ kind: 'choice', name: 'part', label: 'Part', options: [{ value: 'first', label: 'First name' }, { value: 'last', label: 'Last name' }] }],
    initial: { part: 'first' },
  },
  join: { label: 'Join list', help: 'Joins a list of values into one text.', args: [separator], initial: { separator: ', ' } },
  concat: { label: 'Append fields', help: 'Appends other fields of the record to the value.', args: [{ kind: 'paths', name: 'paths', label: 'Fields' }, separator], initial: { paths: [''], separator: ' ' } },
  replace: {
    label: 'Replace text',
    help: 'Finds text (or a regular expression) and replaces it.',
    args: [
      { kind: 'text', name: 'find', label: 'Find', code: true },
      { kind: 'text', name: 'with', label: 'Replace with', optional: true, code: true },
      { kind: 'flag', name: 'regex', label: 'Regular expression', initial: false },
      { kind: 'flag', name: 'ignoreCase', label: 'Ignore case', initial: false },
      { kind: 'flag', name: 'all', label: 'Every match', initial: true },
    ],
    initial: { find: '', with: '' },
  },
  default: { label: 'Default when empty', help: 'Uses this value when the value so far is empty.', args: [{ kind: 'scalar', name: 'value', label: 'Value' }], initial: { value: '' } },
  mapValues: {
    label: 'Look up values',
    help: 'Replaces each value found in the table; others become the fallback, or stay as they are.',
    args: [
      { kind: 'table', name: 'table', label: 'Table' },
      { kind: 'scalar', name: 'fallback', label: 'Fallback', optional: true },
      { kind: 'flag', name: 'ignoreCase', label: 'Ignore case', initial: false },
    ],
    initial: { table: {} },
  },
  toNumber: {
    label: 'To number',
    help: 'Reads text such as "1,234.50" as a number.',
    args: [{ kind: 'choice', name: 'decimalSeparator', label: 'Decimal separator', options: [{ value: '.', label: 'Point (1,234.50)' }, { value: ',', label: 'Comma (1.234,50)' }] }],
    initial: { decimalSeparator: '.' },
  },
  toBoolean: {
    label: 'To true/false',
    help: 'Reads yes/no words as true or false.',
    args: [
      { kind: 'words', name: 'truthy', label: 'Words for true', placeholder: 'true, yes, y, 1, on', optional: true },
      { kind: 'words', name: 'falsy', label: 'Words for false', placeholder: 'false, no, n, 0, off', optional: true },
    ],
    initial: {},
  },
  parseDate: {
    label: 'Parse date',
    help: 'Reads a date: ISO 8601, epoch seconds or milliseconds, or a pattern like DD/MM/YYYY HH:mm.',
    args: [
      { kind: 'text', name: 'format', label: 'Format', placeholder: 'iso, epochMs, epochSeconds or DD/MM/YYYY', suggestions: ['iso', 'epochMs', 'epochSeconds', 'DD/MM/YYYY', 'MM/DD/YYYY', 'YYYY-MM-DD HH:mm'], code: true },
      { kind: 'text', name: 'timeZone', label: 'Time zone', placeholder: 'UTC', optional: true, suggestions: TIME_ZONES, code: true },
    ],
    initial: { format: 'iso' },
  },
  formatDate: {
    label: 'Format date',
    help: 'Writes a date as an instant, a calendar day, or a time in a zone.',
    args: [
      { kind: 'choice', name: 'style', label: 'Style', options: [{ value: 'iso', label: 'Instant (UTC)' }, { value: 'date', label: 'Calendar day' }, { value: 'zoned', label: 'Time in a zone' }] },
      { kind: 'text', name: 'timeZone', label: 'Time zone', placeholder: 'UTC', optional: true, suggestions: TIME_ZONES, code: true },
    ],
    initial: { style: 'iso' },
  },
  addMinutes: { label: 'Add minutes', help: 'Adds a fixed number of minutes, or the minutes in another field, to a date.', args: [], initial: { minutes: 30 } },
  phoneE164: { label: 'Phone to E.164', help: 'Writes a phone number as +447700900123.', args: [country('defaultCountry')], initial: {} },
  pick: { label: 'Pick from list', help: 'Takes one item of a list: by position, or the first whose field equals a value.', args: [], initial: { item: 'first' } },
  get: { label: 'Get field', help: 'Reads a field of the value (an object).', args: [{ kind: 'path', name: 'path', label: 'Field' }], initial: { path: '' } },
  pluck: { label: 'Pluck field', help: 'Reads a field of every item of a list.', args: [{ kind: 'path', name: 'path', label: 'Field' }], initial: { path: '' } },
  coalesce: { label: 'Fall back to fields', help: 'When the value is empty, uses the first of these fields that is not.', args: [{ kind: 'paths', name: 'paths', label: 'Fields' }], initial: { paths: [''] } },
};

export const VALIDATION_SPECS: Record<string, StepSpec> = {
  required: { label: 'Required', help: 'The record fails when this field ends up empty.', args: [message], initial: {} },
  type: {
    label: 'Is of type',
    help: 'The value can be read as this type.',
    args: [
      {
        kind: 'choice',
        name: 'type',
        label: 'Type',
        options: ['string', 'email', 'phone', 'number', 'integer', 'boolean', 'datetime', 'date', 'string[]'].map((t) => ({ value: t, label: t })),
      },
      message,
    ],
    initial: { type: 'string' },
  },
  email: { label: 'Email address', help: 'The value is an email address.', args: [message], initial: {} },
  phone: { label: 'Phone number', help: 'The value is a phone number.', args: [country('defaultCountry'), message], initial: {} },
  regex: {
    label: 'Matches pattern',
    help: 'The value matches a regular expression.',
    args: [{ kind: 'text', name: 'pattern', label: 'Pattern', placeholder: '^[A-Z]{2}$', code: true }, { kind: 'flag', name: 'ignoreCase', label: 'Ignore case', initial: false }, message],
    initial: { pattern: '' },
  },
  enum: { label: 'One of', help: 'The value is one of these.', args: [{ kind: 'words', name: 'values', label: 'Allowed values', placeholder: 'a, b, c' }, message], initial: { values: [] } },
  min: { label: 'At least', help: 'A number, a length (text and lists) or a date (YYYY-MM-DD).', args: [{ kind: 'scalar', name: 'value', label: 'Minimum' }, message], initial: { value: 0 } },
  max: { label: 'At most', help: 'A number, a length (text and lists) or a date (YYYY-MM-DD).', args: [{ kind: 'scalar', name: 'value', label: 'Maximum' }, message], initial: { value: 100 } },
};

export const transformLabel = (op: string) => TRANSFORM_SPECS[op]?.label ?? op;
export const validationLabel = (rule: string) => VALIDATION_SPECS[rule]?.label ?? rule;

export function newTransform(op: string): DraftTransform {
  return { op, ...structuredClone(TRANSFORM_SPECS[op]?.initial ?? {}) } as DraftTransform;
}

export function newValidation(rule: string): DraftValidation {
  return { rule, ...structuredClone(VALIDATION_SPECS[rule]?.initial ?? {}) } as DraftValidation;
}

const quote = (value: unknown) => (typeof value === 'string' ? `“${value}”` : String(value));

/** A few words for a chip: "Split name: last", "Replace “-” → “ ”", "Look up values (7)". */
export function describeTransform(t: DraftTransform): string {
  const label = transformLabel(t.op);
  switch (t.op) {
    case 'splitName':
      return `${label}: ${t.part}`;
    case 'replace':
      return `Replace ${quote(t.find)} → ${quote(t.with ?? '')}`;
    case 'default':
      return `Default ${quote(t.value)}`;
    case 'mapValues':
      return `${label} (${Object.keys(t.table ?? {}).length})`;
    case 'parseDate':
      return `${label}: ${t.format}`;
    case 'formatDate':
      return `${label}: ${t.style ?? 'iso'}`;
    case 'get':
    case 'pluck':
      return `${label}: ${t.path}`;
    case 'concat':
    case 'coalesce':
      return `${label}: ${t.paths.join(', ')}`;
    default:
      return label;
  }
}

export function describeValidation(v: DraftValidation): string {
  const label = validationLabel(v.rule);
  switch (v.rule) {
    case 'type':
      return `${label} ${v.type}`;
    case 'regex':
      return `${label} ${v.pattern}`;
    case 'enum':
      return `${label} ${v.values.join(', ')}`;
    case 'min':
    case 'max':
      return `${label} ${v.value}`;
    default:
      return label;
  }
}
