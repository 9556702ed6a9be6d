// Registered providers picked by what they can do. A test of shared machinery (the sync engine,
// mappings, webhook ingestion, token refresh, the OAuth callback…) that needs "a provider that
// syncs" or "one whose webhooks are app-signed" asks for one here instead of naming it, so removing
// any one provider leaves another that fits wherever two or more share the trait
// (scripts/provider-drill.sh checks that). A trait only one provider has makes the test that
// provider's own: it lives in tests/sandbox/providers/<id>/.
//
// Nothing here names a provider: every answer is read from the two registries, the app's
// definitions and the sandbox's registrations.
import type { ActionName } from '@/lib/actions/schemas';
import type { MappingDefinition, ModelName } from '@/lib/mapping';
import { providers } from '@/lib/providers/registry';
import type { ProviderDefinition, SyncResource } from '@/lib/providers/types';
import type { ParsedDelivery } from '@/lib/webhooks/types';
import { newSandboxState } from '../sandbox/knobs';
import type { DeletionShape, SandboxAccount, SandboxProvider } from '../sandbox/provider';
import { sandboxProvider, type DataKey, type ProviderId } from '../sandbox/server';

export interface ProviderTraits {
  auth?: 'oauth2' | 'api_key';
  /** Has resources that sync (and so sandbox datasets). */
  sync?: boolean;
  /** At least this many syncing resources. */
  syncResources?: number;
  /** Every syncing resource shows deletions so (see SandboxDataset.deletions). */
  deletions?: DeletionShape;
  /** A syncing resource whose default mapping fills this model (exampleResource returns it). */
  model?: ModelName;
  /** Receives webhooks at all (true), none (false), or of this kind. */
  webhooks?: boolean | 'app-signed' | 'channel';
  /** What its deliveries do: ask for an incremental sync, or carry the record itself. */
  webhookChanges?: ParsedDelivery['change']['kind'];
  /** Every refresh hands out a new refresh token (the sandbox can make any OAuth provider rotate). */
  refreshRotates?: boolean;
  /** Revokes its grant on disconnect. */
  revokes?: boolean;
  /** Supports all of these actions. */
  actions?: readonly ActionName[];
  /** Any of these ids is not a candidate (e.g. a second provider unlike the first). */
  except?: readonly string[];
}

export interface ExampleProvider {
  /** Typed as the sandbox's ids, so knobs and stats take it. */
  id: ProviderId;
  name: string;
  definition: ProviderDefinition;
  sandbox: SandboxProvider;
  /** Its syncing resources, in the definition's order (the order a sync walks them). */
  resources: string[];
  /** Its sandbox accounts: the first is the one a plain connect gets. */
  accounts: readonly SandboxAccount[];
  /** '<id>.<resource>', as sandbox knobs and stats name a dataset. */
  dataKey(resource: string): DataKey;
  /** A dataset knob: these sizes for the named resources, 0 for its other datasets. */
  datasets(sizes: Record<string, number>): Partial<Record<DataKey, number>>;
  /** Where the app receives its webhooks (relative to the app's origin). */
  webhookPath: string;
  /** The header (lower-case) carrying its webhook signature or token, as stored with a delivery. */
  signatureHeader: string;
}

export interface ExampleResource {
  provider: ExampleProvider;
  resource: string;
  dataKey: DataKey;
  /** The resource's default mapping. */
  mapping: MappingDefinition;
}

const syncing = (definition: ProviderDefinition) => definition.resources.filter((resource): resource is SyncResource => 'fetchPage' in resource);

function describeTraits(traits: ProviderTraits): string {
  return JSON.stringify(traits);
}

const changeKinds = new Map<string, ParsedDelivery['change']['kind'] | null>();

