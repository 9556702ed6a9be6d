'use client';

import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { RUN_STATUS_LABELS, type SyncStatus } from '@/lib/client/sync';
import type { Connection } from '@/lib/client/types';
import { FIRST_PAGE } from '@/components/ui/cursor-pagination';

export interface HistoryFilterValues {
  connection: string;
  status: string;
  from: string;
  to: string;
  after: string;
  before: string;
}

export const HISTORY_DEFAULTS: HistoryFilterValues = { connection: '', status: '', from: '', to: '', ...FIRST_PAGE };

interface HistoryFiltersProps {
  filters: HistoryFilterValues;
  connections: Connection[];
  onChange: (next: Partial<HistoryFilterValues>) => void;
}

const labelClasses = 'mb-1.5 block text-sm font-medium text-slate-700 dark:text-slate-200';

export function HistoryFilters({ filters, connections, onChange }: HistoryFiltersProps) {
  // A shared link may name a connection this list has not loaded (or another workspace's); keep it selectable.
  const known = !filters.connection || connections.some((c) => c.id === filters.connection);
  const backwards = Boolean(filters.from && filters.to && filters.from > filters.to);

  return (
    <div className="space-y-2">
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <div>
          <label htmlFor="history-connection" className={labelClasses}>
            Connection
          </label>
          <Select id="history-connection" value={filters.connection} onChange={(e) => onChange({ connection: e.target.value, ...FIRST_PAGE })}>
            <option value="">All connections</option>
            {connections.map((connection) => (
              <option key={connection.id} value={connection.id}>
                {connection.displayName}
              </option>
            ))}
            {known ? null : <option value={filters.connection}>Unknown connection</option>}
          </Select>
        </div>
        <div>
          <label htmlFor="history-status" className={labelClasses}>
            Status
          </label>
          <Select id="history-status" value={filters.status} onChange={(e) => onChange({ status: e.target.value, ...FIRST_PAGE })}>
            <option value="">Any status</option>
            {(Object.keys(RUN_STATUS_LABELS) as SyncStatus[]).map((status) => (
              <option key={status} value={status}>
                {RUN_STATUS_LABELS[status]}
              </option>
            ))}
          </Select>
        </div>
        <div>
          <label htmlFor="history-from" className={labelClasses}>
            From
          </label>
          <Input
            id="history-from"
            type="date"
            value={filters.from}
            max={filters.to || undefined}
            onChange={(e) => onChange({ from: e.target.value, ...FIRST_PAGE })}
          />
        </div>
        <div>
          <label htmlFor="history-to" className={labelClasses}>
            To
          </label>
          <Input
            id="history-to"
            type="date"
            value={filters.to}
            min={filters.from || undefined}
            onChange={(e) => onChange({ to: e.target.value, ...FIRST_PAGE })}
          />
        </div>
      </div>
      <p className="text-xs text-slate-500 dark:text-slate-400">
        {backwards ? 'From is after To, so no run can match. ' : ''}Dates are whole days in UTC, by when the run was queued.
      </p>
    </div>
  );
}
