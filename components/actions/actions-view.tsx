'use client';

import { useConnectionsList } from '@/components/sync/use-sync-data';
import { useUrlState } from '@/components/sync/use-url-state';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { TextLink } from '@/components/ui/text-link';
import { ActionFilters, ACTION_FILTER_DEFAULTS } from './action-filters';
import { ActionLogTable } from './action-log-table';
import { BoltIcon } from './bolt-icon';
import { useActionDefinitions, useActionLog } from './use-actions';

/** Every action call of the workspace, newest first: filters, details, and more on demand. */
export function ActionsView({ workspaceId, canManage }: { workspaceId: string; canManage: boolean }) {
  const [filters, setFilters] = useUrlState(ACTION_FILTER_DEFAULTS);
  const connections = useConnectionsList(workspaceId);
  const definitions = useActionDefinitions(workspaceId);
  const log = useActionLog(workspaceId, filters);
  const entries = log.data?.pages.flatMap((page) => page.data) ?? [];
  const names = new Map((connections.data?.connections ?? []).map((c) => [c.id, c.displayName]));
  const filtered = Boolean(filters.connection || filters.action || filters.status);

  return (
    <div className="space-y-4">
      <ActionFilters
        filters={filters}
        connections={connections.data?.connections ?? []}
        actions={definitions.data?.actions ?? []}
        onChange={setFilters}
      />
      {log.isError ? <Alert>{log.error.message}</Alert> : null}
      {log.isPending ? <p className="text-sm text-slate-500 dark:text-slate-400">Loading the action log…</p> : null}
      {log.isSuccess && entries.length === 0 ? (
        <EmptyState
          icon={<BoltIcon className="size-6" />}
          title={filtered ? 'No calls match' : 'No action calls yet'}
          action={
            filtered ? (
              <Button variant="secondary" onClick={() => setFilters(ACTION_FILTER_DEFAULTS)}>
                Clear filters
              </Button>
            ) : null
          }
        >
          {filtered ? (
            <p>Try another connection, action or status, or clear the filters.</p>
          ) : (
            <p>
              Calls appear here as your systems and agents make them with an{' '}
              {canManage ? <TextLink href={`/w/${workspaceId}/settings/api-keys`}>API key</TextLink> : 'API key'}, or as admins run them from{' '}
              <em>Try it</em> on a connection&apos;s page. See the <TextLink href={`/w/${workspaceId}/api-reference`}>API reference</TextLink>.
            </p>
          )}
        </EmptyState>
      ) : null}
      {entries.length > 0 ? (
        <Card>
          <ActionLogTable entries={entries} connectionNames={names} />
          {log.hasNextPage ? (
            <div className="border-t border-slate-200 px-5 py-3 dark:border-slate-800">
              <Button variant="secondary" size="sm" disabled={log.isFetchingNextPage} onClick={() => void log.fetchNextPage()}>
                {log.isFetchingNextPage ? 'Loading…' : 'Show older calls'}
              </Button>
            </div>
          ) : null}
        </Card>
      ) : null}
    </div>
  );
}
