'use client';

import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  createEndpoint,
  deleteEndpoint,
  fetchDeliveries,
  fetchEndpoints,
  replayDelivery,
  rotateEndpointSecret,
  sendTestEvent,
  updateEndpoint,
  type EndpointInput,
  type OutboundDeliveryStatus,
} from '@/lib/client/outbound';

const endpointsKey = (workspaceId: string) => ['outbound-endpoints', workspaceId];
const deliveriesKey = (workspaceId: string, endpointId: string) => ['outbound-deliveries', workspaceId, endpointId];

export function useOutboundEndpoints(workspaceId: string) {
  return useQuery({
    queryKey: endpointsKey(workspaceId),
    queryFn: ({ signal }) => fetchEndpoints(workspaceId, signal),
    // Counts move as deliveries go out.
    refetchInterval: 5000,
  });
}

/** The endpoint's log. Polls, faster while something listed is still waiting to go out. */
export function useOutboundDeliveries(workspaceId: string, endpointId: string, query: { status?: OutboundDeliveryStatus; page: number }) {
  return useQuery({
    queryKey: [...deliveriesKey(workspaceId, endpointId), query.status ?? 'all', query.page],
    queryFn: ({ signal }) => fetchDeliveries(workspaceId, endpointId, query, signal),
    placeholderData: keepPreviousData,
    refetchInterval: (q) => (q.state.data?.deliveries.some((d) => d.status === 'pending' || d.status === 'retrying') ? 1000 : 4000),
  });
}

function useInvalidate(workspaceId: string) {
  const queryClient = useQueryClient();
  return (endpointId?: string) =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: endpointsKey(workspaceId) }),
      endpointId ? queryClient.invalidateQueries({ queryKey: deliveriesKey(workspaceId, endpointId) }) : null,
    ]);
}

export function useCreateEndpoint(workspaceId: string) {
  const invalidate = useInvalidate(workspaceId);
  return useMutation({ mutationFn: (input: EndpointInput) => createEndpoint(workspaceId, input), onSuccess: () => invalidate() });
}

export function useUpdateEndpoint(workspaceId: string, endpointId: string) {
  const invalidate = useInvalidate(workspaceId);
  return useMutation({
    mutationFn: (change: Partial<EndpointInput> & { enabled?: boolean }) => updateEndpoint(workspaceId, endpointId, change),
    onSuccess: () => invalidate(endpointId),
  });
}

export function useDeleteEndpoint(workspaceId: string, endpointId: string) {
  const invalidate = useInvalidate(workspaceId);
  return useMutation({ mutationFn: () => deleteEndpoint(workspaceId, endpointId), onSuccess: () => invalidate() });
}

export function useRotateEndpointSecret(workspaceId: string, endpointId: string) {
  const invalidate = useInvalidate(workspaceId);
  return useMutation({ mutationFn: () => rotateEndpointSecret(workspaceId, endpointId), onSuccess: () => invalidate() });
}

export function useSendTestEvent(workspaceId: string, endpointId: string) {
  const invalidate = useInvalidate(workspaceId);
  return useMutation({ mutationFn: () => sendTestEvent(workspaceId, endpointId), onSuccess: () => invalidate(endpointId) });
}

export function useReplayDelivery(workspaceId: string, endpointId: string) {
  const invalidate = useInvalidate(workspaceId);
  return useMutation({ mutationFn: (deliveryId: string) => replayDelivery(workspaceId, endpointId, deliveryId), onSuccess: () => invalidate(endpointId) });
}
