// Outbound webhook endpoints and their delivery log as the browser sees them
// (lib/outbound/endpoints.ts): never a secret, except once in the answer that created or rotated it.
import { apiFetch } from './api';
import type { Jsonified } from './types';
import type { OutboundDeliveryView, OutboundEndpointView } from '@/lib/outbound/endpoints';
import type { SUBSCRIBABLE_EVENT_TYPES as SERVER_EVENT_TYPES } from '@/lib/events/types';

type ServerSubscribableEventType = (typeof SERVER_EVENT_TYPES)[number];

/**
 * The server's list, restated in its order: importing it would ship the zod payload schemas
 * (~30 KB gzipped) to the browser. The `satisfies` and the check below keep the two equal.
 */
export const SUBSCRIBABLE_EVENT_TYPES = [
  'connection.status_changed',
  'connection.issue_opened',
  'connection.issue_resolved',
  'sync.completed',
  'sync.failed',
  'records.changed',
  'action.completed',
] as const satisfies readonly ServerSubscribableEventType[];
export type SubscribableEventType = (typeof SUBSCRIBABLE_EVENT_TYPES)[number];
/** Fails to compile when the server gains a subscribable event this list lacks. */
export type SubscribableEventTypesComplete = AssertNever<Exclude<ServerSubscribableEventType, SubscribableEventType>>;
type AssertNever<T extends never> = T;
export type OutboundDeliveryStatus = OutboundDeliveryView['status'];

/** The log's filter (the server's list, restated here so the schema module stays out of the bundle). */
export const OUTBOUND_DELIVERY_STATUSES = ['pending', 'retrying', 'succeeded', 'failed'] as const satisfies readonly OutboundDeliveryStatus[];

export type OutboundEndpoint = Jsonified<OutboundEndpointView>;
export type OutboundDelivery = Jsonified<OutboundDeliveryView>;

export interface DeliveryPage {
  deliveries: OutboundDelivery[];
  total: number;
  page: number;
  pageSize: number;
}

export interface EndpointInput {
  url: string;
  description: string;
  eventTypes: SubscribableEventType[];
}

const base = (workspaceId: string) => `/api/workspaces/${workspaceId}/outbound-endpoints`;

export async function fetchEndpoints(workspaceId: string, signal?: AbortSignal): Promise<OutboundEndpoint[]> {
  return (await apiFetch<{ endpoints: OutboundEndpoint[] }>(base(workspaceId), { signal })).endpoints;
}

export function createEndpoint(workspaceId: string, input: EndpointInput): Promise<{ endpoint: OutboundEndpoint; secret: string }> {
  return apiFetch(base(workspaceId), { method: 'POST', body: input });
}

export async function updateEndpoint(workspaceId: string, endpointId: string, change: Partial<EndpointInput> & { enabled?: boolean }): Promise<OutboundEndpoint> {
  return (await apiFetch<{ endpoint: OutboundEndpoint }>(`${base(workspaceId)}/${endpointId}`, { method: 'PATCH', body: change })).endpoint;
}

export async function deleteEndpoint(workspaceId: string, endpointId: string): Promise<void> {
  await apiFetch(`${base(workspaceId)}/${endpointId}`, { method: 'DELETE' });
}

export function rotateEndpointSecret(workspaceId: string, endpointId: string): Promise<{ secret: string; previousValidUntil: string | null; endpoint: OutboundEndpoint }> {
  return apiFetch(`${base(workspaceId)}/${endpointId}/rotate-secret`, { method: 'POST' });
}

export function sendTestEvent(workspaceId: string, endpointId: string): Promise<{ eventId: string }> {
  return apiFetch(`${base(workspaceId)}/${endpointId}/test-event`, { method: 'POST' });
}

export function fetchDeliveries(workspaceId: string, endpointId: string, query: { status?: OutboundDeliveryStatus; page: number }, signal?: AbortSignal): Promise<DeliveryPage> {
  const search = new URLSearchParams({ page: String(query.page), pageSize: '20' });
  if (query.status) search.set('status', query.status);
  return apiFetch(`${base(workspaceId)}/${endpointId}/deliveries?${search}`, { signal });
}

export async function replayDelivery(workspaceId: string, endpointId: string, deliveryId: string): Promise<void> {
  await apiFetch(`${base(workspaceId)}/${endpointId}/deliveries/${deliveryId}/replay`, { method: 'POST' });
}
