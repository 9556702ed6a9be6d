'use client';

import { useSearchParams } from 'next/navigation';
import { useCallback } from 'react';
import { setCursor } from '@/components/ui/cursor-pagination';

export interface ActivityFilters {
  actor: string;
  action: string;
  /** Keyset position (see CursorPagination); both empty on the first page. */
  after: string;
  before: string;
}

/** Filters live in the URL (?actor=&action=&after=) so a filtered view can be shared or bookmarked. */
export function useActivityFilters(): [ActivityFilters, (next: Partial<ActivityFilters>) => void] {
  const searchParams = useSearchParams();
  const filters: ActivityFilters = {
    actor: searchParams.get('actor') ?? '',
    action: searchParams.get('action') ?? '',
    after: searchParams.get('after') ?? '',
    before: searchParams.get('before') ?? '',
  };

  const update = useCallback((next: Partial<ActivityFilters>) => {
    const params = new URLSearchParams(window.location.search);
    for (const [key, value] of Object.entries(next)) {
      const empty = value === '' || value === undefined;
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
  const params = setCursor(new URLSearchParams({ pageSize: String(pageSize) }), filters);
  if (filters.actor) params.set('actor', filters.actor);
  if (filters.action) params.set('action', filters.action);
  return params.toString();
}
