// Editor warnings: things that are allowed but probably wrong, judged against the fields seen in
// recent records. Errors belong to parseMapping; these never block saving.
import type { JsonType, SourceField } from './fields';
import type { Mapping, MappingRow, Scalar, Transform } from './language';
import { describeModel, modelField, type ModelField } from './model';
import { pathShape } from './paths';

export type WarningCode = 'unmapped_required' | 'type_mismatch' | 'missing_source' | 'no_sample';

export interface MappingWarning {
  code: WarningCode;
  message: string;
  /** Index and id of the row concerned, when one is. */
  row?: number;
  rowId?: string;
  target?: string;
  path?: string;
}

/** Types a row's value can have at some step; null = unknown (no warning can be given). */
type Types = Set<JsonType> | null;

const scalarType = (value: Scalar): JsonType => (typeof value === 'string' ? 'string' : typeof value === 'number' ? 'number' : 'boolean');

function replaceStrings(types: Types, by: JsonType): Types {
  if (!types) return null;
  const out = new Set(types);
  if (out.delete('string')) out.add(by);
  return out;
}

function afterTransform(types: Types, t: Transform): Types {
  switch (t.op) {
    case 'trim':
    case 'lower':
    case 'upper':
    case 'normaliseEmail':
    case 'replace':
    case 'splitName':
      return types;
    case 'join': {
      if (!types) return null;
      const out = new Set(types);
      if (out.delete('array')) out.add('string');
      return out;
    }
    case 'concat':
      return new Set(['string']);
    case 'default':
      return types ? new Set([...types, scalarType(t.value)]) : null;
    case 'mapValues': {
      if (!types) return null;
      const out = new Set<JsonType>(t.fallback === undefined ? types : [...types].filter((type) => type === 'array' || type === 'object' || type === 'null'));
      for (const value of Object.values(t.table)) out.add(scalarType(value));
      if (t.fallback !== undefined) out.add(scalarType(t.fallback));
      return out;
    }
    case 'toNumber':
      return replaceStrings(types, 'number');
    case 'toBoolean':
      return types ? new Set([...types].map((type) => (type === 'string' || type === 'number' ? 'boolean' : type))) : null;
    case 'parseDate':
    case 'formatDate':
    case 'addMinutes':
    case 'phoneE164':
      return types ? new Set([...types].map((type) => (type === 'number' ? 'string' : type))) : null;
    case 'pick':
    case 'get':
    case 'pluck':
    case 'coalesce':
      return null;
  }
}

/** Can a value of JSON type `type` ever become a value of `field`'s type? */
function compatible(type: JsonType, field: ModelField): boolean {
  if (type === 'null' || type === 'string') return true;
  if (type === 'object') return false;
  if (type === 'array') return field.type === 'string[]';
  if (type === 'number') {
    if (field.type === 'enum') return (field.values ?? []).some((v) => /^-?\d/.test(v));
    return field.type !== 'email' && field.type !== 'phone';
  }
  // boolean
  if (field.type === 'enum') return (field.values ?? []).some((v) => v === 'true' || v === 'false');
  return field.type === 'string' || field.type === 'boolean' || field.type === 'string[]';
}

/** Paths a row reads from the record itself (relative paths of get/pluck/pick are not). */
function recordPaths(row: MappingRow): { paths: string[]; alternatives: boolean }[] {
  const out: { paths: string[]; alternatives: boolean }[] = [];
  const source = row.source;
  if (typeof source === 'string') out.push({ paths: [source], alternatives: false });
  else if ('coalesce' in source) out.push({ paths: source.coalesce, alternatives: true });
  else if ('concat' in source) for (const path of source.concat) out.push({ paths: [path], alternatives: false });
  for (const t of row.transforms) {
    if (t.op === 'concat') for (const path of t.paths) out.push({ paths: [path], alternatives: false });
    if (t.op === 'coalesce') out.push({ paths: t.paths, alternatives: true });
    if (t.op === 'addMinutes' && t.path) out.push({ paths: [t.path], alternatives: false });
  }
  return out;
}

function sourceTypes(row: MappingRow, seen: Map<string, SourceField>): Types {
  const source = row.source;
  if (typeof source === 'string') {
    const field = seen.get(pathShape(source) ?? '');
    return field ? new Set(field.types) : null;
  }
  if ('const' in source) return new Set([scalarType(source.const)]);
  if ('concat' in source) return new Set(['string']);
  const types = new Set<JsonType>();
  for (const path of source.coalesce) {
    const field = seen.get(pathShape(path) ?? '');
    if (!field) return null;
    for (const type of field.types) types.add(type);
  }
  return types;
}

export function analyzeMapping(mapping: Mapping, sourceFields: readonly SourceField[]): MappingWarning[] {
  const warnings: MappingWarning[] = [];
  const model = describeModel(mapping.model);
  const mapped = new Set(mapping.rows.map((row) => row.target));

  for (const field of model.fields) {
    if (field.required && !mapped.has(field.name)) {
      warnings.push({ code: 'unmapped_required', target: field.name, message: `${field.label} (${field.name}) is required by ${model.label} but no row maps it` });
    }
  }
  for (const group of model.requireOneOf) {
    if (!group.some((name) => mapped.has(name))) {
      warnings.push({ code: 'unmapped_required', target: group.join('|'), message: `${model.label} needs one of ${group.join(', ')}, and no row maps any of them` });
    }
  }

  const seen = new Map<string, SourceField>();
  for (const field of sourceFields) {
    const shape = pathShape(field.path);
    if (shape !== undefined && field.count > 0) seen.set(shape, field);
  }
  if (seen.size === 0) {
    warnings.push({ code: 'no_sample', message: 'No records have been synced yet, so sources cannot be checked against real data' });
  }

  mapping.rows.forEach((row, index) => {
    const at = { row: index, rowId: row.id, target: row.target };
    const field = modelField(mapping.model, row.target);
    if (!field) return;
    if (seen.size > 0) {
      for (const { paths, alternatives } of recordPaths(row)) {
        const missing = paths.filter((path) => !seen.has(pathShape(path) ?? ''));
        if (missing.length === 0 || (alternatives && missing.length < paths.length)) continue;
        for (const path of missing) {
          warnings.push({ code: 'missing_source', ...at, path, message: `"${path}" does not appear in the recently synced records` });
        }
      }
    }
    let types = sourceTypes(row, seen);
    for (const t of row.transforms) types = afterTransform(types, t);
    if (row.default !== undefined && types) types.add(scalarType(row.default));
    if (!types) return;
    const impossible = [...types].filter((type) => !compatible(type, field));
    if (impossible.length > 0) {
      warnings.push({
        code: 'type_mismatch',
        ...at,
        message: `${row.target} is ${/^[aeiou]/.test(field.type) ? 'an' : 'a'} ${field.type} field, but its source is ${impossible.map((t) => (t === 'array' ? 'a list' : t === 'object' ? 'an object' : `a ${t}`)).join(' or ')} in recent records`,
      });
    }
  });
  return warnings;
}
