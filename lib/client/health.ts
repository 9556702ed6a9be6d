// Health issues as the browser sees them (lib/health/types.ts is already JSON-shaped: ISO dates),
// the fetcher for GET /api/workspaces/{id}/issues, and the words the screens use.
import type { HealthSummary } from '@/lib/health/summary';
import type { ConnectionHealth, HealthIssue, HealthSeverity } from '@/lib/health/types';
import { apiFetch } from './api';

export type { ConnectionHealth, HealthIssue, HealthSeverity, HealthSummary };

export type IssueStatusFilter = 'open' | 'resolved' | 'all';

export interface IssuesResponse {
  issues: HealthIssue[];
}

export function fetchIssues(
  workspaceId: string,
  filter: { connectionId?: string; status?: IssueStatusFilter } = {},
  signal?: AbortSignal,
): Promise<IssuesResponse> {
  const query = new URLSearchParams();
  if (filter.connectionId) query.set('connectionId', filter.connectionId);
  if (filter.status) query.set('status', filter.status);
  const suffix = query.size > 0 ? `?${query}` : '';
  return apiFetch<IssuesResponse>(`/api/workspaces/${workspaceId}/issues${suffix}`, { signal });
}

export const CONNECTION_HEALTH_LABELS: Record<ConnectionHealth, string> = { healthy: 'Healthy', degraded: 'Degraded', broken: 'Broken' };
export const ISSUE_SEVERITY_LABELS: Record<HealthSeverity, string> = { critical: 'Critical', warning: 'Warning', info: 'Info' };

/** "1 open issue", "3 open issues"; null when there are none. */
export function openIssuesLabel(summary: Pick<HealthSummary, 'open'>): string | null {
  const total = summary.open.critical + summary.open.warning + summary.open.info;
  if (total === 0) return null;
  return `${total} open issue${total === 1 ? '' : 's'}`;
}

/** Broken if any critical issue is open, degraded if any other is (the same rule as lib/health/store.ts). */
export function connectionHealthOfIssues(issues: readonly Pick<HealthIssue, 'severity' | 'status'>[]): ConnectionHealth {
  const open = issues.filter((issue) => issue.status === 'open');
  if (open.some((issue) => issue.severity === 'critical')) return 'broken';
  return open.length > 0 ? 'degraded' : 'healthy';
}
