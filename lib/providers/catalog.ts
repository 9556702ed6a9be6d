// The catalog as the browser sees it: definitions minus functions, plus whether this server can
// connect each provider for real (client id and secret set) or through the sandbox.
import { envPrefix, liveCredentials, sandboxCredentials } from './credentials';
import { sandboxBaseUrl } from './environment';
import { providers } from './registry';
import type { ProviderDefinition, SyncResource } from './types';

export type Availability = 'configured' | 'sandbox' | 'unavailable';

export function availabilityOf(provider: ProviderDefinition): Availability {
  // API-key providers need no server credentials; they use the sandbox wherever one is set up.
  if (provider.auth.kind !== 'oauth2') return sandboxBaseUrl() ? 'sandbox' : 'configured';
  if (liveCredentials(provider)) return 'configured';
  return sandboxCredentials(provider) ? 'sandbox' : 'unavailable';
}

/**
 * The resources a sync can actually fetch: those with a page fetcher. A resource only declared
 * (named for connections and mappings, no fetcher yet) is not promised on the card.
 */
export function implementedSyncs(provider: ProviderDefinition): SyncResource[] {
  return provider.resources.filter((r): r is SyncResource => typeof (r as Partial<SyncResource>).fetchPage === 'function');
}

export function catalogEntry(provider: ProviderDefinition) {
  return {
    id: provider.id,
    name: provider.name,
    category: provider.category,
    description: provider.description,
    color: provider.color,
    initials: provider.initials,
    capabilities: provider.capabilities,
    resources: provider.resources.map(({ id, label }) => ({ id, label })),
    /** Something the admin picks per connection before it syncs (lib/connections/selection.ts); null when none. */
    selection: provider.selection
      ? { label: provider.selection.label, description: provider.selection.description, max: provider.selection.max, whenNoneChosen: provider.selection.whenNoneChosen ?? null }
      : null,
    /** Where a push can write at this provider (lib/push); empty for a pull-only provider. */
    pushDestinations: (provider.push?.destinations ?? []).map(({ id, label, models }) => ({ id, label, models: [...models] })),
    /** The model each resource's records map onto (its default mapping's), so a push can offer them as sources. */
    resourceModels: Object.fromEntries(Object.entries(provider.defaultMappings ?? {}).map(([resource, mapping]) => [resource, mapping.model])),
    /** What the card says it syncs: only what implementedSyncs finds, so it cannot over-promise. */
    syncs: implementedSyncs(provider).map(({ id, label }) => ({ id, label })),
    /** Resources no sync lists whose records only webhook deliveries bring (a provider with no history API). */
    received: provider.webhooks ? provider.resources.filter((r) => !implementedSyncs(provider).includes(r as SyncResource)).map(({ id, label }) => ({ id, label })) : [],
    webhooks: provider.webhooks
      ? { note: provider.webhooks.note, setup: provider.webhooks.setup, schemeLabel: provider.webhooks.schemeLabel }
      : null,
    webhooksNote: provider.webhooks?.note ?? provider.withoutWebhooks ?? 'No webhooks; changes arrive by scheduled sync.',
    unverified: provider.unverified ?? null,
    docsUrl: provider.docsUrl,
    authKind: provider.auth.kind,
    /** The API-key form's fields: an API-key provider's, or an OAuth provider's alternative (else none). */
    apiKeyFields: (provider.auth.kind === 'api_key' ? provider.auth : provider.alternativeApiKey)?.fields.map((f) => ({
      name: f.name,
      label: f.label,
      secret: f.secret,
      help: f.help ?? null,
      optional: f.optional === true,
    })) ?? [],
    availability: availabilityOf(provider),
    /** Where this server's credentials for it come from: <envPrefix>_CLIENT_ID and _CLIENT_SECRET. */
    envPrefix: envPrefix(provider.id),
  };
}
export type CatalogEntry = ReturnType<typeof catalogEntry>;

export function catalog(): CatalogEntry[] {
  return providers.map(catalogEntry);
}
