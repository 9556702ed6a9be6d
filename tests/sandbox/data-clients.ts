// The reference listing clients of every dataset, from the providers' registrations (listing.ts has
// what they share): tests page through full and incremental listings the way a sync engine would.
import { PROVIDERS } from './accounts';
import { listingApi, type ClientOptions, type ListingClient } from './listing';
import type { DataKey } from './knobs';

export { drain, type ClientOptions, type Listed, type ListingClient, type Step } from './listing';

export function listingClients(options: ClientOptions): Record<DataKey, ListingClient> {
  const clients: Record<string, ListingClient> = {};
  for (const provider of PROVIDERS) {
    const api = listingApi(options, provider.id, provider.apiHeaders);
    for (const [resource, dataset] of Object.entries(provider.datasets)) clients[`${provider.id}.${resource}`] = dataset.client(api);
  }
  return clients as Record<DataKey, ListingClient>;
}
