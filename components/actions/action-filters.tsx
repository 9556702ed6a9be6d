'use client';

import { Select } from '@/components/ui/select';
import type { ActionDefinition } from '@/lib/client/actions';
import type { Connection } from '@/lib/client/types';

export interface ActionFilterValues {
  connection: string;
  action: string;
  status: string;
}

export const ACTION_FILTER_DEFAULTS: ActionFilterValues = { connection: '', action: '', status: '' };

const labelClasses = 'mb-1.5 block text-sm font-medium text-slate-700 dark:text-slate-200';

interface ActionFiltersProps {
  filters: ActionFilterValues;
  connections: Connection[];
  actions: ActionDefinition[];
  onChange: (next: Partial<ActionFilterValues>) => void;
}

export function ActionFilters({ filters, connections, actions, onChange }: ActionFiltersProps) {
  const knownConnection = !filters.connection || connections.some((c) => c.id === filters.connection);
  const knownAction = !filters.action || actions.some((a) => a.name === filters.action);
  return (
    <div className="grid gap-3 sm:grid-cols-3 lg:max-w-3xl">
      <div>
        <label htmlFor="actions-connection" className={labelClasses}>
          Connection
        </label>
        <Select id="actions-connection" value={filters.connection} onChange={(e) => onChange({ connection: e.target.value })}>
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
      <div>
        <label htmlFor="actions-action" className={labelClasses}>
          Action
        </label>
        <Select id="actions-action" value={filters.action} onChange={(e) => onChange({ action: e.target.value })}>
          <option value="">All actions</option>
          {actions.map((action) => (
            <option key={action.name} value={action.name}>
              {action.name}
            </option>
          ))}
          {knownAction ? null : <option value={filters.action}>{filters.action}</option>}
        </Select>
      </div>
      <div>
        <label htmlFor="actions-status" className={labelClasses}>
          Status
        </label>
        <Select id="actions-status" value={filters.status} onChange={(e) => onChange({ status: e.target.value })}>
          <option value="">Any status</option>
          <option value="succeeded">Succeeded</option>
          <option value="failed">Failed</option>
        </Select>
      </div>
    </div>
  );
}
