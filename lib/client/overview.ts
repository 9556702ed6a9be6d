// The workspace overview as the browser sees it (lib/overview/queries.ts), and its words.
import { apiFetch } from './api';
import type { Overview as ServerOverview } from '@/lib/overview/queries';
import type { RunOutcome } from '@/lib/overview/aggregate';
import type { ConnectionHealth, HealthSeverity } from '@/lib/health/types';
import type { Jsonified } from './types';

export type Overview = Jsonified<ServerOverview>;
export type OverviewConnection = Overview['connections'][number];
export type AttentionItem = Overview['needsAttention'][number];
export type RecordCount = Overview['records']['resources'][number];
export type RecordTotals = Overview['records'];
export type ConnectionTotals = Overview['connectionTotals'];
export type RunBucket = Overview['runs']['day']['buckets'][number];
export type { ConnectionHealth, HealthSeverity, RunOutcome };

export function fetchOverview(workspaceId: string, signal?: AbortSignal): Promise<Overview> {
  return apiFetch<Overview>(`/api/workspaces/${workspaceId}/overview`, { signal });
}

export const OUTCOME_LABELS: Record<RunOutcome, string> = {
  succeeded: 'Succeeded',
  partial: 'Partial',
  failed: 'Failed',
  cancelled: 'Cancelled',
  active: 'Queued or running',
};

/** 0.0421 → "4.2%"; null (nothing to divide) → "—". */
export function formatRate(rate: number | null): string {
  if (rate === null) return '—';
  return `${+(rate * 100).toFixed(rate < 0.1 ? 1 : 0)}%`;
}

/** 840 → "840 ms", 12_400 → "12.4 s"; null → "—". */
export function formatMs(ms: number | null): string {
  if (ms === null) return '—';
  return ms < 1000 ? `${ms} ms` : `${+(ms / 1000).toFixed(1)} s`;
}
