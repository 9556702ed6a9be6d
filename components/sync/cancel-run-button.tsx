'use client';

import { useMutation } from '@tanstack/react-query';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { cancelSyncRun } from '@/lib/client/sync';
import { useRefreshSync } from './use-sync-data';

/** Stops a queued or running run before its next page; pages already stored are kept. */
export function CancelRunButton({ workspaceId, runId }: { workspaceId: string; runId: string }) {
  const refresh = useRefreshSync(workspaceId);
  const cancel = useMutation({
    mutationFn: () => cancelSyncRun(workspaceId, runId),
    onSettled: () => refresh(),
  });
  return (
    <div className="flex flex-col items-end gap-2">
      <Button variant="secondary" size="sm" onClick={() => cancel.mutate()} disabled={cancel.isPending} aria-busy={cancel.isPending}>
        {cancel.isPending ? 'Cancelling…' : 'Cancel sync'}
      </Button>
      {cancel.isError ? <Alert>{cancel.error.message}</Alert> : null}
    </div>
  );
}
