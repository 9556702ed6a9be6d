'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { CursorPagination, FIRST_PAGE, formatTotal } from '@/components/ui/cursor-pagination';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { ActivityIcon } from '@/components/ui/icons';
import { apiFetch } from '@/lib/client/api';
import type { ActivityResponse } from '@/lib/client/types';
import { ActivityFilters } from './activity-filters';
import { ActivityList } from './activity-list';
import { activityQueryString, useActivityFilters } from './use-activity-filters';

const PAGE_SIZE = 25;

export function ActivityView({ workspaceId }: { workspaceId: string }) {
  const [filters, setFilters] = useActivityFilters();
  const query = useQuery({
    queryKey: ['activity', workspaceId, filters],
    queryFn: ({ signal }) =>
      apiFetch<ActivityResponse>(`/api/workspaces/${workspaceId}/activity?${activityQueryString(filters, PAGE_SIZE)}`, {
        signal,
      }),
    placeholderData: keepPreviousData,
  });
  const data = query.data;
  const filtered = Boolean(filters.actor || filters.action);

  return (
    <div className="space-y-4">
      <ActivityFilters
        filters={filters}
        actors={data?.actors ?? []}
        actions={data?.actions ?? []}
        onChange={setFilters}
      />
      {query.isError ? <Alert>{query.error.message}</Alert> : null}
      {!data && query.isPending ? <ActivitySkeleton /> : null}
      {data && data.entries.length === 0 && data.total > 0 ? (
        <EmptyState title="Nothing on this page" action={<Button onClick={() => setFilters(FIRST_PAGE)}>Go to the first page</Button>}>
          <p>
            This view has {formatTotal(data.total, data.totalCapped)} {data.total === 1 && !data.totalCapped ? 'entry' : 'entries'}, none of them
            past this point of the log.
          </p>
        </EmptyState>
      ) : null}
      {data && data.total === 0 ? (
        <EmptyState
          icon={<ActivityIcon className="size-6" />}
          title={filtered ? 'No activity matches these filters' : 'No activity yet'}
          action={
            filtered ? (
              <Button variant="secondary" onClick={() => setFilters({ actor: '', action: '', ...FIRST_PAGE })}>
                Clear filters
              </Button>
            ) : null
          }
        >
          <p>
            {filtered
              ? 'Try another person or action, or clear the filters to see everything.'
              : 'Changes to this workspace, its members and its connections are recorded here.'}
          </p>
        </EmptyState>
      ) : null}
      {data && data.entries.length > 0 ? (
        <Card className={query.isPlaceholderData ? 'opacity-60 transition-opacity' : 'transition-opacity'}>
          <div aria-busy={query.isFetching}>
            <ActivityList entries={data.entries} />
          </div>
          <CursorPagination
            label="Activity pages"
            noun={['entry', 'entries']}
            total={data.total}
            totalCapped={data.totalCapped}
            nextCursor={data.nextCursor}
            prevCursor={data.prevCursor}
            onMove={(position) => setFilters(position)}
          />
        </Card>
      ) : null}
    </div>
  );
}

function ActivitySkeleton() {
  return (
    <div aria-hidden="true">
      <Card className="divide-y divide-slate-200 dark:divide-slate-800">
        {[0, 1, 2].map((row) => (
          <div key={row} className="flex items-center gap-3 px-5 py-4">
            <div className="size-8 animate-pulse rounded-full bg-slate-200 dark:bg-slate-800" />
            <div className="h-3 w-2/3 animate-pulse rounded bg-slate-200 dark:bg-slate-800" />
          </div>
        ))}
      </Card>
    </div>
  );
}