/** What the provider's sample delivery (the sandbox's) asks of the app, read by the app's own parser. */
export function webhookChangeOf(definition: ProviderDefinition): ParsedDelivery['change']['kind'] | null {
  if (!changeKinds.has(definition.id)) {
    const sample = sandboxProvider(definition.id).webhooks?.sample(newSandboxState(), { url: `https://hub.test/api/webhooks/${definition.id}` });
    let kind: ParsedDelivery['change']['kind'] | null = null;
    if (definition.webhooks && sample) {
      const body = sample.body === '' ? null : (JSON.parse(sample.body) as unknown);
      kind = definition.webhooks.parse({ body, headers: new Headers(sample.headers) })[0]?.change.kind ?? null;
    }
    changeKinds.set(definition.id, kind);
  }
  return changeKinds.get(definition.id) ?? null;
}

function modelResources(definition: ProviderDefinition, model: ModelName): string[] {
  return syncing(definition)
    .map((resource) => resource.id)
    .filter((id) => definition.defaultMappings?.[id]?.model === model);
}

function fits(definition: ProviderDefinition, traits: ProviderTraits): boolean {
  if (traits.except?.includes(definition.id)) return false;
  if (traits.auth && definition.auth.kind !== traits.auth) return false;
  const resources = syncing(definition);
  if (traits.sync !== undefined && resources.length > 0 !== traits.sync) return false;
  if (traits.syncResources !== undefined && resources.length < traits.syncResources) return false;
  if (traits.deletions) {
    const datasets = sandboxProvider(definition.id).datasets as Record<string, { deletions: DeletionShape }>;
    if (resources.length === 0 || !resources.every((resource) => datasets[resource.id]?.deletions === traits.deletions)) return false;
  }
  if (traits.model && modelResources(definition, traits.model).length === 0) return false;
  if (traits.webhooks !== undefined) {
    const kind = definition.webhooks?.deliveries.kind;
    if (typeof traits.webhooks === 'boolean' ? Boolean(kind) !== traits.webhooks : kind !== traits.webhooks) return false;
  }
  if (traits.webhookChanges && webhookChangeOf(definition) !== traits.webhookChanges) return false;
  if (traits.refreshRotates !== undefined && (definition.auth.kind !== 'oauth2' || definition.auth.refreshTokenRotates !== traits.refreshRotates)) return false;
  if (traits.revokes !== undefined && Boolean(definition.revoke) !== traits.revokes) return false;
  if (traits.actions && !traits.actions.every((action) => definition.actions?.[action])) return false;
  return true;
}

function example(definition: ProviderDefinition): ExampleProvider {
  const sandbox = sandboxProvider(definition.id);
  const resources = syncing(definition).map((resource) => resource.id);
  const dataKey = (resource: string) => {
    if (!(resource in sandbox.datasets)) throw new Error(`${definition.id} has no sandbox dataset ${resource}`);
    return `${definition.id}.${resource}` as DataKey;
  };
  return {
    id: definition.id as ProviderId,
    name: definition.name,
    definition,
    sandbox,
    resources,
    accounts: sandbox.accounts,
    dataKey,
    datasets(sizes) {
      for (const resource of Object.keys(sizes)) dataKey(resource);
      return Object.fromEntries(Object.keys(sandbox.datasets).map((resource) => [dataKey(resource), sizes[resource] ?? 0]));
    },
    webhookPath: `/api/webhooks/${definition.id}`,
    signatureHeader: (sandbox.webhooks?.signatureHeader ?? '').toLowerCase(),
  };
}

/** Every registered provider with these traits, in registry order. */
export function exampleProviders(traits: ProviderTraits = {}): ExampleProvider[] {
  return providers.filter((definition) => fits(definition, traits)).map(example);
}

/** The first registered provider (in registry order) with these traits; throws when none has them. */
export function exampleProvider(traits: ProviderTraits = {}): ExampleProvider {
  const [first] = exampleProviders(traits);
  if (!first) throw new Error(`No registered provider has the traits ${describeTraits(traits)}`);
  return first;
}

/**
 * A syncing resource (of the first provider that has one) whose default mapping fills `model`,
 * with the provider's other traits as given.
 */
export function exampleResource(traits: ProviderTraits & { model: ModelName }): ExampleResource {
  const provider = exampleProvider(traits);
  const [resource] = modelResources(provider.definition, traits.model);
  return { provider, resource, dataKey: provider.dataKey(resource), mapping: provider.definition.defaultMappings![resource] };
}
