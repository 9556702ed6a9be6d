// The data control API: tests change the provider side between syncs (create, update, delete
// records) and read how many records are live or deleted. Served as POST/GET /_sandbox/data and
// in process through mutateData() in server.ts.
import { z } from 'zod';
import { PROVIDER_IDS, PROVIDERS } from './accounts';
import { DataControlError, getDataset, type Dataset, type DataMutationResult, type ResourceSpec } from './data';
import { DATA_KEYS, type DataKey } from './knobs';
import type { SandboxState } from './state';

export { DataControlError, type DataMutationResult } from './data';

export const DATA_SPECS = Object.fromEntries(
  PROVIDERS.flatMap((provider) => Object.entries(provider.datasets).map(([resource, dataset]) => [`${provider.id}.${resource}`, dataset.spec])),
) as Record<DataKey, ResourceSpec>;
for (const [key, spec] of Object.entries(DATA_SPECS)) {
  // The key seeds the records and names the dataset in knobs and stats: it must be where it is registered.
  if (spec.key !== key || `${spec.provider}.${spec.resource}` !== key) throw new Error(`The dataset registered as ${key} says it is ${spec.key}`);
}

/** A count takes "the first N live records in id order"; ids name records exactly. */
const selection = z.union([z.number().int().min(0).max(1_000_000), z.array(z.string()).max(1_000_000)]);
export const dataMutationSchema = z.strictObject({
  provider: z.enum(PROVIDER_IDS),
  /** Defaults to the provider's first sandbox account. */
  account: z.string().optional(),
  resource: z.string(),
  create: z.number().int().min(0).max(1_000_000).optional(),
  update: selection.optional(),
  delete: selection.optional(),
});
export type DataMutation = z.input<typeof dataMutationSchema>;

function resolve(state: SandboxState, provider: string, resource: string, account?: string | null): Dataset {
  const key = `${provider}.${resource}`;
  if (!(DATA_KEYS as readonly string[]).includes(key)) throw new DataControlError(`No dataset ${key}; the datasets are ${DATA_KEYS.join(', ')}.`);
  const spec = DATA_SPECS[key as DataKey];
  const accounts = PROVIDERS.find((p) => p.id === spec.provider)?.accounts.map((a) => a.id) ?? [];
  const chosen = account ?? accounts[0];
  if (!accounts.includes(chosen)) throw new DataControlError(`No ${provider} sandbox account ${chosen}; the accounts are ${accounts.join(', ')}.`);
  return getDataset(state, spec, chosen);
}

function select(dataset: Dataset, wanted: number | string[], skip: Set<number>, verb: string): number[] {
  if (Array.isArray(wanted)) {
    const indices = [...new Set(wanted)].map((id) => {
      const index = dataset.indexOf(id);
      if (index === undefined) throw new DataControlError(`Cannot ${verb} ${id}: no such ${dataset.spec.key} record.`);
      if (dataset.isDeleted(index)) throw new DataControlError(`Cannot ${verb} ${id}: it is deleted.`);
      return index;
    });
    return indices.sort((a, b) => a - b);
  }
  const indices: number[] = [];
  for (let i = 0; i < dataset.count && indices.length < wanted; i++) if (!dataset.isDeleted(i) && !skip.has(i)) indices.push(i);
  if (indices.length < wanted) throw new DataControlError(`Cannot ${verb} ${wanted} ${dataset.spec.key} records: only ${indices.length} are live.`);
  return indices;
}

/**
 * Creates, then updates, then deletes. Every record changed takes its own tick of the logical
 * clock (as a bulk change on a real provider spreads over time), so modification times are
 * strictly increasing and no two changed records ever share one.
 * Counted deletes skip the records this call updates, so `{ update: 3, delete: 2 }` touches five.
 */
export function applyMutation(state: SandboxState, input: DataMutation): DataMutationResult {
  const mutation = dataMutationSchema.parse(input);
  const dataset = resolve(state, mutation.provider, mutation.resource, mutation.account);
  // Select everything first, so a bad id changes nothing.
  const toUpdate = mutation.update === undefined ? [] : select(dataset, mutation.update, new Set(), 'update');
  const toDelete = mutation.delete === undefined ? [] : select(dataset, mutation.delete, new Set(toUpdate), 'delete');
  const clash = toDelete.find((index) => toUpdate.includes(index));
  if (clash !== undefined) throw new DataControlError(`Cannot both update and delete ${dataset.idOf(clash)} in one call.`);

  const created: string[] = [];
  for (let n = 0; n < (mutation.create ?? 0); n++) created.push(dataset.idOf(dataset.create(state.data.tick())));
  for (const index of toUpdate) dataset.update(index, state.data.tick());
  for (const index of toDelete) dataset.remove(index, state.data.tick());
  return { created, updated: toUpdate.map((index) => dataset.idOf(index)), deleted: toDelete.map((index) => dataset.idOf(index)) };
}

export function dataCounts(state: SandboxState, query: { provider: string; resource: string; account?: string | null }): { live: number; deleted: number } {
  const dataset = resolve(state, query.provider, query.resource, query.account);
  return { live: dataset.live, deleted: dataset.count - dataset.live };
}

/** GET (counts) or POST (mutation) /_sandbox/data, as [status, body]. */
export function dataControlAnswer(state: SandboxState, method: string, query: URLSearchParams, body: Buffer): [number, unknown] {
  try {
    if (method === 'GET') {
      return [200, dataCounts(state, { provider: query.get('provider') ?? '', resource: query.get('resource') ?? '', account: query.get('account') })];
    }
    let raw: unknown;
    try {
      raw = JSON.parse(body.toString('utf8') || '{}');
    } catch {
      return [400, { error: 'invalid_json', message: 'The mutation body is not valid JSON.' }];
    }
    return [200, applyMutation(state, raw as DataMutation)];
  } catch (error) {
    if (error instanceof DataControlError) return [400, { error: 'invalid_mutation', message: error.message }];
    if (error instanceof z.ZodError) return [400, { error: 'invalid_mutation', issues: error.issues }];
    throw error;
  }
}
