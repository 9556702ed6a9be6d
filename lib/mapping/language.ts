// The mapping language, version 1: a JSON document validated by this schema when it is saved.
// Every argument a transform or validation takes is checked here (paths, regexes, time zones,
// date patterns, country codes, lookup keys), so the interpreter never meets a bad argument.
import { z } from 'zod';
import { compileDatePattern, isTimeZone, NAMED_DATE_FORMATS, readDate } from './dates';
import { LIMITS } from './limits';
import { FIELD_TYPES, isModelName, MODEL_NAMES, modelField, modelFields, type FieldType } from './model';
import { FORBIDDEN_KEYS, parsePath } from './paths';
import { isCountryCode } from './phones';
import { checkRegex, REGEX_SIZE, regexSize } from './safe-regex';

const custom = (ctx: z.RefinementCtx, message: string, path: (string | number)[] = []) => ctx.addIssue({ code: 'custom', message, path });

export const pathSchema = z
  .string()
  .max(LIMITS.pathLength, `path is longer than ${LIMITS.pathLength} characters`)
  .superRefine((text, ctx) => {
    const parsed = parsePath(text);
    if (!parsed.ok) custom(ctx, parsed.message);
  });

const paths = z.array(pathSchema).min(1, 'list at least one path').max(LIMITS.sources, `at most ${LIMITS.sources} paths`);
const argument = z.string().max(LIMITS.stringArgument, `must be at most ${LIMITS.stringArgument} characters`);
const separator = z.string().max(LIMITS.separator, `separator must be at most ${LIMITS.separator} characters`);
export const scalarSchema = z.union([argument, z.number(), z.boolean()]);
const message = z.string().max(200, 'message must be at most 200 characters').optional();

const timeZone = z.string().superRefine((zone, ctx) => {
  if (!isTimeZone(zone)) custom(ctx, `unknown time zone "${zone.slice(0, 64)}"`);
});

const country = z.string().superRefine((code, ctx) => {
  if (!isCountryCode(code)) custom(ctx, `unknown country code "${code.slice(0, 8)}" (use ISO 3166 alpha-2, e.g. GB)`);
});

const dateFormat = z
  .string()
  .max(LIMITS.datePattern, `date format must be at most ${LIMITS.datePattern} characters`)
  .superRefine((format, ctx) => {
    if ((NAMED_DATE_FORMATS as readonly string[]).includes(format)) return;
    const compiled = compileDatePattern(format);
    if (!compiled.ok) custom(ctx, compiled.message);
  });

// Keys are checked on the raw input: building the parsed record drops a "__proto__" key silently.
const lookupTable = z.preprocess(
  (raw, ctx) => {
    if (typeof raw !== 'object' || raw === null) return raw;
    const keys = Object.keys(raw);
    if (keys.length > LIMITS.lookupEntries) {
      ctx.addIssue({ code: 'custom', message: `lookup table has ${keys.length} entries (at most ${LIMITS.lookupEntries})`, input: raw });
      return {};
    }
    for (const key of keys) {
      if (FORBIDDEN_KEYS.has(key)) ctx.addIssue({ code: 'custom', message: `"${key}" is not allowed as a lookup key`, path: [key], input: raw });
      else if (key.length > LIMITS.lookupKeyLength) {
        ctx.addIssue({ code: 'custom', message: `lookup key is longer than ${LIMITS.lookupKeyLength} characters`, path: [key.slice(0, 40)], input: raw });
      }
    }
    return raw;
  },
  z.record(z.string(), scalarSchema),
  // The preprocess step would widen the input type to unknown; the table's JSON shape is this.
) as unknown as z.ZodType<Record<string, string | number | boolean>, Record<string, string | number | boolean>>;

const plain = <const Op extends string>(op: Op) => z.strictObject({ op: z.literal(op) });

