'use client';

import { useInfiniteQuery, useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  createPush,
  deletePush,
  fetchDestinations,
  fetchPushErrors,
  fetchPushes,
  fetchTargetFields,
  previewPush,
  runPush,
  updatePush,
  type PushChange,
  type PushConfigInput,
  type PushView,
} from '@/lib/client/push';

const pushesKey = (workspaceId: string, connectionId: string) => ['pushes', workspaceId, connectionId];

const isLiveRun = (push: PushView) => push.lastRun?.status === 'queued' || push.lastRun?.status === 'running';

export function usePushDestinations(workspaceId: string, connectionId: string, enabled = true) {
  return useQuery({
    queryKey: ['push-destinations', workspaceId, connectionId],
    queryFn: ({ signal }) => fetchDestinations(workspaceId, connectionId, signal),
    enabled,
    staleTime: 60_000,
  });
}

export function useTargetFields(workspaceId: string, connectionId: string, destination: string, targetId: string) {
  return useQuery({
    queryKey: ['push-fields', workspaceId, connectionId, destination, targetId],
    queryFn: ({ signal }) => fetchTargetFields(workspaceId, connectionId, destination, targetId, signal),
    enabled: Boolean(destination && targetId),
    staleTime: 60_000,
  });
}

/** A destination's pushes. Polls faster while a run is going, so its counts move on screen. */
export function usePushes(workspaceId: string, connectionId: string, enabled = true) {
  return useQuery({
    queryKey: pushesKey(workspaceId, connectionId),
    queryFn: ({ signal }) => fetchPushes(workspaceId, connectionId, signal),
    enabled,
    refetchInterval: (q) => (q.state.data?.some(isLiveRun) ? 1500 : 10_000),
  });
}

/** The pushes of several destinations at once (for a source connection: which of them read it). */
export function usePushesOf(workspaceId: string, connectionIds: readonly string[]) {
  return useQueries({
    queries: connectionIds.map((connectionId) => ({
      queryKey: pushesKey(workspaceId, connectionId),
      queryFn: ({ signal }: { signal: AbortSignal }) => fetchPushes(workspaceId, connectionId, signal),
      refetchInterval: 10_000,
    })),
  });
}

export function usePushErrors(workspaceId: string, connectionId: string, pushId: string) {
  return useInfiniteQuery({
    queryKey: ['push-errors', workspaceId, connectionId, pushId],
    queryFn: ({ pageParam, signal }) => fetchPushErrors(workspaceId, connectionId, pushId, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
}

function useInvalidate(workspaceId: string, connectionId: string) {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: pushesKey(workspaceId, connectionId) }),
      queryClient.invalidateQueries({ queryKey: ['push-errors', workspaceId, connectionId] }),
      // A push run is a sync run: the history and the connection's latest run follow it.
      queryClient.invalidateQueries({ queryKey: ['sync-runs', workspaceId] }),
    ]);
}

export function useCreatePush(workspaceId: string, connectionId: string) {
  const invalidate = useInvalidate(workspaceId, connectionId);
  return useMutation({ mutationFn: (input: PushConfigInput) => createPush(workspaceId, connectionId, input), onSuccess: () => invalidate() });
}

export function useUpdatePush(workspaceId: string, connectionId: string) {
  const invalidate = useInvalidate(workspaceId, connectionId);
  return useMutation({
    mutationFn: ({ pushId, change }: { pushId: string; change: PushChange }) => updatePush(workspaceId, connectionId, pushId, change),
    onSuccess: () => invalidate(),
  });
}

export function useDeletePush(workspaceId: string, connectionId: string) {
  const invalidate = useInvalidate(workspaceId, connectionId);
  return useMutation({ mutationFn: (pushId: string) => deletePush(workspaceId, connectionId, pushId), onSuccess: () => invalidate() });
}

export function useRunPush(workspaceId: string, connectionId: string) {
  const invalidate = useInvalidate(workspaceId, connectionId);
  return useMutation({ mutationFn: (pushId: string) => runPush(workspaceId, connectionId, pushId), onSuccess: () => invalidate() });
}

/** Preview on demand (a button), never on every keystroke: it reads the workspace's records. */
export function usePreviewPush(workspaceId: string, connectionId: string) {
  return useMutation({ mutationFn: (input: PushConfigInput) => previewPush(workspaceId, connectionId, input) });
}
