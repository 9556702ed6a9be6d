// What the default-mapping tests share (tests/unit/mapping/defaults.test.ts and each provider's
// tests/sandbox/providers/<id>/mappings.unit.test.ts): records built exactly as the sandbox builds
// them (its own generators and datasets), and a check that a provider's default mapping maps every
// one of them without errors into a valid model record.
import { expect } from 'vitest';
import { applyMapping, compileMapping, MODEL_SCHEMAS, type MappingDefinition, type ModelName } from '@/lib/mapping';
import { providers } from '@/lib/providers/registry';
import { Dataset, type ResourceSpec } from '@/tests/sandbox/data';

export const SIZE = 60;
export const iso = (ms: number) => new Date(ms).toISOString();
export type Fields = Record<string, unknown>;

export function dataset(spec: ResourceSpec, account: string): Dataset {
  const data = new Dataset(spec, account, SIZE, () => SIZE);
  // Some records edited since creation, as in a live account.
  for (let i = 0; i < SIZE; i += 7) data.update(i, Date.now() + i);
  return data;
}

export function mappingOf(provider: string, resource: string): MappingDefinition {
  const mapping = providers.find((p) => p.id === provider)?.defaultMappings?.[resource];
  if (!mapping) throw new Error(`no default mapping for ${provider} ${resource}`);
  return mapping;
}

/** Maps every record, asserting no errors and a valid model record; returns the outputs with their fields. */
export function mapAll(provider: string, resource: string, model: ModelName, records: { data: unknown; fields: Fields; index: number }[]) {
  const compiled = compileMapping(mappingOf(provider, resource));
  expect(compiled.model).toBe(model);
  return records.map(({ data, fields, index }) => {
    const { output, errors } = applyMapping(compiled, data);
    expect(errors, `${provider} ${resource} record ${index}`).toEqual([]);
    expect(MODEL_SCHEMAS[model].safeParse(output).success).toBe(true);
    return { output, fields, index };
  });
}
