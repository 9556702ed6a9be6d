// A form generated from an action's input JSON Schema (lib/actions/openapi.ts actionJsonSchema,
// itself generated from the zod schema): which control each property gets, the draft the form
// edits, the JSON the draft stands for, and example values. Generic: it knows JSON Schema, not
// actions, so a new action or field appears in the Try it panel with no change here.
//
//   string            text (email, ISO date-time as text: the API's own format)
//   string enum       select
//   integer, number   number
//   boolean           select (unset / true / false)
//   object            nested fieldset (an optional one is included by a checkbox)
//   object map        key/value rows (`options`: additionalProperties without properties)
//   small int array   checkboxes (e.g. weekdays 1–7)
//   string array      comma-separated text
//   anything else     JSON text
import type { JsonSchema } from '@/lib/client/actions';

export type FieldKind = 'text' | 'email' | 'datetime' | 'integer' | 'number' | 'boolean' | 'enum' | 'object' | 'keyvalue' | 'intset' | 'stringlist' | 'json';

export interface KeyValueRow {
  key: string;
  value: string;
}

export type Draft = string | number[] | KeyValueRow[] | ObjectDraft;

export interface ObjectDraft {
  included: boolean;
  fields: Record<string, Draft>;
}

export function propertiesOf(schema: JsonSchema): [string, JsonSchema][] {
  const properties = schema.properties;
  return properties && typeof properties === 'object' ? Object.entries(properties as Record<string, JsonSchema>) : [];
}

export function requiredOf(schema: JsonSchema): string[] {
  return Array.isArray(schema.required) ? (schema.required as string[]) : [];
}

function typeOf(schema: JsonSchema): string | undefined {
  const type = schema.type;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) return type.find((t) => t !== 'null') as string | undefined;
  return undefined;
}

export function kindOf(schema: JsonSchema): FieldKind {
  if (Array.isArray(schema.enum) && schema.enum.length > 0 && schema.enum.every((v) => typeof v === 'string')) return 'enum';
  switch (typeOf(schema)) {
    case 'string':
      if (schema.format === 'date-time') return 'datetime';
      if (schema.format === 'email') return 'email';
      return 'text';
    case 'integer':
      return 'integer';
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'object':
      if (schema.properties) return 'object';
      if (schema.additionalProperties) return 'keyvalue';
      return 'json';
    case 'array': {
      const items = (schema.items ?? {}) as JsonSchema;
      if (typeOf(items) === 'integer' && typeof items.minimum === 'number' && typeof items.maximum === 'number' && items.maximum - items.minimum <= 12) {
        return 'intset';
      }
      if (typeOf(items) === 'string' && !items.enum) return 'stringlist';
      return 'json';
    }
    default:
      return 'json';
  }
}

export interface ExampleContext {
  /** The time examples count from (tomorrow 09:00 UTC of it). */
  now: Date;
  /** The zone a time-zone field suggests. */
  timeZone: string;
  /** `reference`: a placeholder where nothing sensible can be guessed; `form`: leave it empty. */
  mode: 'reference' | 'form';
}

function tomorrowAtNine(now: Date): Date {
  const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1, 9));
  return day;
}

function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const clamp = (value: number, schema: JsonSchema) =>
  Math.min(typeof schema.maximum === 'number' ? schema.maximum : value, Math.max(typeof schema.minimum === 'number' ? schema.minimum : value, value));

/** An example value for a property, or undefined when nothing sensible can be guessed. */
export function exampleValue(schema: JsonSchema, name: string, context: ExampleContext): unknown {
  const kind = kindOf(schema);
  const endish = /end/i.test(name);
  switch (kind) {
    case 'enum':
      return (schema.enum as string[])[0];
    case 'datetime': {
      const start = tomorrowAtNine(context.now);
      return isoSeconds(endish ? new Date(start.getTime() + 7 * 24 * 3600 * 1000) : start);
    }
    case 'email':
      return 'ada@example.com';
    case 'text':
      if (/zone/i.test(name)) return context.timeZone;
      if (/phone/i.test(name)) return '+14155550123';
      if (typeof schema.pattern === 'string' && schema.pattern.includes('[0-5]\\d$')) return endish ? '17:00' : '09:00';
      if (name === 'title' || name === 'name') return name === 'title' ? 'Intro call' : 'Ada Lovelace';
      return context.mode === 'reference' ? `<${name}>` : undefined;
    case 'integer':
    case 'number':
      if (/minutes$/i.test(name)) return clamp(30, schema);
      return typeof schema.minimum === 'number' ? schema.minimum : 1;
    case 'boolean':
      return true;
    case 'intset': {
      const items = schema.items as { minimum: number; maximum: number };
      const count = Math.min(5, items.maximum - items.minimum + 1);
      return Array.from({ length: count }, (_, i) => items.minimum + i);
    }
    case 'object':
      return exampleObject(schema, context);
    default:
      return undefined;
  }
}

