'use client';

import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '@/lib/client/api';
import {
  fetchWebhook,
  fetchWebhooks,
  fetchWebhookSetup,
  isPendingDelivery,
  replayWebhook,
  rotateSigningSecret,
} from '@/lib/client/webhooks';

const retryUnlessMissing = (count: number, error: Error) =>
  count < 1 && !(error instanceof ApiError && (error.status === 404 || error.status === 400));

/** A page of deliveries. New ones keep arriving: it polls, faster while any listed is pending. */
export function useWebhookDeliveries(workspaceId: string, query: URLSearchParams) {
  const search = query.toString();
  return useQuery({
    queryKey: ['webhooks', workspaceId, search],
    queryFn: ({ signal }) => fetchWebhooks(workspaceId, new URLSearchParams(search), signal),
    placeholderData: keepPreviousData,
    retry: retryUnlessMissing,
    refetchInterval: (q) => (q.state.data?.events.some((e) => isPendingDelivery(e.status)) ? 1000 : 3000),
  });
}

export function useWebhookDelivery(workspaceId: string, eventId: string) {
  return useQuery({
    queryKey: ['webhook', workspaceId, eventId],
    queryFn: ({ signal }) => fetchWebhook(workspaceId, eventId, signal),
    retry: retryUnlessMissing,
    refetchInterval: (q) => (q.state.data && isPendingDelivery(q.state.data.status) ? 1000 : false),
  });
}

export function useReplayWebhook(workspaceId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (eventId: string) => replayWebhook(workspaceId, eventId),
    onSuccess: async (event) => {
      queryClient.setQueryData(['webhook', workspaceId, event.id], event);
      await queryClient.invalidateQueries({ queryKey: ['webhooks', workspaceId] });
    },
  });
}

export function useWebhookSetup(workspaceId: string, connectionId: string) {
  return useQuery({
    queryKey: ['webhook-setup', workspaceId, connectionId],
    queryFn: ({ signal }) => fetchWebhookSetup(workspaceId, connectionId, signal),
    retry: retryUnlessMissing,
  });
}

export function useRotateSigningSecret(workspaceId: string, connectionId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => rotateSigningSecret(workspaceId, connectionId),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['webhook-setup', workspaceId, connectionId] }),
  });
}
