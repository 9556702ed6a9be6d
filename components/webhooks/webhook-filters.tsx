'use client';

import { Select } from '@/components/ui/select';
import type { Connection } from '@/lib/client/types';
import { WEBHOOK_STATUS_LABELS, WEBHOOK_STATUSES, type WebhooksResponse } from '@/lib/client/webhooks';

export interface WebhookFilterValues {
  status: string;
  connection: string;
  page: number;
}

export const WEBHOOK_DEFAULTS: WebhookFilterValues = { status: '', connection: '', page: 1 };

interface WebhookFiltersProps {
  filters: WebhookFilterValues;
  counts: WebhooksResponse['statusCounts'] | undefined;
  /** Omitted on a connection's own page, where the connection is fixed. */
  connections?: Connection[];
  onChange: (next: Partial<WebhookFilterValues>) => void;
}

const labelClasses = 'mb-1.5 block text-sm font-medium text-slate-700 dark:text-slate-200';

export function WebhookFilters({ filters, counts, connections, onChange }: WebhookFiltersProps) {
  const all = Object.values(counts ?? {}).reduce((sum, n) => sum + (n ?? 0), 0);
  const knownConnection = !filters.connection || connections?.some((c) => c.id === filters.connection);
  return (
    <div className="grid gap-3 sm:grid-cols-2 lg:max-w-2xl">
      <div>
        <label htmlFor="webhooks-status" className={labelClasses}>
          Status
        </label>
        <Select id="webhooks-status" value={filters.status} onChange={(e) => onChange({ status: e.target.value, page: 1 })}>
          <option value="">Any status{counts ? ` (${all.toLocaleString('en')})` : ''}</option>
          {WEBHOOK_STATUSES.map((status) => (
            <option key={status} value={status}>
              {WEBHOOK_STATUS_LABELS[status]}
              {counts ? ` (${(counts[status] ?? 0).toLocaleString('en')})` : ''}
            </option>
          ))}
        </Select>
      </div>
      {connections ? (
        <div>
          <label htmlFor="webhooks-connection" className={labelClasses}>
            Connection
          </label>
          <Select id="webhooks-connection" value={filters.connection} onChange={(e) => onChange({ connection: e.target.value, page: 1 })}>
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
