'use client';

import { useSearchParams } from 'next/navigation';
import { useCallback } from 'react';

export interface ActivityFilters {
  actor: string;
  action: string;
  page: number;
}

/** Filters live in the URL (?actor=&action=&page=) so a filtered view can be shared or bookmarked. */
export function useActivityFilters(): [ActivityFilters, (next: Partial<ActivityFilters>) => void] {
  const searchParams = useSearchParams();
  const pageParam = Number(searchParams.get('page'));
  const filters: ActivityFilters = {
    actor: searchParams.get('actor') ?? '',
    action: searchParams.get('action') ?? '',
    page: Number.isInteger(pageParam) && pageParam > 0 ? pageParam : 1,
  };

  const update = useCallback((next: Partial<ActivityFilters>) => {
    const params = new URLSearchParams(window.location.search);
    for (const [key, value] of Object.entries(next)) {
      const empty = value === '' || value === undefined || (key === 'page' && value === 1);
      if (empty) params.delete(key);
      else params.set(key, String(value));
    }
    const query = params.toString();
    // Native history calls update useSearchParams without a server round trip.
    window.history.pushState(null, '', query ? `?${query}` : window.location.pathname);
  }, []);

  return [filters, update];
}

export function activityQueryString(filters: ActivityFilters, pageSize: number): string {
  const params = new URLSearchParams({ page: String(filters.page), pageSize: String(pageSize) });
  if (filters.actor) params.set('actor', filters.actor);
  if (filters.action) params.set('action', filters.action);
  return params.toString();
}
