// The one interpreter. compileMapping turns a validated mapping into closures once (paths,
// regexes, lookup tables, date patterns); applyMapping runs them on a record. Per row:
//   source → transforms → row default when empty → coercion to the field type → validations.
// applyMapping never throws: problems are per-field errors, and a record with any error failed.
import { coercerFor, type Coercer } from './coerce';
import { parseMapping, type Mapping, type MappingDefinition, type MappingTargets, type TargetField } from './language';
import { describeModel, modelField, type ModelName } from './model';
import { resetRegexBudget } from './safe-regex';
import { compileSource, compileTransform, type Step } from './transforms';
import { compileValidation, type Check } from './validations';
import * as values from './values';

// Per-record code uses local bindings: transpiled module interop (tsx's CommonJS output, bundlers'
// live bindings) turns every access to an imported name into a getter call, which was measurable.
const { Failure, isEmpty } = values;

export interface MappingError {
  /** The target field (for a "one of" requirement, the fields joined by "|"). */
  target: string;
  code: string;
  message: string;
}

export interface MappingResult {
  /** Only known target fields; values already of the field's type. */
  output: Record<string, unknown>;
  errors: MappingError[];
}

interface CompiledRow {
  id: string;
  target: string;
  read: (record: unknown) => unknown;
  steps: Step[];
  fallback: unknown;
  required: boolean;
  coerce: Coercer;
  checks: Check[];
}

export interface CompiledMapping {
  /** The model the rows write (pull mappings), or read from (mappings with a target list). */
  readonly model: ModelName;
  readonly mapping: Mapping;
  readonly rows: readonly CompiledRow[];
  readonly required: readonly string[];
  readonly requireOneOf: readonly (readonly string[])[];
}

export class InvalidMappingError extends Error {
  constructor(readonly issues: { path: string; message: string }[]) {
    super(`invalid mapping: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  }
}

/** Values of a target field of unknown type go through as the transforms left them. */
const passThrough: Coercer = (value) => value;

/**
 * Compiles a mapping. It is validated again here (cheap, once) so a mapping stored under older
 * rules, or built in code, cannot reach the interpreter unchecked. Throws InvalidMappingError.
 * With `targets` the rows write that field list (a push destination's schema, lib/push): its
 * types coerce and its required fields are required; the model's own requirements do not apply.
 */
export function compileMapping(mapping: Mapping | MappingDefinition, targets?: MappingTargets): CompiledMapping {
  const parsed = parseMapping(mapping, targets);
  if (!parsed.ok) throw new InvalidMappingError(parsed.issues);
  const valid = parsed.mapping;
  const model = valid.model;
  const fieldOf = (name: string): TargetField | undefined => (targets ? targets.fields.find((f) => f.name === name) : modelField(model, name));
  const rows = valid.rows.map((row): CompiledRow => {
    const field = fieldOf(row.target);
    if (!field) throw new InvalidMappingError([{ path: 'rows', message: `unknown target ${row.target}` }]);
    const checks: Check[] = [];
    for (const validation of row.validations) {
      const check = compileValidation(validation, field.type);
      if (check) checks.push(check);
    }
    return {
      id: row.id,
      target: row.target,
      read: compileSource(row.source),
      steps: row.transforms.map(compileTransform),
      fallback: row.default,
      required: row.validations.some((v) => v.rule === 'required'),
      coerce: field.type === 'unknown' ? passThrough : coercerFor({ type: field.type, values: field.values }),
      checks,
    };
  });
  if (targets) {
    return { model, mapping: valid, rows, required: targets.fields.filter((f) => f.required).map((f) => f.name), requireOneOf: [] };
  }
  const description = describeModel(model);
  return {
    model,
    mapping: valid,
    rows,
    required: description.fields.filter((f) => f.required).map((f) => f.name),
    requireOneOf: description.requireOneOf,
  };
}

function evaluate(row: CompiledRow, record: unknown): unknown {
  let value = row.read(record);
  const steps = row.steps;
  for (let i = 0; i < steps.length; i++) {
    value = steps[i](value, record);
    if (value instanceof Failure) return value;
  }
  if (isEmpty(value)) {
    if (row.fallback === undefined) return undefined;
    value = row.fallback;
  }
  value = row.coerce(value);
  if (value instanceof Failure || isEmpty(value)) return value;
  const checks = row.checks;
  for (let i = 0; i < checks.length; i++) {
    const failure = checks[i](value);
    if (failure) return failure;
  }
  return value;
}

const hasError = (errors: MappingError[], target: string) => errors.some((e) => e.target === target);

export function applyMapping(compiled: CompiledMapping, record: unknown): MappingResult {
  resetRegexBudget(); // each record gets its own regex time budget
  // Only model field names (validated identifiers) are ever written here.
  const output: Record<string, unknown> = {};
  const errors: MappingError[] = [];
  const rows = compiled.rows;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    let value: unknown;
    try {
      value = evaluate(row, record);
    } catch {
      // Unreachable with JSON input; a getter or proxy in a non-JSON record could still throw.
      errors.push({ target: row.target, code: 'internal', message: 'the value could not be mapped' });
      continue;
    }
    if (value instanceof Failure) {
      errors.push({ target: row.target, code: value.code, message: value.message });
    } else if (isEmpty(value)) {
      if (row.required) errors.push({ target: row.target, code: 'required', message: `${row.target} is required` });
    } else {
      output[row.target] = value;
    }
  }
  for (const name of compiled.required) {
    if (output[name] === undefined && !hasError(errors, name)) errors.push({ target: name, code: 'required', message: `${compiled.model} needs ${name}` });
  }
  for (const group of compiled.requireOneOf) {
    if (group.every((name) => output[name] === undefined && !hasError(errors, name))) {
      errors.push({ target: group.join('|'), code: 'required', message: `${compiled.model} needs one of ${group.join(', ')}` });
    }
  }
  return { output, errors };
}

/** Whether a mapped record failed (any error fails it). */
export const failed = (result: MappingResult) => result.errors.length > 0;