export const transformSchema = z.discriminatedUnion('op', [
  plain('trim'),
  plain('lower'),
  plain('upper'),
  plain('normaliseEmail'),
  z.strictObject({ op: z.literal('splitName'), part: z.enum(['first', 'last']) }),
  z.strictObject({ op: z.literal('join'), separator: separator.default(' ') }),
  z.strictObject({ op: z.literal('concat'), paths, separator: separator.default(' ') }),
  z
    .strictObject({
      op: z.literal('replace'),
      find: z.string().min(1, 'find must not be empty').max(LIMITS.regexPattern, `find must be at most ${LIMITS.regexPattern} characters`),
      with: argument.default(''),
      regex: z.boolean().default(false),
      ignoreCase: z.boolean().default(false),
      all: z.boolean().default(true),
    })
    .superRefine((t, ctx) => {
      if (!t.regex) return;
      const check = checkRegex(t.find, { ignoreCase: t.ignoreCase });
      if (!check.ok) custom(ctx, check.message, ['find']);
    }),
  z.strictObject({ op: z.literal('default'), value: scalarSchema }),
  z.strictObject({ op: z.literal('mapValues'), table: lookupTable, fallback: scalarSchema.optional(), ignoreCase: z.boolean().default(false) }),
  z.strictObject({ op: z.literal('toNumber'), decimalSeparator: z.enum(['.', ',']).default('.') }),
  z.strictObject({
    op: z.literal('toBoolean'),
    truthy: z.array(argument).max(20).optional(),
    falsy: z.array(argument).max(20).optional(),
  }),
  z.strictObject({ op: z.literal('parseDate'), format: dateFormat, timeZone: timeZone.optional() }),
  z
    .strictObject({ op: z.literal('formatDate'), style: z.enum(['iso', 'date', 'zoned']).default('iso'), timeZone: timeZone.optional() })
    .superRefine((t, ctx) => {
      if (t.style === 'zoned' && !t.timeZone) custom(ctx, 'style "zoned" needs a timeZone', ['timeZone']);
    }),
  z
    .strictObject({ op: z.literal('addMinutes'), minutes: z.number().min(-1e7).max(1e7).optional(), path: pathSchema.optional() })
    .superRefine((t, ctx) => {
      if ((t.minutes === undefined) === (t.path === undefined)) custom(ctx, 'give exactly one of minutes and path');
    }),
  z.strictObject({ op: z.literal('phoneE164'), defaultCountry: country.optional() }),
  z
    .strictObject({
      op: z.literal('pick'),
      item: z.union([z.enum(['first', 'last']), z.number().int().min(-1000).max(1000)]).optional(),
      where: z.strictObject({ path: pathSchema, equals: scalarSchema }).optional(),
    })
    .superRefine((t, ctx) => {
      if ((t.item === undefined) === (t.where === undefined)) custom(ctx, 'give exactly one of item and where');
    }),
  z.strictObject({ op: z.literal('get'), path: pathSchema }),
  z.strictObject({ op: z.literal('pluck'), path: pathSchema }),
  z.strictObject({ op: z.literal('coalesce'), paths }),
]);

const bound = z.union([z.number(), z.string().max(40)]);

export const validationSchema = z.discriminatedUnion('rule', [
  z.strictObject({ rule: z.literal('required'), message }),
  z.strictObject({ rule: z.literal('type'), type: z.enum(FIELD_TYPES.filter((t) => t !== 'enum') as [FieldType, ...FieldType[]]), message }),
  z.strictObject({ rule: z.literal('email'), message }),
  z.strictObject({ rule: z.literal('phone'), defaultCountry: country.optional(), message }),
  z
    .strictObject({ rule: z.literal('regex'), pattern: z.string(), ignoreCase: z.boolean().default(false), message })
    .superRefine((v, ctx) => {
      const check = checkRegex(v.pattern, { ignoreCase: v.ignoreCase });
      if (!check.ok) custom(ctx, check.message, ['pattern']);
    }),
  z.strictObject({
    rule: z.literal('enum'),
    values: z.array(scalarSchema).min(1, 'list at least one value').max(LIMITS.enumValues, `at most ${LIMITS.enumValues} values`),
    message,
  }),
  z.strictObject({ rule: z.literal('min'), value: bound, message }),
  z.strictObject({ rule: z.literal('max'), value: bound, message }),
]);

export const sourceSchema = z.union([
  pathSchema,
  z.strictObject({ coalesce: paths }),
  z.strictObject({ concat: paths, separator: separator.default(' ') }),
  z.strictObject({ const: scalarSchema }),
]);

export const rowSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_-]+$/, 'row id may only hold letters, digits, _ and -').max(LIMITS.rowId),
  target: z
    .string()
    .max(100)
    .superRefine((target, ctx) => {
      if (FORBIDDEN_KEYS.has(target)) custom(ctx, `"${target}" is not allowed as a target field`);
    }),
  source: sourceSchema,
  transforms: z.array(transformSchema).max(LIMITS.transforms, `at most ${LIMITS.transforms} transforms`).default([]),
  validations: z.array(validationSchema).max(LIMITS.validations, `at most ${LIMITS.validations} validations`).default([]),
  default: scalarSchema.optional(),
});

const LENGTH_TYPES: FieldType[] = ['string', 'email', 'phone', 'string[]'];
const NUMBER_TYPES: FieldType[] = ['number', 'integer'];
const DATE_TYPES: FieldType[] = ['date', 'datetime'];

const a = (type: string) => `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`;

/**
 * A field a mapping may write when it targets something other than a model: a push destination's
 * schema (lib/push). 'unknown' passes values through uncoerced.
 */
