// Webhook deliveries and setup as the browser sees them (lib/webhooks/history.ts), with the words
// and small formatters the webhook screens share.
import { apiFetch } from './api';
import type { Jsonified } from './types';
import type { connectionWebhookSetup, getWebhookEvent, listWebhookEvents } from '@/lib/webhooks/history';
import { WEBHOOK_STATUSES, type WebhookStatus } from '@/lib/webhooks/statuses';

export { WEBHOOK_STATUSES, type WebhookStatus };

export type WebhooksResponse = Jsonified<Awaited<ReturnType<typeof listWebhookEvents>>>;
export type WebhookDelivery = WebhooksResponse['events'][number];
export type WebhookDeliveryDetail = Jsonified<Awaited<ReturnType<typeof getWebhookEvent>>>;
export type WebhookSetup = Jsonified<Awaited<ReturnType<typeof connectionWebhookSetup>>>;
export interface SigningSecretAnswer {
  secret: string;
  createdAt: string;
  previousValidUntil: string | null;
}

export const WEBHOOK_STATUS_LABELS: Record<WebhookStatus, string> = {
  received: 'Waiting',
  processing: 'Processing',
  processed: 'Processed',
  failed: 'Failed',
  ignored: 'Ignored',
  unrouted: 'Unrouted',
  rejected: 'Rejected',
};

export const WEBHOOK_STATUS_HELP: Record<WebhookStatus, string> = {
  received: 'Stored and acknowledged; processing follows shortly.',
  processing: 'Being processed now.',
  processed: 'Applied, or the sync it asked for is queued.',
  failed: 'Processing failed repeatedly; replay it once the cause is fixed.',
  ignored: 'Nothing to do (a handshake, or something this connection does not sync).',
  unrouted: 'No active connection for the account it names.',
  rejected: 'Failed verification; answered 401 and its body was not stored. Counted per connection and hour.',
};

export const isPendingDelivery = (status: WebhookStatus) => status === 'received' || status === 'processing';

/**
 * What a rejected row stands for: every delivery that failed verification within its hour (for
 * its connection), first at receivedAt, the latest at lastReceivedAt. "37 deliveries".
 */
export function rejectedDeliveries(delivery: Pick<WebhookDelivery, 'duplicateCount'>): string {
  const count = delivery.duplicateCount + 1;
  return count === 1 ? '1 delivery' : `${count.toLocaleString('en')} deliveries`;
}

/** From arrival to processed (null while it is not). */
export function processingMs(delivery: Pick<WebhookDelivery, 'receivedAt' | 'processedAt'>): number | null {
  if (!delivery.processedAt) return null;
  return Math.max(0, Date.parse(delivery.processedAt) - Date.parse(delivery.receivedAt));
}

/** 35 → "35 ms", 1_240 → "1.2 s", 95_000 → "1 min 35 s". */
export function formatLatency(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min${seconds % 60 ? ` ${seconds % 60} s` : ''}`;
}

export function fetchWebhooks(workspaceId: string, query: URLSearchParams, signal?: AbortSignal) {
  return apiFetch<WebhooksResponse>(`/api/workspaces/${workspaceId}/webhooks?${query}`, { signal });
}

export async function fetchWebhook(workspaceId: string, eventId: string, signal?: AbortSignal) {
  return (await apiFetch<{ event: WebhookDeliveryDetail }>(`/api/workspaces/${workspaceId}/webhooks/${eventId}`, { signal })).event;
}

export async function replayWebhook(workspaceId: string, eventId: string) {
  return (await apiFetch<{ event: WebhookDeliveryDetail }>(`/api/workspaces/${workspaceId}/webhooks/${eventId}/replay`, { method: 'POST' })).event;
}

export async function fetchWebhookSetup(workspaceId: string, connectionId: string, signal?: AbortSignal) {
  return (await apiFetch<{ setup: WebhookSetup }>(`/api/workspaces/${workspaceId}/connections/${connectionId}/webhooks`, { signal })).setup;
}

export function rotateSigningSecret(workspaceId: string, connectionId: string) {
  return apiFetch<SigningSecretAnswer>(`/api/workspaces/${workspaceId}/connections/${connectionId}/webhooks/signing-secret`, { method: 'POST' });
}