/**
 * An example of an object: its required properties (an example body for a request). Where none
 * is required (rules such as "a phone or an email" live in refinements JSON Schema cannot carry),
 * the reference shows the first property that has an example rather than an empty body.
 */
export function exampleObject(schema: JsonSchema, context: ExampleContext): Record<string, unknown> {
  const required = requiredOf(schema);
  const out: Record<string, unknown> = {};
  for (const [name, property] of propertiesOf(schema)) {
    if (!required.includes(name)) continue;
    const value = exampleValue(property, name, context);
    if (value !== undefined) out[name] = value;
  }
  if (Object.keys(out).length === 0 && required.length === 0 && context.mode === 'reference') {
    for (const [name, property] of propertiesOf(schema)) {
      const kind = kindOf(property);
      if (kind === 'object' || kind === 'keyvalue') continue;
      const value = exampleValue(property, name, context);
      if (value !== undefined && !(typeof value === 'string' && value.startsWith('<'))) {
        out[name] = value;
        break;
      }
    }
  }
  return out;
}

function scalarDraft(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : String(value);
}

/** The form's starting point: examples for required fields, optional ones empty (nested objects left out). */
export function initialDraft(schema: JsonSchema, context: ExampleContext, included = true): ObjectDraft {
  const required = requiredOf(schema);
  const fields: Record<string, Draft> = {};
  for (const [name, property] of propertiesOf(schema)) {
    const isRequired = required.includes(name);
    fields[name] = draftFor(property, name, isRequired, context);
  }
  return { included, fields };
}

export function draftFor(schema: JsonSchema, name: string, required: boolean, context: ExampleContext): Draft {
  const kind = kindOf(schema);
  if (kind === 'object') return initialDraft(schema, context, required);
  if (kind === 'keyvalue') return [];
  if (kind === 'intset') return required ? ((exampleValue(schema, name, context) as number[] | undefined) ?? []) : [];
  if (!required) return '';
  const example = exampleValue(schema, name, context);
  if (kind === 'json') return example === undefined ? '' : JSON.stringify(example);
  return scalarDraft(example);
}

/** "true" → true, "12" → 12, "[…]" → the array, anything else the text. */
function parseLoose(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === 'true') return true;
  if (trimmed === 'false') return false;
  if (/^-?\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  if (trimmed.startsWith('[')) {
    try {
      return JSON.parse(trimmed) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

/** The JSON a field's draft stands for; undefined leaves the property out. */
export function valueOf(schema: JsonSchema, draft: Draft): unknown {
  const kind = kindOf(schema);
  switch (kind) {
    case 'object': {
      const object = draft as ObjectDraft;
      if (!object.included) return undefined;
      return objectValue(schema, object);
    }
    case 'keyvalue': {
      const rows = (draft as KeyValueRow[]).filter((row) => row.key.trim() !== '');
      if (rows.length === 0) return undefined;
      return Object.fromEntries(rows.map((row) => [row.key.trim(), parseLoose(row.value)]));
    }
    case 'intset': {
      const values = draft as number[];
      return values.length ? [...values].sort((a, b) => a - b) : undefined;
    }
    case 'stringlist': {
      const items = (draft as string)
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean);
      return items.length ? items : undefined;
    }
    case 'integer':
    case 'number': {
      const text = (draft as string).trim();
      if (text === '') return undefined;
      const number = Number(text);
      // A typo goes to the server as typed: its validation names the field.
      return Number.isFinite(number) ? number : text;
    }
    case 'boolean': {
      const text = draft as string;
      return text === '' ? undefined : text === 'true';
    }
    case 'json': {
      const text = (draft as string).trim();
      if (text === '') return undefined;
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return text;
      }
    }
    default: {
      const text = draft as string;
      return text.trim() === '' ? undefined : text;
    }
  }
}

export function objectValue(schema: JsonSchema, draft: ObjectDraft): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, property] of propertiesOf(schema)) {
    const field = draft.fields[name];
    if (field === undefined) continue;
    const value = valueOf(property, field);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/** `/attendee/email` → `attendee.email` (the key field errors are looked up by). */
export function pointerKey(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'))
    .join('.');
}
