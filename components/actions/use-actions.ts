'use client';

import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { fetchActionDefinitions, fetchActionLog } from '@/lib/client/actions';

/** The action registry with input schemas and per-provider support (static per server). */
export function useActionDefinitions(workspaceId: string) {
  return useQuery({
    queryKey: ['action-definitions', workspaceId],
    queryFn: ({ signal }) => fetchActionDefinitions(workspaceId, signal),
    staleTime: 10 * 60_000,
  });
}

export const actionLogKey = (workspaceId: string) => ['action-log', workspaceId] as const;

/** The log, newest first, a page at a time (keyset cursor); refreshed every few seconds while the first page shows. */
export function useActionLog(workspaceId: string, filters: { connection: string; action: string; status: string }, pageSize = 25) {
  return useInfiniteQuery({
    queryKey: [...actionLogKey(workspaceId), filters, pageSize],
    initialPageParam: '',
    queryFn: ({ pageParam, signal }) => {
      const query = new URLSearchParams({ limit: String(pageSize) });
      if (filters.connection) query.set('connection', filters.connection);
      if (filters.action) query.set('action', filters.action);
      if (filters.status) query.set('status', filters.status);
      if (pageParam) query.set('cursor', pageParam);
      return fetchActionLog(workspaceId, query, signal);
    },
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: (q) => ((q.state.data?.pages.length ?? 0) <= 1 ? 5000 : false),
  });
}
