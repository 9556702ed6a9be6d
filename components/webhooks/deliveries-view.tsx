'use client';

import { useConnectionsList } from '@/components/sync/use-sync-data';
import { useUrlState } from '@/components/sync/use-url-state';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { CursorPagination, FIRST_PAGE, formatTotal, setCursor } from '@/components/ui/cursor-pagination';
import { DeliveriesTable } from './deliveries-table';
import { WebhookFilters, WEBHOOK_DEFAULTS, type WebhookFilterValues } from './webhook-filters';
import { useWebhookDeliveries } from './use-webhooks';
import { WebhookIcon } from './webhook-icon';

const PAGE_SIZE = 25;

function deliveriesQuery(filters: WebhookFilterValues, connectionId: string | undefined): URLSearchParams {
  const query = setCursor(new URLSearchParams({ pageSize: String(PAGE_SIZE) }), filters);
  if (filters.status) query.set('status', filters.status);
  const connection = connectionId ?? filters.connection;
  if (connection) query.set('connection', connection);
  return query;
}

interface DeliveriesViewProps {
  workspaceId: string;
  /** A connection's own page: its deliveries only, and no connection filter. */
  connectionId?: string;
  canManage: boolean;
}

/** Every delivery, newest first, live: status filter, pagination, details with payload and Replay. */
export function DeliveriesView({ workspaceId, connectionId, canManage }: DeliveriesViewProps) {
  const [filters, setFilters] = useUrlState(WEBHOOK_DEFAULTS);
  const connections = useConnectionsList(workspaceId);
  const query = useWebhookDeliveries(workspaceId, deliveriesQuery(filters, connectionId));
  const data = query.data;
  const filtered = Boolean(filters.status || (!connectionId && filters.connection));

  return (
    <div className="space-y-4">
      <WebhookFilters
        filters={filters}
        counts={data?.statusCounts}
        capped={data?.statusCountsCapped}
        connections={connectionId ? undefined : (connections.data?.connections ?? [])}
        onChange={setFilters}
      />
      {query.isError ? <Alert>{query.error.message}</Alert> : null}
      {!data && query.isPending ? <p className="text-sm text-slate-500 dark:text-slate-400">Loading deliveries…</p> : null}
      {data && data.total === 0 ? (
        <EmptyState
          icon={<WebhookIcon className="size-6" />}
          title={filtered ? 'No deliveries match' : 'No deliveries yet'}
          action={
            filtered ? (
              <Button variant="secondary" onClick={() => setFilters({ status: '', connection: '', ...FIRST_PAGE })}>
                Clear filters
              </Button>
            ) : null
          }
        >
          <p>
            {filtered
              ? 'Try another status, or clear the filters to see every delivery.'
              : 'Deliveries appear here the moment a provider posts one: verified or not, duplicates counted, with what became of each.'}
          </p>
        </EmptyState>
      ) : null}
      {data && data.events.length === 0 && data.total > 0 ? (
        <EmptyState title="Nothing on this page" action={<Button onClick={() => setFilters(FIRST_PAGE)}>Go to the first page</Button>}>
          <p>These filters match {formatTotal(data.total, data.totalCapped)} deliveries, none of them past this point of the list.</p>
        </EmptyState>
      ) : null}
      {data && data.events.length > 0 ? (
        <Card className={query.isPlaceholderData ? 'opacity-60 transition-opacity' : 'transition-opacity'}>
          <div aria-busy={query.isFetching && query.isPlaceholderData}>
            <DeliveriesTable workspaceId={workspaceId} deliveries={data.events} showConnection={!connectionId} canManage={canManage} />
          </div>
          <CursorPagination
            label="Delivery pages"
            total={data.total}
            totalCapped={data.totalCapped}
            noun={['delivery', 'deliveries']}
            nextCursor={data.nextCursor}
            prevCursor={data.prevCursor}
            onMove={(position) => setFilters(position)}
          />
        </Card>
      ) : null}
    </div>
  );
}
