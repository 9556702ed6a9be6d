// The source picker's vocabulary: which paths occur in a sample of stored records, with their
// JSON types and how many records had them. Array items are merged under [0].
import { isPathName } from './paths';

export type JsonType = 'string' | 'number' | 'boolean' | 'null' | 'object' | 'array';

export interface SourceField {
  path: string;
  types: JsonType[];
  /** How many of the sampled records had this path. */
  count: number;
  /** One value seen there (scalars only, long text shortened). */
  sample?: string | number | boolean | null;
}

export interface SourceFieldOptions {
  maxDepth?: number;
  maxFields?: number;
  /** Array items looked at per array: enough to see optional fields, bounded for huge arrays. */
  maxItems?: number;
  /** Keys looked at per object. */
  maxKeys?: number;
}

interface Entry {
  field: SourceField;
  types: Set<JsonType>;
  lastRecord: number;
}

function jsonType(value: unknown): JsonType | undefined {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'number':
      return Number.isFinite(value) ? 'number' : undefined;
    case 'boolean':
      return 'boolean';
    case 'object':
      return 'object';
    default:
      return undefined;
  }
}

export function sourceFieldsOf(records: readonly unknown[], options: SourceFieldOptions = {}): SourceField[] {
  const maxDepth = options.maxDepth ?? 6;
  const maxFields = options.maxFields ?? 300;
  const maxItems = options.maxItems ?? 10;
  const maxKeys = options.maxKeys ?? 200;
  const entries = new Map<string, Entry>();
  let recordIndex = 0;

  function note(path: string, value: unknown, type: JsonType): void {
    let entry = entries.get(path);
    if (!entry) {
      if (entries.size >= maxFields) return;
      entry = { field: { path, types: [], count: 0 }, types: new Set(), lastRecord: -1 };
      entries.set(path, entry);
    }
    entry.types.add(type);
    if (entry.lastRecord !== recordIndex) {
      entry.lastRecord = recordIndex;
      entry.field.count++;
    }
    if (entry.field.sample === undefined && type !== 'object' && type !== 'array') {
      entry.field.sample = typeof value === 'string' && value.length > 80 ? `${value.slice(0, 80)}…` : (value as string | number | boolean | null);
    }
  }

  function walk(value: unknown, path: string, depth: number): void {
    const type = jsonType(value);
    if (type === undefined) return;
    if (path !== '') note(path, value, type);
    if (depth >= maxDepth) return;
    if (type === 'array') {
      const items = value as unknown[];
      for (let i = 0; i < items.length && i < maxItems; i++) walk(items[i], `${path}[0]`, depth + 1);
    } else if (type === 'object') {
      let seen = 0;
      for (const key in value as object) {
        if (!Object.hasOwn(value as object, key)) continue;
        if (++seen > maxKeys) break;
        // Keys a path cannot name (spaces, __proto__…) cannot be mapped, so they are not offered.
        if (!isPathName(key)) continue;
        walk((value as Record<string, unknown>)[key], path === '' ? key : `${path}.${key}`, depth + 1);
      }
    }
  }

  for (const record of records) {
    try {
      walk(record, '', 0);
    } catch {
      // Stored records are JSON; anything else (a throwing getter) just contributes what it could.
    }
    recordIndex++;
  }
  return [...entries.values()].map((entry) => ({ ...entry.field, types: [...entry.types] }));
}
