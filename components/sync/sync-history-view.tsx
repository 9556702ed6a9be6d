'use client';

import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card, SectionCard } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { HistoryIcon } from '@/components/ui/icons';
import { TextLink } from '@/components/ui/text-link';
import { HISTORY_DEFAULTS, HistoryFilters, type HistoryFilterValues } from './history-filters';
import { CursorPagination, FIRST_PAGE, formatTotal, setCursor, type CursorPosition } from '@/components/ui/cursor-pagination';
import { RunsChart } from './runs-chart';
import { RunsTable } from './runs-table';
import { useUrlState } from './use-url-state';
import { useConnectionsList, useRuns } from './use-sync-data';

const PAGE_SIZE = 25;
const CHART_SIZE = 50;

function runsQuery(filters: HistoryFilterValues, position: CursorPosition, pageSize: number): URLSearchParams {
  const query = setCursor(new URLSearchParams({ pageSize: String(pageSize) }), position);
  for (const key of ['connection', 'status', 'from', 'to'] as const) if (filters[key]) query.set(key, filters[key]);
  return query;
}

export function SyncHistoryView({ workspaceId }: { workspaceId: string }) {
  const [filters, setFilters] = useUrlState(HISTORY_DEFAULTS);
  const connections = useConnectionsList(workspaceId);
  // Live: both refetch every 2 s while any run they list is queued or running.
  const table = useRuns(workspaceId, runsQuery(filters, filters, PAGE_SIZE), { liveMs: 2000 });
  const chart = useRuns(workspaceId, runsQuery(filters, FIRST_PAGE, CHART_SIZE), { liveMs: 2000 });
  const data = table.data;
  const filtered = Boolean(filters.connection || filters.status || filters.from || filters.to);

  return (
    <div className="space-y-6">
      <HistoryFilters filters={filters} connections={connections.data?.connections ?? []} onChange={setFilters} />
      {table.isError ? <Alert>{table.error.message}</Alert> : null}
      {!data && table.isPending ? <p className="text-sm text-slate-500 dark:text-slate-400">Loading sync runs…</p> : null}
      {data && data.total === 0 ? (
        <EmptyState
          icon={<HistoryIcon className="size-6" />}
          title={filtered ? 'No runs match these filters' : 'No syncs yet'}
          action={
            filtered ? (
              <Button variant="secondary" onClick={() => setFilters({ connection: '', status: '', from: '', to: '', ...FIRST_PAGE })}>
                Clear filters
              </Button>
            ) : null
          }
        >
          {filtered ? (
            <p>Try another connection, status or date range, or clear the filters to see every run.</p>
          ) : (
            <p>
              Runs appear here once someone <TextLink href={`/w/${workspaceId}/integrations`}>connects a tool</TextLink>. Each
              run lists the records it created, updated or skipped, and why anything failed.
            </p>
          )}
        </EmptyState>
      ) : null}
      {data && data.runs.length === 0 && data.total > 0 ? (
        <EmptyState title="Nothing on this page" action={<Button onClick={() => setFilters(FIRST_PAGE)}>Go to the first page</Button>}>
          <p>
            These filters match {formatTotal(data.total, data.totalCapped)} {data.total === 1 && !data.totalCapped ? 'run' : 'runs'}, none of
            them past this point of the list.
          </p>
        </EmptyState>
      ) : null}
      {data && data.runs.length > 0 ? (
        <>
          <SectionCard
            id="runs-chart-heading"
            title="Records and duration per run"
            description={`The latest ${Math.min(CHART_SIZE, data.total)} runs${filtered ? ' matching the filters' : ''}, oldest on the left.`}
          >
            {chart.data ? <RunsChart runs={chart.data.runs} /> : <div className="h-56" aria-hidden="true" />}
          </SectionCard>
          <Card className={table.isPlaceholderData ? 'opacity-60 transition-opacity' : 'transition-opacity'}>
            <div aria-busy={table.isFetching && table.isPlaceholderData}>
              <RunsTable workspaceId={workspaceId} runs={data.runs} />
            </div>
            <CursorPagination
              label="Sync run pages"
              total={data.total}
              totalCapped={data.totalCapped}
              noun={['run', 'runs']}
              nextCursor={data.nextCursor}
              prevCursor={data.prevCursor}
              onMove={(position) => setFilters(position)}
            />
          </Card>
        </>
      ) : null}
    </div>
  );
}
