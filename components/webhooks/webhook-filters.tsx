'use client';

import { Select } from '@/components/ui/select';
import type { Connection } from '@/lib/client/types';
import { WEBHOOK_STATUS_LABELS, WEBHOOK_STATUSES, type WebhooksResponse } from '@/lib/client/webhooks';
import { FIRST_PAGE, formatTotal } from '@/components/ui/cursor-pagination';

export interface WebhookFilterValues {
  status: string;
  connection: string;
  after: string;
  before: string;
}

export const WEBHOOK_DEFAULTS: WebhookFilterValues = { status: '', connection: '', ...FIRST_PAGE };

interface WebhookFiltersProps {
  filters: WebhookFilterValues;
  counts: WebhooksResponse['statusCounts'] | undefined;
  /** Statuses whose count stopped at the API's cap ("10,000+"). */
  capped?: WebhooksResponse['statusCountsCapped'];
  /** Omitted on a connection's own page, where the connection is fixed. */
  connections?: Connection[];
  onChange: (next: Partial<WebhookFilterValues>) => void;
}

const labelClasses = 'mb-1.5 block text-sm font-medium text-slate-700 dark:text-slate-200';

export function WebhookFilters({ filters, counts, capped = [], connections, onChange }: WebhookFiltersProps) {
  const all = Object.values(counts ?? {}).reduce((sum, n) => sum + (n ?? 0), 0);
  const shown = (n: number, isCapped: boolean) => ` (${formatTotal(n, isCapped)})`;
  const knownConnection = !filters.connection || connections?.some((c) => c.id === filters.connection);
  return (
    <div className="grid gap-3 sm:grid-cols-2 lg:max-w-2xl">
      <div>
        <label htmlFor="webhooks-status" className={labelClasses}>
          Status
        </label>
        <Select id="webhooks-status" value={filters.status} onChange={(e) => onChange({ status: e.target.value, ...FIRST_PAGE })}>
          <option value="">Any status{counts ? shown(all, capped.length > 0) : ''}</option>
          {WEBHOOK_STATUSES.map((status) => (
            <option key={status} value={status}>
              {WEBHOOK_STATUS_LABELS[status]}
              {counts ? shown(counts[status] ?? 0, capped.includes(status)) : ''}
            </option>
          ))}
        </Select>
      </div>
      {connections ? (
        <div>
          <label htmlFor="webhooks-connection" className={labelClasses}>
            Connection
          </label>
          <Select id="webhooks-connection" value={filters.connection} onChange={(e) => onChange({ connection: e.target.value, ...FIRST_PAGE })}>
            <option value="">All connections</option>
            {connections.map((connection) => (
              <option key={connection.id} value={connection.id}>
                {connection.displayName}
                {connection.accountLabel ? ` · ${connection.accountLabel}` : ''}
              </option>
            ))}
            {knownConnection ? null : <option value={filters.connection}>Unknown connection</option>}
          </Select>
        </div>
      ) : null}
    </div>
  );
}