export interface TargetField {
  name: string;
  label?: string;
  type: FieldType | 'unknown';
  required?: boolean;
  values?: readonly string[];
}

/** What a mapping's rows may target instead of its model's fields, and what to call that list. */
export interface MappingTargets {
  fields: readonly TargetField[];
  /** For messages: `"X" is not a field of <what>`. */
  describe: string;
}

function checkBound(type: FieldType | 'unknown', value: number | string, rule: string): string | undefined {
  if (type === 'unknown') return `${rule} does not apply to a field of unknown type`;
  if (NUMBER_TYPES.includes(type)) return typeof value === 'number' ? undefined : `${rule} on ${a(type)} field needs a number`;
  if (LENGTH_TYPES.includes(type)) {
    return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? undefined : `${rule} on ${a(type)} field is a length: give a whole number`;
  }
  if (DATE_TYPES.includes(type)) return readDate(value) ? undefined : `${rule} on ${a(type)} field needs an ISO date like "2026-01-31"`;
  return `${rule} does not apply to ${a(type)} field`;
}

interface RawIssue {
  path: (string | number)[];
  message: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks across rows and against the model. Written for raw input as well as parsed mappings, so
 * an author sees these problems together with the per-field ones instead of in a second round.
 */
function crossCheck(input: unknown, targetList?: MappingTargets): RawIssue[] {
  if (!isRecord(input) || !isModelName(input.model) || !Array.isArray(input.rows)) return [];
  const model = input.model;
  // Without a target list the rows target the model's fields (pull mappings); with one, that list.
  const lookup = (name: string): TargetField | undefined => (targetList ? targetList.fields.find((f) => f.name === name) : modelField(model, name));
  const issues: RawIssue[] = [];
  const targets = new Map<string, string>();
  const ids = new Set<string>();
  input.rows.forEach((row: unknown, i) => {
    if (!isRecord(row)) return;
    if (typeof row.id === 'string') {
      if (ids.has(row.id)) issues.push({ path: ['rows', i, 'id'], message: `row id "${row.id.slice(0, 64)}" is used twice` });
      ids.add(row.id);
    }
    if (typeof row.target !== 'string' || FORBIDDEN_KEYS.has(row.target)) return;
    const field = lookup(row.target);
    if (!field) {
      if (targetList) {
        const names = targetList.fields.map((f) => f.name);
        const listed = names.length > 30 ? `${names.slice(0, 30).join(', ')}, …` : names.join(', ');
        issues.push({ path: ['rows', i, 'target'], message: `"${row.target.slice(0, 100)}" is not a field of ${targetList.describe} (fields: ${listed})` });
        return;
      }
      const names = modelFields(model).map((f) => f.name);
      issues.push({ path: ['rows', i, 'target'], message: `"${row.target.slice(0, 100)}" is not a ${model} field (fields: ${names.join(', ')})` });
      return;
    }
    const earlier = targets.get(row.target);
    if (earlier !== undefined) issues.push({ path: ['rows', i, 'target'], message: `"${row.target}" is already mapped by row "${earlier}"` });
    targets.set(row.target, typeof row.id === 'string' ? row.id.slice(0, 64) : String(i));
    if (!Array.isArray(row.validations)) return;
    row.validations.forEach((validation: unknown, k) => {
      if (!isRecord(validation) || (validation.rule !== 'min' && validation.rule !== 'max')) return;
      if (typeof validation.value !== 'number' && typeof validation.value !== 'string') return;
      const problem = checkBound(field.type, validation.value, validation.rule);
      if (problem) issues.push({ path: ['rows', i, 'validations', k, 'value'], message: problem });
    });
  });
  return issues;
}

/**
 * Each pattern is checked on its own; together they must also compile quickly, since a preview
 * compiles a draft mapping on request. Reported at the pattern that goes over.
 */
function regexBudget(rows: readonly z.output<typeof rowSchema>[]): RawIssue | undefined {
  let total = 0;
  for (const [i, row] of rows.entries()) {
    const patterns: [string, boolean, (string | number)[]][] = [];
    row.transforms.forEach((t, k) => {
      if (t.op === 'replace' && t.regex) patterns.push([t.find, t.ignoreCase, ['rows', i, 'transforms', k, 'find']]);
    });
    row.validations.forEach((v, k) => {
      if (v.rule === 'regex') patterns.push([v.pattern, v.ignoreCase, ['rows', i, 'validations', k, 'pattern']]);
    });
    for (const [pattern, ignoreCase, path] of patterns) {
      total += regexSize(pattern, { ignoreCase }) ?? 0;
      if (total > REGEX_SIZE.mapping) {
        return { path, message: `the regular expressions in this mapping are too large together (about ${total} steps, at most ${REGEX_SIZE.mapping}): simplify some of them` };
      }
    }
  }
  return undefined;
}

/**
 * The mapping schema. With `targets`, rows write those fields (a push destination's schema) and
 * `model` names the model the rows read from; without, rows write the model's own fields.
 */
function buildMappingSchema(targets?: MappingTargets) {
  return z
    .strictObject({
      version: z.literal(1, 'version must be 1'),
      model: z.enum(MODEL_NAMES, `model must be one of ${MODEL_NAMES.join(', ')}`),
      rows: z.array(rowSchema).max(LIMITS.rows, `at most ${LIMITS.rows} rows`),
    })
    .superRefine((mapping, ctx) => {
      for (const issue of crossCheck(mapping, targets)) custom(ctx, issue.message, issue.path);
      const regexIssue = regexBudget(mapping.rows);
      if (regexIssue) custom(ctx, regexIssue.message, regexIssue.path);
    });
}

export const mappingSchema = buildMappingSchema();

/** A mapping as written (optional arguments may be left out). */
export type MappingDefinition = z.input<typeof mappingSchema>;
/** A mapping as validated (defaults filled in). */
export type Mapping = z.output<typeof mappingSchema>;
export type MappingRow = Mapping['rows'][number];
export type Transform = z.output<typeof transformSchema>;
export type Validation = z.output<typeof validationSchema>;
export type Source = z.output<typeof sourceSchema>;
export type Scalar = z.output<typeof scalarSchema>;

export const TRANSFORM_OPS = transformSchema.options.map((option) => option.shape.op.value);
export const VALIDATION_RULES = validationSchema.options.map((option) => option.shape.rule.value);

export interface MappingIssue {
  path: string;
  message: string;
}

export type ParseResult = { ok: true; mapping: Mapping } | { ok: false; issues: MappingIssue[] };

/** A stored mapping is small; anything near this is not a mapping. */
const MAX_JSON_LENGTH = 512 * 1024;

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current = input;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/**
 * How far an alternative of a union got: deeper complaints mean its shape fitted; a missing or
 * unrecognised key means the author was not writing that alternative at all.
 */
function progress(issues: readonly z.core.$ZodIssue[]): number {
  const depth = Math.max(...issues.map((issue) => issue.path.length));
  const misfits = issues.filter((issue) => issue.code === 'unrecognized_keys' || / received undefined$/.test(issue.message)).length;
  return depth * 10 - misfits;
}

function flatten(issues: readonly z.core.$ZodIssue[], input: unknown, prefix: PropertyKey[], out: MappingIssue[]): void {
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'invalid_union' && 'discriminator' in issue && issue.discriminator) {
      const value = valueAt(input, path);
      const kind = issue.discriminator === 'op' ? 'transform' : 'validation';
      const allowed = issue.discriminator === 'op' ? TRANSFORM_OPS : VALIDATION_RULES;
      out.push({
        path: formatPath(path),
        message: value === undefined ? `missing "${issue.discriminator}" (one of: ${allowed.join(', ')})` : `unknown ${kind} ${JSON.stringify(value).slice(0, 60)} (one of: ${allowed.join(', ')})`,
      });
    } else if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      // Report the alternative that got furthest: its complaint is the one the author meant.
      const best = issue.errors.reduce((a, b) => (progress(b) > progress(a) ? b : a));
      flatten(best, input, path, out);
    } else {
      out.push({ path: formatPath(path), message: issue.message });
    }
  }
}

/**
 * Validates a mapping (a parsed object or its JSON text) as the editor saves it. `targets` makes its
 * rows target that field list instead of the model's fields (see buildMappingSchema).
 */
export function parseMapping(json: unknown, targets?: MappingTargets): ParseResult {
  let input = json;
  if (typeof json === 'string') {
    if (json.length > MAX_JSON_LENGTH) return { ok: false, issues: [{ path: '', message: `mapping JSON is larger than ${MAX_JSON_LENGTH} characters` }] };
    try {
      input = JSON.parse(json);
    } catch {
      return { ok: false, issues: [{ path: '', message: 'mapping is not valid JSON' }] };
    }
  }
  const result = (targets ? buildMappingSchema(targets) : mappingSchema).safeParse(input);
  if (result.success) return { ok: true, mapping: result.data };
  const issues: MappingIssue[] = [];
  flatten(result.error.issues, input, [], issues);
  for (const issue of crossCheck(input, targets)) {
    const path = formatPath(issue.path);
    if (!issues.some((known) => known.path === path && known.message === issue.message)) issues.push({ path, message: issue.message });
  }
  return { ok: false, issues };
}
