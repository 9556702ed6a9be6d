'use client';

import { useEffect, useMemo } from 'react';
import { isLive, type SyncRun, type SyncRunDetail } from '@/lib/client/sync';
import { useRefreshSync, useRun, useRuns } from './use-sync-data';

export interface LatestRun {
  /** The connection's newest run, as fresh as we have it (the detail while it runs). */
  run: SyncRun | SyncRunDetail | undefined;
  /** Steps of the live run, when it is live. */
  detail: SyncRunDetail | undefined;
  isPending: boolean;
  error: Error | null;
}

/**
 * The connection's latest pull run. Idle, the list is checked every 15 s (a scheduled run may start);
 * while a run is queued or running its detail is polled every second, and when it ends the
 * runs, the connection and the activity log are refetched.
 */
export function useLatestRun(workspaceId: string, connectionId: string): LatestRun {
  // The Sync panel is about pulls: a push into this connection (a destination) has its own section.
  const query = useMemo(() => new URLSearchParams({ connection: connectionId, direction: 'pull', pageSize: '1' }), [connectionId]);
  const latest = useRuns(workspaceId, query, { liveMs: false, idleMs: 15_000 });
  const listed = latest.data?.runs[0];
  const detailQuery = useRun(workspaceId, listed?.id, isLive(listed?.status));
  const detail = detailQuery.data?.run.id === listed?.id ? detailQuery.data?.run : undefined;
  const refresh = useRefreshSync(workspaceId);

  const ended = Boolean(listed && isLive(listed.status) && detail && !isLive(detail.status));
  useEffect(() => {
    if (ended) void refresh();
  }, [ended, refresh]);

  return {
    run: detail ?? listed,
    detail: detail && isLive(detail.status) ? detail : undefined,
    isPending: latest.isPending,
    error: latest.error ?? detailQuery.error,
  };
}
