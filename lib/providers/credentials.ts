// OAuth client credentials per provider: real ones from env (<ID>_CLIENT_ID / <ID>_CLIENT_SECRET,
// e.g. HUBSPOT_CLIENT_ID), else the sandbox's fixed client when the sandbox is configured.
import { sandboxBaseUrl, type Environment } from './environment';
import type { ClientCredentials, ProviderDefinition } from './types';

export type { ClientCredentials } from './types';

export function envPrefix(providerId: string): string {
  return providerId.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}

/** How a connection authenticates: its provider's way, or an API key where the provider also takes one. */
export type ConnectionAuthKind = ProviderDefinition['auth']['kind'];

export function liveCredentials(provider: ProviderDefinition, kind: ConnectionAuthKind = provider.auth.kind): ClientCredentials | null {
  // API-key connections carry their own secret; the server holds no client for them.
  if (kind === 'api_key') return { clientId: '', clientSecret: '', environment: 'live' };
  const prefix = envPrefix(provider.id);
  const clientId = process.env[`${prefix}_CLIENT_ID`];
  const clientSecret = process.env[`${prefix}_CLIENT_SECRET`];
  if (!clientId || !clientSecret) return null;
  return { clientId, clientSecret, environment: 'live' };
}

export function sandboxCredentials(provider: ProviderDefinition, kind: ConnectionAuthKind = provider.auth.kind): ClientCredentials | null {
  if (!sandboxBaseUrl()) return null;
  if (kind === 'api_key') return { clientId: '', clientSecret: '', environment: 'sandbox' };
  return { clientId: `sandbox-${provider.id}`, clientSecret: `sandbox-secret-${provider.id}`, environment: 'sandbox' };
}

/** Credentials for a new connection: real ones win; the sandbox stands in when they are absent. */
export function credentialsForNewConnection(provider: ProviderDefinition, kind: ConnectionAuthKind = provider.auth.kind): ClientCredentials | null {
  if (kind === 'api_key') return sandboxCredentials(provider, kind) ?? liveCredentials(provider, kind);
  return liveCredentials(provider) ?? sandboxCredentials(provider);
}

/** Credentials for an existing connection, which stays in the environment it was made in. */
export function credentialsFor(provider: ProviderDefinition, environment: Environment, kind: ConnectionAuthKind = provider.auth.kind): ClientCredentials | null {
  return environment === 'live' ? liveCredentials(provider, kind) : sandboxCredentials(provider, kind);
}
