'use client';

import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PlugIcon } from '@/components/ui/icons';
import { PageHeader } from '@/components/ui/page-header';
import { ApiError } from '@/lib/client/api';
import { BackLink } from './back-link';
import { NotFoundBlock } from './not-found-block';
import { CursorPagination, FIRST_PAGE, formatTotal, setCursor } from '@/components/ui/cursor-pagination';
import { RECORD_DEFAULTS, RecordFilters, type RecordFilterValues } from './record-filters';
import { RecordsTable } from './records-table';
import { useUrlState } from './use-url-state';
import { useConnectionData, useProvidersList, useRecords } from './use-sync-data';

const PAGE_SIZE = 25;

function recordsQuery(filters: RecordFilterValues): URLSearchParams {
  const query = setCursor(new URLSearchParams({ pageSize: String(PAGE_SIZE), deleted: filters.deleted }), filters);
  if (filters.resource) query.set('resource', filters.resource);
  if (filters.q) query.set('q', filters.q);
  return query;
}

export function RecordsView({ workspaceId, connectionId }: { workspaceId: string; connectionId: string }) {
  const [filters, setFilters] = useUrlState(RECORD_DEFAULTS);
  const connectionQuery = useConnectionData(workspaceId, connectionId);
  const connection = connectionQuery.data?.connection;
  const records = useRecords(workspaceId, connectionId, recordsQuery(filters));
  const provider = useProvidersList().data?.providers.find((p) => p.id === connection?.provider);
  const labels = new Map(provider?.resources.map((r) => [r.id, r.label]));
  const data = records.data;
  const missing = [connectionQuery.error, records.error].some((e) => e instanceof ApiError && (e.status === 404 || e.status === 400));
  const filtered = Boolean(filters.resource || filters.q || filters.deleted !== 'include');
  const name = connection?.displayName ?? 'the connection';

  if (missing) {
    return (
      <div className="space-y-6">
        <BackLink href={`/w/${workspaceId}/integrations`}>Back to all tools</BackLink>
        <NotFoundBlock icon={<PlugIcon className="size-6" />} title="Connection not found">
          This workspace has no connection at this address, so there are no records to show. The link may be mistyped.
        </NotFoundBlock>
      </div>
    );
  }

  return (
    <div className="space-y-6">
      <BackLink href={`/w/${workspaceId}/integrations/${connectionId}`}>Back to {name}</BackLink>
      <PageHeader
        title="Records"
        description={`What the syncs stored from ${name}: each record as the provider sent it, and its fields after the mapping. Most recently seen first.`}
      />
      <RecordFilters filters={filters} resources={data?.resources ?? []} labels={labels} onChange={setFilters} />
      {records.isError ? <Alert>{records.error.message}</Alert> : null}
      {!data && records.isPending ? <p className="text-sm text-slate-500 dark:text-slate-400">Loading records…</p> : null}
      {data && data.total === 0 ? (
        <EmptyState
          title={filtered ? 'No records match' : 'No records yet'}
          action={
            filtered ? (
              <Button variant="secondary" onClick={() => setFilters({ resource: '', q: '', deleted: 'include', ...FIRST_PAGE })}>
                Clear filters
              </Button>
            ) : null
          }
        >
          <p>
            {filtered
              ? 'Try another resource or search, or clear the filters to see every record.'
              : 'Records appear here after the connection’s first sync stores them.'}
          </p>
        </EmptyState>
      ) : null}
      {data && data.records.length === 0 && data.total > 0 ? (
        <EmptyState title="Nothing on this page" action={<Button onClick={() => setFilters(FIRST_PAGE)}>Go to the first page</Button>}>
          <p>These filters match {formatTotal(data.total, data.totalCapped)} records, none of them past this point of the list.</p>
        </EmptyState>
      ) : null}
      {data && data.records.length > 0 ? (
        <Card className={records.isPlaceholderData ? 'opacity-60 transition-opacity' : 'transition-opacity'}>
          <div aria-busy={records.isFetching && records.isPlaceholderData}>
            <RecordsTable
              records={data.records}
              showResource={!filters.resource}
              labels={labels}
              caption={`Records from ${name}`}
            />
          </div>
          <CursorPagination
            label="Record pages"
            total={data.total}
            totalCapped={data.totalCapped}
            noun={['record', 'records']}
            nextCursor={data.nextCursor}
            prevCursor={data.prevCursor}
            onMove={(position) => setFilters(position)}
          />
        </Card>
      ) : null}
    </div>
  );
}
