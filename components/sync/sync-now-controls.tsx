'use client';

import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Alert, StatusMessage } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Select } from '@/components/ui/select';
import { requestSyncNow, type SyncMode } from '@/lib/client/sync';
import type { Connection } from '@/lib/client/types';
import { useRefreshSync } from './use-sync-data';

/** Why a connection in this status cannot sync (null when it can). */
function blockedReason(connection: Connection): string | null {
  switch (connection.status) {
    case 'active':
    case 'error':
      return null;
    case 'paused':
      return 'This connection is paused. Resume it to sync.';
    case 'needs_reauth':
      return 'This connection needs to be reconnected before it can sync.';
    case 'disconnected':
      return 'This connection is disconnected, so it cannot sync.';
    default:
      return 'This connection is not ready to sync yet.';
  }
}

interface SyncNowControlsProps {
  workspaceId: string;
  connection: Connection;
  /** A run is queued or running: a second one would only be deduplicated into it. */
  live: boolean;
}

export function SyncNowControls({ workspaceId, connection, live }: SyncNowControlsProps) {
  const [mode, setMode] = useState<SyncMode>('incremental');
  const refresh = useRefreshSync(workspaceId);
  const sync = useMutation({
    mutationFn: () => requestSyncNow(workspaceId, connection.id, mode),
    onSettled: () => refresh(),
  });
  const blocked = blockedReason(connection);
  const hintId = `sync-now-hint-${connection.id}`;

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-end gap-3">
        <div className="w-44">
          <label htmlFor={`sync-mode-${connection.id}`} className="mb-1.5 block text-sm font-medium text-slate-700 dark:text-slate-200">
            Mode
          </label>
          <Select
            id={`sync-mode-${connection.id}`}
            value={mode}
            onChange={(event) => setMode(event.target.value as SyncMode)}
            aria-describedby={`sync-mode-hint-${connection.id}`}
          >
            <option value="incremental">Incremental</option>
            <option value="full">Full</option>
          </Select>
        </div>
        <Button
          onClick={() => sync.mutate()}
          disabled={Boolean(blocked) || live || sync.isPending}
          aria-busy={sync.isPending}
          aria-describedby={blocked ? hintId : undefined}
        >
          Sync now
        </Button>
      </div>
      <p id={`sync-mode-hint-${connection.id}`} className="text-xs text-slate-500 dark:text-slate-400">
        {mode === 'full'
          ? 'Full reads every record again and marks records the provider no longer has as deleted.'
          : 'Incremental reads only what changed since the last sync (the first sync is always full).'}
      </p>
      {blocked ? (
        <p id={hintId} className="text-sm text-amber-800 dark:text-amber-300">
          {blocked}
        </p>
      ) : null}
      {sync.isError ? <Alert>{sync.error.message}</Alert> : null}
      {sync.data && !sync.data.created && live ? (
        <StatusMessage>A sync was already queued or running, so no second one was started. Its progress is shown below.</StatusMessage>
      ) : null}
    </div>
  );
}
