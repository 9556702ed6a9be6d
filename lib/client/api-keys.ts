// Workspace API keys as the browser sees them (lib/api-keys/keys.ts): never a hash, and the secret
// only in the answer that created the key.
import { apiFetch } from './api';
import type { Jsonified } from './types';
import type { ApiKeyView } from '@/lib/api-keys/keys';
import { API_SCOPES, SCOPE_DESCRIPTIONS, type ApiScope } from '@/lib/api-keys/scopes';

export { API_SCOPES, SCOPE_DESCRIPTIONS, type ApiScope };

export type ApiKey = Jsonified<ApiKeyView>;

export interface CreatedApiKey {
  key: ApiKey;
  /** Shown once. */
  secret: string;
}

export async function fetchApiKeys(workspaceId: string, signal?: AbortSignal): Promise<ApiKey[]> {
  return (await apiFetch<{ keys: ApiKey[] }>(`/api/workspaces/${workspaceId}/api-keys`, { signal })).keys;
}

export function createApiKey(workspaceId: string, input: { name: string; scopes: ApiScope[] }): Promise<CreatedApiKey> {
  return apiFetch<CreatedApiKey>(`/api/workspaces/${workspaceId}/api-keys`, { method: 'POST', body: input });
}

export async function revokeApiKey(workspaceId: string, keyId: string): Promise<ApiKey> {
  return (await apiFetch<{ key: ApiKey }>(`/api/workspaces/${workspaceId}/api-keys/${keyId}`, { method: 'DELETE' })).key;
}
