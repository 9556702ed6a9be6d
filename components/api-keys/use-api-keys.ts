'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createApiKey, fetchApiKeys, revokeApiKey, type ApiScope } from '@/lib/client/api-keys';

const apiKeysKey = (workspaceId: string) => ['api-keys', workspaceId] as const;

export function useApiKeys(workspaceId: string, enabled = true) {
  return useQuery({
    queryKey: apiKeysKey(workspaceId),
    queryFn: ({ signal }) => fetchApiKeys(workspaceId, signal),
    enabled,
  });
}

export function useCreateApiKey(workspaceId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { name: string; scopes: ApiScope[] }) => createApiKey(workspaceId, input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: apiKeysKey(workspaceId) }),
  });
}

export function useRevokeApiKey(workspaceId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (keyId: string) => revokeApiKey(workspaceId, keyId),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: apiKeysKey(workspaceId) }),
  });
}
