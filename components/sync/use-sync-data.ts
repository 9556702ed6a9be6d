'use client';

import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { apiFetch, ApiError } from '@/lib/client/api';
import { fetchRecords, fetchRun, fetchRuns, isLive } from '@/lib/client/sync';
import type { ConnectionResponse, ConnectionsResponse, ProvidersResponse } from '@/lib/client/types';

// Keys shared with components/integrations/use-integrations.ts, so both screens read one cache.
const connectionsKey = (workspaceId: string) => ['connections', workspaceId] as const;
const connectionKey = (workspaceId: string, connectionId: string) => ['connection', workspaceId, connectionId] as const;

/** A 404 (or a malformed id, 400) will not fix itself: do not retry it. */
const retryUnlessMissing = (count: number, error: Error) =>
  count < 1 && !(error instanceof ApiError && (error.status === 404 || error.status === 400));

export function useProvidersList() {
  return useQuery({
    queryKey: ['providers'],
    queryFn: ({ signal }) => apiFetch<ProvidersResponse>('/api/providers', { signal }),
    staleTime: 5 * 60_000,
  });
}

export function useConnectionsList(workspaceId: string) {
  return useQuery({
    queryKey: connectionsKey(workspaceId),
    queryFn: ({ signal }) => apiFetch<ConnectionsResponse>(`/api/workspaces/${workspaceId}/connections`, { signal }),
  });
}

export function useConnectionData(workspaceId: string, connectionId: string) {
  return useQuery({
    queryKey: connectionKey(workspaceId, connectionId),
    queryFn: ({ signal }) => apiFetch<ConnectionResponse>(`/api/workspaces/${workspaceId}/connections/${connectionId}`, { signal }),
    retry: retryUnlessMissing,
  });
}

/** A page of runs; while any of them is queued or running it refetches every `liveMs`. */
export function useRuns(workspaceId: string, query: URLSearchParams, { liveMs, idleMs }: { liveMs: number | false; idleMs?: number }) {
  const search = query.toString();
  return useQuery({
    queryKey: ['sync-runs', workspaceId, search],
    queryFn: ({ signal }) => fetchRuns(workspaceId, new URLSearchParams(search), signal),
    placeholderData: keepPreviousData,
    refetchInterval: (q) => (q.state.data?.runs.some((run) => isLive(run.status)) ? liveMs : (idleMs ?? false)),
  });
}

/** One run with its steps; polls every second until it ends. */
export function useRun(workspaceId: string, runId: string | undefined, enabled = true) {
  return useQuery({
    queryKey: ['sync-run', workspaceId, runId],
    queryFn: ({ signal }) => fetchRun(workspaceId, runId!, signal),
    enabled: enabled && Boolean(runId),
    retry: retryUnlessMissing,
    refetchInterval: (q) => (q.state.data && isLive(q.state.data.run.status) ? 1000 : false),
  });
}

export function useRecords(workspaceId: string, connectionId: string, query: URLSearchParams) {
  const search = query.toString();
  return useQuery({
    queryKey: ['records', workspaceId, connectionId, search],
    queryFn: ({ signal }) => fetchRecords(workspaceId, connectionId, new URLSearchParams(search), signal),
    placeholderData: keepPreviousData,
  });
}

/** After a run starts, ends or is cancelled: runs, the connection's health and the log all change. */
export function useRefreshSync(workspaceId: string) {
  const queryClient = useQueryClient();
  return useCallback(
    () =>
      Promise.all(
        ['sync-runs', 'sync-run', 'connection', 'connections', 'activity', 'records'].map((prefix) =>
          queryClient.invalidateQueries({ queryKey: [prefix, workspaceId] }),
        ),
      ),
    [queryClient, workspaceId],
  );
}

type ConnectionChange = { schedule?: string; resources?: string[] };

/** PATCH a connection's schedule or resources; the answer replaces the cached connection. */
export function useUpdateConnection(workspaceId: string, connectionId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (change: ConnectionChange) =>
      apiFetch<ConnectionResponse>(`/api/workspaces/${workspaceId}/connections/${connectionId}`, { method: 'PATCH', body: change }),
    onSuccess: async (data) => {
      queryClient.setQueryData(connectionKey(workspaceId, connectionId), data);
      await queryClient.invalidateQueries({ queryKey: connectionsKey(workspaceId) });
    },
  });
}
