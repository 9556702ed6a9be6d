'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { fetchSelection, saveSelection } from '@/lib/client/selection';
import { connectionKey } from './use-integrations';

const selectionKey = (workspaceId: string, connectionId: string) => ['selection', workspaceId, connectionId];

/** What the connection's provider offers to choose, read live from the provider, with what is chosen. */
export function useSelection(workspaceId: string, connectionId: string, enabled: boolean) {
  return useQuery({
    queryKey: selectionKey(workspaceId, connectionId),
    queryFn: ({ signal }) => fetchSelection(workspaceId, connectionId, signal),
    enabled,
    staleTime: 60_000,
  });
}

/** Saves the choice; the connection (its sync and webhooks) follows on the server. */
export function useSaveSelection(workspaceId: string, connectionId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (chosen: string[]) => saveSelection(workspaceId, connectionId, chosen),
    onSuccess: (answer) => {
      queryClient.setQueryData(selectionKey(workspaceId, connectionId), answer);
      void queryClient.invalidateQueries({ queryKey: connectionKey(workspaceId, connectionId) });
      void queryClient.invalidateQueries({ queryKey: ['sync-runs'] });
    },
  });
}
