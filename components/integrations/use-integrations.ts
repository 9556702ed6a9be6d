'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { apiFetch } from '@/lib/client/api';
import type { ConnectionResponse, ConnectionsResponse, ProvidersResponse } from '@/lib/client/types';

export const providersKey = ['providers'] as const;
export const connectionsKey = (workspaceId: string) => ['connections', workspaceId] as const;
export const connectionKey = (workspaceId: string, connectionId: string) =>
  ['connection', workspaceId, connectionId] as const;

export function useProviders() {
  return useQuery({
    queryKey: providersKey,
    queryFn: ({ signal }) => apiFetch<ProvidersResponse>('/api/providers', { signal }),
    staleTime: 5 * 60_000,
  });
}

export function useConnections(workspaceId: string) {
  return useQuery({
    queryKey: connectionsKey(workspaceId),
    queryFn: ({ signal }) => apiFetch<ConnectionsResponse>(`/api/workspaces/${workspaceId}/connections`, { signal }),
  });
}

export function useConnection(workspaceId: string, connectionId: string) {
  return useQuery({
    queryKey: connectionKey(workspaceId, connectionId),
    queryFn: ({ signal }) =>
      apiFetch<ConnectionResponse>(`/api/workspaces/${workspaceId}/connections/${connectionId}`, { signal }),
    // A missing connection stays missing; do not retry the 404.
    retry: (count, error) => count < 1 && !('status' in error && (error.status === 404 || error.status === 400)),
  });
}

/** Every connection change is also an activity entry, so the list, the page and the log refetch together. */
export function useRefreshConnections(workspaceId: string) {
  const queryClient = useQueryClient();
  return useCallback(
    () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ['connection', workspaceId] }),
        queryClient.invalidateQueries({ queryKey: connectionsKey(workspaceId) }),
        queryClient.invalidateQueries({ queryKey: ['activity', workspaceId] }),
      ]),
    [queryClient, workspaceId],
  );
}
