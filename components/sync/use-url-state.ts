'use client';

import { useSearchParams } from 'next/navigation';
import { useCallback } from 'react';

/**
 * Filters that live in the URL so a filtered view can be shared or bookmarked. Strings default
 * to '' and page to 1; defaults are left out of the URL. `replace` suits typing (no history spam).
 */
type Update<T> = (next: Partial<T>, options?: { replace?: boolean }) => void;

export function useUrlState<T extends { [K in keyof T]: string | number }>(defaults: T): [T, Update<T>] {
  const searchParams = useSearchParams();
  const values = { ...defaults };
  for (const key of Object.keys(defaults) as (keyof T & string)[]) {
    const raw = searchParams.get(key);
    if (raw === null) continue;
    if (typeof defaults[key] === 'number') {
      const number = Number(raw);
      if (Number.isInteger(number) && number > 0) values[key] = number as T[typeof key];
    } else {
      values[key] = raw as T[typeof key];
    }
  }

  const update = useCallback(
    (next: Partial<T>, options: { replace?: boolean } = {}) => {
      const params = new URLSearchParams(window.location.search);
      for (const [key, value] of Object.entries(next)) {
        if (value === undefined || value === defaults[key as keyof T]) params.delete(key);
        else params.set(key, String(value));
      }
      const query = params.toString();
      const url = query ? `?${query}` : window.location.pathname;
      // Native history calls update useSearchParams without a server round trip.
      if (options.replace) window.history.replaceState(null, '', url);
      else window.history.pushState(null, '', url);
    },
    // Callers pass a module-level constant, so this stays one function per screen.
    [defaults],
  );

  return [values, update];
}
