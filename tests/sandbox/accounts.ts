// The providers the sandbox plays, derived from the registry (providers/registry.ts): their ids and
// names, their one OAuth client each, and their fixed accounts, so tests can assert exactly which
// identity a connection ends up with.
import type { ProviderProfile, SandboxAccount, SandboxProvider } from './provider';
import { SANDBOX_PROVIDERS } from './providers/registry';

export { sandboxClient, type SandboxClient } from './provider';

type Registered = (typeof SANDBOX_PROVIDERS)[number];
export type ProviderId = Registered['id'];
export type AccountsByProvider = { [P in Registered as P['id']]: P['accounts'] };

/** The registry, widened for code that treats every provider alike. */
export const PROVIDERS: readonly SandboxProvider[] = SANDBOX_PROVIDERS;

export const PROVIDER_IDS = SANDBOX_PROVIDERS.map((provider) => provider.id) as unknown as readonly [ProviderId, ...ProviderId[]];

export const PROVIDER_NAMES = Object.fromEntries(PROVIDERS.map((provider) => [provider.id, provider.name])) as Record<ProviderId, string>;

/** `id` is what the consent page's Account select submits. */
export const ACCOUNTS = Object.fromEntries(PROVIDERS.map((provider) => [provider.id, provider.accounts])) as AccountsByProvider;

const BY_ID = new Map(PROVIDERS.map((provider) => [provider.id, provider]));

/** The provider's registration; throws for an id the sandbox does not play. */
export function sandboxProvider(id: string): SandboxProvider {
  const provider = BY_ID.get(id);
  if (!provider) throw new Error(`The provider sandbox does not play ${id}; it plays ${PROVIDER_IDS.join(', ')}.`);
  return provider;
}

export function isProviderId(id: string): id is ProviderId {
  return BY_ID.has(id);
}

export function findAccount<P extends ProviderId>(provider: P, id: string): AccountsByProvider[P][number] | undefined {
  return (ACCOUNTS[provider] as readonly AccountsByProvider[P][number][]).find((account) => account.id === id);
}

/** What the consent page's Account select shows. */
export function accountLabel(provider: ProviderId, id: string): string {
  const profile = sandboxProvider(provider) as ProviderProfile<string, SandboxAccount>;
  const account = profile.accounts.find((a) => a.id === id);
  return account ? profile.label(account) : id;
}
