'use client';

import { useQuery } from '@tanstack/react-query';
import { fetchOverview } from '@/lib/client/overview';

/** Numbers move slowly and every one is aggregated server-side: refresh every 30 s, as a glance page. */
export const OVERVIEW_REFRESH_MS = 30_000;

export function useOverview(workspaceId: string) {
  return useQuery({
    queryKey: ['overview', workspaceId],
    queryFn: ({ signal }) => fetchOverview(workspaceId, signal),
    refetchInterval: OVERVIEW_REFRESH_MS,
  });
}
