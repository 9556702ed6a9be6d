'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { apiFetch } from '@/lib/client/api';
import type { MembersResponse } from '@/lib/client/types';

export const membersKey = (workspaceId: string) => ['members', workspaceId] as const;

export function useMembers(workspaceId: string) {
  return useQuery({
    queryKey: membersKey(workspaceId),
    queryFn: ({ signal }) => apiFetch<MembersResponse>(`/api/workspaces/${workspaceId}/members`, { signal }),
  });
}

/** Every membership change is also an activity entry, so both views refetch together. */
export function useRefreshWorkspaceData(workspaceId: string) {
  const queryClient = useQueryClient();
  return useCallback(
    () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: membersKey(workspaceId) }),
        queryClient.invalidateQueries({ queryKey: ['activity', workspaceId] }),
      ]),
    [queryClient, workspaceId],
  );
}
