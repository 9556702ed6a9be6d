'use client';

import { Select } from '@/components/ui/select';
import { humanizeAction } from '@/lib/client/format';
import type { ActivityResponse } from '@/lib/client/types';
import type { ActivityFilters as Filters } from './use-activity-filters';
import { FIRST_PAGE } from '@/components/ui/cursor-pagination';

interface ActivityFiltersProps {
  filters: Filters;
  actors: ActivityResponse['actors'];
  actions: string[];
  onChange: (next: Partial<Filters>) => void;
}

export function ActivityFilters({ filters, actors, actions, onChange }: ActivityFiltersProps) {
  // A value from a shared link may name an actor or action this page has not loaded; keep it selectable.
  const actorKnown = !filters.actor || actors.some((actor) => actor.id === filters.actor);
  const actionKnown = !filters.action || actions.includes(filters.action);

  return (
    <div className="flex flex-col gap-3 sm:flex-row sm:items-end">
      <div className="sm:w-64">
        <label htmlFor="activity-actor" className="mb-1.5 block text-sm font-medium text-slate-700 dark:text-slate-200">
          Actor
        </label>
        <Select id="activity-actor" value={filters.actor} onChange={(e) => onChange({ actor: e.target.value, ...FIRST_PAGE })}>
          <option value="">Anyone</option>
          {actors.map((actor) => (
            <option key={actor.id} value={actor.id}>
              {actor.email ?? 'A former member'}
            </option>
          ))}
          {actorKnown ? null : <option value={filters.actor}>Unknown person</option>}
        </Select>
      </div>
      <div className="sm:w-64">
        <label htmlFor="activity-action" className="mb-1.5 block text-sm font-medium text-slate-700 dark:text-slate-200">
          Action
        </label>
        <Select id="activity-action" value={filters.action} onChange={(e) => onChange({ action: e.target.value, ...FIRST_PAGE })}>
          <option value="">All actions</option>
          {actions.map((action) => (
            <option key={action} value={action}>
              {humanizeAction(action)}
            </option>
          ))}
          {actionKnown ? null : <option value={filters.action}>{humanizeAction(filters.action)}</option>}
        </Select>
      </div>
    </div>
  );
}
