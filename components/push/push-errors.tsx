'use client';

import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { formatDateTime } from '@/lib/client/format';
import { usePushErrors } from './use-push';

interface PushErrorsProps {
  workspaceId: string;
  connectionId: string;
  pushId: string;
  connectionName: (id: string) => string;
}

/** The records whose last attempt the destination refused, with its reason; the rest went through. */
export function PushErrors({ workspaceId, connectionId, pushId, connectionName }: PushErrorsProps) {
  const query = usePushErrors(workspaceId, connectionId, pushId);
  const errors = query.data?.pages.flatMap((page) => page.errors) ?? [];
  if (query.isPending) return <p className="text-sm text-slate-500 dark:text-slate-400">Loading failing records…</p>;
  if (query.isError) return <Alert>{query.error.message}</Alert>;
  if (!errors.length) return <p className="text-sm text-slate-600 dark:text-slate-400">No failing records: everything the last runs sent was accepted.</p>;
  return (
    <div className="space-y-2">
      <ul aria-label="Failing records" className="divide-y divide-slate-200 rounded-lg border border-slate-200 dark:divide-slate-800 dark:border-slate-800">
        {errors.map((error) => (
          <li key={`${error.sourceConnectionId}:${error.sourceExternalId}`} className="px-3 py-2 text-sm">
            <p className="flex flex-wrap items-baseline gap-x-2">
              <span className="font-medium break-all text-slate-900 dark:text-slate-100">{error.key ?? error.sourceExternalId}</span>
              <span className="text-xs text-slate-500 dark:text-slate-400">
                {connectionName(error.sourceConnectionId)} · <time dateTime={error.at}>{formatDateTime(error.at)}</time>
              </span>
            </p>
            <p className="mt-0.5 break-words text-red-700 dark:text-red-300">{error.error}</p>
          </li>
        ))}
      </ul>
      {query.hasNextPage ? (
        <Button variant="secondary" size="sm" disabled={query.isFetchingNextPage} onClick={() => query.fetchNextPage()}>
          {query.isFetchingNextPage ? 'Loading…' : 'Show more'}
        </Button>
      ) : null}
    </div>
  );
}
