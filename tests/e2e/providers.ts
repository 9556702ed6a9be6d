// The providers the browser specs connect, picked from the registry by what the specs exercise
// (tests/support/providers.ts), never named: so the specs type-check whichever provider is
// removed (scripts/provider-drill.sh). The e2e run uses the full registry.
import { exampleProvider, exampleProviders } from '../support/providers';

/**
 * The one most specs connect: OAuth with a consent page, two resources that sync in paged
 * listings with tombstones (the first mapped to contacts), and app-signed webhooks that ask for a
 * sync. With the full registry it is HubSpot.
 */
export const provider = exampleProvider({ auth: 'oauth2', syncResources: 2, deletions: 'tombstone', model: 'Contact', webhooks: 'app-signed', webhookChanges: 'sync' });
export const [firstResource, secondResource] = provider.resources;
/** How the screens label its first resource (e.g. "Contacts"). */
export const firstResourceLabel = provider.definition.resources.find((resource) => resource.id === firstResource)!.label;
/** The Integrations page's button for it. */
export const connectButton = `Connect ${provider.name} (sandbox)`;
/** The key its raw records keep their fields under, as its default mapping reads them (e.g. "properties"), if any. */
export const rawFieldsKey = (() => {
  const source = provider.definition.defaultMappings?.[firstResource]?.rows.find((row) => typeof row.source === 'string')?.source;
  return typeof source === 'string' && source.includes('.') ? source.split('.')[0] : null;
})();

/** Every OAuth provider, by name, for specs that connect them all. */
export const oauthProviders = exampleProviders({ auth: 'oauth2' });
/** A provider that connects with an API key, where one is registered. */
export const apiKeyProvider = exampleProviders({ auth: 'api_key' })[0];
