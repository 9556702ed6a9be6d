'use client';

import { useQuery } from '@tanstack/react-query';
import { fetchIssues, type IssueStatusFilter } from '@/lib/client/health';

export const issuesKey = (workspaceId: string, connectionId: string | undefined, status: IssueStatusFilter) =>
  ['issues', workspaceId, connectionId ?? null, status] as const;

/** Checks run in the background (after syncs, on a sweep), so the list looks again every minute. */
const REFRESH_MS = 60_000;

export function useIssues(workspaceId: string, filter: { connectionId?: string; status?: IssueStatusFilter } = {}) {
  const status = filter.status ?? 'open';
  return useQuery({
    queryKey: issuesKey(workspaceId, filter.connectionId, status),
    queryFn: ({ signal }) => fetchIssues(workspaceId, { connectionId: filter.connectionId, status }, signal),
    refetchInterval: REFRESH_MS,
  });
}
