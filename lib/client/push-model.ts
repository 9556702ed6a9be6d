// The push editor's model-side helpers: the model's fields described as sources from sampled
// records, and the starting mapping a new push suggests. Apart from lib/client/push.ts because
// they read the model's zod schemas (lib/mapping/model.ts), which only the editor, loaded on
// demand, may pull into the browser: the connection page's first load stays without zod.
import type { PushFieldView } from './push';
import { modelFields, type ModelName } from '@/lib/mapping/model';

type JsonKind = 'string' | 'number' | 'boolean' | 'null' | 'object' | 'array';
const kindOf = (value: unknown): JsonKind =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'boolean' : typeof value === 'object' ? 'object' : 'string';

/**
 * The model's fields as the mapping editor lists sources: how many of the sampled records have
 * each, and one value seen. A push reads the mapped (model) output, so these are its paths.
 */
export function modelSourceFields(model: ModelName, sample: readonly { mapped: Record<string, unknown> | null }[]) {
  return modelFields(model).map((field) => {
    const values = sample.map((r) => r.mapped?.[field.name]).filter((v) => v !== undefined && v !== null && v !== '');
    const first = values.find((v) => typeof v !== 'object');
    const types = [...new Set(values.map(kindOf))];
    return {
      path: field.name,
      types: types.length ? types : [field.type === 'number' || field.type === 'integer' ? 'number' : field.type === 'boolean' ? 'boolean' : field.type === 'string[]' ? 'array' : 'string'] as JsonKind[],
      count: values.length,
      sample: first as string | number | boolean | undefined,
    };
  });
}

/** "firstName", "First name", "FNAME" and "first_name" all become "firstname", to suggest a starting mapping. */
const comparable = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * A first mapping for a new push: the match field from the model's email where the model has one,
 * and every destination field whose name or label matches a model field's. The admin edits it;
 * nothing is saved until they do.
 */
export function suggestedRows(model: ModelName, fields: readonly PushFieldView[], matchField: string) {
  const sources = modelFields(model);
  const byName = new Map(sources.flatMap((f) => [[comparable(f.name), f.name] as const, [comparable(f.label), f.name] as const]));
  const aliases: Record<string, string> = { fname: 'firstName', lname: 'lastName', emailaddress: 'email', phone: 'phone' };
  const rows: { id: string; source: string; target: string }[] = [];
  for (const field of fields) {
    const key = comparable(field.name);
    const source =
      field.name === matchField && sources.some((s) => s.name === 'email') && (field.type === 'email' || key.includes('email'))
        ? 'email'
        : (byName.get(key) ?? byName.get(comparable(field.label)) ?? aliases[key]);
    if (source && sources.some((s) => s.name === source) && !rows.some((r) => r.target === field.name)) {
      rows.push({ id: `row-${rows.length + 1}`, source, target: field.name });
    }
  }
  return rows;
}
